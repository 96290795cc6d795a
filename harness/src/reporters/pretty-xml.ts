/**
 * Indents XML for reading. It works on a copy: the evidence keeps the wire bytes, whose
 * signatures must still verify, and only reports show this form. It tokenizes rather than
 * parses, so malformed or hostile input (a DTD, comments inside NameIDs) is shown as it is.
 */
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>|<\?[\s\S]*?\?>|<\/?[^>]+>|[^<]+/g;

/**
 * Indentation stops growing at this depth: a hostile message nested thousands of levels deep
 * (saml.reject.deep-nesting) would otherwise grow quadratically past any string's length.
 */
export const MAX_INDENT_DEPTH = 40;

export function prettyXml(xml: string, indent = '  '): string {
  const tokens = xml.match(TOKEN) ?? [];
  const lines: string[] = [];
  let level = 0;
  const pad = (d: number) => indent.repeat(Math.min(d, MAX_INDENT_DEPTH));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.startsWith('</')) {
      level = Math.max(0, level - 1);
      lines.push(pad(level) + t);
    } else if (t.startsWith('<?') || t.startsWith('<!')) {
      lines.push(pad(level) + t);
    } else if (t.startsWith('<')) {
      const selfClosing = t.endsWith('/>');
      const text = tokens[i + 1];
      const close = tokens[i + 2];
      // <a>short text</a> stays on one line.
      if (!selfClosing && text && !text.startsWith('<') && close?.startsWith('</')) {
        lines.push(pad(level) + t + text.trim() + close);
        i += 2;
        continue;
      }
      lines.push(pad(level) + t);
      if (!selfClosing) level++;
    } else if (t.trim()) {
      lines.push(pad(level) + t.trim());
    }
  }
  return lines.join('\n');
}
