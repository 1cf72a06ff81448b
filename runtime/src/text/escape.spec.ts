import { quoteBytes } from "./escape.js";

describe("quoteBytes", () => {
  it.each<[number[], string]>([
    [[], '""'],
    [[0x61, 0x20, 0x7e], '"a ~"'],
    [[0x0a, 0x0d, 0x09], String.raw`"\n\r\t"`],
    [[0x22, 0x27, 0x5c], String.raw`"\"\'\\"`],
    [[0x00, 0x07, 0x0b, 0x0c, 0x1f, 0x7f], String.raw`"\000\007\013\014\037\177"`],
    [[0x80, 0xc3, 0xa9, 0xff], String.raw`"\200\303\251\377"`],
    [[0x3f], '"?"'],
  ])("%p", (bytes, text) => {
    expect(quoteBytes(Uint8Array.from(bytes))).toBe(text);
  });
});
