// The zero value of an implicit-presence field: the value that means "not
// set", so that the binary encoder skips it. JSON, text format and merge ask
// the same question and must agree with the encoder.
import { ScalarType, type ValueInfo } from "./types.js";

/**
 * True when `value` is what the generated encoder leaves out of an
 * implicit-presence field: undefined, 0, false, "", empty bytes, the first
 * enum value 0. A float -0 is not zero (its bits differ and it is encoded),
 * nor is NaN; a message is never zero.
 */
export function isZeroValue(info: ValueInfo, value: unknown): boolean {
  if (value === undefined) return true;
  switch (info.kind) {
    case "message":
      return false;
    case "enum":
      return value === 0;
    case "scalar":
      switch (info.T) {
        case ScalarType.BOOL:
          return value === false;
        case ScalarType.STRING:
          return value === "";
        case ScalarType.BYTES:
          return (value as Uint8Array).length === 0;
        case ScalarType.DOUBLE:
        case ScalarType.FLOAT:
          return Object.is(value, 0);
        default:
          // 32-bit integers are numbers; 64-bit ones bigints, or decimal strings with int64=string or jstype.
          return value === 0 || value === 0n || value === "0";
      }
  }
}
