import { DecodeError } from "./errors.js";
import { readUtf8, utf8Length, writeUtf8 } from "./utf8.js";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const fromHex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

describe("utf8Length and writeUtf8", () => {
  // [text, expected UTF-8]
  const table: [string, string][] = [
    ["", ""],
    ["a", "61"],
    ["\u007f", "7f"],
    ["\u0080", "c280"],
    ["é", "c3a9"],
    ["\u07ff", "dfbf"],
    ["\u0800", "e0a080"],
    ["€", "e282ac"],
    ["\ufeff", "efbbbf"],
    ["\uffff", "efbfbf"],
    ["😀", "f09f9880"],
    ["\u{10ffff}", "f48fbfbf"],
    ["\ud800", "efbfbd"], // lone high surrogate
    ["\udc00", "efbfbd"], // lone low surrogate
    ["\ud800a", "efbfbd61"],
    ["a\ud83d", "61efbfbd"],
    ["\udc00\ud800", "efbfbdefbfbd"], // reversed pair
    ["\ud83d\ud83d\ude00", "efbfbdf09f9880"],
  ];
  it.each(table)("%j", (text, expected) => {
    expect(utf8Length(text)).toBe(expected.length / 2);
    const buf = new Uint8Array(expected.length / 2 + 2);
    const end = writeUtf8(text, buf, 1);
    expect(end).toBe(1 + expected.length / 2);
    expect(hex(buf.subarray(1, end))).toBe(expected);
    expect(hex(new TextEncoder().encode(text))).toBe(expected);
  });

  it("agrees with TextEncoder for long strings, which take the encodeInto path", () => {
    const text = "a€😀\ud800".repeat(200);
    const expected = new TextEncoder().encode(text);
    expect(utf8Length(text)).toBe(expected.length);
    const buf = new Uint8Array(expected.length + 3);
    expect(writeUtf8(text, buf, 3)).toBe(expected.length + 3);
    expect(buf.subarray(3)).toEqual(expected);
  });
});

describe("utf8Length", () => {
  it("measures strings too long for the scratch buffer", () => {
    const text = "é" + "x".repeat(400000) + "😀";
    expect(utf8Length(text)).toBe(400006);
  });

  it("measures strings around the JavaScript/native threshold", () => {
    for (let n = 20; n < 30; n++) {
      for (const text of ["a".repeat(n), "é".repeat(n), "\ud800".repeat(n), "😀".repeat(n >> 1) + "\ud83d"]) {
        expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
      }
    }
  });
});

describe("readUtf8", () => {
  // [bytes, strict result (undefined: DecodeError), lax result]
  const table: [string, string | undefined, string][] = [
    ["", "", ""],
    ["616263", "abc", "abc"],
    ["efbbbf61", "\ufeffa", "\ufeffa"], // a BOM is data, not stripped
    ["c3a9", "é", "é"],
    ["f09f9880", "😀", "😀"],
    ["f48fbfbf", "\u{10ffff}", "\u{10ffff}"],
    ["80", undefined, "\ufffd"], // lone continuation byte
    ["c0af", undefined, "\ufffd\ufffd"], // overlong "/"
    ["e080af", undefined, "\ufffd\ufffd\ufffd"], // overlong 3-byte
    ["eda080", undefined, "\ufffd\ufffd\ufffd"], // encoded surrogate U+D800
    ["f4908080", undefined, "\ufffd\ufffd\ufffd\ufffd"], // above U+10FFFF
    ["ff", undefined, "\ufffd"],
    ["61c3", undefined, "a\ufffd"], // truncated sequence
    ["e282", undefined, "\ufffd"],
  ];
  it.each(table)("%s", (bytes, strict, lax) => {
    // Padding on both sides: the range is what counts, not the buffer.
    const buf = fromHex("ff" + bytes + "ff");
    const end = buf.length - 1;
    if (strict === undefined) {
      expect(() => readUtf8(buf, 1, end, true)).toThrow(new DecodeError("invalid UTF-8"));
    } else {
      expect(readUtf8(buf, 1, end, true)).toBe(strict);
    }
    expect(readUtf8(buf, 1, end, false)).toBe(lax);
  });

  it("decodes long text, ASCII or not", () => {
    for (const text of ["x".repeat(1000), "é".repeat(1000), "x".repeat(64) + "é"]) {
      const bytes = new TextEncoder().encode(text);
      expect(readUtf8(bytes, 0, bytes.length, true)).toBe(text);
    }
    const bad = new TextEncoder().encode("x".repeat(100) + "\u0000");
    bad[bad.length - 1] = 0x80;
    expect(() => readUtf8(bad, 0, bad.length, true)).toThrow("invalid UTF-8");
  });

  it("decodes every short length at any offset, with a non-ASCII character at every position", () => {
    // Short ASCII runs take fromCharCode paths chosen by length (up to 8, up to 12, up to 16).
    const decoder = new TextDecoder();
    for (let n = 0; n <= 20; n++) {
      const ascii = Array.from({ length: n }, (_, i) => String.fromCharCode(0x21 + ((i * 7) % 90))).join("");
      const texts = [ascii];
      for (let at = 0; at < n; at++) texts.push(ascii.slice(0, at) + "é" + ascii.slice(at + 1));
      for (const text of texts) {
        const encoded = new TextEncoder().encode(text);
        const padded = new Uint8Array(encoded.length + 6).fill(0x41);
        padded.set(encoded, 3);
        expect(readUtf8(padded, 3, 3 + encoded.length, true)).toBe(decoder.decode(encoded));
      }
    }
  });
});
