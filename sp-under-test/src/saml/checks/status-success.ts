import { SamlRejected } from '../errors.js';
import { NS, firstChild } from '../xml.js';
import { need, type AcsCheck } from './context.js';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** SAML Core 3.2.2.2: only a top-level Success status may carry a usable assertion. */
export const statusSuccess: AcsCheck = (ctx) => {
  const root = need(ctx.doc, 'doc').documentElement;
  const status = firstChild(root, NS.SAMLP, 'Status');
  const code = status && firstChild(status, NS.SAMLP, 'StatusCode')?.getAttribute('Value');
  if (code !== SUCCESS) throw new SamlRejected('ERR_SAML_STATUS', code ?? 'no StatusCode');
};
