/**
 * Every default of the SCIM provisioning engines, in one place. Where a value comes from a
 * vendor's documentation, its comment says what the vendor documents.
 */
export const SCIM_CLIENT_DEFAULTS = {
  /** Requests one tenant's engine has in flight at most. */
  concurrency: 4,
  /** Attempts per request when the SP answers 429, 5xx or not at all (Okta: up to 10). */
  maxAttempts: 4,
  /** First backoff when no Retry-After is given; doubles each attempt (Okta: 5 min, doubling). */
  retryBaseMs: 200,
  /** Longest wait honoured from a Retry-After header. */
  maxRetryAfterMs: 5_000,
  /** Okta: the SP must answer within 60 s. */
  requestTimeoutMs: 60_000,
  /** Entra: a provisioning cycle runs about every 40 minutes. */
  entraCycleMs: 40 * 60 * 1000,
  /** How often the schedule looks for Entra cycles that fell due. */
  scheduleCheckMs: 30_000,
  /** Entries kept in a tenant's transcript. */
  transcriptLimit: 2_000,
  /** Okta imports page through /Users this many at a time. */
  oktaPageSize: 100,
};
