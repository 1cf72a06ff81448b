// A proto service becomes a definition const (paths, kinds, codecs), a
// handler interface for servers and a client class with one method per rpc.
import type { DescFile, DescMethod, DescService } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { Printable, Schema } from "@bufbuild/protoplugin";
import { typeSymbol } from "./names.js";
import type { TsgrpcOptions } from "./options.js";
import type { Ctx } from "./values.js";

export function generateServices(_schema: Schema<TsgrpcOptions>, file: DescFile, ctx: Ctx, _f: DescFile): void {
  ctx.f.preamble(file);
  for (const service of file.services) {
    generateDefinition(service, ctx);
    generateHandlers(service, ctx);
    generateClient(service, ctx);
  }
}

function idempotency(method: DescMethod): string {
  switch (method.idempotency) {
    case MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS:
      return `, idempotency: "no_side_effects"`;
    case MethodOptions_IdempotencyLevel.IDEMPOTENT:
      return `, idempotency: "idempotent"`;
    default:
      return "";
  }
}

/**
 * The definition const carries an explicit type: declaration emit (target=dts)
 * copies it as written, where an inferred `as const` type would need the
 * imported codecs' types, which protoplugin's transpiler does not resolve
 * (every codec would become `any`).
 */
function generateDefinition(service: DescService, ctx: Ctx): void {
  const { f } = ctx;
  f.print(f.jsDoc(service));
  f.print(f.export("const", service.name), ": {");
  f.print("  readonly typeName: ", f.string(service.typeName), ";");
  f.print("  readonly methods: {");
  for (const method of service.methods) {
    const I = typeSymbol(f, method.input, ctx.filesToGenerate);
    const O = typeSymbol(f, method.output, ctx.filesToGenerate);
    f.print("    readonly ", method.localName, ": ", ctx.rt("MethodDefinition"), "<", I, ", ", O, `> & { readonly kind: "${method.methodKind}" };`);
  }
  f.print("  };");
  f.print("} = {");
  f.print("  typeName: ", f.string(service.typeName), ",");
  f.print("  methods: {");
  for (const method of service.methods) {
    const I = typeSymbol(f, method.input, ctx.filesToGenerate);
    const O = typeSymbol(f, method.output, ctx.filesToGenerate);
    f.print(
      "    ", method.localName, ": { name: ", f.string(method.name), ", localName: ", f.string(method.localName),
      ", path: ", f.string(`/${service.typeName}/${method.name}`), `, kind: "${method.methodKind}", input: `, I, ", output: ", O,
      idempotency(method), " },",
    );
  }
  f.print("  },");
  f.print("};");
  f.print();
}

/**
 * A handler's signature: what the runtime's `server.add` accepts for the
 * method's kind (runtime/src/server/handlers.ts). Responses may be partial;
 * unary and client-streaming handlers return a value or a Promise of one,
 * streaming ones an AsyncIterable or any Iterable (an array, a sync generator).
 */
function handlerSignature(method: DescMethod, ctx: Ctx): Printable[] {
  const I = typeSymbol(ctx.f, method.input, ctx.filesToGenerate);
  const O: Printable[] = [ctx.rt("PartialMessage"), "<", typeSymbol(ctx.f, method.output, ctx.filesToGenerate), ">"];
  const Ctx = ctx.rt("ServerContext");
  const one: Printable[] = ["Promise<", ...O, "> | ", ...O];
  const stream: Printable[] = ["AsyncIterable<", ...O, "> | Iterable<", ...O, ">"];
  switch (method.methodKind) {
    case "unary":
      return ["(request: ", I, ", ctx: ", Ctx, "): ", ...one];
    case "server_streaming":
      return ["(request: ", I, ", ctx: ", Ctx, "): ", ...stream];
    case "client_streaming":
      return ["(requests: AsyncIterable<", I, ">, ctx: ", Ctx, "): ", ...one];
    case "bidi_streaming":
      return ["(requests: AsyncIterable<", I, ">, ctx: ", Ctx, "): ", ...stream];
  }
}

function generateHandlers(service: DescService, ctx: Ctx): void {
  const { f } = ctx;
  f.print("/** What a server implements for ", service.typeName, ". */");
  f.print(f.export("interface", service.name + "Handlers"), " {");
  for (const method of service.methods) {
    f.print(f.jsDoc(method, "  "));
    f.print("  ", method.localName, ...handlerSignature(method, ctx), ";");
  }
  f.print("}");
  f.print();
}

function generateClient(service: DescService, ctx: Ctx): void {
  const { f } = ctx;
  const CallOptions = ctx.rt("CallOptions");
  f.print("/** A client of ", service.typeName, "; every call shares the channel's HTTP/2 connection. */");
  f.print(f.export("class", service.name + "Client"), " {");
  // Plain fields, not constructor parameter properties, which erasableSyntaxOnly forbids.
  f.print("  private readonly channel: ", ctx.rt("Channel"), ";");
  f.print("  private readonly defaults: ", CallOptions, " | undefined;");
  f.print();
  f.print("  constructor(channel: ", ctx.rt("Channel"), ", defaults?: ", CallOptions, ") {");
  f.print("    this.channel = channel;");
  f.print("    this.defaults = defaults;");
  f.print("  }");
  for (const method of service.methods) {
    const I = typeSymbol(f, method.input, ctx.filesToGenerate);
    const O = typeSymbol(f, method.output, ctx.filesToGenerate);
    const P = ctx.rt("PartialMessage");
    const def = `${service.name}.methods.${method.localName}`;
    f.print();
    f.print(f.jsDoc(method, "  "));
    switch (method.methodKind) {
      case "unary":
        f.print("  ", method.localName, "(request: ", P, "<", I, ">, options?: ", CallOptions, "): Promise<", O, "> {");
        f.print("    return this.channel.unary(", def, ", request, ", ctx.rt("mergeCallOptions"), "(this.defaults, options));");
        break;
      case "server_streaming":
        f.print("  ", method.localName, "(request: ", P, "<", I, ">, options?: ", CallOptions, "): AsyncIterable<", O, "> {");
        f.print("    return this.channel.serverStream(", def, ", request, ", ctx.rt("mergeCallOptions"), "(this.defaults, options));");
        break;
      case "client_streaming":
        f.print("  ", method.localName, "(requests: ", ctx.rt("RequestStream"), "<", I, ">, options?: ", CallOptions, "): Promise<", O, "> {");
        f.print("    return this.channel.clientStream(", def, ", requests, ", ctx.rt("mergeCallOptions"), "(this.defaults, options));");
        break;
      case "bidi_streaming":
        f.print("  ", method.localName, "(requests: ", ctx.rt("RequestStream"), "<", I, ">, options?: ", CallOptions, "): AsyncIterable<", O, "> {");
        f.print("    return this.channel.bidiStream(", def, ", requests, ", ctx.rt("mergeCallOptions"), "(this.defaults, options));");
        break;
    }
    f.print("  }");
  }
  f.print("}");
  f.print();
}
