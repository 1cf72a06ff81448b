// Random messages of any generated type, built from its field table: for
// property tests of the reflective helpers (merge, clone) against the wire.
import { ScalarType, type FieldInfo, type MessageType, type ValueInfo } from "@tsgrpc/runtime";
import { Rng } from "./rng.js";

export { Rng };

const DOUBLES = [0, -0, 1, -1, 0.5, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE];

function int64(rng: Rng, signed: boolean): bigint {
  if (rng.chance(0.3)) return BigInt(rng.int(3));
  const raw = (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
  return (signed ? BigInt.asIntN(64, raw) : raw) >> BigInt(rng.int(64));
}

function scalar(rng: Rng, t: ScalarType, repr: "bigint" | "string" | undefined): unknown {
  // A third of all values are zero values, so that implicit presence is exercised.
  const zero = rng.chance(0.3);
  switch (t) {
    case ScalarType.DOUBLE:
      return zero ? 0 : rng.chance(0.3) ? rng.pick(DOUBLES) : (rng.next() - 0.5) * 1e6;
    case ScalarType.FLOAT:
      return zero ? 0 : Math.fround(rng.chance(0.3) ? rng.pick(DOUBLES) : (rng.next() - 0.5) * 1e6);
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return zero ? 0 : rng.u32() | 0;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return zero ? 0 : rng.u32();
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64: {
      const signed = t !== ScalarType.UINT64 && t !== ScalarType.FIXED64;
      const v = zero ? 0n : int64(rng, signed);
      return repr === "string" ? String(v) : v;
    }
    case ScalarType.BOOL:
      return !zero && rng.chance(0.5);
    case ScalarType.STRING: {
      let s = "";
      const n = zero ? 0 : rng.int(8);
      for (let i = 0; i < n; i++) s += String.fromCharCode(rng.chance(0.8) ? 32 + rng.int(95) : 0xa0 + rng.int(0x500));
      return s;
    }
    case ScalarType.BYTES: {
      const b = new Uint8Array(zero ? 0 : rng.int(8));
      for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
      return b;
    }
  }
}

function value(rng: Rng, info: ValueInfo, depth: number): unknown {
  switch (info.kind) {
    case "scalar":
      return scalar(rng, info.T, info.int64);
    case "enum":
      // Closed enums only take known values: unknown ones would move to $unknown on decode.
      return info.T.open && rng.chance(0.1) ? rng.int(1000) : rng.pick(info.T.values).no;
    case "message":
      return randomMessage(rng, info.T, depth - 1);
  }
}

function mapKey(rng: Rng, field: FieldInfo & { kind: "map" }): string {
  const key = scalar(rng, field.key, field.keyInt64);
  return String(key);
}

/**
 * A random message: each field set with some probability, nested messages
 * down to `depth`, oneofs with one member, and sometimes unknown fields.
 */
export function randomMessage<T extends object>(rng: Rng, type: MessageType<T>, depth = 3): T {
  const message = type.create() as Record<string, unknown>;
  const p = depth >= 2 ? 0.4 : 0.15;
  for (const field of type.fields) {
    if (!rng.chance(p)) continue;
    const nested = field.kind === "message" || (field.kind === "map" && field.value.kind === "message");
    if (nested && depth <= 0) continue;
    if (field.kind === "map") {
      const entries: Record<string, unknown> = {};
      for (let n = rng.int(4); n > 0; n--) {
        Object.defineProperty(entries, mapKey(rng, field), { value: value(rng, field.value, depth), enumerable: true, writable: true, configurable: true });
      }
      message[field.localName] = entries;
    } else if (field.repeated) {
      const list: unknown[] = [];
      for (let n = rng.int(4); n > 0; n--) list.push(value(rng, field, depth));
      message[field.localName] = list;
    } else if (field.oneof !== undefined) {
      message[field.oneof] = { case: field.localName, value: value(rng, field, depth) };
    } else {
      message[field.localName] = value(rng, field, depth);
    }
  }
  if (rng.chance(0.2)) (message as { $unknown?: Uint8Array }).$unknown = unknownField(rng, type);
  return message as T;
}

/** One varint field under a number the type does not declare. */
function unknownField(rng: Rng, type: MessageType<object>): Uint8Array {
  let no = 5000 + rng.int(1000);
  while (type.field(no) !== undefined) no++;
  const tag = no << 3; // wire type 0
  return new Uint8Array([(tag & 0x7f) | 0x80, (tag >>> 7) & 0x7f | 0x80, tag >>> 14, rng.int(128)]);
}
