// Splits text format input into tokens, one at a time, the way protobuf's
// C++ io::Tokenizer does with the settings TextFormat uses: `#` comments,
// an optional `f` after floats, a space required between a number and a
// following identifier, and no multi-line strings. Signs are not part of
// numbers: `-` is a symbol token and the parser applies it.
import { readStringLiteral } from "./string-literal.js";
import { TextFormatError } from "./text-error.js";

export type TokenKind = "identifier" | "integer" | "float" | "string" | "symbol" | "end";

export interface Token {
  readonly kind: TokenKind;
  /** The token as written (a string token includes its quotes). */
  readonly text: string;
  /** Offset of the first character in the input. */
  readonly offset: number;
  /** Decoded bytes of a string token. */
  readonly bytes?: Uint8Array;
}

/** Characters of a type URL or extension name between `[` and `]`. */
const URL_CHAR = /[A-Za-z0-9_\-.~!$&()*+,;=%/]/;

export class Lexer {
  /** The current token; `next()` moves on. */
  tok: Token;
  private pos = 0;
  private lineStarts: number[] | undefined;

  constructor(private readonly src: string) {
    this.tok = { kind: "end", text: "", offset: 0 };
    this.next();
  }

  /** Throws a TextFormatError placed at `offset` (default: the current token). */
  fail(reason: string, offset: number = this.tok.offset): never {
    const { line, column } = this.place(offset);
    throw new TextFormatError(line, column, reason);
  }

  /** True when the current token is the symbol `symbol`. */
  at(symbol: string): boolean {
    return this.tok.kind === "symbol" && this.tok.text === symbol;
  }

  /** Moves past the symbol `symbol` if it is the current token. */
  eat(symbol: string): boolean {
    if (!this.at(symbol)) return false;
    this.next();
    return true;
  }

  /** Moves past the symbol `symbol`, which must be the current token. */
  expect(symbol: string): void {
    if (!this.eat(symbol)) this.fail(`Expected "${symbol}", found "${this.tok.kind === "end" ? "end of input" : this.tok.text}".`);
  }

  /** Moves past the `{` or `<` opening a message; returns the symbol that must close it. */
  openMessage(): "}" | ">" {
    if (this.eat("<")) return ">";
    this.expect("{");
    return "}";
  }

  /** Moves to the next token. */
  next(): void {
    const prev = this.tok;
    const prevEnd = prev.offset + prev.text.length;
    this.skipSpaceAndComments();
    const src = this.src;
    const start = this.pos;
    if (start >= src.length) {
      this.tok = { kind: "end", text: "", offset: start };
      return;
    }
    const c = src.charAt(start);
    if (isLetter(c)) {
      let end = start + 1;
      while (end < src.length && isAlnum(src.charAt(end))) end++;
      this.take("identifier", start, end);
    } else if (isDigit(c) || (c === "." && isDigit(src.charAt(start + 1)))) {
      if (c === "." && prev.kind === "identifier" && prevEnd === start) {
        this.fail("Need space between identifier and decimal point.", start);
      }
      this.lexNumber(start);
    } else if (c === '"' || c === "'") {
      const lit = readStringLiteral(src, start, (offset, reason) => this.fail(reason, offset));
      this.pos = lit.end;
      this.tok = { kind: "string", text: src.slice(start, lit.end), offset: start, bytes: lit.bytes };
    } else if (c.charCodeAt(0) >= 0x80) {
      this.fail(`Interpreting non ascii codepoint ${c.codePointAt(0)}.`, start);
    } else {
      this.take("symbol", start, start + 1);
    }
  }

  /**
   * Reads an extension name or Any type URL: the current token is `[`, and
   * everything up to `]` is URL characters (whitespace and comments between
   * them are dropped, as in C++). Moves past the `]`.
   */
  bracketName(): string {
    let name = "";
    for (;;) {
      this.skipSpaceAndComments();
      const start = this.pos;
      while (URL_CHAR.test(this.src.charAt(this.pos))) this.pos++;
      if (this.pos === start) break;
      name += this.src.slice(start, this.pos);
    }
    this.next();
    this.expect("]");
    return name;
  }

  /** 1-based line and column of an offset. */
  place(offset: number): { line: number; column: number } {
    const starts = (this.lineStarts ??= lineStartsOf(this.src));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }

  private take(kind: TokenKind, start: number, end: number): void {
    this.pos = end;
    this.tok = { kind, text: this.src.slice(start, end), offset: start };
  }

  private skipSpaceAndComments(): void {
    const src = this.src;
    let pos = this.pos;
    while (pos < src.length) {
      const c = src.charCodeAt(pos);
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
        pos++;
      } else if (c === 0x23) {
        while (pos < src.length && src.charCodeAt(pos) !== 0x0a) pos++;
      } else if (c < 0x20 || c === 0x7f) {
        this.fail("Invalid control characters encountered in text.", pos);
      } else {
        break;
      }
    }
    this.pos = pos;
  }

  /** A number as C++ ConsumeNumber reads it: hex, octal, decimal integer or float. */
  private lexNumber(start: number): void {
    const src = this.src;
    let pos = start;
    let isFloat = false;
    const at = (i: number): string => src.charAt(i);
    if (at(pos) === "0" && (at(pos + 1) === "x" || at(pos + 1) === "X")) {
      pos += 2;
      if (!isHex(at(pos))) this.fail('"0x" must be followed by hex digits.', pos);
      while (isHex(at(pos))) pos++;
    } else if (at(pos) === "0" && isDigit(at(pos + 1))) {
      pos++;
      while (isOctalDigit(at(pos))) pos++;
      if (isDigit(at(pos))) this.fail("Numbers starting with leading zero must be in octal.", pos);
    } else {
      while (isDigit(at(pos))) pos++;
      if (at(pos) === ".") {
        isFloat = true;
        pos++;
        while (isDigit(at(pos))) pos++;
      }
      if (at(pos) === "e" || at(pos) === "E") {
        isFloat = true;
        pos++;
        if (at(pos) === "-" || at(pos) === "+") pos++;
        if (!isDigit(at(pos))) this.fail('"e" must be followed by exponent.', pos);
        while (isDigit(at(pos))) pos++;
      }
      if (at(pos) === "f" || at(pos) === "F") {
        isFloat = true;
        pos++;
      }
    }
    if (isLetter(at(pos))) this.fail("Need space between number and identifier.", pos);
    if (at(pos) === ".") {
      this.fail(
        isFloat ? "Already saw decimal point or exponent; can't have another one." : "Hex and octal numbers must be integers.",
        pos,
      );
    }
    this.take(isFloat ? "float" : "integer", start, pos);
  }
}

function lineStartsOf(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 0x0a) starts.push(i + 1);
  return starts;
}

function isLetter(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isAlnum(c: string): boolean {
  return isLetter(c) || isDigit(c);
}

function isOctalDigit(c: string): boolean {
  return c >= "0" && c <= "7";
}

function isHex(c: string): boolean {
  return isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");
}
