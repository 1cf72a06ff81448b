// Small helpers shared by the well-known types' JSON forms.
import type { MessageType } from "../../message/types.js";

/** A 64-bit field value (bigint, or decimal text with the string option) as a bigint. */
export function toBigInt(v: bigint | string | number | undefined): bigint {
  if (v === undefined) return 0n;
  return typeof v === "bigint" ? v : BigInt(v);
}

/** `v` in the representation field `no` of `type` uses for 64-bit integers. */
export function int64Field(type: MessageType<object>, no: number, v: bigint): bigint | string {
  const f = type.field(no);
  return f !== undefined && f.kind === "scalar" && f.int64 === "string" ? v.toString() : v;
}

/** The fraction of a second as protobuf prints it: none, or 3, 6 or 9 digits. */
export function formatNanos(nanos: number): string {
  if (nanos === 0) return "";
  const s = String(nanos).padStart(9, "0");
  if (s.endsWith("000000")) return "." + s.slice(0, 3);
  if (s.endsWith("000")) return "." + s.slice(0, 6);
  return "." + s;
}
