// ChannelSubchannel over real sockets on 127.0.0.1, with its backoff timers on
// a manual clock: the states of connectivity-semantics-and-api.md and the
// schedule of connection-backoff.md, without waiting seconds.
import * as http2 from "node:http2";
import * as net from "node:net";
import { ManualClock } from "../../../test/manual-clock.js";
import { Status } from "../../grpc/status.js";
import type { BackoffOptions } from "../backoff.js";
import { ConnectivityState } from "../connectivity.js";
import { ChannelKeepalive } from "../keepalive.js";
import type { Address } from "../resolver/resolver.js";
import { ChannelSubchannel } from "./subchannel.js";

const { IDLE, CONNECTING, READY, TRANSIENT_FAILURE, SHUTDOWN } = ConnectivityState;
const WAIT_MS = 3_000;

/** Closes everything a test opened. */
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tcp(port: number): Address {
  return { kind: "tcp", host: "127.0.0.1", port };
}

/** Rejects after WAIT_MS so that no test hangs. */
function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Watched {
  readonly subchannel: ChannelSubchannel;
  readonly clock: ManualClock;
  /** Every state the subchannel reported, in order. */
  readonly history: ConnectivityState[];
  /** Resolves when the subchannel is in `state` (at once if it is). */
  until(state: ConnectivityState): Promise<void>;
}

function subchannel(address: Address, backoff: BackoffOptions = {}): Watched {
  const clock = new ManualClock();
  const s = new ChannelSubchannel(address, {
    dial: { tls: undefined, maxHeaderListSize: 8192, flowControlWindow: 65_535, proxy: undefined },
    backoff: { random: () => 0.5, ...backoff },
    keepalive: new ChannelKeepalive(undefined),
    clock,
  });
  const history: ConnectivityState[] = [];
  const waiters = new Set<{ state: ConnectivityState; resolve: () => void }>();
  const record = (state: ConnectivityState): void => {
    history.push(state);
    for (const w of [...waiters]) {
      if (w.state !== state) continue;
      waiters.delete(w);
      w.resolve();
    }
  };
  s.onStateChange((_, state) => record(state));
  cleanups.push(() => s.release());
  return {
    subchannel: s,
    clock,
    history,
    until(state) {
      if (s.state === state) return Promise.resolve();
      return bounded(new Promise<void>((resolve) => waiters.add({ state, resolve })), `${state} (now ${s.state})`);
    },
  };
}

interface TestServer {
  readonly port: number;
  readonly sessions: Set<http2.ServerHttp2Session>;
  /** Server streams not yet answered. */
  readonly streams: http2.ServerHttp2Stream[];
  readonly streamArrived: () => Promise<http2.ServerHttp2Stream>;
  close(): Promise<void>;
}

async function startServer(port = 0): Promise<TestServer> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  const streams: http2.ServerHttp2Stream[] = [];
  let onStream: ((stream: http2.ServerHttp2Stream) => void) | undefined;
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  server.on("stream", (stream) => {
    streams.push(stream);
    onStream?.(stream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  let closed = false;
  const result: TestServer = {
    port: (server.address() as net.AddressInfo).port,
    sessions,
    streams,
    streamArrived: () => bounded(new Promise((resolve) => (onStream = resolve)), "a stream at the server"),
    async close() {
      if (closed) return;
      closed = true;
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  cleanups.push(() => result.close());
  return result;
}

/** A port nothing listens on (just released by a listener of our own). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Opens a stream on the subchannel's connection the way a call does. */
function startCall(s: ChannelSubchannel): { stream: http2.ClientHttp2Stream; ended: Promise<number> } {
  const connection = s.readyConnection;
  if (connection === undefined) throw new Error("subchannel has no ready connection");
  connection.callStarted();
  const stream = connection.session.request({ ":method": "POST", ":path": "/test.Service/Method" });
  const ended = new Promise<number>((resolve) => {
    let status = 0;
    stream.on("response", (headers) => (status = Number(headers[":status"])));
    stream.on("close", () => {
      connection.callEnded();
      resolve(status);
    });
    stream.resume();
  });
  stream.end();
  return { stream, ended };
}

describe("ChannelSubchannel", () => {
  test("IDLE until asked; connect() -> CONNECTING -> READY against an HTTP/2 server", async () => {
    const server = await startServer();
    const w = subchannel(tcp(server.port));
    expect(w.subchannel.state).toBe(IDLE);
    expect(w.subchannel.readyConnection).toBeUndefined();
    w.subchannel.connect();
    expect(w.subchannel.state).toBe(CONNECTING);
    w.subchannel.connect(); // already connecting: nothing more
    await w.until(READY);
    expect(w.history).toEqual([CONNECTING, READY]);
    expect(w.subchannel.readyConnection).toBeDefined();
    expect(w.subchannel.lastError).toBeUndefined();
    expect(server.sessions.size).toBe(1);
  });

  test("READY only once the server's SETTINGS frame arrives, not on the TCP connection", async () => {
    let peer: net.Socket | undefined;
    let gotPreface: () => void = () => {};
    const preface = new Promise<void>((resolve) => (gotPreface = resolve));
    const silent = net.createServer((socket) => {
      peer = socket;
      let bytes = 0;
      socket.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes >= 24) gotPreface(); // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
      });
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    cleanups.push(() => void peer?.destroy());
    const w = subchannel(tcp((silent.address() as net.AddressInfo).port));
    w.subchannel.connect();
    await bounded(preface, "the client preface");
    expect(w.subchannel.state).toBe(CONNECTING);
    expect(w.subchannel.readyConnection).toBeUndefined();
    // An empty SETTINGS frame: length 0, type 4, flags 0, stream 0.
    peer!.write(Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]));
    await w.until(READY);
    expect(w.history).toEqual([CONNECTING, READY]);
  });

  test("a peer that accepts TCP and never sends SETTINGS fails the attempt at its connect timeout (max(backoff, minConnectTimeout))", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => {
      sockets.push(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    cleanups.push(() => sockets.forEach((s) => s.destroy()));
    const port = (silent.address() as net.AddressInfo).port;
    const w = subchannel(tcp(port), { initialBackoff: 50, minConnectTimeout: 150 });
    const started = Date.now();
    w.subchannel.connect();
    await w.until(TRANSIENT_FAILURE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(w.history).toEqual([CONNECTING, TRANSIENT_FAILURE]);
    expect(w.subchannel.lastError?.message).toContain(`127.0.0.1:${port}`);
    expect(w.subchannel.lastError?.message).toContain("no HTTP/2 SETTINGS from the server within 150 ms");
  });

  test("a refused connection is TRANSIENT_FAILURE naming the address, then IDLE when the backoff has passed", async () => {
    const port = await closedPort();
    const w = subchannel(tcp(port), { initialBackoff: 1_000 });
    w.subchannel.connect();
    await w.until(TRANSIENT_FAILURE);
    const error = w.subchannel.lastError;
    expect(error?.code).toBe(Status.UNAVAILABLE);
    expect(error?.message).toContain(`127.0.0.1:${port}`);
    expect(error?.message).toContain("ECONNREFUSED");
    w.subchannel.connect(); // in backoff: nothing happens
    expect(w.subchannel.state).toBe(TRANSIENT_FAILURE);
    expect(w.clock.pending).toBe(1);
    w.clock.advance(999);
    expect(w.subchannel.state).toBe(TRANSIENT_FAILURE);
    w.clock.advance(1);
    expect(w.subchannel.state).toBe(IDLE);
    expect(w.history).toEqual([CONNECTING, TRANSIENT_FAILURE, IDLE]);
    expect(w.subchannel.lastError).toBe(error); // kept for the balancer until the next success
  });

  test("the backoff grows by the multiplier with jitter, up to the maximum (connection-backoff.md)", async () => {
    const port = await closedPort();
    // random() = 0 puts every jittered delay at its lower bound: backoff × (1 - jitter).
    const w = subchannel(tcp(port), { initialBackoff: 100, multiplier: 2, jitter: 0.1, maxBackoff: 500, random: () => 0 });
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const start = w.clock.now();
      w.subchannel.connect();
      await w.until(TRANSIENT_FAILURE);
      delays.push(w.clock.delays.at(-1)!);
      w.clock.advance(w.clock.delays.at(-1)!);
      expect(w.subchannel.state).toBe(IDLE);
      expect(w.clock.now() - start).toBe(delays.at(-1));
    }
    // The first delay is INITIAL_BACKOFF unjittered; then 200, 400, 500 (capped), 500, each less 10 %.
    expect(delays).toEqual([100, 180, 360, 450, 450]);
  });

  test("a successful connection resets the backoff", async () => {
    const port = await closedPort();
    const w = subchannel(tcp(port), { initialBackoff: 100, multiplier: 2, jitter: 0, maxBackoff: 10_000 });
    const failOnce = async (): Promise<number> => {
      w.subchannel.connect();
      await w.until(TRANSIENT_FAILURE);
      const delay = w.clock.delays.at(-1)!;
      w.clock.advance(delay);
      return delay;
    };
    expect([await failOnce(), await failOnce(), await failOnce()]).toEqual([100, 200, 400]);

    const server = await startServer(port);
    w.subchannel.connect();
    await w.until(READY);
    expect(w.subchannel.lastError).toBeUndefined();
    // The server goes away: the READY connection is lost, the subchannel IDLE.
    await server.close();
    await w.until(IDLE);
    expect(await failOnce()).toBe(100); // the schedule started over
  });

  test("GOAWAY on a READY connection -> IDLE; the stream in flight finishes; connect() dials a new connection", async () => {
    const server = await startServer();
    const w = subchannel(tcp(server.port));
    w.subchannel.connect();
    await w.until(READY);
    const first = w.subchannel.readyConnection!;
    const arrived = server.streamArrived();
    const call = startCall(w.subchannel);
    const stream = await arrived;
    [...server.sessions][0]!.goaway(http2.constants.NGHTTP2_NO_ERROR, 1);
    await w.until(IDLE);
    expect(w.subchannel.readyConnection).toBeUndefined();
    expect(w.subchannel.activeCalls).toBe(1); // still counted while it drains
    stream.respond({ ":status": 200 });
    stream.end();
    expect(await bounded(call.ended, "the call to finish")).toBe(200);
    w.subchannel.connect();
    await w.until(READY);
    expect(w.subchannel.readyConnection).not.toBe(first);
    expect(w.history).toEqual([CONNECTING, READY, IDLE, CONNECTING, READY]);
  });

  test("release() -> SHUTDOWN: a connection without calls closes at once", async () => {
    const server = await startServer();
    const w = subchannel(tcp(server.port));
    w.subchannel.connect();
    await w.until(READY);
    const session = w.subchannel.readyConnection!.session;
    const closed = bounded(new Promise<void>((resolve) => session.once("close", () => resolve())), "the session to close");
    w.subchannel.release();
    expect(w.subchannel.state).toBe(SHUTDOWN);
    expect(w.subchannel.readyConnection).toBeUndefined();
    await closed;
    w.subchannel.connect(); // SHUTDOWN is final
    expect(w.subchannel.state).toBe(SHUTDOWN);
  });

  test("release() drains: the call in flight finishes, then the connection closes", async () => {
    const server = await startServer();
    const w = subchannel(tcp(server.port));
    w.subchannel.connect();
    await w.until(READY);
    const session = w.subchannel.readyConnection!.session;
    let sessionClosed = false;
    const closed = bounded(
      new Promise<void>((resolve) =>
        session.once("close", () => {
          sessionClosed = true;
          resolve();
        }),
      ),
      "the session to close",
    );
    const arrived = server.streamArrived();
    const call = startCall(w.subchannel);
    const stream = await arrived;
    w.subchannel.release();
    expect(w.subchannel.state).toBe(SHUTDOWN);
    expect(w.subchannel.activeCalls).toBe(1);
    // The server still gets to answer on the draining connection.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(sessionClosed).toBe(false);
    stream.respond({ ":status": 200 });
    stream.end("done");
    expect(await bounded(call.ended, "the call to finish")).toBe(200);
    await closed;
    expect(w.subchannel.activeCalls).toBe(0);
  });

  test("release() while connecting abandons the attempt and reports nothing more", async () => {
    let accepted: () => void = () => {};
    const connected = new Promise<void>((resolve) => (accepted = resolve));
    let peerClosed: () => void = () => {};
    const closedByClient = new Promise<void>((resolve) => (peerClosed = resolve));
    const silent = net.createServer((socket) => {
      accepted();
      socket.on("close", () => peerClosed());
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const w = subchannel(tcp((silent.address() as net.AddressInfo).port));
    w.subchannel.connect();
    await bounded(connected, "the TCP connection");
    w.subchannel.release();
    expect(w.subchannel.state).toBe(SHUTDOWN);
    await bounded(closedByClient, "the client to close its socket");
    expect(w.history).toEqual([CONNECTING]); // listeners are dropped at release
    expect(w.clock.pending).toBe(0); // no backoff timer for an abandoned attempt
  });

  test("release() in backoff clears the backoff timer", async () => {
    const w = subchannel(tcp(await closedPort()));
    w.subchannel.connect();
    await w.until(TRANSIENT_FAILURE);
    expect(w.clock.pending).toBe(1);
    w.subchannel.release();
    expect(w.clock.pending).toBe(0);
    expect(w.subchannel.state).toBe(SHUTDOWN);
  });
});
