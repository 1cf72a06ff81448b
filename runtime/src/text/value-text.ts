// Single values in text format: how a scalar or enum value is written, and
// whether an implicit-presence field holds its zero value (and so is not
// printed, as it would not be serialized either).
import { ScalarType, type EnumType, type ValueInfo } from "../message/types.js";
import { quoteBytes } from "./escape.js";
import { formatDouble, formatFloat } from "./format-float.js";

const encoder = new TextEncoder();

/** The text of a scalar or enum value (message values are printed as blocks instead). */
export function valueText(info: ValueInfo, value: unknown): string {
  switch (info.kind) {
    case "enum":
      return enumText(info.T, value as number);
    case "message":
      throw new Error(`valueText: ${info.T.typeName} is a message`);
    case "scalar":
      return scalarText(info.T, value);
  }
}

export function scalarText(T: ScalarType, value: unknown): string {
  switch (T) {
    case ScalarType.DOUBLE:
      return formatDouble(value as number);
    case ScalarType.FLOAT:
      // What the field can hold (and the binary format would carry): the value as float32.
      return formatFloat(Math.fround(value as number));
    case ScalarType.BOOL:
      return value ? "true" : "false";
    case ScalarType.STRING:
      return quoteBytes(encoder.encode(value as string));
    case ScalarType.BYTES:
      return quoteBytes(value as Uint8Array);
    default:
      // Integers: number, bigint, or a decimal string for 64-bit fields with `int64: "string"`.
      return String(value);
  }
}

/** The value's name; the number for a value the enum does not declare (open enums allow them). */
export function enumText(T: EnumType, value: number): string {
  return T.values.find((v) => v.no === value)?.name ?? String(value);
}

