// A proto message becomes an interface and a same-named codec const built by
// the runtime's defineMessage from straight-line size/write/read functions
// and a field table.
import { ScalarType, type DescEnum, type DescExtension, type DescField, type DescMessage, type DescOneof } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import type { Printable } from "@bufbuild/protoplugin";
import { Code } from "./code.js";
import { localTypeName, typeSymbol } from "./names.js";
import { isPackable, scalarFacts, scalarLiteral, scalarNonZero, scalarZero, WireType } from "./scalars.js";
import {
  closedEnumKnown,
  codecFn,
  codecFnName,
  enumInfo,
  isClosedEnum,
  readMessageStmt,
  readScalar,
  sizeWithTag,
  tagOf,
  tsTypeOf,
  valueKindOf,
  wireTypeOf,
  writeTag,
  writeWithTag,
  type Ctx,
  type ValueKind,
} from "./values.js";
import { varintSize } from "./scalars.js";

export function generateMessage(desc: DescMessage, ctx: Ctx): void {
  generateInterface(desc, ctx);
  generateCodec(desc, ctx);
}

/** Fields with explicit presence are optional properties, `undefined` when unset. */
function hasExplicitPresence(field: DescField | DescExtension): boolean {
  return field.fieldKind === "message" || field.presence !== FeatureSet_FieldPresence.IMPLICIT;
}

/** Fields and oneofs in field-number order, each oneof at its lowest member. */
function members(desc: DescMessage): (DescField | DescOneof)[] {
  const out: (DescField | DescOneof)[] = [];
  for (const field of [...desc.fields].sort((a, b) => a.number - b.number)) {
    if (field.oneof === undefined) {
      out.push(field);
    } else if (!out.includes(field.oneof)) {
      out.push(field.oneof);
    }
  }
  return out;
}

function fieldTsType(field: DescField, ctx: Ctx): Printable[] {
  const v = valueKindOf(field, ctx);
  switch (field.fieldKind) {
    case "list":
      return [tsTypeOf(v, ctx), "[]"];
    case "map": {
      const key = field.mapKey;
      const numericKey = !scalarFacts(key).is64 && key !== ScalarType.STRING && key !== ScalarType.BOOL;
      return [`{ [key: ${numericKey ? "number" : "string"}]: `, tsTypeOf(v, ctx), " }"];
    }
    default:
      return [tsTypeOf(v, ctx)];
  }
}

function generateInterface(desc: DescMessage, ctx: Ctx): void {
  const { f } = ctx;
  const name = localTypeName(f, desc);
  f.print(f.jsDoc(desc));
  f.print(f.export("interface", name), " {");
  for (const member of members(desc)) {
    if (member.kind === "oneof") {
      f.print(f.jsDoc(member, "  "));
      const cases: Printable[] = [];
      member.fields.forEach((field, i) => {
        if (i > 0) cases.push(" | ");
        cases.push(`{ case: ${JSON.stringify(field.localName)}; value: `, ...fieldTsType(field, ctx), " }");
      });
      f.print("  ", member.localName, "?: ", ...cases, " | undefined;");
      continue;
    }
    f.print(f.jsDoc(member, "  "));
    // Explicit presence: optional, and `| undefined` because create() and
    // decode give unset fields their property holding undefined (see
    // generateCreate), which exactOptionalPropertyTypes tells apart.
    const optional = member.fieldKind !== "list" && member.fieldKind !== "map" && hasExplicitPresence(member);
    if (optional) f.print("  ", member.localName, "?: ", ...fieldTsType(member, ctx), " | undefined;");
    else f.print("  ", member.localName, ": ", ...fieldTsType(member, ctx), ";");
  }
  f.print("  /** Fields this version of the schema does not know, kept as wire bytes. */");
  f.print("  $unknown?: Uint8Array;");
  f.print("}");
  f.print();
}

function generateCodec(desc: DescMessage, ctx: Ctx): void {
  const { f } = ctx;
  const name = localTypeName(f, desc);
  // The codec's functions are module-level, so that messages of this file
  // call each other directly (see codecFn); the const's spec points at them.
  const fns = new Code(0);
  generateCreate(desc, name, ctx, fns);
  generateSize(desc, name, ctx, fns);
  generateWrite(desc, name, ctx, fns);
  generateRead(desc, name, ctx, fns);
  const initCheck = needsInitCheck(desc, new Set());
  if (initCheck) generateIsInitialized(desc, name, ctx, fns);
  fns.printTo(f);
  // Marked pure: a bundler may then drop the types a program never names
  // (without the mark it must keep every call, and with it every codec of the file).
  f.print(f.export("const", name), ": ", ctx.rt("MessageType"), "<", name, "> = /*@__PURE__*/ ", ctx.rt("defineMessage"), "<", name, ">({");
  f.print("  typeName: ", f.string(desc.typeName), ",");
  const code = new Code(1);
  generateFieldTable(desc, ctx, code);
  for (const fn of ["create", "size", "write", "read"] as const) code.line(`${fn}: ${codecFnName(name, fn)},`);
  if (initCheck) code.line(`isInitialized: ${codecFnName(name, "isInitialized")},`);
  if (desc.proto.reservedName.length > 0) code.line(`reservedNames: ${JSON.stringify(desc.proto.reservedName)},`);
  code.printTo(f);
  f.print("});");
  f.print();
}

function generateCreate(desc: DescMessage, name: string, ctx: Ctx, c: Code): void {
  const props: Printable[] = [];
  const add = (...parts: Printable[]): void => {
    if (props.length > 0) props.push(", ");
    props.push(...parts);
  };
  // Every field gets its property, unset ones as undefined, in field-number
  // order: then all messages of a type share one hidden class, and the loads
  // in size/write stay monomorphic. (Adding properties as decoding finds
  // them gave each combination of set fields its own shape; google_message2's
  // 1,000 groups made every load site megamorphic.)
  for (const member of members(desc)) {
    if (member.kind === "oneof") {
      add(`${member.localName}: undefined`);
      continue;
    }
    const field = member;
    if (field.fieldKind === "list") add(`${field.localName}: []`);
    else if (field.fieldKind === "map") add(`${field.localName}: {}`);
    else if (hasExplicitPresence(field)) add(`${field.localName}: undefined`);
    else {
      // One shared empty array: zero-length bytes cannot be mutated.
      const bytes = field.fieldKind === "scalar" && field.scalar === ScalarType.BYTES;
      add(`${field.localName}: `, ...(bytes ? [ctx.rt("EMPTY_BYTES")] : implicitZero(field, ctx)));
    }
  }
  c.line(`function ${codecFnName(name, "create")}(): ${name} {`);
  c.line("  return { ", ...props, " };");
  c.line("}");
  c.line();
}

function implicitZero(field: DescField, ctx: Ctx): Printable[] {
  const v = valueKindOf(field, ctx);
  if (v.kind === "enum") return enumZero(v.desc, ctx);
  return [v.kind === "scalar" ? scalarZero(v.scalar, v.int64AsString) : "undefined"];
}

/** 0 as a value of the enum: a closed enum need not name it (then 0 stands for "unset" until a value is read). */
function enumZero(desc: DescEnum, ctx: Ctx): Printable[] {
  return desc.values.some((v) => v.number === 0) ? ["0"] : ["0 as ", typeSymbol(ctx.f, desc, ctx.filesToGenerate)];
}

// ---------------------------------------------------------------- size

function generateSize(desc: DescMessage, name: string, ctx: Ctx, c: Code): void {
  const ms = members(desc);
  const sizes = usesSizes(desc) ? "s" : "_s";
  const saved = usesSaved(desc) ? "t" : "_t";
  c.block([`function ${codecFnName(name, "size")}(m: `, ctx.rt("PartialMessage"), `<${name}>, ${sizes}: number[], ${saved}: unknown[]): number {`], (c) => {
    c.line("let n = 0;");
    for (const member of ms) {
      if (member.kind === "oneof") {
        c.block([`switch (m.${member.localName}?.case) {`], (c) => {
          for (const field of member.fields) {
            const v = valueKindOf(field, ctx);
            c.line(`case ${JSON.stringify(field.localName)}: n += `, ...sizeWithTag(v, field.number, `m.${member.localName}.value`, ctx), "; break;");
          }
        });
        continue;
      }
      sizeField(member, ctx, c);
    }
    c.line("if (m.$unknown !== undefined) n += m.$unknown.length;");
    c.line("return n;");
  });
  c.line();
}

/** Whether size() needs its `sizes` parameter (nested messages, packed varints, maps). */
function usesSizes(desc: DescMessage): boolean {
  return desc.fields.some((f) => f.fieldKind === "message" || f.fieldKind === "map" || (f.fieldKind === "list" && (f.listKind === "message" || f.packed)));
}

/** Whether size() needs its `saved` parameter (maps, and messages that may hold maps). */
function usesSaved(desc: DescMessage): boolean {
  return desc.fields.some((f) => f.fieldKind === "message" || f.fieldKind === "map" || (f.fieldKind === "list" && f.listKind === "message"));
}

function sizeField(field: DescField, ctx: Ctx, c: Code): void {
  const v = valueKindOf(field, ctx);
  const m = `m.${field.localName}`;
  switch (field.fieldKind) {
    case "list": {
      if (field.packed) {
        const fixed = v.kind === "scalar" ? scalarFacts(v.scalar).size : undefined;
        const tagSize = varintSize(tagOf(field.number, WireType.delimited));
        c.block([`if (${m} !== undefined && ${m}.length !== 0) {`], (c) => {
          if (typeof fixed === "number") {
            c.line(`const p = ${m}.length * ${fixed};`);
          } else {
            const helper = v.kind === "enum" ? "sizeInt32" : (fixed as string);
            c.line("let p = 0;");
            c.line(`for (const v of ${m}) p += `, ctx.rt(helper), "(v);");
            c.line("s.push(p);");
          }
          c.line(`n += ${tagSize} + `, ctx.rt("sizeVarint32"), "(p) + p;");
        });
      } else {
        c.line(`if (${m} !== undefined) for (const v of ${m}) n += `, ...sizeWithTag(v, field.number, "v", ctx), ";");
      }
      return;
    }
    case "map": {
      const key = mapKeyKind(field);
      const tagSize = varintSize(tagOf(field.number, WireType.delimited));
      // Keys and values are saved (before any nested message saves its own)
      // for the write pass; see MessageSpec.size.
      c.block([`if (${m} !== undefined) {`], (c) => {
        c.line(`const r = ${m};`);
        c.line("const ks = Object.keys(r);");
        const split = varint64Split(v);
        if (split !== undefined) {
          // 64-bit varints: the size pass splits each value into its 32-bit
          // halves anyway; it keeps those (two numbers per entry) instead of
          // the value, so the write pass does not split it again.
          c.line("const vs: number[] = [];");
          c.line("t.push(ks, vs);");
          c.block(["for (const k of ks) {"], (c) => {
            c.line(ctx.rt(split), `(r[k${mapKeyIndexSuffix(field)}]!);`);
            if (v.kind === "scalar" && v.scalar === ScalarType.SINT64) c.line(ctx.rt("zigzagWords"), "();");
            c.line("const lo = ", ctx.rt("words"), ".lo;");
            c.line("const hi = ", ctx.rt("words"), ".hi;");
            c.line("vs.push(lo, hi);");
            c.line("const e = ", ...sizeWithTag(key, 1, mapKeyToWire(field, "k"), ctx), " + 1 + ", ctx.rt("sizeVarint64"), "(lo, hi);");
            c.line("s.push(e);");
            c.line(`n += ${tagSize} + `, ctx.rt("sizeVarint32"), "(e) + e;");
          });
          return;
        }
        c.line("const vs: ", ctx.rt("MapValues"), "<typeof r> = [];");
        c.line("t.push(ks, vs);");
        c.block(["for (const k of ks) {"], (c) => {
          c.line(`const v = r[k${mapKeyIndexSuffix(field)}]!;`);
          c.line("vs.push(v);");
          if (v.kind === "message") {
            // The entry's slot comes before the slots of the message inside it.
            c.line("const i = s.length;");
            c.line("s.push(0);");
            c.line("const e = ", ...sizeWithTag(key, 1, mapKeyToWire(field, "k"), ctx), " + ", ...sizeWithTag(v, 2, "v", ctx), ";");
            c.line("s[i] = e;");
          } else {
            c.line("const e = ", ...sizeWithTag(key, 1, mapKeyToWire(field, "k"), ctx), " + ", ...sizeWithTag(v, 2, "v", ctx), ";");
            c.line("s.push(e);");
          }
          c.line(`n += ${tagSize} + `, ctx.rt("sizeVarint32"), "(e) + e;");
        });
      });
      return;
    }
    default: {
      const cond = hasExplicitPresence(field) ? `${m} !== undefined` : nonZero(v, m);
      c.line(`if (${cond}) n += `, ...sizeWithTag(v, field.number, m, ctx), ";");
    }
  }
}

function nonZero(v: ValueKind, expr: string): string {
  return v.kind === "scalar" ? scalarNonZero(v.scalar, expr, v.int64AsString) : `${expr} !== undefined && ${expr} !== 0`;
}

/** For a 64-bit varint map value, the runtime function that splits it into `words`. */
function varint64Split(v: ValueKind): "splitInt64" | "splitUint64" | undefined {
  if (v.kind !== "scalar") return undefined;
  switch (v.scalar) {
    case ScalarType.INT64:
    case ScalarType.SINT64:
      return "splitInt64";
    case ScalarType.UINT64:
      return "splitUint64";
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- map keys

function mapKeyKind(field: DescField & { fieldKind: "map" }): ValueKind {
  return { kind: "scalar", scalar: field.mapKey, int64AsString: true, validateUtf8: field.utf8Validation };
}

/** Map keys are property names (strings); converts one to what the writer takes. */
function mapKeyToWire(field: DescField & { fieldKind: "map" }, k: string): string {
  switch (field.mapKey) {
    case ScalarType.STRING:
      return k;
    case ScalarType.BOOL:
      return `${k} === "true"`;
    default:
      // 64-bit keys stay decimal strings, which the writer accepts as they are.
      return scalarFacts(field.mapKey).is64 ? k : `Number(${k})`;
  }
}

/** Indexing a numeric-keyed record with a string key needs a cast for the type checker. */
function mapKeyIndexSuffix(field: DescField & { fieldKind: "map" }): string {
  const numericKey = !scalarFacts(field.mapKey).is64 && field.mapKey !== ScalarType.STRING && field.mapKey !== ScalarType.BOOL;
  return numericKey ? " as unknown as number" : "";
}

// ---------------------------------------------------------------- write

function generateWrite(desc: DescMessage, name: string, ctx: Ctx, c: Code): void {
  c.block([`function ${codecFnName(name, "write")}(m: `, ctx.rt("PartialMessage"), `<${name}>, w: `, ctx.rt("BinaryWriter"), "): void {"], (c) => {
    for (const member of members(desc)) {
      if (member.kind === "oneof") {
        c.line(`const ${member.localName}$ = m.${member.localName};`);
        c.block([`if (${member.localName}$ !== undefined) {`], (c) => {
          c.block([`switch (${member.localName}$.case) {`], (c) => {
            for (const field of member.fields) {
              const v = valueKindOf(field, ctx);
              c.line(`case ${JSON.stringify(field.localName)}: `, ...writeWithTag(v, field.number, `${member.localName}$.value`, ctx), " break;");
            }
          });
        });
        continue;
      }
      writeField(member, ctx, c);
    }
    c.line("if (m.$unknown !== undefined) w.raw(m.$unknown);");
  });
  c.line();
}

function writeField(field: DescField, ctx: Ctx, c: Code): void {
  const v = valueKindOf(field, ctx);
  const m = `m.${field.localName}`;
  switch (field.fieldKind) {
    case "list": {
      if (field.packed) {
        const fixed = v.kind === "scalar" ? scalarFacts(v.scalar).size : undefined;
        const method = v.kind === "scalar" ? scalarFacts(v.scalar).method : "int32";
        c.block([`if (${m} !== undefined && ${m}.length !== 0) {`], (c) => {
          c.line(writeTag(tagOf(field.number, WireType.delimited)), typeof fixed === "number" ? ` w.uint32(${m}.length * ${fixed});` : " w.uint32(w.nextSize());");
          c.line(`for (const v of ${m}) w.${method}(v);`);
        });
      } else {
        c.line(`if (${m} !== undefined) for (const v of ${m}) { `, ...writeWithTag(v, field.number, "v", ctx), " }");
      }
      return;
    }
    case "map": {
      const key = mapKeyKind(field);
      const split = varint64Split(v) !== undefined;
      c.block([`if (${m} !== undefined) {`], (c) => {
        c.line("const ks = w.nextSaved<string[]>();");
        if (split) c.line("const vs = w.nextSaved<number[]>();");
        else c.line("const vs = w.nextSaved<", ctx.rt("MapValues"), `<typeof ${m}>>();`);
        c.block(["for (let j = 0; j < ks.length; j++) {"], (c) => {
          c.line("const k = ks[j]!;");
          c.line(writeTag(tagOf(field.number, WireType.delimited)), " w.uint32(w.nextSize());");
          c.line(...writeWithTag(key, 1, mapKeyToWire(field, "k"), ctx));
          // The halves the size pass kept (see sizeField).
          if (split) c.line(writeTag(tagOf(2, WireType.varint)), " w.varint64(vs[2 * j]!, vs[2 * j + 1]!);");
          else c.line(...writeWithTag(v, 2, "vs[j]!", ctx));
        });
      });
      return;
    }
    default: {
      const cond = hasExplicitPresence(field) ? `${m} !== undefined` : nonZero(v, m);
      c.line(`if (${cond}) { `, ...writeWithTag(v, field.number, m, ctx), " }");
    }
  }
}

// ---------------------------------------------------------------- read

function generateRead(desc: DescMessage, name: string, ctx: Ctx, c: Code): void {
  c.block([`function ${codecFnName(name, "read")}(r: `, ctx.rt("BinaryReader"), `, m: ${name}, g: number): void {`], (c) => {
    c.block(["while (r.pos < r.limit) {"], (c) => {
      c.line("const t = r.fieldTag();");
      c.block(["switch (t) {"], (c) => {
        for (const field of [...desc.fields].sort((a, b) => a.number - b.number)) {
          readField(field, ctx, c);
        }
        c.line("default:");
        c.line("  if ((t & 7) === 4) { r.endGroup(t, g); return; }");
        c.line("  r.unknown(t, m);");
      });
    });
    c.line("if (g !== 0) r.endGroup(0, g);");
  });
  c.line();
}

function readField(field: DescField, ctx: Ctx, c: Code): void {
  const v = valueKindOf(field, ctx);
  const m = `m.${field.localName}`;
  const tag = tagOf(field.number, wireTypeOf(v));
  switch (field.fieldKind) {
    case "list": {
      if (v.kind === "message") {
        c.line(`case ${tag}: `, ...readMessageStmt(v, field.number, undefined, `${m}.push(x);`, ctx), " break;");
        return;
      }
      const packable = v.kind === "enum" || isPackable(v.scalar);
      c.line(`case ${tag}: `, ...readListElement(field, v, m, ctx), " break;");
      if (packable) {
        c.block([`case ${tagOf(field.number, WireType.delimited)}: {`], (c) => {
          c.line("const p = r.pushLimit();");
          c.line("while (r.pos < r.limit) ", ...readListElement(field, v, m, ctx));
          c.line("r.popLimit(p);");
          c.line("break;");
        });
      }
      return;
    }
    case "map":
      readMapEntry(field, v, m, tagOf(field.number, WireType.delimited), ctx, c);
      return;
  }
  const oneof = field.oneof;
  if (v.kind === "message") {
    if (oneof !== undefined) {
      const o = `m.${oneof.localName}`;
      const existing = `(${o}?.case === ${JSON.stringify(field.localName)} ? ${o}.value : undefined)`;
      c.line(`case ${tag}: `, ...readMessageStmt(v, field.number, existing, `${o} = { case: ${JSON.stringify(field.localName)}, value: x };`, ctx), " break;");
    } else {
      c.line(`case ${tag}: `, ...readMessageStmt(v, field.number, m, `${m} = x;`, ctx), " break;");
    }
    return;
  }
  const assign = (...value: Printable[]): Printable[] =>
    oneof !== undefined ? [`m.${oneof.localName} = { case: ${JSON.stringify(field.localName)}, value: `, ...value, " };"] : [`${m} = `, ...value, ";"];
  if (isClosedEnum(v)) {
    // Checked first, then cast: a closed enum holds only the numbers it names.
    c.line(`case ${tag}: { const v = r.int32(); if (${closedEnumKnown(v.desc, "v")}) `, ...assign("v as ", tsTypeOf(v, ctx)), ` else r.unknownVarint(${field.number}, v, m); break; }`);
    return;
  }
  c.line(`case ${tag}: `, ...assign(...readScalar(v as ValueKind & { kind: "scalar" | "enum" }, ctx)), " break;");
}

function readListElement(field: DescField, v: ValueKind, m: string, ctx: Ctx): Printable[] {
  if (isClosedEnum(v)) {
    return [`{ const v = r.int32(); if (${closedEnumKnown(v.desc, "v")}) ${m}.push(v as `, tsTypeOf(v, ctx), `); else r.unknownVarint(${field.number}, v, m); }`];
  }
  return [`${m}.push(`, ...readScalar(v as ValueKind & { kind: "scalar" | "enum" }, ctx), ");"];
}

function readMapEntry(field: DescField & { fieldKind: "map" }, v: ValueKind, m: string, tag: number, ctx: Ctx, c: Code): void {
  const key = mapKeyKind(field);
  const keyZero = field.mapKey === ScalarType.BOOL ? "false" : scalarZero(field.mapKey, true);
  c.block([`case ${tag}: {`], (c) => {
    if (isClosedEnum(v)) c.line("const start = r.tagPos;");
    c.line("const p = r.pushLimit();");
    c.line(`let k = ${keyZero};`);
    if (v.kind === "message") {
      c.line("let v: ", tsTypeOf(v, ctx), " | undefined;");
    } else {
      c.line("let v: ", tsTypeOf(v, ctx), " = ", ...(v.kind === "scalar" ? [scalarZero(v.scalar, v.int64AsString)] : enumZero(v.desc, ctx)), ";");
    }
    c.block(["while (r.pos < r.limit) {"], (c) => {
      c.line("const t = r.fieldTag();");
      const keyTag = tagOf(1, wireTypeOf(key));
      const valueTag = tagOf(2, wireTypeOf(v));
      c.line(`if (t === ${keyTag}) k = `, ...readScalar(key as ValueKind & { kind: "scalar" }, ctx), ";");
      if (v.kind === "message") {
        c.line(`else if (t === ${valueTag}) `, ...readMessageStmt(v, 2, "v", "v = x;", ctx));
      } else {
        c.line(`else if (t === ${valueTag}) v = `, ...readScalar(v as ValueKind & { kind: "scalar" | "enum" }, ctx), ";");
      }
      c.line("else r.skip(t);");
    });
    c.line("r.popLimit(p);");
    if (isClosedEnum(v)) {
      // An entry whose value the closed enum does not declare is kept whole as an unknown field.
      c.line(`if (!(${closedEnumKnown(v.desc, "v")})) { `, ctx.rt("appendUnknown"), "(m, r.buf.subarray(start, r.pos)); break; }");
    }
    const keyExpr = field.mapKey === ScalarType.BOOL ? "String(k)" : "k";
    const value: Printable[] = v.kind === "message" ? ["v ?? ", ...codecFn(v.desc, "create", ctx), "()"] : ["v"];
    c.line(ctx.rt("setMapEntry"), `(${m}, ${keyExpr}, `, ...value, ");");
    c.line("break;");
  });
}

// ---------------------------------------------------------------- field table

function generateFieldTable(desc: DescMessage, ctx: Ctx, c: Code): void {
  c.block(["fields: () => ["], (c) => {
    for (const field of desc.fields) {
      c.line("{ ", ...fieldInfo(field, ctx), " },");
    }
  }, ["],"]);
}

function valueInfo(v: ValueKind, ctx: Ctx): Printable[] {
  switch (v.kind) {
    case "scalar":
      return [`kind: "scalar", T: `, ctx.rt("ScalarType"), `.${ScalarType[v.scalar]}`, ...(scalarFacts(v.scalar).is64 && v.int64AsString ? [`, int64: "string"`] : [])];
    case "enum":
      return [`kind: "enum", T: `, enumInfo(v.desc, ctx)];
    case "message":
      return [`kind: "message", T: `, tsTypeOf(v, ctx), ...(v.delimited ? [", delimited: true"] : [])];
  }
}

export function fieldInfo(field: DescField | DescExtension, ctx: Ctx): Printable[] {
  const localName = field.kind === "extension" ? field.name : field.localName;
  const jsonName = field.kind === "extension" ? `[${field.typeName}]` : field.jsonName;
  const head = `no: ${field.number}, name: ${JSON.stringify(field.name)}, localName: ${JSON.stringify(localName)}, jsonName: ${JSON.stringify(jsonName)}, `;
  const v = valueKindOf(field, ctx);
  const parts: Printable[] = [head];
  switch (field.fieldKind) {
    case "map":
      parts.push(`kind: "map", key: `, ctx.rt("ScalarType"), `.${ScalarType[field.mapKey]}, value: { `, ...valueInfo(v, ctx), " }");
      return parts;
    case "list":
      parts.push(...valueInfo(v, ctx), `, repeated: true, packed: ${field.packed}`);
      return parts;
  }
  parts.push(...valueInfo(v, ctx), `, explicit: ${hasExplicitPresence(field)}`);
  if (field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED) parts.push(", required: true");
  if (field.oneof !== undefined) parts.push(`, oneof: ${JSON.stringify(field.oneof.localName)}`);
  const def = field.fieldKind === "scalar" || field.fieldKind === "enum" ? field.getDefaultValue() : undefined;
  if (def !== undefined && field.proto.defaultValue !== undefined && field.proto.defaultValue !== "") {
    parts.push(", defaultValue: ", v.kind === "scalar" ? scalarLiteral(v.scalar, def, v.int64AsString) : String(def));
  }
  return parts;
}

// ---------------------------------------------------------------- required fields

/** Whether a message has proto2/editions required fields, itself or in any message it holds. */
function needsInitCheck(desc: DescMessage, visiting: Set<DescMessage>): boolean {
  if (visiting.has(desc)) return false;
  visiting.add(desc);
  try {
    return desc.fields.some(
      (f) => f.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED || (f.message !== undefined && needsInitCheck(f.message, visiting)),
    );
  } finally {
    visiting.delete(desc);
  }
}

function generateIsInitialized(desc: DescMessage, name: string, ctx: Ctx, c: Code): void {
  c.block([`function ${codecFnName(name, "isInitialized")}(m: ${name}): boolean {`], (c) => {
    for (const field of desc.fields) {
      const m = `m.${field.localName}`;
      if (field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED) c.line(`if (${m} === undefined) return false;`);
      if (field.message === undefined || !needsInitCheck(field.message, new Set())) continue;
      const check = (v: string): Printable[] => ["!", ...codecFn(field.message, "isInitialized", ctx), `(${v})`];
      switch (field.fieldKind) {
        case "list":
          c.line(`for (const v of ${m}) if (`, ...check("v"), ") return false;");
          break;
        case "map":
          c.line(`for (const v of Object.values(${m})) if (`, ...check("v"), ") return false;");
          break;
        default:
          if (field.oneof !== undefined) {
            const o = `m.${field.oneof.localName}`;
            c.line(`if (${o}?.case === ${JSON.stringify(field.localName)} && `, ...check(`${o}.value`), ") return false;");
          } else {
            c.line(`if (${m} !== undefined && `, ...check(m), ") return false;");
          }
      }
    }
    c.line("return true;");
  });
  c.line();
}
