import { readStringLiteral } from "./string-literal.js";

const fail = (offset: number, reason: string): never => {
  throw new Error(`${offset}: ${reason}`);
};
const decode = (src: string): number[] => [...readStringLiteral(src, 0, fail).bytes];

describe("readStringLiteral", () => {
  it.each<[string, number[]]>([
    [`""`, []],
    [`''`, []],
    [`"it's"`, [0x69, 0x74, 0x27, 0x73]],
    [`'say "hi"'`, [0x73, 0x61, 0x79, 0x20, 0x22, 0x68, 0x69, 0x22]],
    [String.raw`"\a\b\f\n\r\t\v\\\?\'\""`, [7, 8, 12, 10, 13, 9, 11, 92, 63, 39, 34]],
    [String.raw`"\0\7\12\123\1234"`, [0, 7, 10, 83, 83, 0x34]],
    [String.raw`"\400\777"`, [0, 0xff]],
    [String.raw`"\x0\x41\X7a\x123"`, [0, 0x41, 0x7a, 0x12, 0x33]],
    [String.raw`"\u00e9\u20AC"`, [0xc3, 0xa9, 0xe2, 0x82, 0xac]],
    [String.raw`"\U0001F600\U0010ffff"`, [0xf0, 0x9f, 0x98, 0x80, 0xf4, 0x8f, 0xbf, 0xbf]],
    ['"é😀"', [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]],
    ['"tab\there"', [0x74, 0x61, 0x62, 0x09, 0x68, 0x65, 0x72, 0x65]],
  ])("%s", (src, bytes) => {
    expect(decode(src)).toEqual(bytes);
  });

  it("stops after the closing quote", () => {
    expect(readStringLiteral(`"ab" rest`, 0, fail).end).toBe(4);
  });

  it.each<[string, string]>([
    [`"abc`, "0: Unexpected end of string."],
    [`"a\nb"`, "2: Multiline strings are not allowed. Did you miss a \"?"],
    [String.raw`"\q"`, "1: Invalid escape sequence in string literal."],
    [String.raw`"\xg"`, "1: Expected hex digits for escape sequence."],
    [String.raw`"\u12g4"`, "1: Expected four hex digits for \\u escape sequence."],
    [String.raw`"\U0001F60"`, "1: Expected eight hex digits for \\U escape sequence."],
    [String.raw`"\U00110000"`, "1: Unicode escape \\U00110000 is beyond U+10FFFF."],
    [String.raw`"\ud800"`, "1: Unicode escape \\ud800 is a surrogate, not a code point."],
    [String.raw`"\U0000DFFF"`, "1: Unicode escape \\U0000DFFF is a surrogate, not a code point."],
  ])("%s fails", (src, message) => {
    expect(() => decode(src)).toThrow(message);
  });
});
