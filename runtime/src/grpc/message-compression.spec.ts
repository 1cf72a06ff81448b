import type { Codec } from "./codec.js";
import { packMessage, unpackMessage } from "./envelope.js";
import { sendUncompressed, wasCompressed } from "./message-compression.js";

interface Box {
  bytes: Uint8Array;
}

const BoxCodec: Codec<Box> = {
  typeName: "test.Box",
  create: (init) => ({ bytes: init?.bytes ?? new Uint8Array(0) }),
  encode: (m) => m.bytes ?? new Uint8Array(0),
  decode: (b) => ({ bytes: b.slice() }),
};

const zeros = { bytes: new Uint8Array(64) };

test("a marked message is sent uncompressed on a compressed call; others are compressed", () => {
  expect(packMessage(BoxCodec, zeros, "gzip", 1000)[0]).toBe(1);
  const marked = sendUncompressed({ bytes: new Uint8Array(64) });
  const frame = packMessage(BoxCodec, marked, "gzip", 1000);
  expect(frame[0]).toBe(0);
  expect(frame.length).toBe(5 + 64);
  expect(packMessage(BoxCodec, marked, "identity", 1000)[0]).toBe(0);
});

test.each([
  ["gzip", true],
  ["identity", false],
] as const)("wasCompressed reports the flag of a received %s message", (encoding, expected) => {
  const frame = packMessage(BoxCodec, zeros, encoding, 1000);
  const message = unpackMessage(BoxCodec, frame[0] === 1, frame.subarray(5), encoding, 1000);
  expect(wasCompressed(message)).toBe(expected);
  expect(message.bytes).toEqual(zeros.bytes);
});
