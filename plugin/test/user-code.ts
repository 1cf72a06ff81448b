// Code a user writes against generated code. strict.spec.ts compiles it with
// every strict option (exactOptionalPropertyTypes, noUncheckedIndexedAccess,
// verbatimModuleSyntax, erasableSyntaxOnly); handlers.spec.ts serves its
// handlers. It must compile as it is: no casts, no `any`.
import { getExtension, setExtension, type PartialMessage, type ServerContext } from "@tsgrpc/runtime";
import { FileDescriptorSet, type FieldOptions } from "@tsgrpc/runtime/wkt";
import type { KitchenServiceHandlers } from "./gen/tsgrpc/test/proto3_grpc.js";
import type { KitchenServiceClient } from "./gen/tsgrpc/test/proto3_grpc.js";
import { Color, Kitchen, Kitchen_Inner_Kind } from "./gen/tsgrpc/test/proto3_pb.js";
import { Closed } from "./gen/tsgrpc/test/proto2_pb.js";
import { label, weights } from "./gen/tsgrpc/test/options_pb.js";

/** Enums: a value is `Color.COLOR_RED`; the type of a field is `Color`. */
export function describeColor(color: Color): string {
  switch (color) {
    case Color.COLOR_UNSPECIFIED:
      return "none";
    case Color.COLOR_RED:
      return "red";
    case Color.COLOR_GREEN:
      return "green";
    default:
      // An open enum may hold a number a newer schema added.
      return `color ${String(color)}`;
  }
}

export const colorNames: string[] = Object.keys(Color);
export const kind: Kitchen_Inner_Kind = Kitchen_Inner_Kind.KIND_A;
export const closed: Closed = Closed.CLOSED_B;

/** Optional fields take undefined, as create() and decode() leave them. */
export function unsetMaybe(m: Kitchen): Kitchen {
  m.maybe = undefined;
  m.choice = undefined;
  return Kitchen.create({ maybe: undefined, recursive: undefined, colorField: Color.COLOR_RED, choice: { case: "color", value: Color.COLOR_GREEN } });
}

/** Records index to `T | undefined` under noUncheckedIndexedAccess. */
export function childName(m: Kitchen, key: string): string | undefined {
  return m.children[key]?.names[0];
}

/** Reply with a message naming the call kind and what it received. */
const reply = (kindName: string, names: readonly string[] = []): PartialMessage<Kitchen> => ({ names: [kindName, ...names] });

/** Every response shape the runtime accepts, in one handler object per style. */
export const syncHandlers: KitchenServiceHandlers = {
  unary: (req) => reply("unary", req.names),
  // server streaming: an array
  serverStream: (req) => [reply("first", req.names), reply("second")],
  // client streaming may return a value as well as a Promise
  clientStream: () => reply("client"),
  // bidi: a sync generator
  *bidi() {
    yield reply("bidi-1");
    yield reply("bidi-2");
  },
};

export const generatorHandlers: KitchenServiceHandlers = {
  async unary(req, ctx: ServerContext) {
    return reply(ctx.method.path, req.names);
  },
  // server streaming: a sync generator
  *serverStream(req) {
    for (const name of req.names) yield reply(name);
  },
  async clientStream(reqs) {
    const names: string[] = [];
    for await (const r of reqs) names.push(...r.names);
    return reply("client", names);
  },
  async *bidi(reqs) {
    for await (const r of reqs) yield reply("echo", r.names);
  },
};

/** Every call kind from the client side; streams of requests may be arrays. */
export async function callEveryKind(client: KitchenServiceClient): Promise<string[][]> {
  const out: string[][] = [];
  out.push((await client.unary({ names: ["u"] })).names);
  for await (const m of client.serverStream({ names: ["s1", "s2"] }, { timeout: 5_000 })) out.push(m.names);
  out.push((await client.clientStream([{ names: ["c1"] }, { names: ["c2"] }])).names);
  for await (const m of client.bidi([{ names: ["b1"] }, { names: ["b2"] }])) out.push(m.names);
  return out;
}

/** A custom field option, read from a descriptor set as README shows. */
export function firstFieldLabel(bytes: Uint8Array): string | undefined {
  const set = FileDescriptorSet.decode(bytes); // from protoc --descriptor_set_out
  const field = set.file[0]?.messageType[0]?.field[0];
  return getExtension(field?.options ?? {}, label);
}

/** Extensions are typed by their value: a repeated one is an array, never undefined. */
export function fieldWeights(options: FieldOptions): number[] {
  setExtension(options, label, "a label");
  // @ts-expect-error: label holds a string
  setExtension(options, label, 5);
  return getExtension(options, weights);
}
