/** Signs in at the mock IdP over real HTTP, the way a browser would, for tests. */
export interface IdpPage {
  status: number;
  html: string;
  cookie: string | undefined;
}

const field = (html: string, name: string): string | undefined => {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return m?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
};

/** The SAMLResponse (decoded) and RelayState of a POST-binding page. */
export function postedResponse(html: string): { xml: string; relayState: string | undefined } {
  const b64 = field(html, 'SAMLResponse');
  if (!b64) throw new Error(`no SAMLResponse in page: ${html.slice(0, 300)}`);
  return { xml: Buffer.from(b64, 'base64').toString('utf8'), relayState: field(html, 'RelayState') };
}

export const formAction = (html: string): string | undefined => /<form [^>]*action="([^"]*)"/.exec(html)?.[1];

/** Opens `url` (an SSO, init or logout URL), then signs in with the password if the login page shows. */
export async function signIn(
  idpUrl: string,
  tenant: string,
  url: string,
  login: string,
  password: string,
  init: RequestInit = {},
): Promise<IdpPage> {
  const first = await fetch(url, { redirect: 'manual', ...init });
  const html = await first.text();
  const pending = field(html, 'pending');
  if (!pending) return { status: first.status, html, cookie: first.headers.get('set-cookie') ?? undefined };
  const res = await fetch(`${idpUrl}/${tenant}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ pending, username: login, password }),
  });
  return {
    status: res.status,
    html: await res.text(),
    cookie: res.headers.get('set-cookie')?.split(';')[0],
  };
}
