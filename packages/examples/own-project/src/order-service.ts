// The server side: an in-memory order book behind the generated handler interface.
import { GrpcError, Status } from "@tsgrpc/runtime";
import { timestampFromDate } from "@tsgrpc/runtime/wkt";
import { Order, OrderState, Order_Line_Unit } from "./gen/acme/shop/v1/shop_pb.js";
import type { OrderServiceHandlers } from "./gen/acme/shop/v1/shop_grpc.js";

export const orders: readonly Order[] = [
  Order.create({
    id: "o-1",
    totalCents: 12_345_678_901_234n,
    lines: [{ sku: "tea", quantity: 3, unit: Order_Line_Unit.UNIT_PIECE }],
    labels: { channel: "web", priority: "high" },
    state: OrderState.ORDER_STATE_OPEN,
    createdAt: timestampFromDate(new Date("2026-01-02T03:04:05.678Z")),
    customerEmail: "ada@example.com",
    delivery: { case: "address", value: { street: "1 Main St", city: "Springfield" } },
    itemIds: [-1n, 9_007_199_254_740_993n],
    note: "leave at the door",
  }),
  Order.create({
    id: "o-2",
    totalCents: 250n,
    lines: [{ sku: "rice", quantity: 2, unit: Order_Line_Unit.UNIT_KILOGRAM }],
    state: OrderState.ORDER_STATE_SHIPPED,
    delivery: { case: "pickupStore", value: "north" },
  }),
];

function find(id: string): Order {
  const order = orders.find((o) => o.id === id);
  if (order === undefined) throw new GrpcError(Status.NOT_FOUND, `no order ${id}`);
  return order;
}

export const orderService: OrderServiceHandlers = {
  getOrder(request) {
    return find(request.id);
  },

  // A plain array answers a server-streaming call.
  listOrders(request) {
    return orders.filter((o) => o.state === request.state);
  },

  async placeOrders(requests) {
    let count = 0;
    let totalCents = 0n;
    for await (const order of requests) {
      count++;
      totalCents += order.totalCents;
    }
    return { count, totalCents };
  },

  async *trackOrders(requests) {
    for await (const request of requests) yield find(request.id);
  },
};
