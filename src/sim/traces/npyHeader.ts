/**
 * The header of a .npy file is a Python dict literal, e.g. `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), }`. This module parses the small subset of Python literals numpy writes there (strings,
 * integers, True/False/None, tuples, lists, dicts) without evaluating anything, and formats the header the
 * way `numpy.lib.format` does.
 */

export type PyValue =
  string | number | boolean | null | PyValue[] | { tuple: PyValue[] } | Map<string, PyValue>;

export class NpyHeaderError extends Error {}

/** Parses `text` as one Python literal; throws NpyHeaderError naming the position of the first problem. */
export function parsePyLiteral(text: string): PyValue {
  const parser = new LiteralParser(text);
  const value = parser.value(0);
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail('unexpected text after the dict');
  return value;
}

const MAX_NESTING = 32;

class LiteralParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(what: string): never {
    const near = JSON.stringify(this.text.slice(this.pos, this.pos + 20));
    throw new NpyHeaderError(`${what} at character ${this.pos} (near ${near})`);
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.pos])) this.pos++;
  }

  value(depth: number): PyValue {
    if (depth > MAX_NESTING) this.fail('header nests too deeply');
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === "'" || ch === '"') return this.string();
    if (ch === '{') return this.dict(depth);
    if (ch === '(') return { tuple: this.sequence(')', depth) };
    if (ch === '[') return this.sequence(']', depth);
    if (ch !== undefined && /[-+0-9]/.test(ch)) return this.integer();
    for (const [word, v] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail(ch === undefined ? 'header ends early' : 'unexpected character');
  }

  private string(): string {
    const quote = this.text[this.pos++];
    let out = '';
    while (!this.atEnd()) {
      const ch = this.text[this.pos++];
      if (ch === quote) return out;
      if (ch === '\\') {
        // numpy never writes escapes into the keys or dtype strings we read; keep the escaped char as is.
        if (this.atEnd()) break;
        out += this.text[this.pos++];
      } else out += ch;
    }
    return this.fail('unterminated string');
  }

  private integer(): number {
    const m = /^[-+]?[0-9]+L?/.exec(this.text.slice(this.pos));
    if (!m) return this.fail('malformed number');
    this.pos += m[0].length;
    const digits = m[0].replace(/L$/, '');
    const n = Number(digits);
    if (!Number.isSafeInteger(n)) this.fail(`integer ${digits} is too large`);
    return n;
  }

  private sequence(close: string, depth: number): PyValue[] {
    this.pos++; // opening bracket
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.value(depth + 1));
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  private dict(depth: number): Map<string, PyValue> {
    this.pos++; // '{'
    const out = new Map<string, PyValue>();
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.value(depth + 1);
      if (typeof key !== 'string') this.fail('dict keys must be strings');
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      if (out.has(key)) this.fail(`duplicate key '${key}'`);
      out.set(key, this.value(depth + 1));
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== '}') this.fail("expected ',' or '}'");
    }
  }
}

export interface NpyHeaderFields {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/** Validates the parsed dict: exactly the three keys numpy writes, with the right types. */
export function headerFields(dict: PyValue): NpyHeaderFields {
  if (!(dict instanceof Map)) throw new NpyHeaderError('header is not a dict');
  const keys = [...dict.keys()].sort();
  const expected = ['descr', 'fortran_order', 'shape'];
  if (keys.length !== 3 || keys.some((k, i) => k !== expected[i])) {
    throw new NpyHeaderError(`header keys are [${keys.join(', ')}], expected [descr, fortran_order, shape]`);
  }
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (Array.isArray(descr)) throw new NpyHeaderError('structured (record) dtypes are not supported');
  if (typeof descr !== 'string') throw new NpyHeaderError("'descr' is not a string");
  if (typeof fortran !== 'boolean') throw new NpyHeaderError("'fortran_order' is not True or False");
  if (shape === null || typeof shape !== 'object' || !('tuple' in shape)) {
    throw new NpyHeaderError("'shape' is not a tuple");
  }
  const dims = shape.tuple.map((d) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new NpyHeaderError(`'shape' has an invalid dimension ${JSON.stringify(d)}`);
    }
    return d;
  });
  return { descr, fortranOrder: fortran, shape: dims };
}

/** `repr` of a shape tuple as numpy writes it: `()`, `(3,)`, `(2, 3)`. */
export function formatShape(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

export function formatHeaderDict(descr: string, shape: readonly number[]): string {
  return `{'descr': '${descr}', 'fortran_order': False, 'shape': ${formatShape(shape)}, }`;
}
