import { JsonError } from "./json-error.js";
import { parseJsonText, RawNumber } from "./parse-text.js";

describe("parseJsonText", () => {
  test.each([
    ["null"],
    ["true"],
    ["false"],
    ["0"],
    ["-0"],
    ["12.5e-3"],
    ['"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"'],
    ['"\\u8C37\\u6b4c"'],
    ['"\\uD83D\\uDE01"'],
    ['"😁 谷歌"'],
    ['"Hello\\u0000world!"'],
    ["[]"],
    ["{}"],
    [' { "a" : [ 1 , { "b" : null } ] , "c" : "d" } '],
    ['\n{\n"a"\n:\n1\n,\n"b"\n:\n2\n}\n'],
    ['{"__proto__": 1}'],
  ])("%s parses like JSON.parse", (text) => {
    expect(parseJsonText(text)).toEqual(JSON.parse(text));
  });

  test("__proto__ is an own property, as with JSON.parse", () => {
    const v = parseJsonText('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  test.each([
    ["9223372036854775807", "9223372036854775807"],
    ["-9223372036854775808", "-9223372036854775808"],
    ["18446744073709551615", "18446744073709551615"],
    ["9007199254740992", "9007199254740992"],
    ["1e300", "1e300"],
    ["1e400", "1e400"],
  ])("keeps the text of the large number %s", (text, kept) => {
    const v = parseJsonText(`[${text}]`) as unknown[];
    expect(v[0]).toBeInstanceOf(RawNumber);
    expect((v[0] as RawNumber).text).toBe(kept);
    expect((v[0] as RawNumber).value).toBe(Number(text));
  });

  test("numbers below 2^53 are plain numbers", () => {
    expect(parseJsonText("9007199254740991")).toBe(9007199254740991);
    expect(parseJsonText("-1.5")).toBe(-1.5);
  });

  test.each([
    ["", /unexpected end/],
    ["{", /expected a quoted key/],
    ['{"a":1,}', /expected a quoted key/],
    ['{"a":1 ,}', /expected a quoted key/],
    ["[1,]", /unexpected/],
    ["[1 2]", /expected ',' or ']'/],
    ['{"a": 1 "b": 2}', /expected ',' or '}'/],
    ["{a: 1}", /expected a quoted key/],
    ["{'a': 1}", /expected a quoted key/],
    ['{"a": \'b\'}', /unexpected character "'"/],
    ['{"a": 1, "a": 2}', /duplicate key "a"/],
    ['{"a": {"b": 1, "b": 1}}', /duplicate key "b"/],
    ['{"fieldn\\u0061me1": 1, "fieldname1": 2}', /duplicate key "fieldname1"/],
    ["// comment\n{}", /unexpected character "\/"/],
    ["True", /unexpected character "T"/],
    ["nul", /unexpected character "n"/],
    ["NaN", /unexpected character "N"/],
    ["Infinity", /unexpected character "I"/],
    ["-Infinity", /invalid number/],
    ["+1", /unexpected character "\+"/],
    ["01", /invalid number/],
    ["-01", /invalid number/],
    ["1.", /invalid number/],
    [".5", /unexpected character "."/],
    ["1e", /invalid number/],
    ["0x10", /unexpected text after/],
    ['"abc', /unterminated string/],
    ['"abc\\', /unterminated string/],
    ['"\\x"', /invalid escape/],
    ['"\\U8C37"', /invalid escape/],
    ['"\\uXXXX"', /invalid \\u escape/],
    ['"\\u8C3"', /invalid \\u escape/],
    ['"\\uD800"', /unpaired surrogate/],
    ['"\\uDC00"', /unpaired surrogate/],
    ['"\\uDE01\\uD83D"', /unpaired surrogate/],
    ['"\\uD83Dx"', /unpaired surrogate/],
    ['"\ud800"', /unpaired surrogate/],
    ['"a\nb"', /control character/],
    ["{} {}", /unexpected text after/],
    ["[".repeat(1001) + "]".repeat(1001), /nesting too deep/],
  ])("rejects %j", (text, reason) => {
    let error: unknown;
    try {
      parseJsonText(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonError);
    expect((error as JsonError).message).toMatch(/^invalid JSON: /);
    expect((error as JsonError).message).toMatch(reason);
  });

  test("nesting up to the limit parses", () => {
    expect(parseJsonText("[".repeat(1000) + "]".repeat(1000))).toBeInstanceOf(Array);
  });
});
