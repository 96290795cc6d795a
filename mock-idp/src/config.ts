/** Every default of the mock IdP, in one place. */
export const IDP_DEFAULTS = {
  /** Interface to listen on; loopback unless told otherwise. */
  host: '127.0.0.1',
  /** 0 picks a free port. */
  port: 0,
  /** Bearer token of the admin API; generated when undefined. */
  adminToken: undefined as string | undefined,
  /** Base URL others reach the IdP at; from host:port when undefined. */
  publicUrl: undefined as string | undefined,
  /** How long a sign-in started by an AuthnRequest may wait for the user. */
  pendingLoginTtlMs: 10 * 60 * 1000,
  /** How many pending sign-ins are kept at most; the oldest are dropped first. */
  maxPendingLogins: 10_000,
  /** How long the IdP's own session (no password on the next login) lasts. */
  idpSessionTtlMs: 2 * 60 * 60 * 1000,
};
export type IdpOptions = Partial<typeof IDP_DEFAULTS>;
