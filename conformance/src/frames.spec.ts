import { FrameDecoder, encodeFrame } from "./frames.js";

const bytes = (...b: number[]) => Uint8Array.from(b);
const frame = (...b: number[]) => encodeFrame(bytes(...b));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe("encodeFrame", () => {
  it("prefixes the payload with its little-endian length", () => {
    expect([...encodeFrame(bytes(7, 8, 9))]).toEqual([3, 0, 0, 0, 7, 8, 9]);
    expect([...encodeFrame(new Uint8Array(0x0102))].slice(0, 4)).toEqual([2, 1, 0, 0]);
  });
});

describe("FrameDecoder", () => {
  const cases: [string, Uint8Array[], number[][]][] = [
    ["one frame in one chunk", [frame(1, 2)], [[1, 2]]],
    ["an empty frame", [frame()], [[]]],
    ["two frames in one chunk", [concat(frame(1), frame(2, 3))], [[1], [2, 3]]],
    ["a frame split inside the length", [bytes(2, 0), bytes(0, 0, 5, 6)], [[5, 6]]],
    ["a frame split inside the payload", [bytes(3, 0, 0, 0, 1), bytes(2), bytes(3)], [[1, 2, 3]]],
    ["a frame and the start of the next", [concat(frame(1), bytes(1, 0)), bytes(0, 0, 9)], [[1], [9]]],
  ];
  it.each(cases)("%s", (_name, chunks, expected) => {
    const decoder = new FrameDecoder();
    const frames = chunks.flatMap((c) => decoder.push(c)).map((f) => [...f]);
    expect(frames).toEqual(expected);
    expect(decoder.pending).toBe(0);
  });

  it("keeps an incomplete frame pending", () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(bytes(5, 0, 0, 0, 1, 2))).toEqual([]);
    expect(decoder.pending).toBe(6);
  });
});
