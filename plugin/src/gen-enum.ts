// A proto enum becomes a TypeScript enum with the proto's value names and
// numbers, plus a `$enum` descriptor the runtime uses for JSON and text.
import type { DescEnum } from "@bufbuild/protobuf";
import type { Ctx } from "./values.js";
import { localTypeName } from "./names.js";

export function generateEnum(desc: DescEnum, ctx: Ctx): void {
  const { f } = ctx;
  const name = localTypeName(f, desc);
  f.print(f.jsDoc(desc));
  f.print(f.export("enum", name), " {");
  for (const value of desc.values) {
    f.print(f.jsDoc(value, "  "));
    f.print("  ", value.name, " = ", String(value.number), ",");
  }
  f.print("}");
  f.print();
  const values = desc.values.map((v) => `{ no: ${v.number}, name: ${JSON.stringify(v.name)} }`);
  f.print(f.export("const", name + "$enum"), ": ", ctx.rt("EnumType"), " = {");
  f.print("  typeName: ", f.string(desc.typeName), ",");
  f.print("  open: ", String(desc.open), ",");
  f.print("  values: [");
  for (const v of values) f.print("    ", v, ",");
  f.print("  ],");
  f.print("};");
  f.print();
}
