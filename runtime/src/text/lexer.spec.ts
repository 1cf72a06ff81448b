import { Lexer, type TokenKind } from "./lexer.js";
import { TextFormatError } from "./text-error.js";

function tokens(src: string): [TokenKind, string][] {
  const lx = new Lexer(src);
  const out: [TokenKind, string][] = [];
  while (lx.tok.kind !== "end") {
    out.push([lx.tok.kind, lx.tok.text]);
    lx.next();
  }
  return out;
}

describe("Lexer", () => {
  it.each<[string, [TokenKind, string][]]>([
    ["", []],
    ["  # comment only\n\t\r\v\f", []],
    ["foo_1 _Bar", [["identifier", "foo_1"], ["identifier", "_Bar"]]],
    ["a:1", [["identifier", "a"], ["symbol", ":"], ["integer", "1"]]],
    ["0 0x1F 0X1f 017 123", [["integer", "0"], ["integer", "0x1F"], ["integer", "0X1f"], ["integer", "017"], ["integer", "123"]]],
    ["1.5 .5 1. 1e5 1E-5 1e+5 2f 1.5F 0f 0.5", [
      ["float", "1.5"], ["float", ".5"], ["float", "1."], ["float", "1e5"], ["float", "1E-5"], ["float", "1e+5"],
      ["float", "2f"], ["float", "1.5F"], ["float", "0f"], ["float", "0.5"],
    ]],
    ["-5 - 5", [["symbol", "-"], ["integer", "5"], ["symbol", "-"], ["integer", "5"]]],
    ["{}<>[],;", [["symbol", "{"], ["symbol", "}"], ["symbol", "<"], ["symbol", ">"], ["symbol", "["], ["symbol", "]"], ["symbol", ","], ["symbol", ";"]]],
    [`'a' "b"`, [["string", "'a'"], ["string", '"b"']]],
    ["a # c\n b", [["identifier", "a"], ["identifier", "b"]]],
    ["a.b", [["identifier", "a"], ["symbol", "."], ["identifier", "b"]]],
  ])("%j", (src, expected) => {
    expect(tokens(src)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ["123abc", "1:4", "Need space between number and identifier."],
    ["0x", "1:3", '"0x" must be followed by hex digits.'],
    ["019", "1:3", "Numbers starting with leading zero must be in octal."],
    ["1e", "1:3", '"e" must be followed by exponent.'],
    ["1.2.3", "1:4", "Already saw decimal point or exponent; can't have another one."],
    ["0x1.5", "1:4", "Hex and octal numbers must be integers."],
    ["foo.5", "1:4", "Need space between identifier and decimal point."],
    ["a\n\x00", "2:1", "Invalid control characters encountered in text."],
    ["ü", "1:1", "Interpreting non ascii codepoint 252."],
    ["'abc", "1:1", "Unexpected end of string."],
  ])("%j fails at %s", (src, place, reason) => {
    expect(() => tokens(src)).toThrow(new TextFormatError(Number(place.split(":")[0]), Number(place.split(":")[1]), reason));
  });

  it.each<[string, string]>([
    ["[pkg.ext]", "pkg.ext"],
    ["[ type.googleapis.com/pkg.Msg ]", "type.googleapis.com/pkg.Msg"],
    ["[a. # comment\n b]", "a.b"],
    ["[x-~!$&()*+,;=%20/y.Z]", "x-~!$&()*+,;=%20/y.Z"],
  ])("bracket name %j", (src, name) => {
    const lx = new Lexer(`${src} next`);
    expect(lx.bracketName()).toBe(name);
    expect(lx.tok.text).toBe("next");
  });

  it("rejects a bracket name that does not end in ]", () => {
    expect(() => new Lexer("[a.b : 1").bracketName()).toThrow('Expected "]", found ":".');
  });

  it("places offsets by line and column", () => {
    const lx = new Lexer("a\nbc\n\nd");
    expect(lx.place(0)).toEqual({ line: 1, column: 1 });
    expect(lx.place(3)).toEqual({ line: 2, column: 2 });
    expect(lx.place(6)).toEqual({ line: 4, column: 1 });
  });
});
