// A proto enum becomes a const object of its value names and numbers plus a
// type of the same name (the union of those numbers): unlike a TypeScript
// `enum`, both erase to plain JavaScript, so the output runs under Node's type
// stripping and compiles with `erasableSyntaxOnly`. `Color.RED` is a value,
// `Color` the type of a field. A separate `$enum` descriptor (name, openness,
// values) serves the runtime's JSON and text format; kept apart from the
// object, `keyof typeof Color` is exactly the value names and a bundle that
// never prints JSON can drop the descriptor.
import type { DescEnum } from "@bufbuild/protobuf";
import type { Ctx } from "./values.js";
import { localTypeName } from "./names.js";

export function generateEnum(desc: DescEnum, ctx: Ctx): void {
  const { f } = ctx;
  const name = localTypeName(f, desc);
  f.print(f.jsDoc(desc));
  f.print(f.export("const", name), " = {");
  for (const value of desc.values) {
    f.print(f.jsDoc(value, "  "));
    f.print("  ", enumKey(value.name), ": ", String(value.number), ",");
  }
  f.print("} as const;");
  f.print(f.jsDoc(desc));
  f.print(f.export("type", name), " = (typeof ", name, ")[keyof typeof ", name, "];");
  f.print();
  const values = desc.values.map((v) => `{ no: ${v.number}, name: ${JSON.stringify(v.name)} }`);
  f.print("/** The runtime descriptor of ", desc.typeName, " (JSON and text format names, openness). */");
  f.print(f.export("const", name + "$enum"), ": ", ctx.rt("EnumType"), " = {");
  f.print("  typeName: ", f.string(desc.typeName), ",");
  f.print("  open: ", String(desc.open), ",");
  f.print("  values: [");
  for (const v of values) f.print("    ", v, ",");
  f.print("  ],");
  f.print("};");
  f.print();
}

/**
 * A value name as a key of the object literal. Proto identifiers are valid
 * property names, reserved words included (`Keywords.delete`), except that a
 * literal `__proto__:` key would set the object's prototype instead.
 */
function enumKey(name: string): string {
  return name === "__proto__" ? `["__proto__"]` : name;
}
