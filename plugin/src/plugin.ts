// protoc-gen-tsgrpc: one `x_pb.ts` per .proto (enums, message interfaces and
// codecs) and, for files with services, `x_grpc.ts`.
import { createEcmaScriptPlugin, type Plugin, type Schema } from "@bufbuild/protoplugin";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import type { DescFile } from "@bufbuild/protobuf";
import { generateEnum } from "./gen-enum.js";
import { generateExtension } from "./gen-extension.js";
import { generateMessage } from "./gen-message.js";
import { generateServices } from "./gen-service.js";
import { addRuntimeRequirement } from "./header.js";
import { parseOptions, type TsgrpcOptions } from "./options.js";
import { checkParameter } from "./parameters.js";
import type { Ctx } from "./values.js";
import { version } from "./version.js";

const esPlugin = createEcmaScriptPlugin({
  name: "protoc-gen-tsgrpc",
  version: `v${version}`,
  parseOptions,
  generateTs,
});

export const tsgrpcPlugin: Plugin = {
  name: esPlugin.name,
  version: esPlugin.version,
  run(request) {
    // Before protoplugin, whose errors for its own options do not say what is allowed.
    checkParameter(request.parameter);
    const response = esPlugin.run(request);
    for (const file of response.file) file.content = addRuntimeRequirement(file.content);
    return response;
  },
};

function generateTs(schema: Schema<TsgrpcOptions>): void {
  for (const file of schema.files) {
    generateMessagesFile(schema, file);
    if (file.services.length > 0) {
      generateServices(schema, file, makeCtx(schema, schema.generateFile(file.name + "_grpc.ts")), file);
    }
  }
}

/** Runtime symbols that are types only, imported with `import type`. */
const runtimeTypes = new Set(["ExtensionType", "MessageType", "EnumType", "PartialMessage", "MapValues", "MethodDefinition", "ServiceDefinition", "ServerContext", "CallOptions", "Channel", "RequestStream", "BinaryReader", "BinaryWriter"]);

function makeCtx(schema: Schema<TsgrpcOptions>, f: ReturnType<Schema["generateFile"]>, file?: DescFile): Ctx {
  return {
    f,
    file,
    options: schema.options,
    filesToGenerate: schema.files,
    rt: (name: string) => f.import(name, schema.options.runtimeImport, runtimeTypes.has(name)),
  };
}

function generateMessagesFile(schema: Schema<TsgrpcOptions>, file: DescFile): void {
  const f = schema.generateFile(file.name + "_pb.ts");
  f.preamble(file);
  const ctx = makeCtx(schema, f, file);
  for (const desc of nestedTypes(file)) {
    switch (desc.kind) {
      case "enum":
        generateEnum(desc, ctx);
        break;
      case "message":
        // Map entries are not types of their own: maps are plain records.
        if (desc.proto.options?.mapEntry !== true) generateMessage(desc, ctx);
        break;
      case "extension":
        generateExtension(desc, ctx);
        break;
    }
  }
}
