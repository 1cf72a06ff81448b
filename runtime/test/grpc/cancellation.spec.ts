// Cancellation: AbortSignal on the client -> RST_STREAM(CANCEL) -> the handler's
// signal aborts and its request stream ends; disconnects abort every handler;
// everything the call set up is cleaned up.
import { getEventListeners } from "node:events";
import { GrpcError, Status } from "../../src/grpc/index.js";
import {
  aborted,
  deferred,
  type Echo,
  rejection,
  startHarness,
  TestService,
  within,
} from "./fixtures.js";
import { frame, rawClient } from "./raw-http2.js";

const empty = new Uint8Array(0);
const echo = (text: string): Echo => ({ text, data: empty, count: 0 });

test("aborting a unary call: CANCELLED on the client, signal aborted in the handler", async () => {
  const started = deferred();
  const reason = deferred<unknown>();
  const h = await startHarness({
    async unary(_req, ctx) {
      started.resolve();
      reason.resolve(await aborted(ctx.signal));
      return echo("never sent");
    },
  });
  try {
    const controller = new AbortController();
    const call = h.channel.unary(TestService.methods.unary, {}, { signal: controller.signal, timeout: 10_000 });
    await within(started.promise);
    controller.abort();
    const error = (await within(rejection(call))) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.code).toBe(Status.CANCELLED);
    expect(await within(reason.promise)).toMatchObject({ code: Status.CANCELLED });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  } finally {
    await h.close();
  }
});

test("aborting a client stream ends the handler's request iterable (with CANCELLED)", async () => {
  const firstReceived = deferred();
  const iterationEnded = deferred<unknown>();
  const h = await startHarness({
    async clientStream(reqs) {
      try {
        for await (const _ of reqs) firstReceived.resolve();
        iterationEnded.resolve("ended normally");
      } catch (e) {
        iterationEnded.resolve(e);
      }
      return echo("x");
    },
  });
  try {
    const controller = new AbortController();
    async function* requests(): AsyncGenerator<Partial<Echo>> {
      yield { text: "one" };
      await aborted(controller.signal); // keep the stream open until cancelled
    }
    const call = h.channel.clientStream(TestService.methods.clientStream, requests(), { signal: controller.signal });
    await within(firstReceived.promise);
    controller.abort();
    expect(await within(rejection(call))).toMatchObject({ code: Status.CANCELLED });
    expect(await within(iterationEnded.promise)).toMatchObject({ code: Status.CANCELLED });
  } finally {
    await h.close();
  }
});

test("an already aborted signal fails at once and sends nothing", async () => {
  let calls = 0;
  const h = await startHarness({ unary: (req) => (calls++, req) });
  try {
    const error = await within(rejection(h.channel.unary(TestService.methods.unary, {}, { signal: AbortSignal.abort() })));
    expect(error).toMatchObject({ code: Status.CANCELLED });
    expect(calls).toBe(0);
  } finally {
    await h.close();
  }
});

test("breaking out of a response stream cancels the call; the handler's generator is finalized", async () => {
  const reason = deferred<unknown>();
  const finalized = deferred();
  const h = await startHarness({
    async *serverStream(_req, ctx) {
      try {
        ctx.signal.addEventListener("abort", () => reason.resolve(ctx.signal.reason), { once: true });
        for (let i = 0; ; i++) yield echo(String(i));
      } finally {
        finalized.resolve();
      }
    },
  });
  try {
    const got: string[] = [];
    for await (const m of h.channel.serverStream(TestService.methods.serverStream, {})) {
      got.push(m.text);
      if (got.length === 3) break;
    }
    expect(got).toEqual(["0", "1", "2"]);
    expect(await within(reason.promise)).toMatchObject({ code: Status.CANCELLED });
    await within(finalized.promise);
  } finally {
    await h.close();
  }
});

test("a failing request iterable cancels the call and the server sees it", async () => {
  const reason = deferred<unknown>();
  const h = await startHarness({
    async *bidi(reqs, ctx) {
      ctx.signal.addEventListener("abort", () => reason.resolve(ctx.signal.reason), { once: true });
      for await (const r of reqs) yield r;
    },
  });
  try {
    async function* requests(): AsyncGenerator<Partial<Echo>> {
      yield { text: "a" };
      throw new Error("producer failed");
    }
    const error = await within(
      rejection(
        (async () => {
          for await (const _ of h.channel.bidiStream(TestService.methods.bidi, requests()));
        })(),
      ),
    );
    expect(error).toMatchObject({ code: Status.CANCELLED, details: "producer failed" });
    expect(await within(reason.promise)).toMatchObject({ code: Status.CANCELLED });
  } finally {
    await h.close();
  }
});

test("a client disconnect aborts every handler on that connection", async () => {
  const started: Array<Promise<void>> = [];
  const reasons: Array<Promise<unknown>> = [];
  const starts = [deferred(), deferred(), deferred()];
  let n = 0;
  const h = await startHarness({
    async unary(_req, ctx) {
      starts[n++]!.resolve();
      reasons.push(aborted(ctx.signal));
      await aborted(ctx.signal);
      return echo("x");
    },
    async *bidi(reqs, ctx) {
      starts[n++]!.resolve();
      reasons.push(aborted(ctx.signal));
      for await (const r of reqs) yield r;
    },
  });
  const client = rawClient(h.port);
  try {
    for (const s of starts) started.push(s.promise);
    void client.call({ ":path": "/test.TestService/Unary" }, [frame(new Uint8Array(0))]).catch(() => {});
    void client.call({ ":path": "/test.TestService/Unary" }, [frame(new Uint8Array(0))]).catch(() => {});
    void client.call({ ":path": "/test.TestService/Bidi" }, [], false).catch(() => {});
    await within(Promise.all(started));
    client.session.destroy();
    const all = await within(Promise.all(reasons));
    expect(all.map((r) => (r as GrpcError).code)).toEqual([Status.CANCELLED, Status.CANCELLED, Status.CANCELLED]);
  } finally {
    await h.close();
  }
});

test("a handler that ignores cancellation cannot write after it", async () => {
  const started = deferred();
  const handlerDone = deferred<unknown>();
  const h = await startHarness({
    async *serverStream(_req, ctx) {
      started.resolve();
      await aborted(ctx.signal);
      try {
        yield echo("after cancel"); // dropped; the generator is then returned
        handlerDone.resolve("kept running");
      } finally {
        handlerDone.resolve("finalized");
      }
    },
  });
  try {
    const controller = new AbortController();
    const stream = h.channel.serverStream(TestService.methods.serverStream, {}, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const first = iterator.next();
    await within(started.promise);
    controller.abort();
    expect(await within(rejection(first))).toMatchObject({ code: Status.CANCELLED });
    expect(await within(handlerDone.promise)).toBe("finalized");
  } finally {
    await h.close();
  }
});

test("aborting a response stream fails the next read at once, even with responses buffered", async () => {
  const h = await startHarness({
    *serverStream() {
      for (let i = 0; i < 200; i++) yield { text: "", count: i, data: new Uint8Array(100) };
    },
  });
  try {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await within(
      rejection(
        (async () => {
          for await (const m of h.channel.serverStream(TestService.methods.serverStream, {}, { signal: controller.signal })) {
            seen.push(m.count);
            controller.abort();
          }
        })(),
      ),
    );
    expect(error).toBeInstanceOf(GrpcError);
    expect((error as GrpcError).code).toBe(Status.CANCELLED);
    expect(seen).toEqual([0]);
  } finally {
    await h.close();
  }
});
