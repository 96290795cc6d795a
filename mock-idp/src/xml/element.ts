/**
 * A small XML element model that the IdP builds its messages from. Because every byte is
 * produced here, the same tree can be written two ways: as it goes over the wire (with the
 * vendor's own attribute order and redundant namespace declarations) and in Exclusive XML
 * Canonicalization form, which is what gets digested and signed.
 */
export interface XmlElement {
  /** Qualified name, e.g. `saml2:Assertion` or `Assertion` (default namespace). */
  name: string;
  /** Attributes and namespace declarations (`xmlns`, `xmlns:p`) in wire order. */
  attrs: [string, string][];
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export function el(name: string, attrs: [string, string][] = [], children: XmlNode[] = []): XmlElement {
  return { name, attrs, children };
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

export function escapeText(s: string): string {
  return /[&<>\r]/.test(s) ? s.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c) : s;
}
export function escapeAttr(s: string): string {
  return /[&<"\t\n\r]/.test(s) ? s.replace(/[&<"\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c) : s;
}

/** Serialises the tree as written on the wire. `selfClose` writes empty elements as `<a/>`. */
export function toWire(node: XmlNode, selfClose = true): string {
  if (typeof node === 'string') return escapeText(node);
  let out = '<' + node.name;
  for (const [k, v] of node.attrs) out += ' ' + k + '="' + escapeAttr(v) + '"';
  if (node.children.length === 0 && selfClose) return out + '/>';
  out += '>';
  for (const c of node.children) out += toWire(c, selfClose);
  return out + '</' + node.name + '>';
}

export type NsScope = ReadonlyMap<string, string>;

export function prefixOf(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? '' : qname.slice(0, i);
}

function localOf(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

function isNsDecl(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:');
}

/** The namespace scope inside `node`, given the scope of its parent. */
export function scopeInside(node: XmlElement, parent: NsScope): NsScope {
  let scope: Map<string, string> | undefined;
  for (const [k, v] of node.attrs) {
    if (!isNsDecl(k)) continue;
    scope ??= new Map(parent);
    scope.set(k === 'xmlns' ? '' : k.slice(6), v);
  }
  return scope ?? parent;
}

/**
 * Exclusive XML Canonicalization 1.0 (without comments) of `node`, where `scope` is the
 * namespace scope of its parent and `inclusive` is the InclusiveNamespaces PrefixList
 * (`#default` stands for the default namespace).
 */
export function toExcC14n(node: XmlElement, scope: NsScope, inclusive: readonly string[] = []): string {
  const incl = inclusive.map((p) => (p === '#default' ? '' : p));
  return c14nElement(node, scope, new Map(), incl);
}

function c14nElement(
  node: XmlElement,
  parentScope: NsScope,
  rendered: ReadonlyMap<string, string>,
  inclusive: readonly string[],
): string {
  const scope = scopeInside(node, parentScope);
  const used = new Set<string>([prefixOf(node.name)]);
  const attrs: { uri: string; local: string; name: string; value: string }[] = [];
  for (const [k, v] of node.attrs) {
    if (isNsDecl(k)) continue;
    const p = prefixOf(k);
    if (p) used.add(p);
    attrs.push({ uri: p ? (scope.get(p) ?? '') : '', local: localOf(k), name: k, value: v });
  }
  for (const p of inclusive) if (scope.has(p)) used.add(p);

  let nextRendered: Map<string, string> | undefined;
  const decls: [string, string][] = [];
  for (const p of used) {
    const uri = scope.get(p) ?? '';
    const before = rendered.get(p) ?? '';
    if (uri === before) continue;
    decls.push([p, uri]);
    nextRendered ??= new Map(rendered);
    nextRendered.set(p, uri);
  }
  decls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  attrs.sort((a, b) =>
    a.uri !== b.uri ? (a.uri < b.uri ? -1 : 1) : a.local < b.local ? -1 : a.local > b.local ? 1 : 0,
  );

  let out = '<' + node.name;
  for (const [p, uri] of decls) out += (p ? ' xmlns:' + p : ' xmlns') + '="' + escapeAttr(uri) + '"';
  for (const a of attrs) out += ' ' + a.name + '="' + escapeAttr(a.value) + '"';
  out += '>';
  const childRendered = nextRendered ?? rendered;
  for (const c of node.children) {
    out += typeof c === 'string' ? escapeText(c) : c14nElement(c, scope, childRendered, inclusive);
  }
  return out + '</' + node.name + '>';
}

/** The namespace scope in force at `target`'s parent, found by walking down from `root`. */
export function scopeAbove(root: XmlElement, target: XmlElement): NsScope {
  const walk = (node: XmlElement, scope: NsScope): NsScope | undefined => {
    if (node === target) return scope;
    const inner = scopeInside(node, scope);
    for (const c of node.children) {
      if (typeof c === 'string') continue;
      const found = walk(c, inner);
      if (found) return found;
    }
    return undefined;
  };
  const found = walk(root, new Map());
  if (!found) throw new TypeError('target element is not inside root');
  return found;
}
