/**
 * Indents XML for reading. It works on a copy: the evidence keeps the wire bytes, whose
 * signatures must still verify, and only reports show this form. It tokenizes rather than
 * parses, so malformed or hostile input (a DTD, comments inside NameIDs) is shown as it is.
 */
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>|<\?[\s\S]*?\?>|<\/?[^>]+>|[^<]+/g;

export function prettyXml(xml: string, indent = '  '): string {
  const tokens = xml.match(TOKEN) ?? [];
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      lines.push(indent.repeat(depth) + t);
    } else if (t.startsWith('<?') || t.startsWith('<!')) {
      lines.push(indent.repeat(depth) + t);
    } else if (t.startsWith('<')) {
      const selfClosing = t.endsWith('/>');
      const text = tokens[i + 1];
      const close = tokens[i + 2];
      // <a>short text</a> stays on one line.
      if (!selfClosing && text && !text.startsWith('<') && close?.startsWith('</')) {
        lines.push(indent.repeat(depth) + t + text.trim() + close);
        i += 2;
        continue;
      }
      lines.push(indent.repeat(depth) + t);
      if (!selfClosing) depth++;
    } else if (t.trim()) {
      lines.push(indent.repeat(depth) + t.trim());
    }
  }
  return lines.join('\n');
}
