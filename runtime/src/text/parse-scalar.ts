// Reads one scalar or enum value at the lexer's position, with the rules of
// C++ TextFormat's ConsumeFieldValue: integers in any base with exact range
// checks (a leading `-` is a separate token), floats from decimal text or
// `inf`/`infinity`/`nan` in any case, booleans as true/false/t/f/True/False/0/1,
// enums by name or number, strings and bytes from adjacent literals.
import { ScalarType, type EnumType, type Int64Repr, type ValueInfo } from "../message/types.js";
import type { Lexer } from "./lexer.js";
import { INT32_MAX, INT64_MAX, UINT32_MAX, UINT64_MAX, isDecimalInteger, parseFloatToken, parseUnsigned, toFloat32 } from "./numbers.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A scalar or enum value for the field named `fieldName` (for messages). */
export function parseScalar(lx: Lexer, info: Exclude<ValueInfo, { kind: "message" }>, fieldName: string): unknown {
  if (info.kind === "enum") return parseEnum(lx, info.T, fieldName);
  return parseScalarOfType(lx, info.T, info.int64 ?? "bigint", fieldName);
}

export function parseScalarOfType(lx: Lexer, T: ScalarType, int64: Int64Repr, fieldName: string): unknown {
  switch (T) {
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return Number(parseSigned(lx, INT32_MAX));
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return Number(parseUnsignedToken(lx, UINT32_MAX));
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return int64Value(parseSigned(lx, INT64_MAX), int64);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return int64Value(parseUnsignedToken(lx, UINT64_MAX), int64);
    case ScalarType.DOUBLE:
      return parseDouble(lx);
    case ScalarType.FLOAT:
      return toFloat32(parseDouble(lx));
    case ScalarType.BOOL:
      return parseBool(lx, fieldName);
    case ScalarType.BYTES:
      return parseBytes(lx);
    case ScalarType.STRING: {
      const at = lx.tok.offset;
      const bytes = parseBytes(lx);
      try {
        return strictUtf8.decode(bytes);
      } catch {
        return lx.fail(`String field "${fieldName}" contains invalid UTF-8.`, at);
      }
    }
  }
}

function int64Value(value: bigint, repr: Int64Repr): bigint | string {
  return repr === "string" ? value.toString() : value;
}

/** An integer token no larger than `max`; moves past it. */
export function parseUnsignedToken(lx: Lexer, max: bigint): bigint {
  const tok = lx.tok;
  if (tok.kind !== "integer") lx.fail(`Expected integer, got: ${tok.text}`);
  const value = parseUnsigned(tok.text, max);
  if (value === undefined) lx.fail(`Integer out of range (${tok.text})`);
  lx.next();
  return value;
}

/** An optional `-` and an integer in [-max-1, max]. */
export function parseSigned(lx: Lexer, max: bigint): bigint {
  if (lx.tok.kind === "symbol" && lx.tok.text === "-") {
    lx.next();
    return -parseUnsignedToken(lx, max + 1n);
  }
  return parseUnsignedToken(lx, max);
}

function parseDouble(lx: Lexer): number {
  let negative = false;
  if (lx.tok.kind === "symbol" && lx.tok.text === "-") {
    negative = true;
    lx.next();
  }
  const tok = lx.tok;
  let value: number;
  if (tok.kind === "integer") {
    // C++ reads integer tokens as uint64 first (exact), then as a double if larger.
    if (!isDecimalInteger(tok.text)) lx.fail(`Expect a decimal number, got: ${tok.text}`);
    const exact = parseUnsigned(tok.text, UINT64_MAX);
    value = exact !== undefined ? Number(exact) : Number(tok.text);
  } else if (tok.kind === "float") {
    value = parseFloatToken(tok.text);
  } else if (tok.kind === "identifier") {
    const lower = tok.text.toLowerCase();
    if (lower === "inf" || lower === "infinity") value = Infinity;
    else if (lower === "nan") value = NaN;
    else return lx.fail(`Expected double, got: ${tok.text}`);
  } else {
    return lx.fail(`Expected double, got: ${tok.text}`);
  }
  lx.next();
  return negative ? -value : value;
}

function parseBool(lx: Lexer, fieldName: string): boolean {
  const tok = lx.tok;
  if (tok.kind === "integer") return parseUnsignedToken(lx, 1n) === 1n;
  if (tok.kind !== "identifier") lx.fail(`Expected identifier, got: ${tok.text}`);
  let value: boolean;
  if (tok.text === "true" || tok.text === "True" || tok.text === "t") value = true;
  else if (tok.text === "false" || tok.text === "False" || tok.text === "f") value = false;
  else return lx.fail(`Invalid value for boolean field "${fieldName}". Value: "${tok.text}".`);
  lx.next();
  return value;
}

/** One or more adjacent string literals, concatenated. */
function parseBytes(lx: Lexer): Uint8Array {
  if (lx.tok.kind !== "string") lx.fail(`Expected string, got: ${lx.tok.text}`);
  const parts: Uint8Array[] = [];
  let length = 0;
  while (lx.tok.kind === "string") {
    const bytes = lx.tok.bytes!;
    parts.push(bytes);
    length += bytes.length;
    lx.next();
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(length);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * An enum value by name, or by number. A number the enum does not declare is
 * accepted for open enums only: closed (proto2) enums cannot hold it.
 */
function parseEnum(lx: Lexer, T: EnumType, fieldName: string): number {
  const tok = lx.tok;
  if (tok.kind === "identifier") {
    const value = T.values.find((v) => v.name === tok.text);
    if (value === undefined) lx.fail(`Unknown enumeration value of "${tok.text}" for field "${fieldName}".`);
    lx.next();
    return value.no;
  }
  if (tok.kind === "integer" || (tok.kind === "symbol" && tok.text === "-")) {
    const no = Number(parseSigned(lx, INT32_MAX));
    if (!T.open && !T.values.some((v) => v.no === no)) {
      lx.fail(`Unknown enumeration value of "${no}" for field "${fieldName}".`, tok.offset);
    }
    return no;
  }
  return lx.fail(`Expected integer or identifier, got: ${tok.text}`);
}
