// Field-by-field equality driven by the field table. Unknown fields are not
// compared: two messages are equal when every known field is.
import { ScalarType, type FieldInfo, type MessageType, type ValueInfo } from "./types.js";

type Obj = Record<string, unknown>;

export function equalMessages<T extends object>(type: MessageType<T>, a: T | undefined, b: T | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const x = a as Obj;
  const y = b as Obj;
  for (const field of type.fields) {
    if (field.kind !== "map" && !field.repeated && field.oneof !== undefined) {
      const ox = x[field.oneof] as { case: string; value: unknown } | undefined;
      const oy = y[field.oneof] as { case: string; value: unknown } | undefined;
      const inX = ox?.case === field.localName;
      if (inX !== (oy?.case === field.localName)) return false;
      if (inX && !equalValues(field, ox!.value, oy!.value)) return false;
      continue;
    }
    if (!equalField(field, x[field.localName], y[field.localName])) return false;
  }
  return true;
}

function equalField(field: FieldInfo, a: unknown, b: unknown): boolean {
  if (field.kind === "map") {
    const ma = (a ?? {}) as Obj;
    const mb = (b ?? {}) as Obj;
    const ka = Object.keys(ma);
    if (ka.length !== Object.keys(mb).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(mb, k) && equalValues(field.value, ma[k], mb[k]));
  }
  if (field.repeated) {
    const la = (a ?? []) as unknown[];
    const lb = (b ?? []) as unknown[];
    return la.length === lb.length && la.every((v, i) => equalValues(field, v, lb[i]));
  }
  return equalValues(field, a, b);
}

export function equalValues(info: ValueInfo, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  switch (info.kind) {
    case "message":
      return info.T.equals(a as object, b as object);
    case "enum":
      return false;
    case "scalar":
      if (info.T === ScalarType.BYTES) {
        const x = a as Uint8Array;
        const y = b as Uint8Array;
        return x.length === y.length && x.every((v, i) => v === y[i]);
      }
      // NaN equals NaN here, like protobuf's own equality on floating point fields.
      return (info.T === ScalarType.DOUBLE || info.T === ScalarType.FLOAT) && Number.isNaN(a) && Number.isNaN(b);
  }
}
