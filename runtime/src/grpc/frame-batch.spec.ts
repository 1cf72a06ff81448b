import type { Codec } from "./codec.js";
import { BATCH_BLOCK_SIZE, FIRST_BLOCK_SIZE, FrameBatch } from "./frame-batch.js";
import { FrameDecoder } from "./framing.js";
import { GrpcError } from "./grpc-error.js";
import { keptLargeBlockBytes } from "./large-blocks.js";
import { Status } from "./status.js";

// A codec whose messages are their own bytes.
const Raw: Codec<Uint8Array> = {
  typeName: "test.Raw",
  create: () => new Uint8Array(0),
  encode: (m) => m as Uint8Array,
  decode: (b) => b,
  encodeInto(m, target, offset) {
    const bytes = m as Uint8Array;
    if (bytes.length > target.length - offset) return -1 - bytes.length;
    target.set(bytes, offset);
    return bytes.length;
  },
};

const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

/** The messages in a sequence of chunks, by decoding their frames. */
function framesIn(chunks: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const decoder = new FrameDecoder({ onFrame: (compressed, payload) => out.push(compressed ? new Uint8Array(0) : payload.slice()) }, 1 << 30);
  for (const c of chunks) decoder.push(c);
  expect(decoder.partial).toBe(false);
  return out;
}

describe("FrameBatch", () => {
  it("frames messages back to back and hands them over in one chunk", () => {
    const emitted: Uint8Array[] = [];
    const batch = new FrameBatch((f) => emitted.push(f));
    expect(batch.take()).toBeUndefined();
    for (const n of [0, 1, 300]) expect(batch.add(Raw, bytes(n, n & 0xff), 1 << 20)).toBe(true);
    expect(batch.size).toBe(5 + 0 + 5 + 1 + 5 + 300);
    const chunk = batch.take()!;
    expect(emitted).toEqual([]);
    expect(chunk.length).toBe(5 + 0 + 5 + 1 + 5 + 300);
    expect(batch.size).toBe(0);
    expect(framesIn([chunk]).map((m) => m.length)).toEqual([0, 1, 300]);
    expect(batch.take()).toBeUndefined();
  });

  it("writes what it holds at the end of the tick, once", async () => {
    const emitted: Uint8Array[] = [];
    const batch = new FrameBatch((f) => emitted.push(f));
    batch.add(Raw, bytes(3, 1), 1 << 20);
    batch.add(Raw, bytes(4, 2), 1 << 20);
    expect(emitted).toEqual([]);
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(emitted).toHaveLength(1);
    expect(framesIn(emitted).map((m) => m.length)).toEqual([3, 4]);
    expect(batch.size).toBe(0);
  });

  it("a chunk taken is not changed by later frames", () => {
    const batch = new FrameBatch(() => {});
    batch.add(Raw, bytes(10, 1), 1 << 20);
    const first = batch.take()!.slice();
    const view = framesIn([first]);
    batch.add(Raw, bytes(10, 2), 1 << 20);
    expect(framesIn([first])).toEqual(view);
  });

  it("emits the full block before starting a fresh one, keeping order", () => {
    const emitted: Uint8Array[] = [];
    const batch = new FrameBatch((f) => emitted.push(f));
    const size = 10_000;
    const count = Math.ceil((3 * BATCH_BLOCK_SIZE) / size);
    for (let i = 0; i < count; i++) expect(batch.add(Raw, bytes(size, i), 1 << 20)).toBe(true);
    expect(emitted.length).toBeGreaterThanOrEqual(2);
    const all = framesIn([...emitted, batch.take()!]);
    expect(all.map((m) => m[0])).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it("fits a stream's first frame exactly, in memory shared with other streams", () => {
    const firsts = [1, 2, 3].map((n) => {
      const batch = new FrameBatch(() => {});
      batch.add(Raw, bytes(10 * n, n), 1 << 20);
      return batch;
    });
    const taken = firsts.map((b) => b.take()!);
    expect(taken.map((f) => f.length)).toEqual([15, 25, 35]);
    expect(new Set(taken.map((f) => f.buffer)).size).toBe(1);
    expect(framesIn(taken).map((m) => [m.length, m[0]])).toEqual([
      [10, 1],
      [20, 2],
      [30, 3],
    ]);
    // The next frame of a stream does not overwrite its first.
    firsts[0]!.add(Raw, bytes(10, 9), 1 << 20);
    expect(framesIn([taken[0]!, firsts[0]!.take()!]).map((m) => [m.length, m[0]])).toEqual([
      [10, 1],
      [10, 9],
    ]);
  });

  it("lets a slice go once it is taken, so that an open stream holds nothing between single frames", () => {
    const emitted: Uint8Array[] = [];
    const batch = new FrameBatch((f) => emitted.push(f));
    batch.add(Raw, bytes(1000, 1), 1 << 20);
    expect(batch.heldBytes).toBe(1005);
    batch.flush();
    expect(batch.heldBytes).toBe(0);
    batch.add(Raw, bytes(10, 2), 1 << 20);
    expect(batch.heldBytes).toBe(15);
    batch.flush();
    expect(batch.heldBytes).toBe(0);
    expect(framesIn(emitted).map((m) => [m.length, m[0]])).toEqual([
      [1000, 1],
      [10, 2],
    ]);
  });

  it("writes single frames from slices that it asks back once written, and blocks of its own without", () => {
    const emitted: { frames: Uint8Array; written?: () => void }[] = [];
    const batch = new FrameBatch((frames, written) => emitted.push({ frames, written }));
    batch.add(Raw, bytes(100, 1), 1 << 20);
    batch.flush();
    batch.add(Raw, bytes(100, 2), 1 << 20);
    batch.flush();
    expect(emitted.map((e) => e.written === undefined)).toEqual([false, false]);
    for (const e of emitted) e.written!();
    // A second frame before the flush moves both into a block of its own: that one is not asked back.
    const moved: { frames: Uint8Array; written?: () => void }[] = [];
    const fast = new FrameBatch((frames, written) => moved.push({ frames, written }));
    fast.add(Raw, bytes(100, 3), 1 << 20);
    fast.add(Raw, bytes(100, 4), 1 << 20);
    fast.flush();
    expect(moved).toHaveLength(1);
    expect(moved[0]!.written).toBeUndefined();
    expect(framesIn(moved.map((m) => m.frames)).map((m) => m[0])).toEqual([3, 4]);
  });

  it("keeps the frames of a stream's first tick together when they outgrow its first frame's fit", () => {
    const emitted: Uint8Array[] = [];
    const batch = new FrameBatch((f) => emitted.push(f));
    for (let i = 0; i < 3; i++) batch.add(Raw, bytes(100, i), 1 << 20);
    expect(emitted).toEqual([]);
    const chunk = batch.take()!;
    expect(framesIn([chunk]).map((m) => [m.length, m[0]])).toEqual([
      [100, 0],
      [100, 1],
      [100, 2],
    ]);
    expect(chunk.buffer.byteLength).toBe(FIRST_BLOCK_SIZE);
  });

  it("grows its blocks as they fill while a tick sends many frames", () => {
    const emitted: Uint8Array[] = [];
    const batch = new FrameBatch((f) => emitted.push(f));
    batch.add(Raw, bytes(10, 1), 1 << 20);
    batch.add(Raw, bytes(10, 2), 1 << 20);
    expect(batch.heldBytes).toBe(FIRST_BLOCK_SIZE);
    for (let i = 0; i < 200; i++) batch.add(Raw, bytes(1000, i & 0xff), 1 << 20);
    batch.flush();
    expect(Math.max(...emitted.map((f) => f.buffer.byteLength))).toBe(BATCH_BLOCK_SIZE);
    expect(framesIn(emitted)).toHaveLength(202);
    // A message bigger than the current block gets a block that holds it.
    const out: Uint8Array[] = [];
    const fresh = new FrameBatch((f) => out.push(f));
    fresh.add(Raw, bytes(10, 1), 1 << 20);
    expect(fresh.add(Raw, bytes(FIRST_BLOCK_SIZE * 3, 7), 1 << 20)).toBe(true);
    expect(framesIn([...out, fresh.take()!]).map((m) => m.length)).toEqual([10, FIRST_BLOCK_SIZE * 3]);
  });

  it("lets its block go after a tick that sent a single frame, and starts over small", async () => {
    const emitted: { frames: Uint8Array; written?: () => void }[] = [];
    const batch = new FrameBatch((frames, written) => emitted.push({ frames, written }));
    const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));
    // A busy tick: its frames go out from a block of its own, which grows and is kept.
    for (let i = 0; i < 20; i++) batch.add(Raw, bytes(1000, i), 1 << 20);
    await tick();
    expect(batch.heldBytes).toBeGreaterThan(FIRST_BLOCK_SIZE);
    // A quiet tick: one frame, into the kept block; then the block goes.
    batch.add(Raw, bytes(1000, 20), 1 << 20);
    await tick();
    expect(batch.heldBytes).toBe(0);
    // Quiet ticks from then on hold nothing and write from slices.
    for (let i = 21; i < 30; i++) {
      batch.add(Raw, bytes(1000, i), 1 << 20);
      await tick();
      expect(batch.heldBytes).toBe(0);
      expect(emitted[emitted.length - 1]!.written).toBeInstanceOf(Function);
    }
    // The next busy tick starts again with a small block.
    batch.add(Raw, bytes(10, 30), 1 << 20);
    batch.add(Raw, bytes(10, 31), 1 << 20);
    expect(batch.heldBytes).toBe(FIRST_BLOCK_SIZE);
    await tick();
    expect(framesIn(emitted.map((e) => e.frames)).map((m) => m[0])).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });

  it("frames empty messages up to the last byte of a block and on into the next", () => {
    // 5-byte frames do not divide a block: the last one that would start past
    // its end (no room even for the prefix) must go to the next block.
    const emitted: Uint8Array[] = [];
    const batch = new FrameBatch((f) => emitted.push(f));
    const count = Math.ceil((2 * BATCH_BLOCK_SIZE) / 5) + 7;
    for (let i = 0; i < count; i++) expect(batch.add(Raw, bytes(0, 0), 1 << 20)).toBe(true);
    expect(emitted.length).toBeGreaterThanOrEqual(2);
    expect(framesIn([...emitted, batch.take()!])).toHaveLength(count);
  });

  it("declines codecs that cannot encode in place", () => {
    const batch = new FrameBatch(() => {});
    const { encodeInto: _, ...plain } = Raw;
    expect(batch.add(plain as Codec<Uint8Array>, bytes(1, 1), 1 << 20)).toBe(false);
    expect(batch.size).toBe(0);
  });

  it("sends a message too big for a block at once, after what is batched, from a block it takes back once written", () => {
    const emitted: { frames: Uint8Array; written?: () => void }[] = [];
    const batch = new FrameBatch((frames, written) => emitted.push({ frames, written }));
    expect(batch.add(Raw, bytes(10, 1), 1 << 20)).toBe(true);
    expect(batch.add(Raw, bytes(BATCH_BLOCK_SIZE, 2), 1 << 20)).toBe(true);
    expect(batch.size).toBe(0);
    expect(emitted).toHaveLength(2);
    expect(emitted[0]!.written).toBeInstanceOf(Function); // the first frame's slice comes back once written
    expect(framesIn(emitted.map((e) => e.frames)).map((m) => [m.length, m[0]])).toEqual([
      [10, 1],
      [BATCH_BLOCK_SIZE, 2],
    ]);
    const kept = keptLargeBlockBytes();
    emitted[1]!.written!();
    expect(keptLargeBlockBytes()).toBeGreaterThan(kept);
    // The next big frame reuses that block.
    const block = emitted[1]!.frames.buffer;
    expect(batch.add(Raw, bytes(BATCH_BLOCK_SIZE + 100, 3), 1 << 20)).toBe(true);
    expect(emitted[2]!.frames.buffer).toBe(block);
    expect(keptLargeBlockBytes()).toBe(kept);
    expect(framesIn([emitted[2]!.frames]).map((m) => [m.length, m[0], m[m.length - 1]])).toEqual([[BATCH_BLOCK_SIZE + 100, 3, 3]]);
    emitted[2]!.written!();
  });

  it("checks a big message against the send limit and the encoder before it takes a block", () => {
    const batch = new FrameBatch(() => {
      throw new Error("nothing may be emitted");
    });
    const kept = keptLargeBlockBytes();
    expect(() => batch.add(Raw, bytes(BATCH_BLOCK_SIZE + 1, 1), BATCH_BLOCK_SIZE)).toThrow(expect.objectContaining({ code: Status.RESOURCE_EXHAUSTED }) as Error);
    let calls = 0;
    const failsSecondTime: Codec<Uint8Array> = {
      ...Raw,
      encodeInto: (m, target, offset) => (++calls === 1 ? Raw.encodeInto!(m, target, offset) : (() => { throw new Error("boom"); })()),
    };
    expect(() => batch.add(failsSecondTime, bytes(BATCH_BLOCK_SIZE + 1, 1), 1 << 20)).toThrow(expect.objectContaining({ code: Status.INTERNAL }) as Error);
    expect(keptLargeBlockBytes()).toBeGreaterThanOrEqual(kept);
  });

  it("rejects a message over the send limit without framing it", () => {
    const batch = new FrameBatch(() => {});
    batch.add(Raw, bytes(3, 1), 100);
    const error = (() => {
      try {
        batch.add(Raw, bytes(101, 2), 100);
      } catch (e) {
        return e;
      }
      return undefined;
    })() as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.code).toBe(Status.RESOURCE_EXHAUSTED);
    expect(framesIn([batch.take()!]).map((m) => m.length)).toEqual([3]);
  });

  it("turns an encoder failure into INTERNAL, keeping the frames before it", () => {
    const batch = new FrameBatch(() => {});
    batch.add(Raw, bytes(2, 1), 1 << 20);
    const failing: Codec<Uint8Array> = { ...Raw, encodeInto: () => { throw new Error("boom"); } };
    expect(() => batch.add(failing, bytes(1, 1), 1 << 20)).toThrow(expect.objectContaining({ code: Status.INTERNAL }) as Error);
    expect(framesIn([batch.take()!]).map((m) => m.length)).toEqual([2]);
  });
});
