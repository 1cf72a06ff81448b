import { encodeFrame, FrameDecoder, type FrameSink } from "./framing.js";
import { GrpcError } from "./grpc-error.js";
import { Status } from "./status.js";

class Collector implements FrameSink {
  frames: Array<{ compressed: boolean; payload: number[] }> = [];
  views: Uint8Array[] = [];
  onFrame(compressed: boolean, payload: Uint8Array): void {
    this.views.push(payload);
    this.frames.push({ compressed, payload: [...payload] });
  }
}

function decode(chunks: Uint8Array[], max = 1 << 20): Collector {
  const sink = new Collector();
  const decoder = new FrameDecoder(sink, max);
  for (const c of chunks) decoder.push(c);
  expect(decoder.partial).toBe(false);
  return sink;
}

test("encodeFrame writes flag and big-endian length", () => {
  expect([...encodeFrame(new Uint8Array([7, 8]), false)]).toEqual([0, 0, 0, 0, 2, 7, 8]);
  expect([...encodeFrame(new Uint8Array(0), true)]).toEqual([1, 0, 0, 0, 0]);
  const big = encodeFrame(new Uint8Array(0x010203), false);
  expect([...big.subarray(0, 5)]).toEqual([0, 0, 1, 2, 3]);
});

describe("FrameDecoder", () => {
  const a = encodeFrame(new Uint8Array([1, 2, 3]), false);
  const b = encodeFrame(new Uint8Array([]), false);
  const c = encodeFrame(new Uint8Array([9]), true);
  const all = Buffer.concat([a, b, c]);
  const expected = [
    { compressed: false, payload: [1, 2, 3] },
    { compressed: false, payload: [] },
    { compressed: true, payload: [9] },
  ];

  test("many messages in one chunk", () => {
    expect(decode([all]).frames).toEqual(expected);
  });

  test("every possible split into two chunks", () => {
    for (let i = 0; i <= all.length; i++) {
      expect(decode([all.subarray(0, i), all.subarray(i)]).frames).toEqual(expected);
    }
  });

  test("one byte per chunk", () => {
    expect(decode([...all].map((x) => Uint8Array.of(x))).frames).toEqual(expected);
  });

  test("a message whole inside a chunk is passed on as a view, not a copy", () => {
    const sink = decode([all]);
    expect(sink.views[0]!.buffer).toBe(all.buffer);
  });

  test("a large message split across many chunks is assembled in one buffer", () => {
    const payload = Buffer.alloc(100_000, 0xab);
    const frame = encodeFrame(payload, false);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < frame.length; i += 16_384) chunks.push(frame.subarray(i, i + 16_384));
    const sink = decode(chunks, 200_000);
    expect(sink.views).toHaveLength(1);
    expect(Buffer.from(sink.views[0]!).equals(payload)).toBe(true);
  });

  test("partial reports an incomplete message", () => {
    const decoder = new FrameDecoder(new Collector(), 100);
    decoder.push(a.subarray(0, 3));
    expect(decoder.partial).toBe(true);
    decoder.push(a.subarray(3, 6));
    expect(decoder.partial).toBe(true);
    decoder.push(a.subarray(6));
    expect(decoder.partial).toBe(false);
  });

  const errors: Array<[string, Uint8Array, number, Status]> = [
    ["length over the limit (checked before buffering)", Uint8Array.of(0, 0, 0, 0, 101), 100, Status.RESOURCE_EXHAUSTED],
    ["length 4 GiB - 1", Uint8Array.of(0, 0xff, 0xff, 0xff, 0xff), 4 << 20, Status.RESOURCE_EXHAUSTED],
    ["flag 2", Uint8Array.of(2, 0, 0, 0, 0), 100, Status.INTERNAL],
    ["flag 0x80", Uint8Array.of(0x80, 0, 0, 0, 0), 100, Status.INTERNAL],
  ];
  test.each(errors)("%s", (_name, bytes, max, status) => {
    const decoder = new FrameDecoder(new Collector(), max);
    let error: unknown;
    try {
      decoder.push(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GrpcError);
    expect((error as GrpcError).code).toBe(status);
  });

  test("decoding is linear: 10k small messages in 1-byte-unaligned chunks", () => {
    const frames = Buffer.concat(Array.from({ length: 10_000 }, (_, i) => encodeFrame(Uint8Array.of(i & 255, 1, 2), false)));
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < frames.length; i += 997) chunks.push(frames.subarray(i, i + 997));
    expect(decode(chunks).frames).toHaveLength(10_000);
  });
});
