/** Every default of the SCIM server, in one place. */
export const SCIM_DEFAULTS = {
  /** Largest request body accepted, in bytes (RFC 7644 §3.12: 413 above it). */
  maxBodyBytes: 256 * 1024,
  /** Page size when a query names no `count`. */
  defaultCount: 100,
  /** Largest page a query returns, whatever `count` asks for (ServiceProviderConfig filter.maxResults). */
  maxResults: 1000,
  /** Where the server is mounted; `meta.location` and `Location` derive from it. */
  basePath: '/scim/v2',
};
