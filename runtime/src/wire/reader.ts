// Reads the protobuf binary format. Every read is bounds-checked against
// `limit`, the end of the innermost length-delimited scope, so a nested
// message can never read into its parent's bytes; malformed input surfaces
// as a DecodeError, never as an out-of-range read or a huge allocation.
import { allocPooled } from "./alloc.js";
import { DecodeError } from "./errors.js";
import { readUtf8 } from "./utf8.js";
import {
  int64ToString,
  joinInt64,
  joinUint64,
  uint64ToString,
  unzigzag32,
  unzigzagWords,
  words,
  writeVarint32,
  writeVarint64,
} from "./varint.js";

export interface ReaderOptions {
  /** Skip unknown fields instead of keeping them in `$unknown`. Default false. */
  discardUnknown?: boolean;
  /** How deeply messages and groups may nest. Default 100, like the reference implementation. */
  maxDepth?: number;
  /**
   * `bytes` fields become views into the input rather than copies. Only for
   * input nobody writes to afterwards; a view keeps all of the input's memory
   * alive. Default false.
   */
  aliasBytes?: boolean;
}

/** Floats a reader assembles in the shared scratch arrays before it makes a DataView of its input. */
const SCRATCH_FLOATS = 16;
const f32 = new Float32Array(1);
const f64 = new Float64Array(1);
const f32Bytes = new Uint8Array(f32.buffer);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Room for the largest tag (5 bytes) plus a sign-extended int32 varint (10 bytes). */
const unknownScratch = new Uint8Array(15);

/** Up to this many bytes, a copy is a loop. */
const COPY_LOOP_MAX = 64;

/** A copy of `buf[start..end)`: a plain Uint8Array (a Node Buffer's slice would be a view of the input), pooled when small. */
function copyOf(buf: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  const copy = allocPooled(n);
  if (n <= COPY_LOOP_MAX) {
    // Byte by byte: set(subarray()) costs a view and a builtin call, more than a short loop.
    for (let i = 0; i < n; i++) copy[i] = buf[start + i];
  } else {
    copy.set(buf.subarray(start, end));
  }
  return copy;
}

export class BinaryReader {
  readonly buf: Uint8Array;
  pos = 0;
  /** End of the current length-delimited scope; every read is checked against it. */
  limit: number;
  /** Nesting of messages and groups entered so far. */
  depth = 0;
  readonly discardUnknown: boolean;
  private readonly aliasBytes: boolean;
  /** The input is a plain Uint8Array, whose subarray() is a plain view too (and costs less than reading `.buffer`). */
  private readonly plainInput: boolean;
  private readonly path: number[] = [];
  /** Where the last tag started, so that an unknown field can be captured tag and all. */
  tagPos = 0;
  private readonly maxDepth: number;
  // The first floats of a reader are assembled in shared scratch arrays;
  // past SCRATCH_FLOATS it makes a DataView, which reads faster but costs an
  // allocation that would dominate a small message.
  private view: DataView | undefined = undefined;
  private scratchFloats = 0;

  constructor(buf: Uint8Array, options?: ReaderOptions) {
    this.buf = buf;
    this.limit = buf.length;
    this.discardUnknown = options?.discardUnknown ?? false;
    this.aliasBytes = options?.aliasBytes ?? false;
    this.plainInput = this.aliasBytes && buf.constructor === Uint8Array;
    this.maxDepth = options?.maxDepth ?? 100;
  }

  /** Reads a tag (`fieldNo << 3 | wireType`, as uint32) and rejects field number 0 and wire types 6 and 7. */
  tag(): number {
    const tag = this.fieldTag();
    if (tag < 8) throw new DecodeError("invalid field number 0");
    if ((tag & 7) > 5) throw new DecodeError(`invalid wire type ${tag & 7}`);
    return tag;
  }

  /**
   * Reads a tag without validating it, for generated code: a tag that no
   * field declares goes to `unknown`, `skip` or `endGroup`, which reject field
   * number 0 and wire types 6 and 7, so the checks cost nothing on known fields.
   */
  fieldTag(): number {
    const buf = this.buf;
    const pos = this.pos;
    this.tagPos = pos;
    const limit = this.limit;
    if (pos < limit) {
      const b = buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
      // Field numbers 16 to 2047: two bytes.
      if (pos + 1 < limit) {
        const c = buf[pos + 1];
        if (c < 0x80) {
          this.pos = pos + 2;
          return (b & 0x7f) | (c << 7);
        }
      }
    }
    return this.tagSlow();
  }

  uint32(): number {
    const pos = this.pos;
    if (pos < this.limit) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.varint32Slow() >>> 0;
  }

  /** The low 32 bits as signed: negative values arrive as 10-byte sign-extended varints. */
  int32(): number {
    const pos = this.pos;
    if (pos < this.limit) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.varint32Slow() | 0;
  }

  sint32(): number {
    return unzigzag32(this.uint32());
  }

  fixed32(): number {
    const pos = this.advance(4);
    const buf = this.buf;
    return (buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24)) >>> 0;
  }

  sfixed32(): number {
    const pos = this.advance(4);
    const buf = this.buf;
    return buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24);
  }

  float(): number {
    const pos = this.advance(4);
    const view = this.view;
    if (view !== undefined) return view.getFloat32(pos, true);
    if (++this.scratchFloats > SCRATCH_FLOATS) return this.makeView().getFloat32(pos, true);
    const buf = this.buf;
    if (littleEndian) {
      f32Bytes[0] = buf[pos];
      f32Bytes[1] = buf[pos + 1];
      f32Bytes[2] = buf[pos + 2];
      f32Bytes[3] = buf[pos + 3];
    } else {
      for (let i = 0; i < 4; i++) f32Bytes[3 - i] = buf[pos + i];
    }
    return f32[0];
  }

  double(): number {
    const pos = this.advance(8);
    const view = this.view;
    if (view !== undefined) return view.getFloat64(pos, true);
    if (++this.scratchFloats > SCRATCH_FLOATS) return this.makeView().getFloat64(pos, true);
    const buf = this.buf;
    if (littleEndian) {
      f64Bytes[0] = buf[pos];
      f64Bytes[1] = buf[pos + 1];
      f64Bytes[2] = buf[pos + 2];
      f64Bytes[3] = buf[pos + 3];
      f64Bytes[4] = buf[pos + 4];
      f64Bytes[5] = buf[pos + 5];
      f64Bytes[6] = buf[pos + 6];
      f64Bytes[7] = buf[pos + 7];
    } else {
      for (let i = 0; i < 8; i++) f64Bytes[7 - i] = buf[pos + i];
    }
    return f64[0];
  }

  private makeView(): DataView {
    const buf = this.buf;
    return (this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength));
  }

  /** Any nonzero varint is true, including ones with only high bits set. */
  bool(): boolean {
    const pos = this.pos;
    if (pos < this.limit) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b !== 0;
      }
    }
    this.varint64();
    return (words.lo | words.hi) !== 0;
  }

  int64(): bigint {
    this.varint64();
    return joinInt64(words.lo, words.hi);
  }

  uint64(): bigint {
    this.varint64();
    return joinUint64(words.lo, words.hi);
  }

  sint64(): bigint {
    this.varint64();
    unzigzagWords();
    return joinInt64(words.lo, words.hi);
  }

  fixed64(): bigint {
    this.fixed64Words();
    return joinUint64(words.lo, words.hi);
  }

  sfixed64(): bigint {
    this.fixed64Words();
    return joinInt64(words.lo, words.hi);
  }

  int64Str(): string {
    this.varint64();
    return int64ToString(words.lo, words.hi);
  }

  uint64Str(): string {
    this.varint64();
    return uint64ToString(words.lo, words.hi);
  }

  sint64Str(): string {
    this.varint64();
    unzigzagWords();
    return int64ToString(words.lo, words.hi);
  }

  fixed64Str(): string {
    this.fixed64Words();
    return uint64ToString(words.lo, words.hi);
  }

  sfixed64Str(): string {
    this.fixed64Words();
    return int64ToString(words.lo, words.hi);
  }

  /** Length-prefixed UTF-8; invalid UTF-8 is a DecodeError. */
  string(): string {
    const len = this.length();
    const start = this.pos;
    this.pos = start + len;
    return readUtf8(this.buf, start, start + len, true);
  }

  /** Length-prefixed UTF-8; invalid sequences become U+FFFD (proto2, `utf8_validation = NONE`). */
  stringLax(): string {
    const len = this.length();
    const start = this.pos;
    this.pos = start + len;
    return readUtf8(this.buf, start, start + len, false);
  }

  /**
   * Length-prefixed bytes, copied (the caller may reuse the input buffer)
   * unless the reader aliases. Plain Uint8Arrays either way: a Node Buffer's
   * slice would be a view of the input.
   */
  bytes(): Uint8Array {
    const len = this.length();
    const start = this.pos;
    this.pos = start + len;
    const buf = this.buf;
    if (this.aliasBytes) {
      return this.plainInput ? buf.subarray(start, start + len) : new Uint8Array(buf.buffer, buf.byteOffset + start, len);
    }
    return copyOf(buf, start, start + len);
  }

  /** Enters a length-delimited scope; returns the enclosing limit for `popLimit`. */
  pushLimit(): number {
    const len = this.length();
    const prev = this.limit;
    this.limit = this.pos + len;
    return prev;
  }

  /** Leaves the scope entered by `pushLimit`, which must have been read to its end. */
  popLimit(prev: number): void {
    if (this.pos !== this.limit) throw new DecodeError("length-delimited field not fully consumed");
    this.limit = prev;
  }

  /** Counts one level of message or group nesting, so hostile input cannot exhaust the stack. */
  enter(): void {
    if (++this.depth > this.maxDepth) throw new DecodeError("recursion limit exceeded");
  }

  leave(): void {
    this.depth--;
  }

  /**
   * Enters a nested length-delimited message of field `fieldNo`: its scope,
   * one level of nesting, and the field number on the path that a
   * DecodeError is later labelled with (recorded, never built, on success).
   * Returns the enclosing limit for `leaveMessage`.
   */
  enterMessage(fieldNo: number): number {
    const len = this.length();
    const prev = this.limit;
    this.limit = this.pos + len;
    const depth = this.depth;
    if (depth >= this.maxDepth) throw new DecodeError("recursion limit exceeded");
    this.path[depth] = fieldNo;
    this.depth = depth + 1;
    return prev;
  }

  leaveMessage(prev: number): void {
    if (this.pos !== this.limit) throw new DecodeError("length-delimited field not fully consumed");
    this.limit = prev;
    this.depth--;
  }

  /** Enters a group (delimited encoding) of field `fieldNo`; it ends at its END_GROUP tag. */
  enterGroup(fieldNo: number): void {
    this.enter();
    this.path[this.depth - 1] = fieldNo;
  }

  leaveGroup(): void {
    this.depth--;
  }

  /** Field numbers of the messages entered so far, outermost first: where an error happened. */
  fieldPath(): number[] {
    return this.path.slice(0, this.depth);
  }

  /** Skips the value of the field whose tag was just read. */
  skip(tag: number): void {
    if (tag < 8) throw new DecodeError("invalid field number 0");
    switch (tag & 7) {
      case 0:
        this.skipVarint();
        break;
      case 1:
        this.advance(8);
        break;
      case 2: {
        const len = this.length();
        this.pos += len;
        break;
      }
      case 3:
        this.skipGroup(tag >>> 3);
        break;
      case 4:
        throw new DecodeError("unexpected end group");
      case 5:
        this.advance(4);
        break;
      default:
        throw new DecodeError(`invalid wire type ${tag & 7}`);
    }
  }

  /** Skips the field whose tag was just read and keeps its bytes, tag included, in `target.$unknown`. */
  unknown(tag: number, target: { $unknown?: Uint8Array }): void {
    // Skipping a group reads nested tags, which move tagPos.
    const start = this.tagPos;
    this.skip(tag);
    this.tagPos = start;
    if (!this.discardUnknown) appendUnknown(target, this.buf, start, this.pos);
  }

  /** Keeps an enum value a closed enum does not know as an unknown varint field, as the reference implementation does. */
  unknownVarint(fieldNo: number, value: number, target: { $unknown?: Uint8Array }): void {
    if (this.discardUnknown) return;
    const buf = unknownScratch;
    let end = writeVarint32(buf, 0, fieldNo << 3);
    end = value < 0 ? writeVarint64(buf, end, value >>> 0, 0xffffffff) : writeVarint32(buf, end, value);
    appendUnknown(target, buf, 0, end);
  }

  /** Accepts an END_GROUP tag only as the end of the group `groupNo` being read (0: not in a group). */
  endGroup(tag: number, groupNo: number): void {
    if (tag !== 0 && tag < 8) throw new DecodeError("invalid field number 0");
    if (groupNo === 0) throw new DecodeError("unexpected end group");
    if (tag >>> 3 !== groupNo) throw new DecodeError("mismatched end group");
  }

  /** Moves past `n` bytes, returning where they start. */
  private advance(n: number): number {
    const pos = this.pos;
    if (n > this.limit - pos) throw new DecodeError("unexpected end of data");
    this.pos = pos + n;
    return pos;
  }

  /** Reads a length prefix that is known to fit in the current scope. */
  private length(): number {
    const pos = this.pos;
    let len: number;
    if (pos < this.limit && this.buf[pos] < 0x80) {
      len = this.buf[pos];
      this.pos = pos + 1;
    } else {
      this.varint64();
      if (words.hi !== 0) throw new DecodeError("length exceeds remaining data");
      len = words.lo;
    }
    if (len > this.limit - this.pos) throw new DecodeError("length exceeds remaining data");
    return len;
  }

  /** Tags are uint32: unlike other varints, a tag may not spill past 32 bits. */
  private tagSlow(): number {
    const buf = this.buf;
    const limit = this.limit;
    let pos = this.pos;
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= limit) throw new DecodeError("unexpected end of data");
      const b = buf[pos++];
      v |= (b & 0x7f) << shift;
      if (b < 0x80) {
        if (shift === 28 && b > 0x0f) break;
        this.pos = pos;
        return v >>> 0;
      }
    }
    throw new DecodeError("invalid tag: exceeds 32 bits");
  }

  /** The low 32 bits of a varint of up to 10 bytes, as int32; the bits above are consumed and dropped. */
  private varint32Slow(): number {
    // Unrolled, and bounds-checked once at the end: a read past the end of
    // the buffer yields undefined, whose continuation bit reads as 0. Kept
    // apart from varint64: going through it cost 8% more instructions on
    // packed int32 decoding (callgrind).
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++];
    let v = b & 0x7f;
    if (b & 0x80) {
      b = buf[pos++];
      v |= (b & 0x7f) << 7;
      if (b & 0x80) {
        b = buf[pos++];
        v |= (b & 0x7f) << 14;
        if (b & 0x80) {
          b = buf[pos++];
          v |= (b & 0x7f) << 21;
          if (b & 0x80) {
            b = buf[pos++];
            v |= b << 28; // bits past 32 fall off
            if (b & 0x80) {
              // A negative int32 takes 10 bytes; the 5 past 32 bits carry nothing.
              for (let i = 0; ; i++) {
                if (i === 5) throw new DecodeError("varint too long");
                if ((buf[pos++] & 0x80) === 0) break;
              }
            }
          }
        }
      }
    }
    if (pos > this.limit) throw new DecodeError("unexpected end of data");
    this.pos = pos;
    return v;
  }

  /** Decodes a varint of up to 10 bytes into `words`. */
  private varint64(): void {
    // Unrolled, and bounds-checked once at the end, as varint32Slow.
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++];
    let lo = b & 0x7f;
    let hi = 0;
    if (b & 0x80) {
      b = buf[pos++];
      lo |= (b & 0x7f) << 7;
      if (b & 0x80) {
        b = buf[pos++];
        lo |= (b & 0x7f) << 14;
        if (b & 0x80) {
          b = buf[pos++];
          lo |= (b & 0x7f) << 21;
          if (b & 0x80) {
            // Byte 5 straddles the halves: 4 bits to `lo`, 3 to `hi`.
            b = buf[pos++];
            lo |= (b & 0x0f) << 28;
            hi = (b & 0x7f) >> 4;
            if (b & 0x80) {
              // Bytes 6-10 carry the rest of `hi`; bits past 64 are dropped.
              for (let shift = 3; ; shift += 7) {
                b = buf[pos++];
                hi |= (b & 0x7f) << shift;
                if ((b & 0x80) === 0) break;
                if (shift === 31) {
                  if (pos > this.limit) break; // reported below
                  throw new DecodeError("varint too long");
                }
              }
            }
          }
        }
      }
    }
    if (pos > this.limit) throw new DecodeError("unexpected end of data");
    this.pos = pos;
    words.lo = lo >>> 0;
    words.hi = hi >>> 0;
  }

  private fixed64Words(): void {
    const pos = this.advance(8);
    const buf = this.buf;
    words.lo = (buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24)) >>> 0;
    words.hi = (buf[pos + 4] | (buf[pos + 5] << 8) | (buf[pos + 6] << 16) | (buf[pos + 7] << 24)) >>> 0;
  }

  private skipVarint(): void {
    const buf = this.buf;
    const limit = this.limit;
    let pos = this.pos;
    for (let i = 0; i < 10; i++) {
      if (pos >= limit) throw new DecodeError("unexpected end of data");
      if (buf[pos++] < 0x80) {
        this.pos = pos;
        return;
      }
    }
    throw new DecodeError("varint too long");
  }

  private skipGroup(fieldNo: number): void {
    this.enter();
    for (;;) {
      const tag = this.tag();
      if ((tag & 7) === 4) {
        if (tag >>> 3 !== fieldNo) throw new DecodeError("mismatched end group");
        break;
      }
      this.skip(tag);
    }
    this.leave();
  }
}

/** Appends `src[start..end)` to `target.$unknown`, allocating the concatenation so earlier holders of the old array are unaffected. */
function appendUnknown(target: { $unknown?: Uint8Array }, src: Uint8Array, start: number, end: number): void {
  const prev = target.$unknown;
  if (prev === undefined) {
    target.$unknown = copyOf(src, start, end);
    return;
  }
  const joined = new Uint8Array(prev.length + end - start);
  joined.set(prev);
  joined.set(src.subarray(start, end), prev.length);
  target.$unknown = joined;
}
