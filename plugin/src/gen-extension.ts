// A proto2/editions extension becomes a const, typed with its extendee and
// value for getExtension and setExtension, that the runtime's JSON, text format
// and registries use; its values travel in the extendee's unknown fields.
import type { DescExtension } from "@bufbuild/protobuf";
import { fieldInfo } from "./gen-message.js";
import { typeSymbol } from "./names.js";
import { tsTypeOf, valueKindOf, type Ctx } from "./values.js";

export function generateExtension(desc: DescExtension, ctx: Ctx): void {
  const { f } = ctx;
  const name = f.importSchema(desc).name;
  f.print(f.jsDoc(desc));
  const extendee = typeSymbol(f, desc.extendee, ctx.filesToGenerate);
  const value = tsTypeOf(valueKindOf(desc, ctx), ctx);
  const valueType = desc.fieldKind === "list" ? [value, "[]"] : [value];
  f.print(f.export("const", name), ": ", ctx.rt("ExtensionType"), "<", extendee, ", ", ...valueType, "> = /*@__PURE__*/ ", ctx.rt("defineExtension"), "({");
  f.print("  typeName: ", f.string(desc.typeName), ",");
  f.print("  extendee: () => ", extendee, ",");
  f.print("  field: () => ({ ", ...fieldInfo(desc, ctx), " }),");
  f.print("});");
  f.print();
}
