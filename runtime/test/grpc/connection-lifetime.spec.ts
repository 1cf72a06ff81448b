// Connection lifetimes on the server (gRFC A9): maxConnectionIdle,
// maxConnectionAge with its grace period, and clients moving on without
// failing calls.
import * as http2 from "node:http2";
import { createChannel } from "../../src/client/index.js";
import { type GrpcError, Status } from "../../src/grpc/index.js";
import { createServer, type Server, type ServerContext, type ServerOptions } from "../../src/server/index.js";
import { aborted, collect, deferred, type Echo, rejection, TestService, type TestHandlers, within } from "./fixtures.js";

const { NGHTTP2_NO_ERROR } = http2.constants;
const empty = new Uint8Array(0);
const echo = (text: string, count = 0): Echo => ({ text, data: empty, count });

async function startServer(options: ServerOptions, handlers: TestHandlers): Promise<{ server: Server; port: number }> {
  const server = createServer({ onError: () => {}, ...options });
  server.add(TestService, handlers);
  return { server, port: await server.listen("127.0.0.1:0") };
}

interface GoAwaySeen {
  code: number;
  debugData: string;
}

function watchedSession(port: number): { session: http2.ClientHttp2Session; goaways: GoAwaySeen[]; closed: Promise<void> } {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  const goaways: GoAwaySeen[] = [];
  session.on("goaway", (code, _last, data) => goaways.push({ code, debugData: data?.toString("latin1") ?? "" }));
  const closed = new Promise<void>((resolve) => session.once("close", () => resolve()));
  return { session, goaways, closed };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("maxConnectionIdle", () => {
  test("a connection without calls gets GOAWAY max_idle and closes", async () => {
    const { server, port } = await startServer({ maxConnectionIdle: 100 }, {});
    const openedAt = performance.now();
    const { session, goaways, closed } = watchedSession(port);
    try {
      await within(closed, 5_000, "idle close");
      expect(performance.now() - openedAt).toBeGreaterThanOrEqual(95);
      expect(goaways[0]).toEqual({ code: NGHTTP2_NO_ERROR, debugData: "max_idle" });
    } finally {
      session.destroy();
      server.forceShutdown();
    }
  });

  test("a call open longer than maxConnectionIdle keeps the connection; it idles out after the call and the channel reconnects", async () => {
    const started = deferred<ServerContext>();
    const release = deferred();
    const peers: string[] = [];
    const { server, port } = await startServer(
      { maxConnectionIdle: 100 },
      {
        async unary(req, ctx) {
          peers.push(ctx.peer);
          if (req.text === "held") {
            started.resolve(ctx);
            await release.promise;
          }
          return req;
        },
      },
    );
    const channel = createChannel(`127.0.0.1:${port}`);
    try {
      const call = channel.unary(TestService.methods.unary, echo("held"));
      const ctx = await within(started.promise, 5_000, "handler start");
      await delay(350); // the scenario: three idle periods with the call open
      expect(ctx.signal.aborted).toBe(false);
      release.resolve();
      expect((await within(call)).text).toBe("held");
      // Idle from here on: closed one idle period after the call ended; the channel must reconnect.
      await delay(350);
      expect((await within(channel.unary(TestService.methods.unary, echo("again")))).text).toBe("again");
      expect(peers).toHaveLength(2);
      expect(peers[1]).not.toBe(peers[0]);
    } finally {
      release.resolve();
      channel.close();
      server.forceShutdown();
    }
  });
});

describe("maxConnectionAge", () => {
  test("under steady load, connections are recycled every age and no call fails", async () => {
    const peers = new Set<string>();
    const { server, port } = await startServer(
      { maxConnectionAge: 100 },
      {
        unary(req, ctx) {
          peers.add(ctx.peer);
          return req;
        },
        async *serverStream(req) {
          // Spans several connection ages: it must finish on its aged connection.
          for (let i = 0; i < req.count; i++) {
            await delay(40);
            yield echo(req.text, i);
          }
        },
      },
    );
    const channel = createChannel(`127.0.0.1:${port}`);
    try {
      const longStream = collect(channel.serverStream(TestService.methods.serverStream, echo("long", 10)));
      let calls = 0;
      const worker = async (): Promise<void> => {
        while (peers.size < 4) {
          const text = `c${calls++}`;
          expect((await channel.unary(TestService.methods.unary, echo(text))).text).toBe(text);
        }
      };
      await within(Promise.all([worker(), worker(), worker(), worker()]), 10_000, "four connection ages under load");
      expect(peers.size).toBeGreaterThanOrEqual(4);
      expect(calls).toBeGreaterThan(20);
      const streamed = await within(longStream, 5_000, "stream across ages");
      expect(streamed.map((m) => m.count)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      channel.close();
      server.forceShutdown();
    }
  });

  test("the age GOAWAY is NO_ERROR max_age; a call still running after maxConnectionAgeGrace is cancelled and the connection closed", async () => {
    const started = deferred<ServerContext>();
    const { server, port } = await startServer(
      { maxConnectionAge: 100, maxConnectionAgeGrace: 150 },
      {
        async unary(req, ctx) {
          started.resolve(ctx);
          await aborted(ctx.signal); // stuck until cancelled
          return req;
        },
      },
    );
    const { session, goaways, closed } = watchedSession(port);
    try {
      const openedAt = performance.now();
      const stream = session.request({ ":method": "POST", ":path": TestService.methods.unary.path, "content-type": "application/grpc", te: "trailers" });
      stream.on("error", () => {});
      stream.resume();
      stream.end(Buffer.alloc(5));
      const ctx = await within(started.promise, 5_000, "handler start");
      const reason = (await within(aborted(ctx.signal), 5_000, "grace expiry")) as GrpcError;
      const elapsed = performance.now() - openedAt;
      expect(reason.code).toBe(Status.CANCELLED);
      expect(elapsed).toBeGreaterThanOrEqual(90 + 150 - 5); // age -10% jitter, plus the grace
      await within(closed, 5_000, "connection close");
      expect(goaways[0]).toEqual({ code: NGHTTP2_NO_ERROR, debugData: "max_age" });
    } finally {
      session.destroy();
      server.forceShutdown();
    }
  });

  test("our client's call cut off by the grace period fails UNAVAILABLE, and the next call reconnects", async () => {
    let first = true;
    const { server, port } = await startServer(
      { maxConnectionAge: 100, maxConnectionAgeGrace: 50 },
      {
        async unary(req, ctx) {
          if (first) {
            first = false;
            await aborted(ctx.signal);
          }
          return req;
        },
      },
    );
    const channel = createChannel(`127.0.0.1:${port}`);
    try {
      const error = (await within(rejection(channel.unary(TestService.methods.unary, echo("stuck"))), 5_000, "cut off")) as GrpcError;
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect((await within(channel.unary(TestService.methods.unary, echo("next")))).text).toBe("next");
    } finally {
      channel.close();
      server.forceShutdown();
    }
  });
});
