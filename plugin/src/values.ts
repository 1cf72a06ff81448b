// The value a field, list element or map value holds, and how it is typed,
// tested, sized, written and read. Shared by every field shape.
import { ScalarType, type DescEnum, type DescExtension, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { GeneratedFile, Printable } from "@bufbuild/protoplugin";
import { enumInfoSymbol, localTypeName, typeSymbol } from "./names.js";
import type { TsgrpcOptions } from "./options.js";
import { scalarFacts, scalarTsType, varintSize, WireType } from "./scalars.js";

export type ValueKind =
  | { readonly kind: "scalar"; readonly scalar: ScalarType; readonly int64AsString: boolean; readonly validateUtf8: boolean }
  | { readonly kind: "enum"; readonly desc: DescEnum }
  | { readonly kind: "message"; readonly desc: DescMessage; readonly delimited: boolean };

/** Everything a value generator needs from the surrounding file. */
export interface Ctx {
  readonly f: GeneratedFile;
  /** The .proto file being generated; its messages' codec functions are called directly. */
  readonly file?: import("@bufbuild/protobuf").DescFile;
  readonly options: TsgrpcOptions;
  readonly filesToGenerate: readonly import("@bufbuild/protobuf").DescFile[];
  rt(name: string): Printable;
}

export function valueKindOf(field: DescField | DescExtension, ctx: Ctx): ValueKind {
  const int64AsString = ctx.options.int64 === "string";
  switch (field.fieldKind) {
    case "scalar":
      return { kind: "scalar", scalar: field.scalar, int64AsString: int64AsString || field.longAsString, validateUtf8: field.utf8Validation };
    case "enum":
      return { kind: "enum", desc: field.enum };
    case "message":
      return { kind: "message", desc: field.message, delimited: field.delimitedEncoding };
    case "list":
      switch (field.listKind) {
        case "scalar":
          return { kind: "scalar", scalar: field.scalar, int64AsString: int64AsString || field.longAsString, validateUtf8: field.utf8Validation };
        case "enum":
          return { kind: "enum", desc: field.enum };
        case "message":
          return { kind: "message", desc: field.message, delimited: field.delimitedEncoding };
      }
      break;
    case "map":
      switch (field.mapKind) {
        case "scalar":
          // Map values never use jstype; only the plugin option switches them to strings.
          return { kind: "scalar", scalar: field.scalar, int64AsString, validateUtf8: field.utf8Validation };
        case "enum":
          return { kind: "enum", desc: field.enum };
        case "message":
          return { kind: "message", desc: field.message, delimited: false };
      }
  }
}

export function wireTypeOf(v: ValueKind): number {
  switch (v.kind) {
    case "scalar":
      return scalarFacts(v.scalar).wireType;
    case "enum":
      return WireType.varint;
    case "message":
      return v.delimited ? WireType.startGroup : WireType.delimited;
  }
}

export function tagOf(no: number, wireType: number): number {
  return no * 8 + wireType;
}

export function tsTypeOf(v: ValueKind, ctx: Ctx): Printable {
  switch (v.kind) {
    case "scalar":
      return scalarTsType(v.scalar, v.int64AsString);
    case "enum":
    case "message":
      return typeSymbol(ctx.f, v.desc, ctx.filesToGenerate);
  }
}

export type CodecFn = "create" | "size" | "write" | "read" | "isInitialized";

/**
 * The codec function `fn` of message `desc`. A message of this file has it as
 * a module-level function, and calling that directly lets the JIT inline it
 * (through the const's `spec`, nested decoding measured ~20% slower); a
 * message of another file is reached through its imported const.
 */
export function codecFn(desc: DescMessage, fn: CodecFn, ctx: Ctx): Printable[] {
  if (desc.file === ctx.file) return [codecFnName(localTypeName(ctx.f, desc), fn)];
  return [typeSymbol(ctx.f, desc, ctx.filesToGenerate), `.spec.${fn}`, fn === "isInitialized" ? "!" : ""];
}

/** `Foo$read`: `$` never occurs in proto names, so these cannot clash with generated types. */
export function codecFnName(typeName: string, fn: CodecFn): string {
  return `${typeName}$${fn}`;
}

/** Writes a precomputed tag: one byte when it fits, which is almost always. */
export function writeTag(tag: number): string {
  return tag < 128 ? `w.raw1(${tag});` : `w.uint32(${tag});`;
}

/** Expression: encoded size of value `v` including its tag. Message sizes push their slot to `s` and what they save to `t`. */
export function sizeWithTag(v: ValueKind, no: number, expr: string, ctx: Ctx): Printable[] {
  const tagSize = varintSize(tagOf(no, wireTypeOf(v)));
  switch (v.kind) {
    case "scalar": {
      const size = scalarFacts(v.scalar).size;
      return typeof size === "number" ? [String(tagSize + size)] : [`${tagSize} + `, ctx.rt(size), `(${expr})`];
    }
    case "enum":
      return [`${tagSize} + `, ctx.rt("sizeInt32"), `(${expr})`];
    case "message": {
      if (v.delimited) {
        return [`${tagSize * 2} + `, ...codecFn(v.desc, "size", ctx), `(${expr}, s, t)`];
      }
      // Arguments evaluate left to right: the slot is reserved before the
      // nested sizes are pushed, which keeps `sizes` in pre-order.
      return [`${tagSize} + `, ctx.rt("fillSlot"), "(s, ", ctx.rt("reserveSlot"), "(s), ", ...codecFn(v.desc, "size", ctx), `(${expr}, s, t))`];
    }
  }
}

/** Statement(s): writes tag and value. */
export function writeWithTag(v: ValueKind, no: number, expr: string, ctx: Ctx): Printable[] {
  const tag = tagOf(no, wireTypeOf(v));
  switch (v.kind) {
    case "scalar":
      return [`${writeTag(tag)} w.${scalarFacts(v.scalar).method}(${expr});`];
    case "enum":
      return [`${writeTag(tag)} w.int32(${expr});`];
    case "message": {
      if (v.delimited) {
        return [`${writeTag(tag)} `, ...codecFn(v.desc, "write", ctx), `(${expr}, w); ${writeTag(tagOf(no, WireType.endGroup))}`];
      }
      return [`${writeTag(tag)} w.uint32(w.nextSize()); `, ...codecFn(v.desc, "write", ctx), `(${expr}, w);`];
    }
  }
}

/**
 * Expression: reads one scalar or open-enum value (no tag). An enum's number
 * is cast to the enum's type: an open enum keeps numbers its schema does not
 * name (values a newer peer added), as the proto spec asks.
 */
export function readScalar(v: ValueKind & { kind: "scalar" | "enum" }, ctx: Ctx): Printable[] {
  if (v.kind === "enum") return ["r.int32() as ", tsTypeOf(v, ctx)];
  const facts = scalarFacts(v.scalar);
  if (facts.is64 && v.int64AsString) return [`r.${facts.method}Str()`];
  if (v.scalar === ScalarType.STRING && !v.validateUtf8) return ["r.stringLax()"];
  return [`r.${facts.method}()`];
}

/**
 * Statement: reads a nested message into a local `x` (merging into `existing`
 * when that is set), then runs `assign`. The codec is called directly at each
 * site, which keeps the call monomorphic for the JIT.
 */
export function readMessageStmt(
  v: ValueKind & { kind: "message" },
  no: number,
  existing: string | undefined,
  assign: string,
  ctx: Ctx,
): Printable[] {
  const create = [...codecFn(v.desc, "create", ctx), "()"];
  const init: Printable[] = existing === undefined ? create : [`${existing} ?? `, ...create];
  const read = codecFn(v.desc, "read", ctx);
  if (v.delimited) {
    return [`{ r.enterGroup(${no}); const x = `, ...init, "; ", ...read, `(r, x, ${no}); r.leaveGroup(); ${assign} }`];
  }
  return [`{ const l = r.enterMessage(${no}); const x = `, ...init, "; ", ...read, `(r, x, 0); r.leaveMessage(l); ${assign} }`];
}

/** Condition: `expr` is a value the closed enum declares. */
export function closedEnumKnown(desc: DescEnum, expr: string): string {
  const nums = [...new Set(desc.values.map((v) => v.number))].sort((a, b) => a - b);
  if (nums.length > 0 && nums[nums.length - 1] - nums[0] === nums.length - 1) {
    return nums.length === 1 ? `${expr} === ${nums[0]}` : `(${expr} >= ${nums[0]} && ${expr} <= ${nums[nums.length - 1]})`;
  }
  return nums.map((n) => `${expr} === ${n}`).join(" || ");
}

export function isClosedEnum(v: ValueKind): v is ValueKind & { kind: "enum" } {
  return v.kind === "enum" && !v.desc.open;
}

export function enumInfo(desc: DescEnum, ctx: Ctx): Printable {
  return enumInfoSymbol(ctx.f, desc, ctx.filesToGenerate);
}
