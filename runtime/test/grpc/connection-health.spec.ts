// The client connection's health: READY only after the server's SETTINGS, the
// connect timeout, keepalive PINGs (gRFC A8) and too_many_pings, GOAWAY, and the
// server's SETTINGS_MAX_CONCURRENT_STREAMS. Peers that misbehave are raw: bytes
// on node:net (raw-h2-peer.ts) or node:http2 driven by hand (raw-http2.ts).
import * as http2 from "node:http2";
import { createChannel } from "../../src/client/index.js";
import { type GrpcError, Status } from "../../src/grpc/index.js";
import { deferred, Echo, rejection, startHarness, TestService, within } from "./fixtures.js";
import { FrameType, rawH2Peer } from "./raw-h2-peer.js";
import { frame, rawServer } from "./raw-http2.js";

const { NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_NO_ERROR } = http2.constants;

/** Answers a gRPC call with one Echo and OK, as a server would. */
function answer(stream: http2.ServerHttp2Stream, text: string): void {
  if (stream.destroyed) return;
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
  stream.end(frame(Echo.encode({ text })));
}

describe("READY only after the server's SETTINGS", () => {
  test("a listener that accepts TCP and never speaks HTTP/2: fail-fast calls end UNAVAILABLE at the connect timeout", async () => {
    const peer = await rawH2Peer({ speak: false });
    const channel = createChannel(`127.0.0.1:${peer.port}`, { minConnectTimeout: 200 });
    try {
      const started = Date.now();
      const error = (await within(rejection(channel.unary(TestService.methods.unary, {})), 5_000)) as GrpcError;
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect(error.details).toContain("connect timeout");
      // connection-backoff.md: an attempt waits max(MIN_CONNECT_TIMEOUT, current backoff), here the initial 1 s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(990);
      // The client gave up on the socket, and never opened a stream: the connection was never READY.
      await within(peer.closed, 5_000, "client closing the socket");
      expect(peer.frames.some((f) => f.type === FrameType.SETTINGS)).toBe(true);
      expect(peer.frames.some((f) => f.type === FrameType.HEADERS)).toBe(false);
    } finally {
      channel.close();
      await peer.close();
    }
  });

  test("a call with a deadline ends DEADLINE_EXCEEDED by it; waitForReady calls never hang", async () => {
    const peer = await rawH2Peer({ speak: false });
    const channel = createChannel(`127.0.0.1:${peer.port}`);
    try {
      const byDeadline = (await within(rejection(channel.unary(TestService.methods.unary, {}, { timeout: 100 })))) as GrpcError;
      expect(byDeadline.code).toBe(Status.DEADLINE_EXCEEDED);
      const waiting = (await within(
        rejection(channel.unary(TestService.methods.unary, {}, { timeout: 100, waitForReady: true })),
      )) as GrpcError;
      expect(waiting.code).toBe(Status.DEADLINE_EXCEEDED);
      expect(peer.frames.some((f) => f.type === FrameType.HEADERS)).toBe(false);
    } finally {
      channel.close();
      await peer.close();
    }
  });

  test("closing the channel while it waits for SETTINGS releases the socket and fails the waiting call", async () => {
    const peer = await rawH2Peer({ speak: false });
    const channel = createChannel(`127.0.0.1:${peer.port}`);
    try {
      const call = rejection(channel.unary(TestService.methods.unary, {}, { waitForReady: true }));
      await within(peer.frame(FrameType.SETTINGS), 5_000, "client preface");
      channel.close();
      expect(((await within(call)) as GrpcError).code).toBe(Status.UNAVAILABLE);
      await within(peer.closed, 5_000, "client closing the socket");
    } finally {
      await peer.close();
    }
  });

  test("a peer that sends SETTINGS is READY and carries calls", async () => {
    const h = await startHarness({ unary: (req) => req }, undefined, { minConnectTimeout: 200 });
    try {
      expect((await within(h.channel.unary(TestService.methods.unary, { text: "hi" }))).text).toBe("hi");
    } finally {
      await h.close();
    }
  });

  test("connect and keepalive options are checked", () => {
    expect(() => createChannel("127.0.0.1:1", { minConnectTimeout: 0 })).toThrow(/minConnectTimeout must be a positive/);
    expect(() => createChannel("127.0.0.1:1", { keepaliveTime: -1 })).toThrow(/keepaliveTime must be a positive/);
    expect(() => createChannel("127.0.0.1:1", { keepaliveTimeout: Number.NaN })).toThrow(/keepaliveTimeout/);
  });
});

describe("keepalive (gRFC A8)", () => {
  test("a peer that stops answering PINGs is detected within keepaliveTime + keepaliveTimeout; its calls fail UNAVAILABLE", async () => {
    const keepaliveTime = 150;
    const keepaliveTimeout = 150;
    const peer = await rawH2Peer({ speak: true, pingAcks: 1 });
    const channel = createChannel(`127.0.0.1:${peer.port}`, { keepaliveTime, keepaliveTimeout });
    try {
      // The peer never answers the call: only keepalive can end it.
      const error = (await within(rejection(channel.unary(TestService.methods.unary, {})), 5_000)) as GrpcError;
      const failedAt = Date.now();
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect(error.details).toContain("keepalive timeout");
      const pings = peer.frames.filter((f) => f.type === FrameType.PING && (f.flags & 1) === 0);
      expect(pings).toHaveLength(2); // one answered, one not
      const stoppedAnswering = peer.lastPingAckAt();
      // Not before the unanswered PING had its keepaliveTimeout; within time + timeout of the last answer (plus scheduling slack).
      expect(failedAt - pings[1]!.at).toBeGreaterThanOrEqual(keepaliveTimeout - 5);
      expect(failedAt - stoppedAnswering).toBeLessThan(keepaliveTime + keepaliveTimeout + 250);
      await within(peer.closed, 5_000, "client closing the socket");
    } finally {
      channel.close();
      await peer.close();
    }
  });

  test("no PINGs on a connection without calls unless keepalivePermitWithoutCalls", async () => {
    const idlePings = async (keepalivePermitWithoutCalls: boolean): Promise<number> => {
      let pings = 0;
      let callDone = false;
      const threePings = deferred();
      const server = await rawServer((stream) => answer(stream, "ok"));
      server.onSession((session) =>
        session.on("ping", () => {
          if (callDone && ++pings === 3) threePings.resolve();
        }),
      );
      const channel = createChannel(`127.0.0.1:${server.port}`, { keepaliveTime: 30, keepalivePermitWithoutCalls });
      try {
        await within(channel.unary(TestService.methods.unary, {}));
        callDone = true;
        // Idle for ten keepalive periods: absence is what is being tested, so this wait is the test.
        await Promise.race([threePings.promise, new Promise((resolve) => setTimeout(resolve, 300))]);
        return pings;
      } finally {
        channel.close();
        await server.close();
      }
    };
    expect(await idlePings(true)).toBe(3);
    // At most the one PING already scheduled when the call ended.
    expect(await idlePings(false)).toBeLessThanOrEqual(1);
  });

  test("GOAWAY ENHANCE_YOUR_CALM too_many_pings doubles the channel's keepalive time", async () => {
    const keepaliveTime = 100;
    const warned = deferred();
    const warning = jest.spyOn(process, "emitWarning").mockImplementation(() => warned.resolve());
    const firstPing = [deferred<number>(), deferred<number>()];
    let sessions = 0;
    const server = await rawServer((stream) => answer(stream, "ok"));
    server.onSession((session) => {
      const index = sessions++;
      const readyAt = Date.now();
      session.once("ping", () => {
        firstPing[index]?.resolve(Date.now() - readyAt);
        if (index === 0) session.goaway(NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from("too_many_pings"));
      });
    });
    const channel = createChannel(`127.0.0.1:${server.port}`, { keepaliveTime, keepalivePermitWithoutCalls: true });
    try {
      await within(channel.unary(TestService.methods.unary, {}));
      expect(await within(firstPing[0]!.promise)).toBeLessThan(2 * keepaliveTime);
      // Recorded as the GOAWAY arrives, before the connection is dropped; the next call dials again.
      await within(warned.promise, 5_000, "too_many_pings recorded");
      // The new connection pings at twice the interval.
      await within(channel.unary(TestService.methods.unary, {}));
      expect(await within(firstPing[1]!.promise)).toBeGreaterThanOrEqual(2 * keepaliveTime - 5);
      expect(sessions).toBe(2);
      expect(warning).toHaveBeenCalledTimes(1);
      expect(warning.mock.calls[0]![0]).toContain(`keepaliveTime raised to ${2 * keepaliveTime} ms`);
      expect(warning.mock.calls[0]![1]).toEqual({ code: "TSGRPC_TOO_MANY_PINGS" });
    } finally {
      warning.mockRestore();
      channel.close();
      await server.close();
    }
  });
});

describe("GOAWAY", () => {
  test("streams up to last-stream-id finish; later ones are retried on a new connection; new calls use it", async () => {
    const held: http2.ServerHttp2Stream[] = [];
    let sessions = 0;
    const server = await rawServer((stream) => {
      const session = stream.session!;
      const index = sessionIndex(session, () => ++sessions);
      if (index > 1) return answer(stream, `session ${index}`);
      held.push(stream);
      if (held.length === 3) {
        // The server processes only the first stream; the client never sent the others as far as the server will admit.
        session.goaway(NGHTTP2_NO_ERROR, held[0]!.id!, Buffer.alloc(0));
        answer(held[0]!, "session 1");
      }
    });
    const channel = createChannel(`127.0.0.1:${server.port}`);
    try {
      const results = await within(
        Promise.all([1, 2, 3].map((n) => channel.unary(TestService.methods.unary, { count: n }))),
        5_000,
        "calls across GOAWAY",
      );
      expect(results.map((r) => r.text).sort()).toEqual(["session 1", "session 2", "session 2"]);
      expect((await within(channel.unary(TestService.methods.unary, {}))).text).toBe("session 2");
      expect(server.sessionCount()).toBe(2);
    } finally {
      channel.close();
      await server.close();
    }
  });

  test("GOAWAY with an error code fails the calls in flight UNAVAILABLE, naming it; the next call reconnects", async () => {
    let sessions = 0;
    const server = await rawServer((stream) => {
      const index = sessionIndex(stream.session!, () => ++sessions);
      if (index === 1) stream.session!.goaway(NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from("calm down"));
      else answer(stream, "again");
    });
    const channel = createChannel(`127.0.0.1:${server.port}`);
    try {
      const error = (await within(rejection(channel.unary(TestService.methods.unary, {})))) as GrpcError;
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect(error.details).toContain(`GOAWAY with HTTP/2 error code ${NGHTTP2_ENHANCE_YOUR_CALM} (calm down)`);
      expect((await within(channel.unary(TestService.methods.unary, {}))).text).toBe("again");
    } finally {
      channel.close();
      await server.close();
    }
  });
});

describe("SETTINGS_MAX_CONCURRENT_STREAMS", () => {
  test("calls over the server's limit wait for a free stream instead of being refused", async () => {
    let active = 0;
    let maxActive = 0;
    let releasePair = deferred();
    // Each handler holds its call until the limit is reached: only concurrency of 2 lets them finish.
    const hold = async (): Promise<void> => {
      maxActive = Math.max(maxActive, ++active);
      const pair = releasePair;
      if (active === 2) {
        releasePair = deferred();
        pair.resolve();
      }
      await pair.promise;
      active--;
    };
    const h = await startHarness(
      {
        async *bidi(requests) {
          await hold();
          for await (const r of requests) yield r;
        },
        async unary(req) {
          await hold();
          return req;
        },
      },
      { maxConcurrentStreams: 2 },
    );
    try {
      // Streaming calls are never re-sent after REFUSED_STREAM: they pass only if nothing is refused.
      const bidi = Array.from({ length: 20 }, async (_, i) => {
        const out = [];
        for await (const r of h.channel.bidiStream(TestService.methods.bidi, [{ count: i }])) out.push(r.count);
        return out;
      });
      expect(await within(Promise.all(bidi), 10_000, "20 bidi calls")).toEqual(Array.from({ length: 20 }, (_, i) => [i]));
      const unary = Array.from({ length: 20 }, (_, i) => h.channel.unary(TestService.methods.unary, { count: i }));
      expect((await within(Promise.all(unary), 10_000, "20 unary calls")).map((r) => r.count)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(maxActive).toBe(2);
    } finally {
      await h.close();
    }
  });

  test("a call waiting for a stream ends DEADLINE_EXCEEDED by its deadline and frees nothing it did not take", async () => {
    const release = deferred();
    const firstArrived = deferred();
    let calls = 0;
    const h = await startHarness(
      {
        async unary(req) {
          if (calls++ === 0) {
            firstArrived.resolve();
            await release.promise;
          }
          return req;
        },
      },
      { maxConcurrentStreams: 1 },
    );
    try {
      const first = h.channel.unary(TestService.methods.unary, { text: "first" });
      await within(firstArrived.promise, 5_000, "first call at the server");
      const queued = (await within(rejection(h.channel.unary(TestService.methods.unary, {}, { timeout: 100 })))) as GrpcError;
      expect(queued.code).toBe(Status.DEADLINE_EXCEEDED);
      expect(calls).toBe(1); // it never reached the server
      release.resolve();
      expect((await within(first)).text).toBe("first");
      expect((await within(h.channel.unary(TestService.methods.unary, { text: "next" }))).text).toBe("next");
    } finally {
      await h.close();
    }
  });
});

const sessionNumbers = new WeakMap<http2.Http2Session, number>();
function sessionIndex(session: http2.Http2Session, next: () => number): number {
  let n = sessionNumbers.get(session);
  if (n === undefined) sessionNumbers.set(session, (n = next()));
  return n;
}
