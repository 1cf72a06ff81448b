import { FRAME_SLAB_SIZE, FRAME_SLICE_MAX, frameSliceWritten, spareFrameSlabs, takeFrameSlice } from "./frame-slabs.js";

/**
 * A slab filled from its start with slices of `size`, with their callbacks.
 * To start on a fresh slab it first takes slices, left unwritten, until one
 * lands in another slab.
 */
function fillSlab(size: number): { slices: Uint8Array[]; written: (() => void)[] } {
  let first = takeFrameSlice(size);
  let firstWritten = frameSliceWritten();
  for (;;) {
    const next = takeFrameSlice(size);
    const written = frameSliceWritten();
    const switched = next.buffer !== first.buffer;
    first = next;
    firstWritten = written;
    if (switched) break;
  }
  const slices = [first];
  const written = [firstWritten];
  const stride = (size + 7) & ~7;
  for (let used = stride; used + size <= FRAME_SLAB_SIZE; used += stride) {
    slices.push(takeFrameSlice(size));
    written.push(frameSliceWritten());
  }
  expect(new Set(slices.map((s) => s.buffer)).size).toBe(1);
  return { slices, written };
}

describe("frame slabs", () => {
  it("carves slices side by side, 8-byte aligned, without overlap", () => {
    const a = takeFrameSlice(13);
    const b = takeFrameSlice(100);
    expect(a.length).toBe(13);
    expect(b.length).toBe(100);
    expect(b.buffer).toBe(a.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + 16);
    a.fill(1);
    b.fill(2);
    expect(a.every((x) => x === 1)).toBe(true);
  });

  it("reuses a slab in place when every slice of it was written before it filled", () => {
    const { slices, written } = fillSlab(1000);
    for (const w of written) w();
    const next = takeFrameSlice(1000);
    expect(next.buffer).toBe(slices[0]!.buffer);
    expect(next.byteOffset).toBe(slices[0]!.byteOffset);
  });

  it("moves on to another slab while slices are being written, and reuses the full one once they all are", () => {
    const full = fillSlab(2000);
    const spares = spareFrameSlabs();
    const other = fillSlab(2000); // the first was still being written: a new slab
    expect(other.slices[0]!.buffer).not.toBe(full.slices[0]!.buffer);
    for (const w of full.written.slice(1)) w();
    expect(spareFrameSlabs()).toBe(spares); // one slice is still out
    full.written[0]!();
    expect(spareFrameSlabs()).toBe(spares + 1);
    // `other` is full with slices out: the next slice comes from the spare.
    const next = takeFrameSlice(2000);
    expect(next.buffer).toBe(full.slices[0]!.buffer);
    expect(spareFrameSlabs()).toBe(spares);
  });

  it("never reuses a slab with a slice whose write has not completed", () => {
    const stuck = fillSlab(3000);
    for (const w of stuck.written.slice(0, -1)) w();
    const buffers = new Set<ArrayBufferLike>();
    for (let round = 0; round < 4; round++) {
      const { slices, written } = fillSlab(3000);
      buffers.add(slices[0]!.buffer);
      for (const w of written) w();
    }
    expect(buffers.has(stuck.slices[0]!.buffer)).toBe(false);
  });

  it("hands out at most FRAME_SLICE_MAX bytes", () => {
    expect(takeFrameSlice(FRAME_SLICE_MAX).length).toBe(FRAME_SLICE_MAX);
    expect(() => takeFrameSlice(FRAME_SLICE_MAX + 1)).toThrow(RangeError);
  });
});
