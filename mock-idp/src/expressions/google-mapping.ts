import { IdpError } from '../errors.js';

/**
 * Google Workspace SAML attribute mapping: each app attribute is mapped to one Google
 * Directory field, chosen as `<Category>.<Field>` the way the Admin console lists them:
 * - `Basic Information.Primary email`, `Basic Information.First name`, `Basic Information.Last name`;
 * - `Employee Details.Employee ID`, `…Title`, `…Type of employee`, `…Manager's email`,
 *   `…Department`, `…Cost center`;
 * - `Contact Information.Phone`, `…Address`;
 * - a custom attribute category the admin defined: `<Category>.<field>`, read from the
 *   user's custom attributes.
 * There are no expressions: a value the directory lacks is left out. Group membership is
 * mapped separately (see the setup's `groupAttributeStatements`).
 */
export interface GoogleScope {
  /** Directory fields by console label, e.g. `{ 'Primary email': …, 'First name': … }`. */
  user: Record<string, unknown>;
  /** Custom attributes, by category then field. */
  custom: Record<string, Record<string, unknown>>;
}

const BUILT_IN: Record<string, readonly string[]> = {
  'Basic Information': ['Primary email', 'First name', 'Last name'],
  'Employee Details': [
    'Employee ID',
    'Title',
    'Type of employee',
    "Manager's email",
    'Department',
    'Cost center',
  ],
  'Contact Information': ['Phone', 'Address'],
};

const asValue = (v: unknown): string | string[] | null =>
  v === undefined || v === null || v === '' ? null : Array.isArray(v) ? v.map(String) : String(v);

export function evaluateGoogleMapping(src: string, scope: GoogleScope): string | string[] | null {
  const dot = src.indexOf('.');
  if (dot <= 0 || dot === src.length - 1) {
    throw new IdpError('ERR_BAD_SETUP', `Google attribute mapping must be <Category>.<Field>: ${src}`);
  }
  const category = src.slice(0, dot).trim();
  const fieldName = src.slice(dot + 1).trim();
  const builtIn = BUILT_IN[category];
  if (builtIn) {
    if (!builtIn.includes(fieldName)) {
      throw new IdpError('ERR_BAD_SETUP', `Google Directory has no field "${fieldName}" in ${category}`);
    }
    return asValue(scope.user[fieldName]);
  }
  return asValue(scope.custom[category]?.[fieldName]);
}
