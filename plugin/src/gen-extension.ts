// A proto2/editions extension becomes a const the runtime's JSON, text format
// and registries use; its values travel in the extendee's unknown fields.
import type { DescExtension } from "@bufbuild/protobuf";
import { fieldInfo } from "./gen-message.js";
import { typeSymbol } from "./names.js";
import type { Ctx } from "./values.js";

export function generateExtension(desc: DescExtension, ctx: Ctx): void {
  const { f } = ctx;
  const name = f.importSchema(desc).name;
  f.print(f.jsDoc(desc));
  f.print(f.export("const", name), ": ", ctx.rt("ExtensionType"), " = /*@__PURE__*/ ", ctx.rt("defineExtension"), "({");
  f.print("  typeName: ", f.string(desc.typeName), ",");
  f.print("  extendee: () => ", typeSymbol(f, desc.extendee, ctx.filesToGenerate), ",");
  f.print("  field: () => ({ ", ...fieldInfo(desc, ctx), " }),");
  f.print("});");
  f.print();
}
