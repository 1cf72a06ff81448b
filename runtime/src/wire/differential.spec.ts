// Differential tests against @bufbuild/protobuf/wire, a conformant encoder and
// decoder: for thousands of random values of every type, both must write the
// same bytes and each must read what the other wrote.
import { BinaryReader as OracleReader, BinaryWriter as OracleWriter, WireType } from "@bufbuild/protobuf/wire";
import { DecodeError } from "./errors.js";
import { BinaryReader } from "./reader.js";
import {
  sizeBytes,
  sizeInt32,
  sizeInt64,
  sizeSint32,
  sizeSint64,
  sizeString,
  sizeTag,
  sizeUint64,
  sizeVarint32,
} from "./size.js";
import { BinaryWriter } from "./writer.js";

const N = 3000;

/** mulberry32: a seeded generator, so that a failure reproduces. */
function random(seed: number) {
  const next32 = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const int = (n: number): number => Math.floor((next32() / 4294967296) * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  // Uniform in bit length rather than in value, so that every varint size is exercised.
  const bits32 = (): number => {
    const k = int(33);
    return k === 0 ? 0 : next32() >>> (32 - k);
  };
  const bits64 = (): bigint => BigInt.asUintN(int(65), (BigInt(next32()) << 32n) | BigInt(next32()));
  return { next32, int, pick, bits32, bits64 };
}
type Random = ReturnType<typeof random>;

const f64 = new DataView(new ArrayBuffer(8));
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

function randomString(rnd: Random): string {
  const len = rnd.pick([0, 1, 5, 20, 42, 43, 100, 300, 2000]);
  const n = rnd.int(len + 1);
  let s = "";
  for (let i = 0; i < n; i++) {
    switch (rnd.int(rnd.pick([1, 7]))) {
      case 0:
        s += String.fromCharCode(rnd.int(0x80));
        break;
      case 1:
        s += String.fromCharCode(0x80 + rnd.int(0x780));
        break;
      case 2:
        s += String.fromCharCode(0x800 + rnd.int(0xd800 - 0x800));
        break;
      case 3:
        s += String.fromCharCode(0xe000 + rnd.int(0x2000));
        break;
      case 4:
        s += String.fromCodePoint(0x10000 + rnd.int(0x100000));
        break;
      case 5:
        s += String.fromCharCode(0xd800 + rnd.int(0x800)); // lone surrogate, unless paired by chance
        break;
      default:
        s += rnd.pick(["\ufeff", "\uffff", "\u{10ffff}", "\u0000", "\ud83d\ude00"]);
    }
  }
  return s;
}

/** One type, with how each side writes and reads it. */
interface Case<T> {
  name: string;
  wireType: WireType;
  gen: (rnd: Random) => T;
  size: (v: T) => number;
  write: (w: BinaryWriter, v: T) => void;
  oracleWrite: (w: OracleWriter, v: T) => void;
  read: (r: BinaryReader) => unknown;
  oracleRead: (r: OracleReader) => unknown;
  /** The value after a round trip: floats lose precision, lone surrogates become U+FFFD. */
  expected: (v: T) => unknown;
}

const int32 = (rnd: Random) => (rnd.int(2) ? rnd.bits32() | 0 : rnd.bits32() >> 1);
const int64 = (rnd: Random) => BigInt.asIntN(64, rnd.bits64() * (rnd.int(2) ? 1n : -1n));
const same = <T>(v: T) => v;

// `any`: each case is typed where it is written (`satisfies`); the list only needs to hold them together.
const cases: Case<any>[] = [
  {
    name: "uint32",
    wireType: WireType.Varint,
    gen: (rnd) => rnd.bits32(),
    size: sizeVarint32,
    write: (w, v) => w.uint32(v),
    oracleWrite: (w, v) => w.uint32(v),
    read: (r) => r.uint32(),
    oracleRead: (r) => r.uint32(),
    expected: same,
  } satisfies Case<number>,
  {
    name: "int32",
    wireType: WireType.Varint,
    gen: int32,
    size: sizeInt32,
    write: (w, v) => w.int32(v),
    oracleWrite: (w, v) => w.int32(v),
    read: (r) => r.int32(),
    oracleRead: (r) => r.int32(),
    expected: same,
  } satisfies Case<number>,
  {
    name: "sint32",
    wireType: WireType.Varint,
    gen: int32,
    size: sizeSint32,
    write: (w, v) => w.sint32(v),
    oracleWrite: (w, v) => w.sint32(v),
    read: (r) => r.sint32(),
    oracleRead: (r) => r.sint32(),
    expected: same,
  } satisfies Case<number>,
  {
    name: "fixed32",
    wireType: WireType.Bit32,
    gen: (rnd) => rnd.bits32(),
    size: () => 4,
    write: (w, v) => w.fixed32(v),
    oracleWrite: (w, v) => w.fixed32(v),
    read: (r) => r.fixed32(),
    oracleRead: (r) => r.fixed32(),
    expected: same,
  } satisfies Case<number>,
  {
    name: "sfixed32",
    wireType: WireType.Bit32,
    gen: int32,
    size: () => 4,
    write: (w, v) => w.sfixed32(v),
    oracleWrite: (w, v) => w.sfixed32(v),
    read: (r) => r.sfixed32(),
    oracleRead: (r) => r.sfixed32(),
    expected: same,
  } satisfies Case<number>,
  {
    name: "float",
    wireType: WireType.Bit32,
    gen: (rnd) => {
      switch (rnd.int(3)) {
        case 0:
          f64.setUint32(0, rnd.next32());
          return f64.getFloat32(0);
        case 1: {
          // A double within float32 range (the oracle rejects others); most need rounding.
          const mantissa = (rnd.next32() * 2 ** 21 + (rnd.next32() >>> 11)) / 2 ** 53;
          return (rnd.int(2) ? 1 : -1) * mantissa * 2 ** (rnd.int(288) - 160);
        }
        default:
          return rnd.pick([0, -0, NaN, Infinity, -Infinity, 3.4028234663852886e38, 1e-45, -1e-46]);
      }
    },
    size: () => 4,
    write: (w, v) => w.float(v),
    oracleWrite: (w, v) => w.float(v),
    read: (r) => r.float(),
    oracleRead: (r) => r.float(),
    expected: Math.fround,
  } satisfies Case<number>,
  {
    name: "double",
    wireType: WireType.Bit64,
    gen: (rnd) => {
      f64.setUint32(0, rnd.next32());
      f64.setUint32(4, rnd.next32());
      return rnd.int(10) ? f64.getFloat64(0) : rnd.pick([0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE]);
    },
    size: () => 8,
    write: (w, v) => w.double(v),
    oracleWrite: (w, v) => w.double(v),
    read: (r) => r.double(),
    oracleRead: (r) => r.double(),
    expected: same,
  } satisfies Case<number>,
  {
    name: "bool",
    wireType: WireType.Varint,
    gen: (rnd) => rnd.int(2) === 1,
    size: () => 1,
    write: (w, v) => w.bool(v),
    oracleWrite: (w, v) => w.bool(v),
    read: (r) => r.bool(),
    oracleRead: (r) => r.bool(),
    expected: same,
  } satisfies Case<boolean>,
  {
    name: "string",
    wireType: WireType.LengthDelimited,
    gen: randomString,
    size: sizeString,
    write: (w, v) => w.string(v),
    oracleWrite: (w, v) => w.string(v),
    read: (r) => r.string(),
    oracleRead: (r) => r.string(),
    expected: (v) => textDecoder.decode(textEncoder.encode(v)),
  } satisfies Case<string>,
  {
    name: "string (lax)",
    wireType: WireType.LengthDelimited,
    gen: randomString,
    size: sizeString,
    write: (w, v) => w.string(v),
    oracleWrite: (w, v) => w.string(v),
    read: (r) => r.stringLax(),
    oracleRead: (r) => r.string(),
    expected: (v) => textDecoder.decode(textEncoder.encode(v)),
  } satisfies Case<string>,
  {
    name: "bytes",
    wireType: WireType.LengthDelimited,
    gen: (rnd) => Uint8Array.from({ length: rnd.int(rnd.pick([4, 130, 3000])) }, () => rnd.next32() & 0xff),
    size: sizeBytes,
    write: (w, v) => w.bytes(v),
    oracleWrite: (w, v) => w.bytes(v),
    read: (r) => r.bytes(),
    oracleRead: (r) => r.bytes(),
    expected: same,
  } satisfies Case<Uint8Array>,
];

// Each 64-bit type twice: with bigint values and with decimal strings (int64 = string mode).
const cases64: [string, (v: bigint | string) => number, boolean, WireType][] = [
  ["int64", sizeInt64, true, WireType.Varint],
  ["uint64", sizeUint64, false, WireType.Varint],
  ["sint64", sizeSint64, true, WireType.Varint],
  ["fixed64", () => 8, false, WireType.Bit64],
  ["sfixed64", () => 8, true, WireType.Bit64],
];
for (const [name, size, signed, wireType] of cases64) {
  type Name = "int64" | "uint64" | "sint64" | "fixed64" | "sfixed64";
  const method = name as Name;
  const strMethod = `${method}Str` as const;
  const gen = (rnd: Random) => (signed ? int64(rnd) : rnd.bits64());
  cases.push({
    name,
    wireType,
    gen,
    size,
    write: (w, v) => w[method](v),
    oracleWrite: (w, v) => w[method](v),
    read: (r) => r[method](),
    oracleRead: (r) => r[method](),
    expected: same,
  } satisfies Case<bigint>);
  cases.push({
    name: `${name} (string)`,
    wireType,
    gen: (rnd) => gen(rnd).toString(),
    size,
    write: (w, v) => w[method](v),
    oracleWrite: (w, v) => w[method](v),
    read: (r) => r[strMethod](),
    oracleRead: (r) => String(r[method]()),
    expected: same,
  } satisfies Case<string>);
}

cases.push({
  name: "tag",
  wireType: WireType.Varint,
  gen: (rnd) => [Math.max(1, rnd.bits32() >>> 3), rnd.int(6)],
  size: ([no, wt]) => sizeTag(no, wt),
  write: (w, [no, wt]) => w.tag(no, wt),
  oracleWrite: (w, [no, wt]) => w.tag(no, wt),
  read: (r) => r.tag(),
  oracleRead: (r) => {
    const [no, wt] = r.tag();
    return ((no << 3) | wt) >>> 0;
  },
  expected: ([no, wt]) => ((no << 3) | wt) >>> 0,
} satisfies Case<[number, number]>);

function encode<T>(c: Case<T>, v: T): Uint8Array {
  const w = new BinaryWriter(c.size(v));
  c.write(w, v);
  return w.finish();
}

function oracleEncode<T>(c: Case<T>, v: T): Uint8Array {
  const w = new OracleWriter();
  c.oracleWrite(w, v);
  return w.finish();
}

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

describe.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
  const values = Array.from({ length: N }, ((rnd) => () => c.gen(rnd))(random(0x5eed ^ c.name.length)));

  it("writes the same bytes as the oracle, in exactly the computed size", () => {
    const mismatches = [];
    for (const v of values) {
      const ours = encode(c, v);
      const theirs = oracleEncode(c, v);
      if (!equalBytes(ours, theirs)) mismatches.push({ v, ours: hex(ours), theirs: hex(theirs) });
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("reads what the oracle writes", () => {
    const mismatches = [];
    for (const v of values) {
      const r = new BinaryReader(oracleEncode(c, v));
      const got = c.read(r);
      if (!Object.is(got, c.expected(v)) && !equalDeep(got, c.expected(v))) mismatches.push({ v, got });
      if (r.pos !== r.buf.length) mismatches.push({ v, pos: r.pos });
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("writes what the oracle reads", () => {
    const mismatches = [];
    for (const v of values) {
      const got = c.oracleRead(new OracleReader(encode(c, v)));
      if (!Object.is(got, c.expected(v)) && !equalDeep(got, c.expected(v))) mismatches.push({ v, got });
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});

function equalDeep(a: unknown, b: unknown): boolean {
  return a instanceof Uint8Array && b instanceof Uint8Array && equalBytes(a, b);
}

// Random messages: scalar fields, nested length-delimited messages and groups,
// written the way generated code does it (sizes first, then one exact buffer).
type Field =
  | { no: number; kind: "scalar"; c: Case<any>; v: unknown }
  | { no: number; kind: "message" | "group"; fields: Field[] };

function randomMessage(rnd: Random, depth: number): Field[] {
  return Array.from({ length: rnd.int(8) }, (): Field => {
    const no = 1 + rnd.int(rnd.pick([15, 2047, 536870911]));
    const r = rnd.int(10);
    if (depth < 6 && r === 0) return { no, kind: "message", fields: randomMessage(rnd, depth + 1) };
    if (depth < 6 && r === 1) return { no, kind: "group", fields: randomMessage(rnd, depth + 1) };
    const c = rnd.pick(cases.filter((x) => x.name !== "tag"));
    return { no, kind: "scalar", c, v: c.gen(rnd) };
  });
}

function sizeMessage(fields: Field[], sizes: number[]): number {
  let size = 0;
  for (const f of fields) {
    if (f.kind === "scalar") {
      size += sizeTag(f.no, f.c.wireType) + f.c.size(f.v);
    } else if (f.kind === "message") {
      const slot = sizes.length;
      sizes.push(0);
      const inner = sizeMessage(f.fields, sizes);
      sizes[slot] = inner;
      size += sizeTag(f.no, WireType.LengthDelimited) + sizeVarint32(inner) + inner;
    } else {
      size += 2 * sizeTag(f.no, WireType.StartGroup) + sizeMessage(f.fields, sizes);
    }
  }
  return size;
}

function writeMessage(fields: Field[], w: BinaryWriter): void {
  for (const f of fields) {
    if (f.kind === "scalar") {
      w.tag(f.no, f.c.wireType);
      f.c.write(w, f.v);
    } else if (f.kind === "message") {
      w.tag(f.no, WireType.LengthDelimited);
      w.uint32(w.nextSize());
      writeMessage(f.fields, w);
    } else {
      w.tag(f.no, WireType.StartGroup);
      writeMessage(f.fields, w);
      w.tag(f.no, WireType.EndGroup);
    }
  }
}

function oracleWriteMessage(fields: Field[], w: OracleWriter): void {
  for (const f of fields) {
    if (f.kind === "scalar") {
      w.tag(f.no, f.c.wireType);
      f.c.oracleWrite(w, f.v);
    } else if (f.kind === "message") {
      w.tag(f.no, WireType.LengthDelimited).fork();
      oracleWriteMessage(f.fields, w);
      w.join();
    } else {
      w.tag(f.no, WireType.StartGroup);
      oracleWriteMessage(f.fields, w);
      w.tag(f.no, WireType.EndGroup);
    }
  }
}

/** Reads like generated code: a loop up to the limit, nested scopes, groups ended by their own END_GROUP. */
function readMessage(fields: Field[], r: BinaryReader, groupNo: number): void {
  let i = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if ((tag & 7) === WireType.EndGroup) {
      r.endGroup(tag, groupNo);
      expect(i).toBe(fields.length);
      return;
    }
    const f = fields[i++];
    expect(tag >>> 3).toBe(f.no);
    if (f.kind === "scalar") {
      const got = f.c.read(r);
      const want = f.c.expected(f.v);
      if (!Object.is(got, want) && !equalDeep(got, want)) expect(got).toEqual(want);
    } else if (f.kind === "message") {
      const prev = r.pushLimit();
      r.enter();
      readMessage(f.fields, r, 0);
      r.leave();
      r.popLimit(prev);
    } else {
      r.enter();
      readMessage(f.fields, r, f.no);
      r.leave();
    }
  }
  expect(groupNo).toBe(0);
  expect(i).toBe(fields.length);
}

function encodeMessage(fields: Field[]): Uint8Array {
  const sizes: number[] = [];
  const w = new BinaryWriter(sizeMessage(fields, sizes), sizes);
  writeMessage(fields, w);
  return w.finish();
}

describe("random messages", () => {
  const rnd = random(42);
  const messages = Array.from({ length: 300 }, () => randomMessage(rnd, 0));

  it("encode exactly like the oracle", () => {
    for (const fields of messages) {
      const w = new OracleWriter();
      oracleWriteMessage(fields, w);
      expect(hex(encodeMessage(fields))).toBe(hex(w.finish()));
    }
  });

  it("decode field by field, through nested scopes and groups", () => {
    for (const fields of messages) {
      const r = new BinaryReader(encodeMessage(fields));
      readMessage(fields, r, 0);
      expect(r.pos).toBe(r.buf.length);
      expect(r.depth).toBe(0);
    }
  });

  it("survive a round trip as unknown fields, byte for byte", () => {
    for (const fields of messages) {
      const bytes = encodeMessage(fields);
      const r = new BinaryReader(bytes);
      const target: { $unknown?: Uint8Array } = {};
      while (r.pos < r.limit) r.unknown(r.tag(), target);
      expect(hex(target.$unknown ?? new Uint8Array(0))).toBe(hex(bytes));
    }
  });

  it("when corrupted, fail with DecodeError wherever the oracle fails, and agree where both succeed", () => {
    const skipAll = (r: BinaryReader) => {
      while (r.pos < r.limit) r.skip(r.tag());
      return r.pos;
    };
    const oracleSkipAll = (r: OracleReader) => {
      while (r.pos < r.len) {
        const [no, wt] = r.tag();
        r.skip(wt, no);
      }
      return r.pos;
    };
    let oracleFailures = 0;
    for (let i = 0; i < 20000; i++) {
      const bytes = encodeMessage(messages[i % messages.length]).slice();
      if (bytes.length === 0) continue;
      switch (rnd.int(3)) {
        case 0:
          bytes[rnd.int(bytes.length)] = rnd.int(256);
          break;
        case 1:
          bytes[rnd.int(bytes.length)] ^= 1 << rnd.int(8);
          break;
      }
      const input = bytes.subarray(0, rnd.int(2) ? bytes.length : rnd.int(bytes.length));
      let ours: number | Error;
      let theirs: number | Error;
      try {
        ours = skipAll(new BinaryReader(input));
      } catch (e) {
        ours = e as Error;
      }
      try {
        theirs = oracleSkipAll(new OracleReader(input));
      } catch (e) {
        theirs = e as Error;
      }
      if (ours instanceof Error && !(ours instanceof DecodeError)) throw ours;
      if (theirs instanceof Error) {
        oracleFailures++;
        // We may be stricter than the oracle, never more lenient.
        if (!(ours instanceof Error)) throw new Error(`accepted what the oracle rejects: ${hex(input)}`);
      } else if (!(ours instanceof Error)) {
        expect(ours).toBe(theirs);
      }
    }
    expect(oracleFailures).toBeGreaterThan(1000);
  });
});
