/**
 * A subset of JSONPath (RFC 9535) for reading an SP's own JSON answers: the root `$`, name
 * selectors (`.name`, `['name']`, `["name"]`, 2.3.1), index selectors (`[0]`, `[-1]`, 2.3.3),
 * wildcards (`.*`, `[*]`, 2.3.2) and filters comparing a relative path with a literal
 * (`[?@.type == 'DEV']`, `!=`, or the existence test `[?@.primary]`, 2.3.5). Descendant
 * segments, slices and functions are not supported and are refused when the path is compiled.
 */

type Literal = string | number | boolean | null;
type Selector =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: Selector[]; op?: '==' | '!='; value?: Literal };

export class JsonPathError extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
    message: string,
  ) {
    super(`${message} at character ${offset + 1} of ${path}`);
    this.name = 'JsonPathError';
  }
}

export interface JsonPath {
  readonly source: string;
  /** Every value the path selects, in document order. */
  all(value: unknown): unknown[];
  /** The first value the path selects, or undefined. */
  first(value: unknown): unknown;
}

const NAME_START = /[A-Za-z_\u0080-\uffff]/;
const NAME_CHAR = /[A-Za-z0-9_\u0080-\uffff-]/;

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  fail(message: string): never {
    throw new JsonPathError(this.src, this.i, message);
  }
  peek(): string | undefined {
    return this.src[this.i];
  }
  skipSpace(): void {
    while (this.peek() === ' ') this.i++;
  }
  expect(ch: string): void {
    if (this.src[this.i] !== ch) this.fail(`expected "${ch}"`);
    this.i++;
  }

  /** Segments after a `$` or `@`, up to the end or to a character that cannot continue them. */
  segments(stopAt: (ch: string | undefined) => boolean): Selector[] {
    const out: Selector[] = [];
    for (;;) {
      const ch = this.peek();
      if (stopAt(ch)) return out;
      if (ch === '.') {
        this.i++;
        if (this.peek() === '.') this.fail('descendant segments (..) are not supported');
        if (this.peek() === '*') {
          this.i++;
          out.push({ kind: 'wildcard' });
        } else out.push({ kind: 'name', name: this.name() });
      } else if (ch === '[') {
        this.i++;
        this.skipSpace();
        out.push(this.bracketed());
        this.skipSpace();
        this.expect(']');
      } else this.fail(`unexpected "${ch}"`);
    }
  }

  name(): string {
    const start = this.i;
    if (!NAME_START.test(this.peek() ?? '')) this.fail('expected a member name');
    while (NAME_CHAR.test(this.peek() ?? '')) this.i++;
    return this.src.slice(start, this.i);
  }

  string(): string {
    const quote = this.peek();
    this.i++;
    let out = '';
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) this.fail('unterminated string');
      this.i++;
      if (ch === quote) return out;
      if (ch === '\\') {
        const next = this.peek();
        if (next === undefined) this.fail('unterminated string');
        this.i++;
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      } else out += ch;
    }
  }

  literal(): Literal {
    const ch = this.peek();
    if (ch === "'" || ch === '"') return this.string();
    const m = /^(-?\d+(?:\.\d+)?|true|false|null)/.exec(this.src.slice(this.i));
    if (!m) this.fail('expected a string, number, true, false or null');
    this.i += m[0].length;
    return m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
  }

  bracketed(): Selector {
    const ch = this.peek();
    if (ch === '*') {
      this.i++;
      return { kind: 'wildcard' };
    }
    if (ch === "'" || ch === '"') return { kind: 'name', name: this.string() };
    if (ch === '?') {
      this.i++;
      this.skipSpace();
      const paren = this.peek() === '(';
      if (paren) {
        this.i++;
        this.skipSpace();
      }
      if (this.peek() !== '@') this.fail('a filter starts with @');
      this.i++;
      const path = this.segments(
        (c) => c === undefined || c === ' ' || c === ']' || c === ')' || c === '=' || c === '!',
      );
      this.skipSpace();
      let op: '==' | '!=' | undefined;
      let value: Literal | undefined;
      if (this.src.startsWith('==', this.i) || this.src.startsWith('!=', this.i)) {
        op = this.src.slice(this.i, this.i + 2) as '==' | '!=';
        this.i += 2;
        this.skipSpace();
        value = this.literal();
        this.skipSpace();
      }
      if (paren) this.expect(')');
      return { kind: 'filter', path, ...(op ? { op, value } : {}) };
    }
    const m = /^-?\d+/.exec(this.src.slice(this.i));
    if (!m) this.fail('expected a name in quotes, an index, * or a ?filter');
    this.i += m[0].length;
    if (this.peek() === ':') this.fail('slices are not supported');
    return { kind: 'index', index: Number(m[0]) };
  }
}

function select(nodes: unknown[], sel: Selector): unknown[] {
  const out: unknown[] = [];
  for (const node of nodes) {
    if (sel.kind === 'name') {
      if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, sel.name))
        out.push((node as Record<string, unknown>)[sel.name]);
    } else if (sel.kind === 'index') {
      if (Array.isArray(node)) {
        const i = sel.index < 0 ? node.length + sel.index : sel.index;
        if (i >= 0 && i < node.length) out.push(node[i]);
      }
    } else {
      const children = Array.isArray(node)
        ? node
        : node !== null && typeof node === 'object'
          ? Object.values(node)
          : [];
      if (sel.kind === 'wildcard') out.push(...children);
      else out.push(...children.filter((c) => test(c, sel)));
    }
  }
  return out;
}

function test(node: unknown, f: Extract<Selector, { kind: 'filter' }>): boolean {
  const found = f.path.reduce<unknown[]>((acc, s) => select(acc, s), [node]);
  if (!f.op) return found.length > 0;
  const equal = found.length === 1 && found[0] === f.value;
  return f.op === '==' ? equal : !equal;
}

/** Compiles a JSONPath; throws JsonPathError naming the character where it goes wrong. */
export function compileJsonPath(source: string): JsonPath {
  const p = new Parser(source);
  p.skipSpace();
  if (p.peek() !== '$') p.fail('a path starts with $');
  p.i++;
  const selectors = p.segments((c) => c === undefined);
  return {
    source,
    all: (value) => selectors.reduce<unknown[]>((acc, s) => select(acc, s), [value]),
    first(value) {
      return this.all(value)[0];
    },
  };
}
