import { randomInt } from 'node:crypto';
import { bearer } from '../http-exchange.js';

/**
 * The variables Okta's initial script (Initial_Script_Spec.txt) gives its SCIM suites, as the
 * suites' README describes them, plus the CRUD suite's Okta org, app and test-user values.
 */
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const lower = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + randomInt(26))).join('');

export function oktaSpecVariables(scimBaseUrl: string, token: string): Record<string, string> {
  const given = `Runscope${digits(3)}`;
  const family = `${String.fromCharCode(65 + randomInt(26))}${lower(8)}${digits(3)}`;
  const email = `${given}${family}@atko.com`;
  return {
    SCIMBaseURL: scimBaseUrl,
    auth: bearer(token),
    randomGivenName: given,
    randomFamilyName: family,
    randomEmail: email,
    randomUsername: email,
    randomUsernameCaps: email.toUpperCase(),
    InvalidUserEmail: 'abcdefgh@atko.com',
    UserIdThatDoesNotExist: '010101001010101011001010101011',
  };
}

export function oktaCrudVariables(
  scim: { baseUrl: string; token: string },
  okta: { orgUrl: string; appId: string; apiToken: string },
): Record<string, string> {
  const first = `Runscope${digits(3)}`;
  const last = `${String.fromCharCode(65 + randomInt(26))}${lower(8)}${digits(3)}`;
  return {
    oktaOrgUrl: okta.orgUrl,
    oktaAppId: okta.appId,
    oktaToken: okta.apiToken,
    SCIMUrl: scim.baseUrl,
    SCIMAuth: bearer(scim.token),
    okta_user_firstname: first,
    okta_user_firstname_update: `${first}Updated`,
    okta_user_lastname: last,
    okta_user_email: `${first}.${last}@atko.com`.toLowerCase(),
    okta_user_title: 'Test Engineer',
    okta_user_primaryphone: `+1-415-555-${digits(4)}`,
  };
}
