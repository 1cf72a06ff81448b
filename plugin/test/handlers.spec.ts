// The generated handler interface accepts what the server runs: arrays, sync
// generators and plain values as well as async ones (user-code.ts holds the
// handlers, type-checked there), and they serve over a real connection.
import { createChannel, createServer } from "@tsgrpc/runtime";
import type { KitchenServiceHandlers } from "./gen/tsgrpc/test/proto3_grpc.js";
import { KitchenService, KitchenServiceClient } from "./gen/tsgrpc/test/proto3_grpc.js";
import { callEveryKind, generatorHandlers, syncHandlers } from "./user-code.js";

async function serve(handlers: KitchenServiceHandlers): Promise<string[][]> {
  const server = createServer();
  server.add(KitchenService, handlers);
  const port = await server.listen("127.0.0.1:0");
  const channel = createChannel(`127.0.0.1:${port}`);
  try {
    return await callEveryKind(new KitchenServiceClient(channel, { timeout: 5_000 }));
  } finally {
    channel.close();
    await server.shutdown();
  }
}

test("arrays, sync generators and plain values serve every call kind", async () => {
  expect(await serve(syncHandlers)).toEqual([
    ["unary", "u"],
    ["first", "s1", "s2"],
    ["second"],
    ["client"],
    ["bidi-1"],
    ["bidi-2"],
  ]);
});

test("a sync generator streams server responses; async handlers as before", async () => {
  expect(await serve(generatorHandlers)).toEqual([
    ["/tsgrpc.test.KitchenService/Unary", "u"],
    ["s1"],
    ["s2"],
    ["client", "c1", "c2"],
    ["echo", "b1"],
    ["echo", "b2"],
  ]);
});
