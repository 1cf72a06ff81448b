// Writes the protobuf binary format into a buffer allocated once, at the exact
// size the generated `size` function computed. Nothing here checks bounds on
// the hot path: a byte written past the end is dropped by the typed array (a
// block copy throws RangeError), and `finish` reports any disagreement
// between the computed size and what was written.
import { allocPooled } from "./alloc.js";
import { sizeVarint32 } from "./size.js";
import { writeUtf8 } from "./utf8.js";
import {
  splitInt64,
  splitUint64,
  words,
  writeVarint32,
  writeVarint64,
  zigzag32,
  zigzagWords,
} from "./varint.js";

const noSizes: number[] = [];
const noSaved: unknown[] = [];

/** Floats a writer converts through the shared scratch before it makes a DataView of its buffer. */
const SCRATCH_FLOATS = 16;
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

export class BinaryWriter {
  buf: Uint8Array;
  pos = 0;
  private readonly sizes: number[];
  private index = 0;
  private readonly saved: unknown[];
  private savedIndex = 0;
  // As in BinaryReader: the first floats go through a shared scratch, later
  // ones through a DataView of the buffer, made once it pays for itself.
  private view: DataView | undefined = undefined;
  private scratchFloats = 0;
  /** Where the computed size ends. */
  private readonly end: number;

  /**
   * @param size exact encoded size of everything that will be written
   * @param sizes lengths of nested length-delimited messages, in the pre-order
   *   in which `write` reaches them
   * @param saved what the size pass kept for the write pass (each map's keys
   *   and values), in the same order
   * @param headroom bytes left free before the message, for a header the
   *   caller fills in (the 5-byte gRPC frame prefix), saving a copy; with
   *   `target`, the offset in it to write at
   * @param nodeBuffer write into a Node Buffer where there is one (bytes
   *   bound for a socket)
   * @param target write into this buffer, which has room for `size` bytes
   *   at `headroom`, instead of a new one
   */
  constructor(size: number, sizes?: number[], saved?: unknown[], headroom = 0, nodeBuffer = false, target?: Uint8Array) {
    this.buf = target ?? allocPooled(headroom + size, nodeBuffer);
    this.pos = headroom;
    this.end = headroom + size;
    this.sizes = sizes ?? noSizes;
    this.saved = saved ?? noSaved;
  }

  /** The next precomputed nested-message length. */
  nextSize(): number {
    const i = this.index++;
    if (i >= this.sizes.length) throw new Error("BinaryWriter: no precomputed size left (size/write mismatch)");
    return this.sizes[i];
  }

  /**
   * The next thing the size pass saved. The generated code that saved it
   * knows its type; nothing checks it here.
   */
  nextSaved<T>(): T {
    const i = this.savedIndex++;
    if (i >= this.saved.length) throw new Error("BinaryWriter: nothing saved left (size/write mismatch)");
    return this.saved[i] as T;
  }

  /** One byte, e.g. a one-byte tag the generator precomputed. */
  raw1(byte: number): void {
    this.buf[this.pos++] = byte;
  }

  tag(fieldNo: number, wireType: number): void {
    this.pos = writeVarint32(this.buf, this.pos, (fieldNo << 3) | wireType);
  }

  uint32(v: number): void {
    this.pos = writeVarint32(this.buf, this.pos, v);
  }

  int32(v: number): void {
    this.pos =
      v < 0 ? writeVarint64(this.buf, this.pos, v >>> 0, 0xffffffff) : writeVarint32(this.buf, this.pos, v);
  }

  sint32(v: number): void {
    this.pos = writeVarint32(this.buf, this.pos, zigzag32(v));
  }

  fixed32(v: number): void {
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = v;
    buf[pos + 1] = v >>> 8;
    buf[pos + 2] = v >>> 16;
    buf[pos + 3] = v >>> 24;
    this.pos = pos + 4;
  }

  sfixed32(v: number): void {
    this.fixed32(v);
  }

  float(v: number): void {
    const pos = this.pos;
    this.pos = pos + 4;
    const view = this.view;
    if (view !== undefined) return view.setFloat32(pos, v, true);
    if (++this.scratchFloats > SCRATCH_FLOATS) return this.makeView().setFloat32(pos, v, true);
    scratch.setFloat32(0, v, true);
    const buf = this.buf;
    buf[pos] = scratchBytes[0];
    buf[pos + 1] = scratchBytes[1];
    buf[pos + 2] = scratchBytes[2];
    buf[pos + 3] = scratchBytes[3];
  }

  double(v: number): void {
    const pos = this.pos;
    this.pos = pos + 8;
    const view = this.view;
    if (view !== undefined) return view.setFloat64(pos, v, true);
    if (++this.scratchFloats > SCRATCH_FLOATS) return this.makeView().setFloat64(pos, v, true);
    scratch.setFloat64(0, v, true);
    const buf = this.buf;
    buf[pos] = scratchBytes[0];
    buf[pos + 1] = scratchBytes[1];
    buf[pos + 2] = scratchBytes[2];
    buf[pos + 3] = scratchBytes[3];
    buf[pos + 4] = scratchBytes[4];
    buf[pos + 5] = scratchBytes[5];
    buf[pos + 6] = scratchBytes[6];
    buf[pos + 7] = scratchBytes[7];
  }

  private makeView(): DataView {
    const buf = this.buf;
    return (this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength));
  }

  bool(v: boolean): void {
    this.buf[this.pos++] = v ? 1 : 0;
  }

  int64(v: bigint | string): void {
    if (typeof v === "bigint" && v >= 0n && v <= 0xffffffffn) {
      this.pos = writeVarint32(this.buf, this.pos, Number(v));
      return;
    }
    splitInt64(v);
    this.pos = writeVarint64(this.buf, this.pos, words.lo, words.hi);
  }

  uint64(v: bigint | string): void {
    if (typeof v === "bigint" && v >= 0n && v <= 0xffffffffn) {
      this.pos = writeVarint32(this.buf, this.pos, Number(v));
      return;
    }
    splitUint64(v);
    this.pos = writeVarint64(this.buf, this.pos, words.lo, words.hi);
  }

  /** The 64-bit varint with uint32 halves `lo`, `hi` (as `words` holds them after a split). */
  varint64(lo: number, hi: number): void {
    this.pos = writeVarint64(this.buf, this.pos, lo, hi);
  }

  sint64(v: bigint | string): void {
    splitInt64(v);
    zigzagWords();
    this.pos = writeVarint64(this.buf, this.pos, words.lo, words.hi);
  }

  fixed64(v: bigint | string): void {
    splitUint64(v);
    this.fixed32(words.lo);
    this.fixed32(words.hi);
  }

  sfixed64(v: bigint | string): void {
    splitInt64(v);
    this.fixed32(words.lo);
    this.fixed32(words.hi);
  }

  /** Length prefix plus UTF-8; exactly `sizeString(v)` bytes. */
  string(v: string): void {
    const buf = this.buf;
    const pos = this.pos;
    // The UTF-8 length is at least the number of UTF-16 units, so the prefix
    // takes at least this many bytes. Writing the text first, right after the
    // smallest possible prefix, saves measuring it; in the rare case the
    // prefix turns out longer, the text moves over.
    const minPrefix = sizeVarint32(v.length);
    const end = writeUtf8(v, buf, pos + minPrefix);
    const len = end - pos - minPrefix;
    const prefix = sizeVarint32(len);
    if (prefix !== minPrefix) buf.copyWithin(pos + prefix, pos + minPrefix, end);
    writeVarint32(buf, pos, len);
    this.pos = pos + prefix + len;
  }

  /** Length prefix plus bytes. */
  bytes(v: Uint8Array): void {
    const pos = writeVarint32(this.buf, this.pos, v.length);
    this.buf.set(v, pos);
    this.pos = pos + v.length;
  }

  /** Bytes without a prefix, e.g. unknown fields kept from decoding. */
  raw(v: Uint8Array): void {
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** The buffer written to. Throws if the bytes written do not end where the size computed up front said. */
  finish(): Uint8Array {
    if (this.pos !== this.end) {
      throw new Error(`BinaryWriter: wrote up to byte ${this.pos}, but the computed end was ${this.end}`);
    }
    return this.buf;
  }
}
