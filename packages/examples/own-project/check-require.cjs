// CommonJS code loading the ESM packages with require() (Node 20.19+, 22.12+).
const assert = require("node:assert/strict");
const runtime = require("@tsgrpc/runtime");
const { Timestamp, timestampFromMs } = require("@tsgrpc/runtime/wkt");
const { sizeVarint32 } = require("@tsgrpc/runtime/wire");
const { Order } = require("./dist/gen/acme/shop/v1/shop_pb.js");

assert.equal(typeof runtime.createServer, "function");
assert.equal(typeof runtime.createChannel, "function");
assert.equal(sizeVarint32(300), 2);
const ts = timestampFromMs(1_700_000_000_123);
assert.ok(Timestamp.equals(Timestamp.decode(Timestamp.encode(ts)), ts));
const order = Order.create({ id: "cjs", totalCents: 7n });
assert.equal(Order.decode(Order.encode(order)).totalCents, 7n);
console.log("ok");
