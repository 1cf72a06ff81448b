import { TextWriter } from "./text-writer.js";
import { printUnknownFields, splitUnknownFields, UNKNOWN_RECURSION_BUDGET } from "./unknown-fields.js";

const print = (bytes: number[]): string | undefined => {
  const fields = splitUnknownFields(Uint8Array.from(bytes));
  if (fields === undefined) return undefined;
  const out = new TextWriter();
  printUnknownFields(fields, out, UNKNOWN_RECURSION_BUDGET);
  return out.toString();
};

describe("unknown fields", () => {
  it.each<[string, number[], string]>([
    ["a varint as uint64", [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], "1: 18446744073709551615\n"],
    ["a fixed32 as 8 hex digits", [0x15, 0x01, 0x00, 0x00, 0x00], "2: 0x00000001\n"],
    ["a fixed64 as 16 hex digits", [0x19, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01], "3: 0x0123456789abcdef\n"],
    ["bytes that are no fields as a string", [0x22, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f], '4: "hello"\n'],
    ["an empty value as a string", [0x22, 0x00], '4: ""\n'],
    ["bytes that parse as fields as a message", [0x2a, 0x02, 0x08, 0x6f], "5 {\n  1: 111\n}\n"],
    ["a group", [0x33, 0x08, 0x01, 0x34], "6 {\n  1: 1\n}\n"],
    ["a group inside a message", [0x2a, 0x04, 0x0b, 0x10, 0x02, 0x0c], "5 {\n  1 {\n    2: 2\n  }\n}\n"],
    ["bytes with a stray end group as a string", [0x2a, 0x03, 0x08, 0x01, 0x0c], String.raw`5: "\010\001\014"` + "\n"],
  ])("%s", (_, bytes, text) => {
    expect(print(bytes)).toBe(text);
  });

  it.each<[string, number[]]>([
    ["a truncated varint", [0x08, 0x80]],
    ["field number 0", [0x00, 0x01]],
    ["wire type 7", [0x0f]],
    ["an unterminated group", [0x0b, 0x08, 0x01]],
    ["a mismatched end group", [0x0b, 0x14]],
    ["a length past the end", [0x0a, 0x05, 0x01]],
  ])("rejects %s", (_, bytes) => {
    expect(splitUnknownFields(Uint8Array.from(bytes))).toBeUndefined();
  });

  it("stops reading nested messages when the recursion budget is spent", () => {
    // Eleven levels of length-delimited nesting: the innermost prints as a string.
    let bytes = [0x08, 0x01];
    for (let i = 0; i < 11; i++) bytes = [0x0a, bytes.length, ...bytes];
    const text = print(bytes)!;
    expect(text.split("\n").filter((l) => l.trimEnd().endsWith("{"))).toHaveLength(10);
    expect(text).toContain(String.raw`1: "\010\001"`);
  });
});
