// Server keepalive: enforcement of the client's PING rate (gRFC A8) and the
// server's own PINGs that find dead peers (doc/keepalive.md), end to end.
import * as http2 from "node:http2";
import * as grpc from "@grpc/grpc-js";
import { Status } from "../../src/grpc/index.js";
import { createServer, type Server, type ServerContext, type ServerOptions } from "../../src/server/index.js";
import { aborted, deferred, TestService, type TestHandlers, within } from "./fixtures.js";
import { FLAG_ACK, FrameType, frameSniffer, parseGoAway, rawPeer } from "./h2-frames.js";

const { NGHTTP2_ENHANCE_YOUR_CALM } = http2.constants;

async function startServer(options: ServerOptions, handlers: TestHandlers = {}): Promise<{ server: Server; port: number }> {
  const server = createServer({ onError: () => {}, ...options });
  server.add(TestService, { unary: (req) => req, ...handlers });
  return { server, port: await server.listen("127.0.0.1:0") };
}

interface GoAwaySeen {
  code: number;
  lastStreamId: number;
  debugData: string;
}

/** A node:http2 client that records GOAWAY frames and its close. */
function watchedSession(port: number): { session: http2.ClientHttp2Session; goaways: GoAwaySeen[]; closed: Promise<void> } {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  const goaways: GoAwaySeen[] = [];
  session.on("goaway", (code, lastStreamId, data) => goaways.push({ code, lastStreamId, debugData: data?.toString("latin1") ?? "" }));
  const closed = new Promise<void>((resolve) => session.once("close", () => resolve()));
  return { session, goaways, closed };
}

function connected(session: http2.ClientHttp2Session): Promise<void> {
  return within(new Promise<void>((resolve) => session.once("connect", () => resolve())), 5_000, "connect");
}

function ping(session: http2.ClientHttp2Session): Promise<void> {
  return new Promise((resolve, reject) => {
    session.ping((error) => (error === null ? resolve() : reject(error)));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("keepalive enforcement", () => {
  test("a client pinging every 10 ms with no calls gets GOAWAY ENHANCE_YOUR_CALM too_many_pings, and the connection closes", async () => {
    const { server, port } = await startServer({});
    const { session, goaways, closed } = watchedSession(port);
    try {
      await connected(session);
      const pinger = setInterval(() => {
        if (!session.destroyed) session.ping(() => {});
      }, 10);
      await within(closed, 5_000, "connection close").finally(() => clearInterval(pinger));
      expect(goaways).toEqual([{ code: NGHTTP2_ENHANCE_YOUR_CALM, lastStreamId: 0, debugData: "too_many_pings" }]);
    } finally {
      session.destroy();
      server.forceShutdown();
    }
  });

  test("with keepalivePermitWithoutCalls and a short keepaliveMinTime, pings that respect it are answered and nothing more", async () => {
    const { server, port } = await startServer({ keepalivePermitWithoutCalls: true, keepaliveMinTime: 20 });
    const { session, goaways } = watchedSession(port);
    try {
      await connected(session);
      for (let i = 0; i < 8; i++) {
        await within(ping(session), 5_000, "ping ack");
        await delay(40); // the pace under test: twice keepaliveMinTime
      }
      expect(goaways).toEqual([]);
      expect(session.closed || session.destroyed).toBe(false);
      // The same client going faster than keepaliveMinTime is struck out.
      const pinger = setInterval(() => {
        if (!session.destroyed) session.ping(() => {});
      }, 2);
      await within(new Promise<void>((resolve) => session.once("close", () => resolve())), 5_000, "close").finally(() =>
        clearInterval(pinger),
      );
      expect(goaways.map((g) => [g.code, g.debugData])).toEqual([[NGHTTP2_ENHANCE_YOUR_CALM, "too_many_pings"]]);
    } finally {
      session.destroy();
      server.forceShutdown();
    }
  });

  test("without keepalivePermitWithoutCalls, pings at keepaliveMinTime are fine while a call is open", async () => {
    const started = deferred<ServerContext>();
    const release = deferred();
    const { server, port } = await startServer(
      { keepaliveMinTime: 20 },
      {
        async unary(req, ctx) {
          started.resolve(ctx);
          await release.promise;
          return req;
        },
      },
    );
    const { session, goaways } = watchedSession(port);
    try {
      await connected(session);
      const call = session.request({ ":method": "POST", ":path": TestService.methods.unary.path, "content-type": "application/grpc", te: "trailers" });
      call.on("error", () => {});
      call.resume();
      call.end(Buffer.alloc(5));
      await within(started.promise, 5_000, "handler start");
      for (let i = 0; i < 6; i++) {
        await within(ping(session), 5_000, "ping ack");
        await delay(40);
      }
      expect(goaways).toEqual([]);
      release.resolve();
      await within(new Promise<void>((resolve) => call.once("close", () => resolve())), 5_000, "call end");
      expect(call.rstCode).toBe(http2.constants.NGHTTP2_NO_ERROR);
    } finally {
      release.resolve();
      session.destroy();
      server.forceShutdown();
    }
  });

  test("@grpc/grpc-js with aggressive keepalive is sent GOAWAY too_many_pings by our server", async () => {
    const { server, port } = await startServer({});
    const sniffer = await frameSniffer(port);
    const client = new grpc.Client(`127.0.0.1:${sniffer.port}`, grpc.credentials.createInsecure(), {
      "grpc.keepalive_time_ms": 10,
      "grpc.keepalive_timeout_ms": 1_000,
      "grpc.keepalive_permit_without_calls": 1,
    });
    try {
      await within(
        new Promise<void>((resolve, reject) =>
          client.waitForReady(Date.now() + 5_000, (error) => (error ? reject(error) : resolve())),
        ),
        6_000,
        "grpc-js connect",
      );
      const frame = await within(sniffer.waitFor((f) => f.type === FrameType.GOAWAY), 5_000, "GOAWAY to grpc-js");
      expect(parseGoAway(frame)).toEqual({ lastStreamId: 0, errorCode: NGHTTP2_ENHANCE_YOUR_CALM, debugData: "too_many_pings" });
      // grpc-js pinged at least three times too soon before it was struck out.
      expect(sniffer.fromServer.filter((f) => f.type === FrameType.PING && (f.flags & FLAG_ACK) !== 0).length).toBeGreaterThanOrEqual(3);
    } finally {
      client.close();
      await sniffer.close();
      server.forceShutdown();
    }
  });
});

describe("server keepalive pings", () => {
  test("a peer that stops answering PINGs is closed within keepaliveTime + keepaliveTimeout, and its calls' signals abort", async () => {
    const started = deferred<ServerContext>();
    const { server, port } = await startServer(
      { keepaliveTime: 1_000, keepaliveTimeout: 200 },
      {
        async unary(req, ctx) {
          started.resolve(ctx);
          await aborted(ctx.signal);
          return req;
        },
      },
    );
    const peer = await rawPeer(port, { answerPings: false });
    try {
      const openedAt = performance.now();
      peer.unary(1, TestService.methods.unary.path);
      const ctx = await within(started.promise, 5_000, "handler start");
      await within(peer.closed, 5_000, "server closing the silent peer");
      const elapsed = performance.now() - openedAt;
      expect(peer.pings.length).toBe(1);
      expect(elapsed).toBeGreaterThanOrEqual(1_000);
      expect(elapsed).toBeLessThan(1_000 + 200 + 1_000); // slack for a loaded machine
      const reason = await within(aborted(ctx.signal), 5_000, "signal");
      expect((reason as { code: number }).code).toBe(Status.CANCELLED);
    } finally {
      peer.close();
      server.forceShutdown();
    }
  });

  test("a peer that answers PINGs stays connected through several keepalive rounds (one PING per keepaliveTime)", async () => {
    const { server, port } = await startServer({ keepaliveTime: 1_000, keepaliveTimeout: 200 });
    const peer = await rawPeer(port, { answerPings: true });
    try {
      let closed = false;
      void peer.closed.then(() => (closed = true));
      await within(peer.pinged(3), 5_000, "three keepalive PINGs");
      expect(closed).toBe(false);
      expect(peer.pings.length).toBe(3);
      expect(peer.goaways).toEqual([]);
    } finally {
      peer.close();
      server.forceShutdown();
    }
  });
});
