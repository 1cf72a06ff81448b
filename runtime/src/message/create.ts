// Completes a partial message: missing fields take their zero values and
// nested partial messages are completed too.
import type { FieldInfo, MessageType, ValueInfo } from "./types.js";

type Obj = Record<string, unknown>;

export function createFromPartial<T extends object>(type: MessageType<T>, message: T, init: object): T {
  const target = message as Obj;
  const source = init as Obj;
  const oneofsDone = new Set<string>();
  for (const field of type.fields) {
    if (field.kind !== "map" && !field.repeated && field.oneof !== undefined) {
      if (oneofsDone.has(field.oneof)) continue;
      oneofsDone.add(field.oneof);
      const sel = source[field.oneof] as { case?: string; value?: unknown } | undefined;
      if (sel?.case === undefined) continue;
      const member = type.fields.find((f) => f.oneof === field.oneof && f.localName === sel.case);
      if (member === undefined || member.kind === "map") continue;
      target[field.oneof] = { case: sel.case, value: completeValue(member, sel.value) };
      continue;
    }
    const value = source[field.localName];
    if (value === undefined) continue;
    target[field.localName] = completeField(field, value);
  }
  const unknown = (source as { $unknown?: Uint8Array }).$unknown;
  if (unknown !== undefined) (target as { $unknown?: Uint8Array }).$unknown = unknown;
  return message;
}

function completeField(field: FieldInfo, value: unknown): unknown {
  if (field.kind === "map") {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value as Obj)) {
      Object.defineProperty(out, k, { value: completeValue(field.value, v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (field.repeated) {
    return (value as unknown[]).map((v) => completeValue(field, v));
  }
  return completeValue(field, value);
}

function completeValue(info: ValueInfo, value: unknown): unknown {
  if (info.kind === "message" && value !== null && typeof value === "object") {
    return info.T.create(value as object);
  }
  return value;
}
