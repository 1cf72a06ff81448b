import { base64Decode, base64Encode } from "./base64.js";

const bytes = (...b: number[]) => new Uint8Array(b);

describe("base64Encode", () => {
  test.each([
    [bytes(), ""],
    [bytes(0), "AA=="],
    [bytes(1, 2), "AQI="],
    [bytes(0, 1, 2), "AAEC"],
    [bytes(0xfb, 0xff), "+/8="],
    [new TextEncoder().encode("Hello world!"), "SGVsbG8gd29ybGQh"],
  ])("%p → %p", (input, want) => {
    expect(base64Encode(input)).toBe(want);
    expect(base64Encode(input)).toBe(Buffer.from(input).toString("base64"));
  });

  test("agrees with Buffer for every length up to 64", () => {
    for (let n = 0; n <= 64; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
      expect(base64Encode(b)).toBe(Buffer.from(b).toString("base64"));
    }
  });
});

describe("base64Decode", () => {
  test.each([
    ["", bytes()],
    ["AQI=", bytes(1, 2)],
    ["AQI", bytes(1, 2)],
    ["AAEC", bytes(0, 1, 2)],
    ["AA==", bytes(0)],
    ["AA", bytes(0)],
    ["+/8=", bytes(0xfb, 0xff)],
    ["-_8", bytes(0xfb, 0xff)],
    ["-_", bytes(0xfb)],
  ])("%p → %p", (input, want) => {
    expect(base64Decode(input)).toEqual(want);
  });

  test.each([["A"], ["A==="], ["AQI=="], ["AQ=I"], ["A Q I"], ["AQ\u00e9"], ["*"], ["AAAAA"], ["=="]])("rejects %p", (input) => {
    expect(base64Decode(input)).toBeUndefined();
  });
});
