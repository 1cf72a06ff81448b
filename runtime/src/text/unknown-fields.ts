// Unknown fields (the `$unknown` wire bytes of a message) split into fields,
// and printed by number the way C++ TextFormat prints an UnknownFieldSet.
import { BinaryReader } from "../wire/reader.js";
import { DecodeError } from "../wire/errors.js";
import { quoteBytes } from "./escape.js";
import type { TextWriter } from "./text-writer.js";

export type UnknownField =
  | { readonly no: number; readonly wireType: 0 | 1 | 5; readonly value: bigint; readonly raw: Uint8Array }
  | { readonly no: number; readonly wireType: 2; readonly value: Uint8Array; readonly raw: Uint8Array }
  | { readonly no: number; readonly wireType: 3; readonly value: UnknownField[]; readonly raw: Uint8Array };

/** How deeply C++ looks into length-delimited values for nested messages. */
export const UNKNOWN_RECURSION_BUDGET = 10;

/**
 * The fields in `bytes`, or undefined when they are not a well-formed
 * sequence of fields (every group closed, nothing left over, groups nested
 * at most `maxDepth` deep).
 */
export function splitUnknownFields(bytes: Uint8Array, maxDepth = 100): UnknownField[] | undefined {
  const reader = new BinaryReader(bytes, { maxDepth });
  try {
    return readFields(reader, 0);
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

/** Fields up to the end of input, or up to the END_GROUP of group `groupNo`. */
function readFields(reader: BinaryReader, groupNo: number): UnknownField[] {
  const fields: UnknownField[] = [];
  while (reader.pos < reader.limit) {
    const start = reader.pos;
    const tag = reader.tag();
    const no = tag >>> 3;
    const raw = (): Uint8Array => reader.buf.subarray(start, reader.pos);
    switch (tag & 7) {
      case 0: {
        const value = reader.uint64();
        fields.push({ no, wireType: 0, value, raw: raw() });
        break;
      }
      case 1: {
        const value = reader.fixed64();
        fields.push({ no, wireType: 1, value, raw: raw() });
        break;
      }
      case 5: {
        const value = BigInt(reader.fixed32());
        fields.push({ no, wireType: 5, value, raw: raw() });
        break;
      }
      case 2: {
        const value = reader.bytes();
        fields.push({ no, wireType: 2, value, raw: raw() });
        break;
      }
      case 3: {
        reader.enter();
        const value = readFields(reader, no);
        reader.leave();
        fields.push({ no, wireType: 3, value, raw: raw() });
        break;
      }
      default:
        // END_GROUP: only the one closing the group being read.
        if (no !== groupNo) throw new DecodeError("unexpected end group");
        return fields;
    }
  }
  if (groupNo !== 0) throw new DecodeError("unterminated group");
  return fields;
}

/**
 * Prints fields by number. A length-delimited value that parses as fields is
 * printed as a nested message (while `budget` lasts), anything else as a
 * string, exactly as C++ does: the reader cannot tell them apart either.
 */
export function printUnknownFields(fields: readonly UnknownField[], out: TextWriter, budget: number): void {
  for (const field of fields) {
    switch (field.wireType) {
      case 0:
        out.line(`${field.no}: ${field.value}`);
        break;
      case 5:
        out.line(`${field.no}: 0x${field.value.toString(16).padStart(8, "0")}`);
        break;
      case 1:
        out.line(`${field.no}: 0x${field.value.toString(16).padStart(16, "0")}`);
        break;
      case 2: {
        const nested = field.value.length > 0 && budget > 0 ? splitUnknownFields(field.value, budget) : undefined;
        if (nested === undefined) {
          out.line(`${field.no}: ${quoteBytes(field.value)}`);
        } else {
          out.open(String(field.no));
          printUnknownFields(nested, out, budget - 1);
          out.close();
        }
        break;
      }
      case 3:
        out.open(String(field.no));
        printUnknownFields(field.value, out, budget - 1);
        out.close();
        break;
    }
  }
}
