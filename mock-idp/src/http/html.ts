/** HTML pages of the mock IdP: the login page (user picker and password) and the POST-binding form. */
export const esc = (s: unknown): string =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const shell = (title: string, body: string, attrs = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f4f6fa;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
label{display:block;margin:.8rem 0 .2rem}select,input{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1.2rem;padding:.6rem 1.2rem}.error{color:#b00020}.muted{color:#667085;font-size:.85rem}
</style></head><body${attrs}>${body}</body></html>`;

export interface LoginPageUser {
  login: string;
  label: string;
}

export function loginPage(opts: {
  vendor: string;
  tenant: string;
  action: string;
  pending: string;
  users: LoginPageUser[];
  selected?: string;
  error?: { code: string; message: string };
}): string {
  const options = opts.users
    .map(
      (u) =>
        `<option value="${esc(u.login)}"${u.login === opts.selected ? ' selected' : ''}>${esc(u.label)}</option>`,
    )
    .join('');
  return shell(
    `Sign in — ${opts.vendor} (mock)`,
    `<main><h1>Sign in to ${esc(opts.vendor)}</h1>
<p class="muted">Mock ${esc(opts.vendor)} tenant <code>${esc(opts.tenant)}</code></p>
${opts.error ? `<p class="error" role="alert" data-error-code="${esc(opts.error.code)}">${esc(opts.error.message)}</p>` : ''}
<form method="post" action="${esc(opts.action)}">
<input type="hidden" name="pending" value="${esc(opts.pending)}">
<label for="username">User</label>
<select id="username" name="username">${options}</select>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit" id="sign-in">Sign in</button>
</form></main>`,
  );
}

/** SAML Bindings 3.5.4: an HTML form that submits itself to the ACS. */
export function postBindingPage(action: string, fields: Record<string, string | undefined>): string {
  const inputs = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return shell(
    'Signing in…',
    `<form method="post" action="${esc(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>`,
    ' onload="document.forms[0].submit()"',
  );
}

export function errorPage(vendor: string, code: string, message: string): string {
  return shell(
    `Error — ${vendor} (mock)`,
    `<main><h1>Sign-in error</h1><p class="error" role="alert" data-error-code="${esc(code)}">${esc(message)}</p></main>`,
  );
}

/** SAML Profiles 4.4: the page the IdP shows when Single Logout has finished. */
export function signedOutPage(vendor: string, complete: boolean): string {
  return shell(
    `Signed out — ${vendor} (mock)`,
    `<main><h1>${complete ? 'You have been signed out' : 'Sign-out was not complete'}</h1>` +
      `<p data-signed-out="${complete ? 'true' : 'partial'}">${esc(vendor)}</p></main>`,
  );
}
