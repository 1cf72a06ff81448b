// Serves the order service on 127.0.0.1 (port 0), calls every rpc kind through
// the generated client, checks the answers and the codecs, and prints "ok".
import assert from "node:assert/strict";
import { createChannel, createServer, getExtension, GrpcError, setExtension, Status, toJson } from "@tsgrpc/runtime";
import { FieldOptions } from "@tsgrpc/runtime/wkt";
import { redact_as } from "./gen/acme/options/v1/annotations_pb.js";
import { GetOrderRequest, Order, OrderState } from "./gen/acme/shop/v1/shop_pb.js";
import { OrderService, OrderServiceClient } from "./gen/acme/shop/v1/shop_grpc.js";
import { orderService, orders } from "./order-service.js";

async function* stream<T>(items: readonly T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

function checkCodecs(order: Order): void {
  const decoded = Order.decode(Order.encode(order));
  assert.ok(Order.equals(decoded, order), "binary round trip");
  assert.deepEqual(toJson(Order, order), {
    id: "o-1",
    totalCents: "12345678901234",
    lines: [{ sku: "tea", quantity: 3, unit: "UNIT_PIECE" }],
    labels: { channel: "web", priority: "high" },
    state: "ORDER_STATE_OPEN",
    createdAt: "2026-01-02T03:04:05.678Z",
    customerEmail: "ada@example.com",
    address: { street: "1 Main St", city: "Springfield" },
    itemIds: ["-1", "9007199254740993"],
    note: "leave at the door",
  });

  // The custom option's extension, set on and read back from FieldOptions.
  const options = FieldOptions.create();
  setExtension(options, redact_as, "***");
  assert.equal(getExtension(FieldOptions.decode(FieldOptions.encode(options)), redact_as), "***");
}

async function callEveryKind(client: OrderServiceClient): Promise<void> {
  const [first, second] = orders;
  assert.ok(first !== undefined && second !== undefined);

  assert.ok(Order.equals(await client.getOrder({ id: "o-1" }), first), "unary");
  await assert.rejects(client.getOrder({ id: "nope" }), (e: unknown) => e instanceof GrpcError && e.code === Status.NOT_FOUND);

  const shipped: string[] = [];
  for await (const order of client.listOrders({ state: OrderState.ORDER_STATE_SHIPPED })) shipped.push(order.id);
  assert.deepEqual(shipped, ["o-2"], "server streaming");

  const summary = await client.placeOrders(stream(orders));
  assert.deepEqual(summary, { count: 2, totalCents: 12_345_678_901_484n }, "client streaming");

  const tracked: string[] = [];
  const requests = [GetOrderRequest.create({ id: "o-2" }), GetOrderRequest.create({ id: "o-1" })];
  for await (const order of client.trackOrders(stream(requests))) tracked.push(order.id);
  assert.deepEqual(tracked, ["o-2", "o-1"], "bidi streaming");
}

async function main(): Promise<void> {
  const [first] = orders;
  assert.ok(first !== undefined);
  checkCodecs(first);

  const server = createServer();
  server.add(OrderService, orderService);
  const port = await server.listen("127.0.0.1:0");
  const channel = createChannel(`127.0.0.1:${port}`);
  try {
    await callEveryKind(new OrderServiceClient(channel));
  } finally {
    channel.close();
    await server.shutdown();
  }
  console.log("ok");
}

await main();
