import type { JsonValue } from "./json-value.js";
import { stringifyJson } from "./stringify.js";

describe("stringifyJson", () => {
  test.each<[JsonValue, string]>([
    [null, "null"],
    [true, "true"],
    [1.5, "1.5"],
    [-0, "-0"],
    [1e21, "1e+21"],
    ["a\"\n\u2028", JSON.stringify("a\"\n\u2028")],
    [[], "[]"],
    [{}, "{}"],
    [{ a: [1, { b: null }], c: "d" }, '{"a":[1,{"b":null}],"c":"d"}'],
  ])("%j → %s", (value, text) => {
    expect(stringifyJson(value)).toBe(text);
  });

  test("pretty-prints like JSON.stringify", () => {
    const v: JsonValue = { a: [1, { b: null, e: [] }], c: "d", f: {} };
    expect(stringifyJson(v, 2)).toBe(JSON.stringify(v, null, 2));
    expect(stringifyJson(v, 4)).toBe(JSON.stringify(v, null, 4));
  });
});
