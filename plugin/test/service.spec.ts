// What the plugin generates for services: definitions, handler interfaces, clients.
import { readFileSync } from "node:fs";
import { KitchenService, KitchenServiceClient } from "./gen/tsgrpc/test/proto3_grpc.js";
import { Kitchen } from "./gen/tsgrpc/test/proto3_pb.js";

test("the definition names every method with its path, kind, codecs and idempotency", () => {
  expect(KitchenService.typeName).toBe("tsgrpc.test.KitchenService");
  expect(KitchenService.methods.unary).toMatchObject({ name: "Unary", path: "/tsgrpc.test.KitchenService/Unary", kind: "unary" });
  expect(KitchenService.methods.serverStream).toMatchObject({ kind: "server_streaming", idempotency: "no_side_effects" });
  expect(KitchenService.methods.clientStream.kind).toBe("client_streaming");
  expect(KitchenService.methods.bidi.kind).toBe("bidi_streaming");
  expect(KitchenService.methods.unary.input).toBe(Kitchen);
  expect(KitchenService.methods.unary.output).toBe(Kitchen);
});

test("the client class has one method per rpc", () => {
  for (const name of ["unary", "serverStream", "clientStream", "bidi"]) {
    expect(typeof (KitchenServiceClient.prototype as unknown as Record<string, unknown>)[name]).toBe("function");
  }
});

test("comments become TSDoc and deprecated rpcs are marked", () => {
  const src = readFileSync("plugin/test/gen/tsgrpc/test/proto3_grpc.ts", "utf8");
  expect(src).toMatch(/\* Unary call\.\n[^]*?unary\(request: Kitchen, ctx: ServerContext\)/);
  expect(src).toMatch(/\* A service with every call kind\./);
  expect(src).toMatch(/@deprecated\n\s+\*\/\n\s+bidi\(requests: AsyncIterable<Kitchen>/);
  expect(src).toMatch(/@deprecated\n\s+\*\/\n\s+bidi\(requests: RequestStream<Kitchen>/);
});
