// The synthetic workloads: proto/bench.proto messages filled from a seeded
// generator. Each builder returns message initialisers in the shape that
// both tsgrpc's and protobuf-es's `create` accept (camelCase properties,
// oneofs as { case, value }, bigint for 64-bit integers).
import { Rng } from "./prng.js";

export type Init = Record<string, unknown>;

export interface SyntheticSpec {
  readonly name: string;
  readonly description: string;
  /** Full protobuf name of the message, in package tsgrpc.bench. */
  readonly typeName: string;
  readonly inits: readonly Init[];
}

const PACKAGE = "tsgrpc.bench";
const ASCII = " !#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~";
// Two-byte (Latin, Greek, Cyrillic), three-byte (CJK, symbols) and four-byte (emoji, as surrogate pairs) UTF-8.
const UNICODE = ["é", "ü", "ß", "ñ", "λ", "Ω", "ж", "я", "中", "文", "日", "本", "€", "→", "😀", "🚀", "𝄞", "a", "b", " "];

function asciiString(rng: Rng, min: number, max: number): string {
  const n = rng.int(min, max);
  let s = "";
  for (let i = 0; i < n; i++) s += ASCII[rng.int(0, ASCII.length - 1)];
  return s;
}

function unicodeString(rng: Rng, min: number, max: number): string {
  const n = rng.int(min, max);
  let s = "";
  for (let i = 0; i < n; i++) s += rng.pick(UNICODE);
  return s;
}

/** int32 values of every varint length, including negatives (10 bytes on the wire). */
function int32(rng: Rng): number {
  const r = rng.int(0, 99);
  if (r < 40) return rng.int(0, 0x7f);
  if (r < 70) return rng.int(0x80, 0x3fff);
  if (r < 90) return rng.int(0x4000, 0xfffffff);
  if (r < 95) return rng.int(0x10000000, 0x7fffffff);
  return -rng.int(1, 0x7fffffff);
}

/** int64 values: mostly small, some past 32 bits, some past 2^53, some negative. */
function int64(rng: Rng): bigint {
  const r = rng.int(0, 99);
  if (r < 50) return BigInt(rng.int(0, 0xfffff));
  if (r < 75) return BigInt(rng.int(0, 0xffffffff)) * 256n;
  if (r < 90) return BigInt.asIntN(64, rng.u64());
  return -BigInt(rng.int(1, 0xffffffff));
}

function scalars(rng: Rng): Init {
  return {
    i32: int32(rng),
    i64: int64(rng),
    s32: rng.int(0, 0xffffffff) | 0,
    u64: rng.bool() ? rng.u64() : BigInt(rng.int(1, 0xffffff)),
    f64: rng.u64(),
    dbl: (rng.float() - 0.5) * 1e6,
    flag: rng.bool(),
    text: asciiString(rng, 1, 20),
    blob: rng.bytes(rng.int(1, 16)),
    kind: rng.int(1, 3),
  };
}

function tree(rng: Rng, depth: number, next: { id: number }): Init {
  const children: Init[] = [];
  if (depth > 0) {
    const n = rng.int(2, 5);
    for (let i = 0; i < n; i++) children.push(tree(rng, depth - 1, next));
  }
  return { id: next.id++, label: asciiString(rng, 4, 12), weight: rng.float(), children };
}

function choice(rng: Rng, i: number): Init {
  switch (i % 5) {
    case 0:
      return { value: { case: "text", value: asciiString(rng, 0, 24) } };
    case 1:
      return { value: { case: "number", value: int64(rng) } };
    case 2:
      return { value: { case: "scalars", value: scalars(rng) } };
    case 3:
      return { value: { case: "blob", value: rng.bytes(rng.int(0, 32)) } };
    default:
      return { value: { case: "flag", value: rng.bool() } };
  }
}

function times<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/** Every synthetic workload; `seed` varies all of them at once. */
export function syntheticSpecs(seed = 20240611): SyntheticSpec[] {
  const rng = (salt: number): Rng => new Rng(seed ^ Math.imul(salt, 0x9e3779b1));
  const r1 = rng(1);
  const r2 = rng(2);
  const r3 = rng(3);
  const r4 = rng(4);
  const r5 = rng(5);
  const r6 = rng(6);
  return [
    {
      name: "scalars",
      description: "small message of mixed scalars (int32, int64, sint32, uint64, fixed64, double, bool, string, bytes, enum); 32 payloads",
      typeName: `${PACKAGE}.Scalars`,
      inits: times(32, () => scalars(r1)),
    },
    {
      name: "packed_int32",
      description: "packed repeated int32, 1,000 values of every varint length; 4 payloads",
      typeName: `${PACKAGE}.PackedInts`,
      inits: times(4, () => ({ values: times(1000, () => int32(r2)) })),
    },
    {
      name: "map_string_int64",
      description: "map<string, int64> of 100 entries; 4 payloads",
      typeName: `${PACKAGE}.StringMap`,
      inits: times(4, (p) => {
        const entries: Record<string, bigint> = {};
        for (let i = 0; i < 100; i++) entries[`k${p}.${i}.${asciiString(r3, 2, 14)}`] = int64(r3);
        return { entries };
      }),
    },
    {
      name: "tree",
      description: "nested repeated messages: trees of depth 4, fan-out 2-5; 2 payloads",
      typeName: `${PACKAGE}.Tree`,
      inits: times(2, () => tree(r4, 4, { id: 1 })),
    },
    {
      name: "oneof",
      description: "oneof: 100 items cycling through string, int64, message, bytes and bool cases; 4 payloads",
      typeName: `${PACKAGE}.Choices`,
      inits: times(4, () => ({ items: times(100, (i) => choice(r5, i)) })),
    },
    {
      name: "strings",
      description: "strings: 20 short ASCII, 20 short non-ASCII (2-, 3- and 4-byte UTF-8), one long of each; 4 payloads",
      typeName: `${PACKAGE}.Strings`,
      inits: times(4, () => ({
        ascii: times(20, () => asciiString(r6, 1, 24)),
        unicode: times(20, () => unicodeString(r6, 1, 24)),
        longAscii: asciiString(r6, 500, 2000),
        longUnicode: unicodeString(r6, 300, 1000),
      })),
    },
  ];
}
