// Decodes one quoted string literal of the text format into raw bytes.
//
// Text format strings are byte strings: escapes may produce any byte, and the
// literal's own characters stand for their UTF-8 encoding. Whether the bytes
// must be valid UTF-8 is up to the field (string vs bytes), so the decision is
// made by the caller, not here.

/** Reports a problem at an offset of the input; never returns. */
export type FailAt = (offset: number, reason: string) => never;

export interface StringLiteral {
  readonly bytes: Uint8Array;
  /** Offset just past the closing quote. */
  readonly end: number;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  "\\": 0x5c,
  "?": 0x3f,
  "'": 0x27,
  '"': 0x22,
};

/** Decodes the literal whose opening quote (`'` or `"`) is at `start`. */
export function readStringLiteral(src: string, start: number, fail: FailAt): StringLiteral {
  const quote = src.charCodeAt(start);
  const out: number[] = [];
  let i = start + 1;
  for (;;) {
    if (i >= src.length) fail(start, "Unexpected end of string.");
    const c = src.charCodeAt(i);
    if (c === quote) return { bytes: Uint8Array.from(out), end: i + 1 };
    if (c === 0x0a) fail(i, "Multiline strings are not allowed. Did you miss a \"?");
    if (c !== 0x5c) {
      i = pushChar(src, i, out);
      continue;
    }
    i = readEscape(src, i, out, fail);
  }
}

/** Appends the UTF-8 of the character at `i`; returns the index after it. */
function pushChar(src: string, i: number, out: number[]): number {
  let cp = src.codePointAt(i)!;
  const next = i + (cp > 0xffff ? 2 : 1);
  // A lone surrogate cannot come from UTF-8 input; encode it as TextEncoder does.
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  pushUtf8(cp, out);
  return next;
}

/** Decodes the escape sequence whose backslash is at `i`; returns the index after it. */
function readEscape(src: string, i: number, out: number[], fail: FailAt): number {
  const at = i;
  const e = src.charAt(i + 1);
  i += 2;
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) {
    out.push(simple);
    return i;
  }
  if (e >= "0" && e <= "7") {
    // One to three octal digits; like C, values past \377 keep their low byte.
    let code = e.charCodeAt(0) - 0x30;
    for (let n = 1; n < 3 && isOctal(src.charAt(i)); n++, i++) code = code * 8 + (src.charCodeAt(i) - 0x30);
    out.push(code & 0xff);
    return i;
  }
  if (e === "x" || e === "X") {
    const digits = hexRun(src, i, 2);
    if (digits.length === 0) fail(at, "Expected hex digits for escape sequence.");
    out.push(parseInt(digits, 16));
    return i + digits.length;
  }
  if (e === "u" || e === "U") {
    const len = e === "u" ? 4 : 8;
    const digits = hexRun(src, i, len);
    if (digits.length !== len) fail(at, `Expected ${len === 4 ? "four" : "eight"} hex digits for \\${e} escape sequence.`);
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff) fail(at, `Unicode escape \\${e}${digits} is beyond U+10FFFF.`);
    // The spec forbids surrogates in escapes, paired or not: they are not code points.
    if (cp >= 0xd800 && cp <= 0xdfff) fail(at, `Unicode escape \\${e}${digits} is a surrogate, not a code point.`);
    pushUtf8(cp, out);
    return i + len;
  }
  return fail(at, "Invalid escape sequence in string literal.");
}

function isOctal(ch: string): boolean {
  return ch >= "0" && ch <= "7";
}

/** Up to `max` hex digits starting at `i`. */
function hexRun(src: string, i: number, max: number): string {
  let end = i;
  while (end - i < max && /^[0-9a-fA-F]$/.test(src.charAt(end))) end++;
  return src.slice(i, end);
}

function pushUtf8(cp: number, out: number[]): void {
  if (cp < 0x80) {
    out.push(cp);
  } else if (cp < 0x800) {
    out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  } else {
    out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
}
