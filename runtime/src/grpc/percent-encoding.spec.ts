import { decodeGrpcMessage, encodeGrpcMessage } from "./percent-encoding.js";

describe("encodeGrpcMessage", () => {
  const table: Array<[string, string]> = [
    ["", ""],
    ["plain ASCII text, with ~!@#$^&*()", "plain ASCII text, with ~!@#$^&*()"],
    ["100%", "100%25"],
    ["a\nb\tc\r", "a%0Ab%09c%0D"],
    ["\x7f", "%7F"],
    ["\x1f", "%1F"],
    ["über", "%C3%BCber"],
    ["日本", "%E6%97%A5%E6%9C%AC"],
    ["🙂", "%F0%9F%99%82"],
    ["%25", "%2525"],
  ];
  test.each(table)("%p -> %p", (message, header) => {
    expect(encodeGrpcMessage(message)).toBe(header);
  });
  test.each(table)("round trip of %p", (message) => {
    expect(decodeGrpcMessage(encodeGrpcMessage(message))).toBe(message);
  });
});

describe("decodeGrpcMessage", () => {
  const table: Array<[string, string]> = [
    ["no escapes", "no escapes"],
    ["%41%42", "AB"],
    ["lower %c3%bc", "lower ü"],
    // Broken escapes are kept literally, never thrown on.
    ["%", "%"],
    ["50%", "50%"],
    ["%4", "%4"],
    ["%zz", "%zz"],
    ["%G1ok", "%G1ok"],
    ["%%41", "%A"],
    // Invalid UTF-8 becomes U+FFFD.
    ["%FF", "\ufffd"],
    ["%C3", "\ufffd"],
    ["%C3%28", "\ufffd("],
    // node:http2 hands raw non-ASCII header bytes over as latin1 characters.
    ["\u00c3\u00bc%21", "ü!"],
  ];
  test.each(table)("%p -> %p", (header, message) => {
    expect(decodeGrpcMessage(header)).toBe(message);
  });
});
