/** Minimal HTML templating with escaping for the SP's pages. */
export const esc = (s: unknown): string =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:52rem;color:#1d2433;padding:0 1rem}
h1{font-size:1.4rem}table{border-collapse:collapse}td,th{border:1px solid #d0d5dd;padding:.3rem .6rem;text-align:left}
.error{border-left:4px solid #c62828;padding:.5rem 1rem;background:#fdecea}.muted{color:#667085}
code{background:#f2f4f7;padding:0 .2rem}
</style></head><body>
<header class="muted">sp-under-test — reference provisioning service</header>
${body}
</body></html>`;
}

/** A page that explains why something was refused, with its stable error code for tools to read. */
export function errorPage(title: string, code: string, message: string, extraHtml = ''): string {
  return page(
    title,
    `<h1>${esc(title)}</h1><div class="error" data-error-code="${esc(code)}"><p>${esc(message)}</p>
     <p class="muted">Error code <code>${esc(code)}</code></p></div>${extraHtml}`,
  );
}
