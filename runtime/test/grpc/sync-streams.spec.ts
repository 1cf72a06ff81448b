// Streaming handlers that return sync iterables (arrays, generator
// functions): written without a Promise per message, yet with flow control,
// errors, promised values and cancellation behaving as for async generators.
import { createChannel } from "../../src/client/index.js";
import { GrpcError, Status } from "../../src/grpc/index.js";
import { createServer } from "../../src/server/index.js";
import { collect, deferred, type Echo, rejection, startHarness, TestService, within } from "./fixtures.js";

const empty = new Uint8Array(0);
const echo = (text: string, count = 0, data = empty): Echo => ({ text, data, count });

test("an array is a response stream", async () => {
  const h = await startHarness({ serverStream: (req) => [echo(`${req.text}-a`), echo(`${req.text}-b`)] });
  try {
    const replies = await within(collect(h.channel.serverStream(TestService.methods.serverStream, { text: "x" })));
    expect(replies.map((r) => r.text)).toEqual(["x-a", "x-b"]);
  } finally {
    await h.close();
  }
});

test("a sync generator streams more than the flow-control window, in order", async () => {
  const data = new Uint8Array(1024).fill(7);
  const count = 3000; // ~3 MiB: the server must wait for the client to take the window several times
  const h = await startHarness({
    *serverStream(req) {
      for (let i = 0; i < req.count; i++) yield echo("", i, data);
    },
  });
  try {
    let next = 0;
    for await (const m of h.channel.serverStream(TestService.methods.serverStream, { count })) {
      expect(m.count).toBe(next++);
      expect(m.data.length).toBe(1024);
    }
    expect(next).toBe(count);
  } finally {
    await h.close();
  }
}, 20_000);

test("promised values of a sync iterable are awaited, as for await does", async () => {
  const h = await startHarness({
    serverStream: () => [Promise.resolve(echo("a")), echo("b"), Promise.resolve(echo("c"))] as unknown as Iterable<Echo>,
  });
  try {
    const replies = await within(collect(h.channel.serverStream(TestService.methods.serverStream, {})));
    expect(replies.map((r) => r.text)).toEqual(["a", "b", "c"]);
  } finally {
    await h.close();
  }
});

test("a sync generator that throws ends the call with its status after the messages before it", async () => {
  const h = await startHarness({
    *serverStream() {
      yield echo("first");
      throw new GrpcError(Status.FAILED_PRECONDITION, "stopped");
    },
  });
  try {
    const got: string[] = [];
    const error = (await within(
      rejection(
        (async () => {
          for await (const m of h.channel.serverStream(TestService.methods.serverStream, {})) got.push(m.text);
        })(),
      ),
    )) as GrpcError;
    expect(got).toEqual(["first"]);
    expect(error.code).toBe(Status.FAILED_PRECONDITION);
    expect(error.message).toContain("stopped");
  } finally {
    await h.close();
  }
});

test("an endless sync generator is finalized when the client leaves", async () => {
  const finalized = deferred();
  const h = await startHarness({
    *serverStream() {
      try {
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
    await within(finalized.promise);
  } finally {
    await h.close();
  }
});

test("batched and unbatched frames keep their order: small, too big for a batch, and a codec without encodeInto", async () => {
  const sizes = [10, 70_000, 10, 10, 200_000, 1, 0, 65_536, 3];
  const messages = sizes.map((n, i) => echo(String(i), i, new Uint8Array(n).fill(i)));
  const check = (replies: Echo[]): void => {
    expect(replies.map((r) => r.count)).toEqual(sizes.map((_, i) => i));
    replies.forEach((r, i) => {
      expect(r.data.length).toBe(sizes[i]);
      expect(r.data.every((b) => b === i)).toBe(true);
    });
  };
  const h = await startHarness({ *serverStream() { yield* messages; } });
  try {
    check(await within(collect(h.channel.serverStream(TestService.methods.serverStream, {}))));
  } finally {
    await h.close();
  }
  // The same through a service whose codec cannot encode in place: every frame on its own.
  const { encodeInto: _, ...plainEcho } = TestService.methods.serverStream.output;
  const plainMethod = { ...TestService.methods.serverStream, output: plainEcho };
  const plainService = { ...TestService, methods: { ...TestService.methods, serverStream: plainMethod } };
  const server = createServer({ onError: () => {} }).add(plainService, { *serverStream() { yield* messages; } });
  const port = await server.listen("127.0.0.1:0");
  const channel = createChannel(`127.0.0.1:${port}`);
  try {
    check(await within(collect(channel.serverStream(plainMethod, {}))));
  } finally {
    channel.close();
    server.forceShutdown();
  }
});

test("client streams keep their order through batching: small messages, ones too big for a batch, and an empty one", async () => {
  const sizes = [5, 0, 70_000, 1, 1, 200_000, 3, 65_536];
  const h = await startHarness({
    async clientStream(reqs) {
      const got: string[] = [];
      for await (const r of reqs) {
        expect(r.data.every((b) => b === r.count)).toBe(true);
        got.push(`${r.count}:${r.data.length}`);
      }
      return echo(got.join(","));
    },
  });
  try {
    const requests = sizes.map((n, i) => ({ count: i, data: new Uint8Array(n).fill(i) }));
    const reply = await within(h.channel.clientStream(TestService.methods.clientStream, requests));
    expect(reply.text).toBe(sizes.map((n, i) => `${i}:${n}`).join(","));
    // And many small ones from an async generator, more than the flow-control window.
    async function* many(): AsyncGenerator<Partial<Echo>> {
      for (let i = 0; i < 5000; i++) yield { count: i % 250, data: new Uint8Array(100).fill(i % 250) };
    }
    const big = await within(h.channel.clientStream(TestService.methods.clientStream, many()), 15_000);
    expect(big.text.split(",")).toHaveLength(5000);
  } finally {
    await h.close();
  }
}, 20_000);
