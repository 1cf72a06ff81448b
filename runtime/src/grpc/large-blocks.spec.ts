import { keptLargeBlockBytes, releaseLargeBlock, takeLargeBlock } from "./large-blocks.js";

const KiB = 1024;
const MiB = 1024 * KiB;

describe("large blocks", () => {
  it("rounds sizes up to 16 KiB and hands a released block out again", () => {
    const a = takeLargeBlock(64 * KiB + 5);
    expect(a.length).toBe(80 * KiB);
    const before = keptLargeBlockBytes();
    releaseLargeBlock(a);
    expect(keptLargeBlockBytes()).toBe(before + 80 * KiB);
    expect(takeLargeBlock(70 * KiB)).toBe(a);
    expect(keptLargeBlockBytes()).toBe(before);
  });

  it("keeps at most four free blocks of a size", () => {
    const blocks = Array.from({ length: 6 }, () => takeLargeBlock(96 * KiB));
    const before = keptLargeBlockBytes();
    for (const b of blocks) releaseLargeBlock(b);
    expect(keptLargeBlockBytes() - before).toBe(4 * 96 * KiB);
    for (let i = 0; i < 4; i++) expect(blocks).toContain(takeLargeBlock(96 * KiB));
    expect(keptLargeBlockBytes()).toBe(before);
  });

  it("keeps no block over 4 MiB and none it did not size, and at most 16 MiB in all", () => {
    const before = keptLargeBlockBytes();
    const huge = takeLargeBlock(5 * MiB);
    expect(huge.length).toBe(5 * MiB);
    releaseLargeBlock(huge);
    releaseLargeBlock(new Uint8Array(100 * KiB + 1));
    expect(keptLargeBlockBytes()).toBe(before);
    const big = Array.from({ length: 8 }, (_, i) => takeLargeBlock(4 * MiB - i * 16 * KiB));
    for (const b of big) releaseLargeBlock(b);
    expect(keptLargeBlockBytes()).toBeLessThanOrEqual(16 * MiB);
    expect(keptLargeBlockBytes()).toBeGreaterThan(before);
  });
});
