// The field tables of tsgrpc's generated code describe every workload's
// schema; the normaliser walks them for every library alike.
import { ScalarType, type MessageType } from "@tsgrpc/runtime/codegen";

export type FieldInfo = MessageType<object>["fields"][number];
export type ValueInfo = Exclude<FieldInfo, { kind: "map" }>;

export { ScalarType };

const int64Types = new Set<ScalarType>([ScalarType.INT64, ScalarType.SINT64, ScalarType.SFIXED64]);
const uint64Types = new Set<ScalarType>([ScalarType.UINT64, ScalarType.FIXED64]);

export function is64(t: ScalarType): boolean {
  return int64Types.has(t) || uint64Types.has(t);
}

export function isUnsigned64(t: ScalarType): boolean {
  return uint64Types.has(t);
}
