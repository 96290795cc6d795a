import { DOMParser } from '@xmldom/xmldom';

/** Where and why a text is not a well-formed XML document. */
export interface XmlProblem {
  /** 1-based line and column of the problem (the end of the text when it ends early). */
  line: number;
  column: number;
  message: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Checks that `text` is one well-formed XML element with balanced tags, closed quotes and no
 * DOCTYPE (a SAML message never carries a DTD; a capture with one is refused rather than
 * expanded). Returns the first problem, naming the elements still open where a message was cut
 * short, or undefined when the text is well-formed.
 */
export function xmlProblem(text: string): XmlProblem | undefined {
  const open: { name: string; at: number }[] = [];
  let roots = 0;
  let i = 0;
  const fail = (at: number, message: string): XmlProblem => ({ ...position(text, at), message });
  const endsEarly = (what: string): XmlProblem =>
    fail(
      text.length,
      `the text ends inside ${what}${open.length ? ` (open: ${open.map((o) => `<${o.name}>`).join(' > ')})` : ''} after ${text.length} characters: it was cut short`,
    );
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (open.length === 0 && chunk.trim()) {
      return fail(i + chunk.search(/\S/), `text outside the root element: "${chunk.trim().slice(0, 40)}"`);
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) return endsEarly('a processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) return endsEarly('a comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0) return endsEarly('a CDATA section');
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      return fail(
        i,
        `a ${/^<!DOCTYPE/i.test(text.slice(i)) ? 'DOCTYPE' : 'declaration'}, which a SAML message never carries`,
      );
    } else if (text.startsWith('</', i)) {
      const name = NAME.exec(text.slice(i + 2))?.[0];
      const end = text.indexOf('>', i);
      if (end < 0) return endsEarly(`the end tag </${name ?? ''}`);
      const top = open.pop();
      if (!name || !top || top.name !== name) {
        return fail(i, `</${name ?? '?'}> does not close ${top ? `<${top.name}>` : 'any open element'}`);
      }
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) return fail(i, `"<" not followed by an element name`);
      let j = i + 1 + name.length;
      let closed = false;
      for (;;) {
        while (j < text.length && /\s/.test(text[j]!)) j++;
        if (j >= text.length) return endsEarly(`the start tag <${name}`);
        if (text[j] === '>') {
          j++;
          break;
        }
        if (text.startsWith('/>', j)) {
          j += 2;
          closed = true;
          break;
        }
        const attr = NAME.exec(text.slice(j))?.[0];
        if (!attr) return fail(j, `unexpected "${text[j]}" in the start tag <${name}>`);
        j += attr.length;
        while (j < text.length && /\s/.test(text[j]!)) j++;
        if (text[j] !== '=') return fail(j, `attribute ${attr} of <${name}> has no value`);
        j++;
        while (j < text.length && /\s/.test(text[j]!)) j++;
        const quote = text[j];
        if (quote !== '"' && quote !== "'") {
          if (j >= text.length) return endsEarly(`the start tag <${name}`);
          return fail(j, `the value of ${attr} in <${name}> is not quoted`);
        }
        const end = text.indexOf(quote, j + 1);
        if (end < 0) return endsEarly(`the value of ${attr} in <${name}>`);
        j = end + 1;
      }
      if (open.length === 0 && roots++ > 0) return fail(i, `a second root element <${name}>`);
      if (!closed) open.push({ name, at: i });
      i = j;
    }
  }
  if (open.length) return endsEarly(`<${open[open.length - 1]!.name}>`);
  if (roots === 0) return fail(0, 'no XML element');
  const errors: string[] = [];
  new DOMParser({
    errorHandler: { error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
  }).parseFromString(text, 'text/xml');
  if (errors.length) return fail(0, errors[0]!.replace(/^\[xmldom \w+\]\s*/, '').split('\n')[0]!);
  return undefined;
}
