// A strict JSON text parser (RFC 8259) for fromJsonString. JSON.parse is not
// enough for protobuf JSON: it silently keeps the last of duplicate keys, which
// the mapping rejects, and it rounds integer literals beyond 2^53, which int64
// fields must read exactly. So this parser rejects duplicates and keeps the
// text of large numbers (as RawNumber); everything else is what JSON.parse
// would return.
import { JsonError } from "./json-error.js";

/** A number literal too large for a double to hold exactly, with its source text. */
export class RawNumber {
  constructor(
    /** The literal as written, e.g. `9223372036854775807`. */
    readonly text: string,
    /** The nearest double. */
    readonly value: number,
  ) {}
}

/** Past this, integer literals may not be exact as doubles: keep their text. */
const exactLimit = 2 ** 53;
/** Nesting deeper than this is rejected rather than risking the call stack. */
const maxDepth = 1000;

/**
 * Parses JSON text. Numbers are JS numbers except that literals with a
 * magnitude of 2^53 or more are RawNumber. Throws JsonError on malformed
 * text and on duplicate object keys.
 */
export function parseJsonText(text: string): unknown {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.pos < text.length) throw p.fail("unexpected text after the JSON value");
  return v;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** A run of string characters that need no further checks. */
const PLAIN = /[^"\\\u0000-\u001f\ud800-\udfff]*/y;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    const s = this.s;
    let pos = this.pos;
    for (;;) {
      const c = s.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  value(depth: number): unknown {
    const c = this.s.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: // {
        return this.object(depth + 1);
      case 0x5b: // [
        return this.array(depth + 1);
      case 0x22: // "
        return this.string();
      case 0x74: // t
        return this.literal("true", true);
      case 0x66: // f
        return this.literal("false", false);
      case 0x6e: // n
        return this.literal("null", null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        throw this.fail(Number.isNaN(c) ? "unexpected end of JSON" : `unexpected ${describe(this.s, this.pos)}`);
    }
  }

  private object(depth: number): object {
    if (depth > maxDepth) throw this.fail("nesting too deep");
    this.pos++;
    const obj: Record<string, unknown> = {};
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      if (this.s.charCodeAt(this.pos) !== 0x22) throw this.fail(`expected a quoted key, found ${describe(this.s, this.pos)}`);
      const keyPos = this.pos;
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(obj, key)) {
        this.pos = keyPos;
        throw this.fail(`duplicate key ${JSON.stringify(key)}`);
      }
      this.ws();
      this.expect(0x3a, "':'");
      this.ws();
      const v = this.value(depth);
      // An own property even for "__proto__", as JSON.parse does.
      if (key === "__proto__") Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      else obj[key] = v;
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        this.ws();
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return obj;
      }
      throw this.fail(`expected ',' or '}', found ${describe(this.s, this.pos)}`);
    }
  }

  private array(depth: number): unknown[] {
    if (depth > maxDepth) throw this.fail("nesting too deep");
    this.pos++;
    const arr: unknown[] = [];
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return arr;
    }
    for (;;) {
      arr.push(this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        this.ws();
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return arr;
      }
      throw this.fail(`expected ',' or ']', found ${describe(this.s, this.pos)}`);
    }
  }

  string(): string {
    const s = this.s;
    let pos = this.pos + 1;
    let out = "";
    let runStart = pos;
    for (;;) {
      // Skip, in one regex step, the characters that need no further checks.
      PLAIN.lastIndex = pos;
      PLAIN.test(s);
      pos = PLAIN.lastIndex;
      const c = s.charCodeAt(pos);
      if (c === 0x22) {
        this.pos = pos + 1;
        return out + s.slice(runStart, pos);
      }
      if (c === 0x5c) {
        out += s.slice(runStart, pos);
        pos = this.escape(pos, (str) => (out += str));
        runStart = pos;
        continue;
      }
      if (Number.isNaN(c)) {
        this.pos = pos;
        throw this.fail("unterminated string");
      }
      if (c < 0x20) {
        this.pos = pos;
        throw this.fail("control character in string");
      }
      // A surrogate: only a high one followed by a low one is well-formed.
      const next = s.charCodeAt(pos + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        this.pos = pos;
        throw this.fail("unpaired surrogate in string");
      }
      pos += 2;
    }
  }

  /** Decodes the escape at `pos` (the backslash); returns the position after it. */
  private escape(pos: number, emit: (s: string) => void): number {
    const s = this.s;
    const c = s.charCodeAt(pos + 1);
    switch (c) {
      case 0x22:
        emit('"');
        return pos + 2;
      case 0x5c:
        emit("\\");
        return pos + 2;
      case 0x2f:
        emit("/");
        return pos + 2;
      case 0x62:
        emit("\b");
        return pos + 2;
      case 0x66:
        emit("\f");
        return pos + 2;
      case 0x6e:
        emit("\n");
        return pos + 2;
      case 0x72:
        emit("\r");
        return pos + 2;
      case 0x74:
        emit("\t");
        return pos + 2;
      case 0x75: {
        const u = this.hex4(pos + 2);
        if (u >= 0xdc00 && u <= 0xdfff) {
          this.pos = pos;
          throw this.fail("unpaired surrogate in string");
        }
        if (u >= 0xd800 && u <= 0xdbff) {
          // A high surrogate must be followed by an escaped low surrogate.
          const low = s.charCodeAt(pos + 6) === 0x5c && s.charCodeAt(pos + 7) === 0x75 ? this.hex4(pos + 8) : -1;
          if (!(low >= 0xdc00 && low <= 0xdfff)) {
            this.pos = pos;
            throw this.fail("unpaired surrogate in string");
          }
          emit(String.fromCharCode(u, low));
          return pos + 12;
        }
        emit(String.fromCharCode(u));
        return pos + 6;
      }
      default:
        this.pos = pos;
        throw this.fail(Number.isNaN(c) ? "unterminated string" : "invalid escape in string");
    }
  }

  private hex4(pos: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.s.charCodeAt(pos + i);
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (d < 0) {
        this.pos = pos - 2;
        throw this.fail("invalid \\u escape in string");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  private number(): number | RawNumber {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.s);
    if (m === null) throw this.fail(`invalid number at ${describe(this.s, this.pos)}`);
    const text = m[0];
    const end = this.pos + text.length;
    // "01" and "1." match a prefix only; what follows must end the number.
    const next = this.s.charCodeAt(end);
    if ((next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45) {
      throw this.fail(`invalid number ${JSON.stringify(this.s.slice(this.pos, end + 1))}`);
    }
    this.pos = end;
    const value = Number(text);
    return Math.abs(value) >= exactLimit ? new RawNumber(text, value) : value;
  }

  private literal<V>(word: string, value: V): V {
    if (!this.s.startsWith(word, this.pos)) throw this.fail(`unexpected ${describe(this.s, this.pos)}`);
    this.pos += word.length;
    return value;
  }

  private expect(code: number, what: string): void {
    if (this.s.charCodeAt(this.pos) !== code) throw this.fail(`expected ${what}, found ${describe(this.s, this.pos)}`);
    this.pos++;
  }

  fail(reason: string): JsonError {
    return new JsonError(`invalid JSON: ${reason} at offset ${this.pos}`);
  }
}

function describe(s: string, pos: number): string {
  if (pos >= s.length) return "end of JSON";
  const cp = s.codePointAt(pos) ?? 0;
  return `character ${JSON.stringify(String.fromCodePoint(cp))}`;
}
