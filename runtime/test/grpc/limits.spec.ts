// Message size limits on both sides (receive: 4 MiB by default, checked from
// the length prefix; send: configurable) and the header list bound.
import { createChannel } from "../../src/client/index.js";
import { type GrpcError, Status } from "../../src/grpc/index.js";
import type { Echo } from "./fixtures.js";
import { rejection, startHarness, TestService, within } from "./fixtures.js";

const MiB = 1024 * 1024;
const bytes = (n: number): Uint8Array => new Uint8Array(n).fill(7);

test("default receive limit is 4 MiB on the server", async () => {
  let calls = 0;
  const h = await startHarness({ unary: (req) => (calls++, { ...req, data: new Uint8Array(0) }) });
  try {
    // The Echo envelope adds a few bytes around `data`.
    expect((await within(h.channel.unary(TestService.methods.unary, { data: bytes(4 * MiB - 16) }))).data).toHaveLength(0);
    const error = (await within(rejection(h.channel.unary(TestService.methods.unary, { data: bytes(4 * MiB + 1) })))) as GrpcError;
    expect(error.code).toBe(Status.RESOURCE_EXHAUSTED);
    expect(calls).toBe(1);
  } finally {
    await h.close();
  }
});

test("default receive limit is 4 MiB on the client", async () => {
  const h = await startHarness({ unary: (req) => ({ ...req, data: bytes(req.count) }) });
  try {
    expect((await within(h.channel.unary(TestService.methods.unary, { count: 4 * MiB - 16 }))).data).toHaveLength(4 * MiB - 16);
    const error = (await within(rejection(h.channel.unary(TestService.methods.unary, { count: 4 * MiB + 1 })))) as GrpcError;
    expect(error.code).toBe(Status.RESOURCE_EXHAUSTED);
    expect(error.details).toContain("larger than max");
  } finally {
    await h.close();
  }
});

test("configured limits: server receive and send, client receive and send", async () => {
  let calls = 0;
  const h = await startHarness(
    {
      unary: (req: Echo) => (calls++, { ...req, data: bytes(req.count) }),
    },
    { maxReceiveMessageSize: 1000, maxSendMessageSize: 2000 },
  );
  const small = createChannel(h.address, { maxReceiveMessageSize: 1500, maxSendMessageSize: 500 });
  try {
    const code = async (p: Promise<unknown>): Promise<Status> => ((await within(rejection(p))) as GrpcError).code;
    // Client send limit: refused locally, the server never sees it.
    expect(await code(small.unary(TestService.methods.unary, { data: bytes(600) }))).toBe(Status.RESOURCE_EXHAUSTED);
    expect(calls).toBe(0);
    // Server receive limit.
    expect(await code(h.channel.unary(TestService.methods.unary, { data: bytes(1200) }))).toBe(Status.RESOURCE_EXHAUSTED);
    expect(calls).toBe(0);
    // Server send limit.
    expect(await code(h.channel.unary(TestService.methods.unary, { count: 2500 }))).toBe(Status.RESOURCE_EXHAUSTED);
    // Client receive limit.
    expect(await code(small.unary(TestService.methods.unary, { count: 1800 }))).toBe(Status.RESOURCE_EXHAUSTED);
    // Within every limit.
    expect((await within(small.unary(TestService.methods.unary, { data: bytes(400), count: 1400 }))).data).toHaveLength(1400);
  } finally {
    small.close();
    await h.close();
  }
});

test("a streaming request over the limit ends the call; the handler's stream fails", async () => {
  const handlerSaw: unknown[] = [];
  const h = await startHarness(
    {
      async clientStream(reqs) {
        try {
          for await (const r of reqs) handlerSaw.push(r.data.length);
        } catch (e) {
          handlerSaw.push((e as GrpcError).code);
        }
        return { text: "", data: new Uint8Array(0), count: 0 };
      },
    },
    { maxReceiveMessageSize: 1000 },
  );
  try {
    const error = (await within(
      rejection(h.channel.clientStream(TestService.methods.clientStream, [{ data: bytes(10) }, { data: bytes(5000) }])),
    )) as GrpcError;
    expect(error.code).toBe(Status.RESOURCE_EXHAUSTED);
    expect(handlerSaw).toEqual([10, Status.RESOURCE_EXHAUSTED]);
  } finally {
    await h.close();
  }
});

test("response headers over the client's maxHeaderListSize fail the call, not the connection", async () => {
  const h = await startHarness(
    {
      unary(req, ctx) {
        if (req.count > 0) ctx.sendHeader({ "x-big": "b".repeat(req.count) });
        return req;
      },
    },
    undefined,
    { maxHeaderListSize: 2048 },
  );
  try {
    await within(h.channel.unary(TestService.methods.unary, {})); // SETTINGS acknowledged from here on
    const error = (await within(rejection(h.channel.unary(TestService.methods.unary, { count: 4000 })))) as GrpcError;
    expect([Status.RESOURCE_EXHAUSTED, Status.INTERNAL]).toContain(error.code);
    expect((await within(h.channel.unary(TestService.methods.unary, { text: "fine" }))).text).toBe("fine");
  } finally {
    await h.close();
  }
});
