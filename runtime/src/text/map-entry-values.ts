// Defaults and keys for map entries read from text: an entry may leave out
// its key or value, which then take their zero values, as in binary.
import { ScalarType, type FieldInfo, type ValueInfo } from "../message/types.js";
import { shortName } from "./field-names.js";

type MapField = Extract<FieldInfo, { kind: "map" }>;

/** The property name for a parsed key (undefined: the key was left out). */
export function mapEntryKey(T: ScalarType, key: unknown): string {
  if (key !== undefined) return String(key);
  if (T === ScalarType.STRING) return "";
  if (T === ScalarType.BOOL) return "false";
  return "0";
}

/** The value of a field that was not given. Closed enums default to their first value. */
export function zeroValue(info: ValueInfo): unknown {
  switch (info.kind) {
    case "message":
      return info.T.create();
    case "enum":
      return info.T.open ? 0 : (info.T.values[0]?.no ?? 0);
    case "scalar":
      switch (info.T) {
        case ScalarType.BOOL:
          return false;
        case ScalarType.STRING:
          return "";
        case ScalarType.BYTES:
          return new Uint8Array(0);
        case ScalarType.INT64:
        case ScalarType.UINT64:
        case ScalarType.SINT64:
        case ScalarType.FIXED64:
        case ScalarType.SFIXED64:
          return info.int64 === "string" ? "0" : 0n;
        default:
          return 0;
      }
  }
}

/** The synthetic entry message's name protoc gives a map field, e.g. `pkg.Msg.MapStringStringEntry`. */
export function mapEntryTypeName(field: MapField, containingType?: string): string {
  const camel = field.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const entry = `${camel.charAt(0).toUpperCase()}${camel.slice(1)}Entry`;
  return containingType === undefined ? entry : `${containingType}.${shortName(entry)}`;
}
