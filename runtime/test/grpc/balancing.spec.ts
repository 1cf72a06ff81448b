// Subchannels, balancing and connectivity end to end, against real servers on
// 127.0.0.1: round_robin and pick_first (grpc/grpc doc/load-balancing.md),
// backends stopped, crashed, restarted or recycling their connections (gRFC
// A9) under load, address updates and errors from a registered resolver
// (doc/naming.md), service config selecting the policy (doc/service_config.md,
// gRFC A2/A21),
// channel states and the four methods that observe them
// (doc/connectivity-semantics-and-api.md), idleness, and the reconnect
// schedule (doc/connection-backoff.md). Small option values stand in for the
// defaults that are minutes long; every wait is bounded by `within` or a
// deadline, and nothing sleeps to synchronise: tests wait for counters that
// the servers (or a TCP relay in front of them) advance.
import * as net from "node:net";
import {
  type Channel,
  type ChannelOptions,
  createChannel,
  type ParsedTarget,
  registerResolver,
  type ResolverListener,
  unregisterResolver,
} from "../../src/client/index.js";
import { GrpcError, Status, statusName } from "../../src/grpc/index.js";
import { createServer, type Server, type ServerOptions } from "../../src/server/index.js";
import { aborted, closedPort, type Deferred, deferred, type Echo, rejection, TestService, within } from "./fixtures.js";

const empty = new Uint8Array(0);
const echo = (text: string): Echo => ({ text, data: empty, count: 0 });
const ROUND_ROBIN = '{"loadBalancingConfig":[{"round_robin":{}}]}';
/** Reconnects within tens of ms instead of the default second. */
const FAST_RECONNECT: ChannelOptions = { initialReconnectBackoff: 20, maxReconnectBackoff: 100, minConnectTimeout: 1_000 };

/** A count that tests can wait on: `reach(n)` resolves once it is at least n. */
class Tally {
  count = 0;
  private readonly waiters = new Set<{ n: number; resolve: () => void }>();

  add(): void {
    this.count++;
    for (const waiter of [...this.waiters]) {
      if (this.count < waiter.n) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  reach(n: number, ms: number, what: string): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    return within(new Promise<void>((resolve) => this.waiters.add({ n, resolve })), ms, what).catch((e: unknown) => {
      throw new Error(`${(e as Error).message} (count ${this.count}, waited for ${n})`);
    });
  }
}

/** Everything a test opens, closed after it in reverse order (also when it fails). */
const openedByTest: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of openedByTest.splice(0).reverse()) await close();
});

function track(channel: Channel): Channel {
  openedByTest.push(() => channel.close());
  return channel;
}

interface Backend {
  readonly name: string;
  readonly port: number;
  readonly server: Server;
  /** Unary calls answered. */
  readonly calls: Tally;
  /** Long calls (ServerStream) that have started and wait for releaseLongCalls(). */
  readonly longCalls: Tally;
  releaseLongCalls(): void;
  /** Graceful: GOAWAY, calls in flight finish, then the listener and connections close. */
  stop(): Promise<void>;
}

/**
 * A server that answers Unary with its name, and ServerStream with its name,
 * then (once released, or cancelled) "done": a call that stays open as long
 * as the test wants. `port` 0 picks one; a given port restarts a backend there.
 */
async function startBackend(name: string, port = 0, options: ServerOptions = {}): Promise<Backend> {
  const calls = new Tally();
  const longCalls = new Tally();
  const release = deferred();
  const server = createServer({ onError: () => {}, ...options });
  server.add(TestService, {
    unary: () => {
      calls.add();
      return echo(name);
    },
    async *serverStream(_req, ctx) {
      yield echo(name);
      longCalls.add();
      await Promise.race([release.promise, aborted(ctx.signal)]);
      yield echo("done");
    },
  });
  const bound = await server.listen(`127.0.0.1:${port}`);
  let stopped: Promise<void> | undefined;
  const backend: Backend = {
    name,
    port: bound,
    server,
    calls,
    longCalls,
    releaseLongCalls: () => release.resolve(),
    stop: () => (stopped ??= within(server.shutdown(), 5_000, `${name} shutdown`)),
  };
  openedByTest.push(async () => {
    release.resolve();
    server.forceShutdown();
    await within(server.shutdown(), 5_000, `${name} shutdown`);
  });
  return backend;
}

interface Relay {
  readonly port: number;
  /** TCP connections accepted, and when (Date.now()). */
  readonly opened: Tally;
  readonly openedAt: number[];
  /** Connections that have ended (either side closed). */
  readonly closed: Tally;
  /** Stops listening and resets every connection (as when the host dies). */
  close(): Promise<void>;
}

/**
 * A TCP listener on 127.0.0.1 that counts connections: it forwards each to
 * `toPort`, or, without one, accepts and closes it at once (a connection
 * attempt that fails after TCP connects, before any HTTP/2).
 */
async function relay(toPort?: number): Promise<Relay> {
  const opened = new Tally();
  const closed = new Tally();
  const openedAt: number[] = [];
  const sockets = new Set<net.Socket>();
  const listener = net.createServer((socket) => {
    openedAt.push(Date.now());
    opened.add();
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => {
      sockets.delete(socket);
      closed.add();
    });
    if (toPort === undefined) {
      socket.destroy();
      return;
    }
    const upstream = net.connect(toPort, "127.0.0.1");
    sockets.add(upstream);
    upstream.on("error", () => socket.destroy());
    upstream.once("close", () => {
      sockets.delete(upstream);
      socket.destroy();
    });
    socket.once("close", () => upstream.destroy());
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const close = (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => listener.close(() => resolve()));
  };
  openedByTest.push(close);
  return { port: (listener.address() as net.AddressInfo).port, opened, openedAt, closed, close };
}

const ipv4 = (...ports: number[]): string => `ipv4:${ports.map((p) => `127.0.0.1:${p}`).join(",")}`;

async function call(channel: Channel, waitForReady = false, timeout = 5_000): Promise<string> {
  return (await channel.unary(TestService.methods.unary, echo("hi"), { waitForReady, timeout })).text;
}

/** Calls one at a time until every backend has answered one more (round_robin reaches them as they become READY). */
async function warmUp(channel: Channel, backends: readonly Backend[], ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  const before = backends.map((b) => b.calls.count);
  const missing = (): Backend[] => backends.filter((b, i) => b.calls.count === before[i]);
  while (missing().length > 0) {
    if (Date.now() > until) throw new Error(`warm-up: ${missing().map((b) => b.name).join(", ")} answered no call within ${ms} ms`);
    await call(channel, true);
  }
}

/** The channel's states, collected (from getState's at subscription) until `last` or the bound. */
async function statesUntil(channel: Channel, last: string, ms = 5_000): Promise<string[]> {
  const seen: string[] = [];
  await within(
    (async () => {
      for await (const state of channel.states()) {
        seen.push(state);
        if (state === last) return;
      }
    })(),
    ms,
    `states until ${last} (saw ${seen.join(", ")})`,
  ).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}; saw ${seen.join(" -> ")}`);
  });
  return seen;
}

/**
 * Continuous unary calls from `workers` loops, each alternating a
 * waitForReady call and a fail-fast one, until stop(). Records every outcome.
 */
class Load {
  readonly ok = new Tally();
  readonly waitForReadyFailures: unknown[] = [];
  readonly failFastFailures: unknown[] = [];
  private running = true;
  private readonly workers: Promise<void>[];

  constructor(
    private readonly channel: Channel,
    workers = 4,
  ) {
    this.workers = Array.from({ length: workers }, () => this.work());
  }

  private async work(): Promise<void> {
    while (this.running) {
      for (const waitForReady of [true, false]) {
        try {
          await call(this.channel, waitForReady);
          this.ok.add();
        } catch (e) {
          (waitForReady ? this.waitForReadyFailures : this.failFastFailures).push(e);
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await within(Promise.all(this.workers), 10_000, "load to stop");
  }
}

const codeOf = (e: unknown): string => (e instanceof GrpcError ? `${statusName(e.code)}: ${e.details}` : String(e));

describe("round_robin (doc/load-balancing.md)", () => {
  test("spreads 300 calls over 3 READY servers within ±10% each", async () => {
    const backends = [await startBackend("a"), await startBackend("b"), await startBackend("c")];
    const channel = track(createChannel(ipv4(...backends.map((b) => b.port)), { serviceConfig: ROUND_ROBIN }));
    await within(channel.waitForReady(Date.now() + 5_000), 6_000, "channel READY");
    await warmUp(channel, backends);
    const before = backends.map((b) => b.calls.count);
    await within(Promise.all(Array.from({ length: 300 }, () => call(channel))), 10_000, "300 calls");
    const spread = backends.map((b, i) => b.calls.count - before[i]!);
    expect(spread.reduce((x, y) => x + y)).toBe(300);
    for (const n of spread) {
      expect(n).toBeGreaterThanOrEqual(90);
      expect(n).toBeLessThanOrEqual(110);
    }
  });

  test("a server stopped mid-load fails no waitForReady call and fail-fast calls only UNAVAILABLE; restarted on its port it is back in rotation", async () => {
    const [a, b, c] = [await startBackend("a"), await startBackend("b"), await startBackend("c")];
    const channel = track(createChannel(ipv4(a.port, b.port, c.port), { serviceConfig: ROUND_ROBIN, ...FAST_RECONNECT }));
    await warmUp(channel, [a, b, c]);
    const load = new Load(channel);
    try {
      await b.calls.reach(b.calls.count + 20, 5_000, "b under load");
      await b.stop();
      const bAfterStop = b.calls.count;
      // The others carry the load while b is down (round_robin skips it).
      await a.calls.reach(a.calls.count + 50, 5_000, "a after b stopped");
      await c.calls.reach(c.calls.count + 50, 5_000, "c after b stopped");
      expect(b.calls.count).toBe(bAfterStop);

      // The same port again: the background reconnects find it.
      const restarted = await startBackend("b again", b.port);
      await restarted.calls.reach(20, 5_000, "restarted b back in rotation");
    } finally {
      await load.stop();
    }
    expect(load.waitForReadyFailures.map(codeOf)).toEqual([]);
    for (const e of load.failFastFailures) {
      expect(e).toBeInstanceOf(GrpcError);
      expect((e as GrpcError).code).toBe(Status.UNAVAILABLE);
    }
    expect(load.ok.count).toBeGreaterThan(200);
  });
});

describe("round_robin when backends crash or recycle connections", () => {
  test("a backend whose connections drop mid-load: only calls in flight on it fail, UNAVAILABLE; the rest go to the others", async () => {
    const [a, b, c] = [await startBackend("a"), await startBackend("b"), await startBackend("c")];
    const bFront = await relay(b.port);
    const channel = track(createChannel(ipv4(a.port, bFront.port, c.port), { serviceConfig: ROUND_ROBIN, ...FAST_RECONNECT }));
    await warmUp(channel, [a, b, c]);
    const workers = 4;
    const load = new Load(channel, workers);
    try {
      await b.calls.reach(b.calls.count + 20, 5_000, "b under load");
      await bFront.close(); // TCP reset, as when the host dies: no GOAWAY
      await a.calls.reach(a.calls.count + 50, 5_000, "a after b's crash");
      await c.calls.reach(c.calls.count + 50, 5_000, "c after b's crash");
    } finally {
      await load.stop();
    }
    const failures = [...load.waitForReadyFailures, ...load.failFastFailures];
    // Each worker has at most one call in flight, and only those sent to b can fail.
    expect(failures.length).toBeLessThanOrEqual(workers);
    for (const e of failures) expect(codeOf(e)).toMatch(/^UNAVAILABLE: /);
  });

  test("maxConnectionAge on every backend: connections recycle under load, no call fails, calls stay spread", async () => {
    const backends: Backend[] = [];
    const fronts: Relay[] = [];
    // Ages apart, as A9's jitter spreads them in a real deployment: each GOAWAY alone.
    for (const [name, maxConnectionAge] of [["a", 250], ["b", 400], ["c", 550]] as const) {
      const backend = await startBackend(name, 0, { maxConnectionAge, maxConnectionAgeGrace: 5_000 });
      backends.push(backend);
      fronts.push(await relay(backend.port));
    }
    const channel = track(createChannel(ipv4(...fronts.map((f) => f.port)), { serviceConfig: ROUND_ROBIN, ...FAST_RECONNECT }));
    await warmUp(channel, backends);
    const served = (): number => backends.reduce((n, b) => n + b.calls.count, 0);
    const servedBefore = served();
    const load = new Load(channel);
    try {
      // Each backend's first connection reaches its age (300 ms ± 10%) and is replaced.
      for (const front of fronts) await front.opened.reach(2, 5_000, "a second connection after the age GOAWAY");
      const before = backends.map((b) => b.calls.count);
      await load.ok.reach(load.ok.count + 300, 10_000, "300 more calls");
      backends.forEach((b, i) => expect({ backend: b.name, more: b.calls.count > before[i]! }).toEqual({ backend: b.name, more: true }));
    } finally {
      await load.stop();
    }
    expect({ waitForReady: load.waitForReadyFailures.map(codeOf), failFast: load.failFastFailures.map(codeOf) }).toEqual({ waitForReady: [], failFast: [] });
    // Calls sent again after a GOAWAY were ones the servers never ran: each ran once.
    expect(served() - servedBefore).toBe(load.ok.count);
  });
});

describe("pick_first (the default)", () => {
  test("skips a dead first address, stays on the second, and moves to the third when the second stops", async () => {
    const dead = await closedPort();
    const [p2, p3] = [await startBackend("p2"), await startBackend("p3")];
    const channel = track(createChannel(ipv4(dead, p2.port, p3.port)));
    for (let i = 0; i < 20; i++) expect(await within(call(channel), 5_000, `call ${i}`)).toBe("p2");
    expect([p2.calls.count, p3.calls.count]).toEqual([20, 0]);

    await p2.stop();
    for (let i = 0; i < 20; i++) expect(await within(call(channel), 5_000, `call ${i} after p2 stopped`)).toBe("p3");
    expect([p2.calls.count, p3.calls.count]).toEqual([20, 20]);
  });
});

/** A resolver the tests drive: one per channel, found by the target's endpoint (unique per test). */
const SCHEME = `lbtest-${process.pid}`;
interface ResolverSlot {
  readonly listener: Deferred<ResolverListener>;
  /** resolveNow() hints from the channel. */
  readonly resolveNow: Tally;
}
const resolvers = new Map<string, ResolverSlot>();

function slot(endpoint: string): ResolverSlot {
  let found = resolvers.get(endpoint);
  if (found === undefined) resolvers.set(endpoint, (found = { listener: deferred<ResolverListener>(), resolveNow: new Tally() }));
  return found;
}

beforeAll(() => {
  registerResolver(SCHEME, (target: ParsedTarget, listener: ResolverListener) => {
    const { listener: created, resolveNow } = slot(target.endpoint);
    created.resolve(listener);
    return { resolveNow: () => resolveNow.add(), close() {} };
  });
});
afterAll(() => unregisterResolver(SCHEME));

const tcp = (port: number) => ({ kind: "tcp", host: "127.0.0.1", port }) as const;

/** The resolver listener of the channel for `endpoint`, once the channel has created its resolver (first call, or getState(true)). */
function resolverOf(endpoint: string): Promise<ResolverListener> {
  return within(slot(endpoint).listener.promise, 5_000, `the resolver of ${endpoint} to be created`);
}

describe("a registered resolver's address updates (doc/naming.md)", () => {
  test("backends added and removed under load: nothing fails, a removed one gets no new calls and drains, an added one gets calls", async () => {
    const [a, b, c] = [await startBackend("a"), await startBackend("b"), await startBackend("c")];
    // b sits behind a relay so that the test sees its connection close.
    const bRelay = await relay(b.port);
    const channel = track(createChannel(`${SCHEME}:///updates`, { serviceConfig: ROUND_ROBIN, ...FAST_RECONNECT }));
    channel.getState(true);
    const resolver = await resolverOf("updates");
    resolver.onUpdate({ addresses: [tcp(a.port), tcp(bRelay.port)] });
    await warmUp(channel, [a, b]);

    // A long call that lands on b (round_robin alternates; the ones on a just wait too).
    let onB: AsyncIterator<Echo> | undefined;
    const longCalls: AsyncIterator<Echo>[] = [];
    for (let i = 0; i < 10 && onB === undefined; i++) {
      const it = channel.serverStream(TestService.methods.serverStream, echo("long"), { timeout: 20_000 })[Symbol.asyncIterator]();
      longCalls.push(it);
      const first = await within(it.next(), 5_000, "long call's first message");
      if (first.value?.text === "b") onB = it;
    }
    if (onB === undefined) throw new Error("no long call landed on b in 10 tries");

    const load = new Load(channel);
    try {
      await b.calls.reach(b.calls.count + 20, 5_000, "b under load");
      // b removed, c added, in one update: a keeps serving meanwhile.
      resolver.onUpdate({ addresses: [tcp(a.port), tcp(c.port)] });
      await c.calls.reach(10, 5_000, "added c receives calls");
      const bAfterRemoval = b.calls.count;
      await c.calls.reach(c.calls.count + 60, 5_000, "c keeps receiving calls");
      expect(b.calls.count).toBe(bAfterRemoval);
      // b's connection drains: open while its long call runs, closed once it ends.
      expect(bRelay.closed.count).toBe(0);
      b.releaseLongCalls();
      a.releaseLongCalls();
      const rest = await within(collectRest(onB), 5_000, "long call on b");
      expect(rest.map((m) => m.text)).toEqual(["done"]);
      await bRelay.closed.reach(1, 5_000, "b's connection closing after its last call");
      expect(bRelay.opened.count).toBe(1);
      await a.calls.reach(a.calls.count + 20, 5_000, "a still in rotation");
    } finally {
      await load.stop();
      a.releaseLongCalls();
      b.releaseLongCalls();
      for (const it of longCalls) await within(collectRest(it), 5_000, "long calls to end").catch(() => []);
    }
    expect(load.waitForReadyFailures.map(codeOf)).toEqual([]);
    expect(load.failFastFailures.map(codeOf)).toEqual([]);
  });
});

describe("resolver errors and re-resolution (doc/naming.md, doc/load-balancing.md)", () => {
  test("an error before any addresses: TRANSIENT_FAILURE and fail-fast calls UNAVAILABLE with its message; an error after them keeps them", async () => {
    const a = await startBackend("a");
    const channel = track(createChannel(`${SCHEME}:///errors`));
    channel.getState(true);
    const resolver = await resolverOf("errors");
    resolver.onError(new GrpcError(Status.UNAVAILABLE, "registry unreachable"));
    expect((await statesUntil(channel, "TRANSIENT_FAILURE")).at(-1)).toBe("TRANSIENT_FAILURE");
    const error = (await within(rejection(call(channel)), 5_000, "fail-fast call")) as GrpcError;
    expect([error.code, error.details]).toEqual([Status.UNAVAILABLE, "registry unreachable"]);

    resolver.onUpdate({ addresses: [tcp(a.port)] });
    expect(await within(call(channel), 5_000, "call after the update")).toBe("a");
    resolver.onError(new GrpcError(Status.UNAVAILABLE, "registry unreachable again"));
    expect(await within(call(channel), 5_000, "call after a later error")).toBe("a");
    expect(channel.getState()).toBe("READY");
  });

  test("a lost connection makes the channel ask its resolver again", async () => {
    const a = await startBackend("a");
    const channel = track(createChannel(`${SCHEME}:///reresolve`));
    channel.getState(true);
    (await resolverOf("reresolve")).onUpdate({ addresses: [tcp(a.port)] });
    expect(await within(call(channel, true), 5_000, "call")).toBe("a");
    const hints = slot("reresolve").resolveNow;
    const before = hints.count;
    await a.stop();
    await hints.reach(before + 1, 5_000, "resolveNow after the connection was lost");
  });
});

async function collectRest(it: AsyncIterator<Echo>): Promise<Echo[]> {
  const out: Echo[] = [];
  for (let next = await it.next(); next.done !== true; next = await it.next()) out.push(next.value);
  return out;
}

describe("service config (doc/service_config.md, gRFC A21)", () => {
  test("the resolver's config selects round_robin; a bad config later keeps the previous one", async () => {
    const backends = [await startBackend("a"), await startBackend("b"), await startBackend("c")];
    const addresses = backends.map((b) => tcp(b.port));
    const channel = track(createChannel(`${SCHEME}:///config`));
    channel.getState(true);
    const resolver = await resolverOf("config");
    resolver.onUpdate({ addresses, serviceConfig: ROUND_ROBIN });
    await warmUp(channel, backends);
    const spreadOf = async (n: number): Promise<number[]> => {
      const before = backends.map((b) => b.calls.count);
      for (let i = 0; i < n; i++) await within(call(channel), 5_000, "call");
      return backends.map((b, i) => b.calls.count - before[i]!);
    };
    // Without the config, pick_first would send all 30 to a.
    expect(await spreadOf(30)).toEqual([10, 10, 10]);

    resolver.onUpdate({ addresses, serviceConfig: '{"loadBalancingConfig":{"round_robin":{}}}' });
    resolver.onUpdate({ addresses, serviceConfig: "{not json" });
    expect(await spreadOf(30)).toEqual([10, 10, 10]);
    expect(channel.getState()).toBe("READY");
  });

  test("switching pick_first -> round_robin under load fails no call; then every backend gets calls", async () => {
    const backends = [await startBackend("a"), await startBackend("b"), await startBackend("c")];
    const addresses = backends.map((b) => tcp(b.port));
    const channel = track(createChannel(`${SCHEME}:///switch`, FAST_RECONNECT));
    channel.getState(true);
    const resolver = await resolverOf("switch");
    resolver.onUpdate({ addresses });
    expect(await within(call(channel, true), 5_000, "first call")).toBe("a");
    const load = new Load(channel);
    try {
      await backends[0]!.calls.reach(backends[0]!.calls.count + 20, 5_000, "pick_first under load");
      expect(backends.map((b) => b.calls.count).slice(1)).toEqual([0, 0]);
      resolver.onUpdate({ addresses, serviceConfig: ROUND_ROBIN });
      for (const b of backends) await b.calls.reach(b.calls.count + 20, 5_000, `${b.name} after the switch`);
    } finally {
      await load.stop();
    }
    expect({ waitForReady: load.waitForReadyFailures.map(codeOf), failFast: load.failFastFailures.map(codeOf) }).toEqual({ waitForReady: [], failFast: [] });
  });

  test("a new channel does not act on a first update whose config is invalid", async () => {
    const a = await startBackend("a");
    const channel = track(createChannel(`${SCHEME}:///first-bad`));
    channel.getState(true);
    const resolver = await resolverOf("first-bad");
    resolver.onUpdate({ addresses: [tcp(a.port)], serviceConfig: '{"loadBalancingConfig":[{"round_robin":[]}]}' });
    const error = (await within(rejection(call(channel)), 5_000, "fail-fast call")) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.code).toBe(Status.UNAVAILABLE);
    expect(error.details).toMatch(/service config/);
    expect(channel.getState()).toBe("TRANSIENT_FAILURE");
    expect(a.calls.count).toBe(0);
    // A valid one fixes it.
    resolver.onUpdate({ addresses: [tcp(a.port)] });
    expect(await within(call(channel, true), 5_000, "call after a valid update")).toBe("a");
  });

  test("ChannelOptions.serviceConfig is the default; disableServiceConfigLookup ignores the resolver's", async () => {
    const [a, b] = [await startBackend("a"), await startBackend("b")];
    const addresses = [tcp(a.port), tcp(b.port)];
    const channel = track(createChannel(`${SCHEME}:///disabled`, { serviceConfig: { loadBalancingConfig: [{ pick_first: {} }] }, disableServiceConfigLookup: true }));
    channel.getState(true);
    (await resolverOf("disabled")).onUpdate({ addresses, serviceConfig: ROUND_ROBIN });
    for (let i = 0; i < 10; i++) expect(await within(call(channel, true), 5_000, "call")).toBe("a");

    // The legacy loadBalancingPolicy field selects a policy too.
    const legacy = track(createChannel(ipv4(a.port, b.port), { serviceConfig: '{"loadBalancingPolicy":"round_robin"}' }));
    await warmUp(legacy, [a, b]);
  });

  test("an invalid ChannelOptions.serviceConfig is a TypeError at createChannel naming the field", () => {
    expect(() => createChannel("127.0.0.1:1", { serviceConfig: '{"loadBalancingConfig":{"round_robin":{}}}' })).toThrow(TypeError);
    expect(() => createChannel("127.0.0.1:1", { serviceConfig: '{"loadBalancingConfig":{"round_robin":{}}}' })).toThrow(/loadBalancingConfig/);
    expect(() => createChannel("127.0.0.1:1", { serviceConfig: "{not json" })).toThrow(TypeError);
    expect(() => createChannel("127.0.0.1:1", { serviceConfig: { methodConfig: [{ name: [{ service: "x" }], timeout: "soon" }] } })).toThrow(
      /methodConfig\[0\]\.timeout/,
    );
  });
});

describe("connectivity states (doc/connectivity-semantics-and-api.md)", () => {
  test("a fresh channel is IDLE and getState() does not connect; getState(true) goes IDLE -> CONNECTING -> READY", async () => {
    const a = await startBackend("a");
    const front = await relay(a.port);
    const channel = track(createChannel(`127.0.0.1:${front.port}`));
    expect(channel.getState()).toBe("IDLE");
    expect(channel.getState(false)).toBe("IDLE");
    // Nothing happens: the absence of a change for 100 ms is what is tested.
    expect(await channel.watchState("IDLE", Date.now() + 100)).toBe(false);
    expect(front.opened.count).toBe(0);

    const states = statesUntil(channel, "READY");
    expect(["IDLE", "CONNECTING"]).toContain(channel.getState(true));
    expect(await states).toEqual(["IDLE", "CONNECTING", "READY"]);
    expect(channel.getState()).toBe("READY");
    expect(front.opened.count).toBe(1);
    expect(await call(channel)).toBe("a");
  });

  test("a closed port: TRANSIENT_FAILURE, fail-fast calls UNAVAILABLE naming the connection error", async () => {
    const port = await closedPort();
    const channel = track(createChannel(`127.0.0.1:${port}`));
    const states = statesUntil(channel, "TRANSIENT_FAILURE");
    channel.getState(true);
    expect(await states).toEqual(["IDLE", "CONNECTING", "TRANSIENT_FAILURE"]);
    const error = (await within(rejection(call(channel)), 5_000, "fail-fast call")) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.code).toBe(Status.UNAVAILABLE);
    expect(error.details).toContain(`127.0.0.1:${port}`);
    expect(error.details).toMatch(/ECONNREFUSED/);
  });

  test("waitForReady(deadline) resolves once a server comes up on the port, and rejects DEADLINE_EXCEEDED when none does", async () => {
    const port = await closedPort();
    const channel = track(createChannel(`127.0.0.1:${port}`, FAST_RECONNECT));
    const startedAt = Date.now();
    const timedOut = (await within(rejection(channel.waitForReady(startedAt + 300)), 5_000, "waitForReady")) as GrpcError;
    expect(timedOut).toBeInstanceOf(GrpcError);
    expect(timedOut.code).toBe(Status.DEADLINE_EXCEEDED);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(295);

    const ready = channel.waitForReady(new Date(Date.now() + 5_000));
    const failedOnce = statesUntil(channel, "TRANSIENT_FAILURE");
    await failedOnce; // the port is still closed: at least one attempt has failed
    await startBackend("late", port);
    await within(ready, 6_000, "waitForReady after the server came up");
    expect(channel.getState()).toBe("READY");
    expect(await call(channel)).toBe("late");
  });

  test("watchState resolves true on a change and false at its deadline", async () => {
    const a = await startBackend("a");
    const channel = track(createChannel(`127.0.0.1:${a.port}`));
    const startedAt = Date.now();
    expect(await channel.watchState("IDLE", startedAt + 100)).toBe(false);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(95);
    expect(await channel.watchState("READY", Date.now() + 1_000)).toBe(true); // already differs
    const change = channel.watchState("IDLE", Date.now() + 5_000);
    channel.getState(true);
    expect(await within(change, 6_000, "watchState")).toBe(true);
    expect(channel.getState()).not.toBe("IDLE");
  });

  test("close(): SHUTDOWN, states() ends, waitForReady and calls fail UNAVAILABLE", async () => {
    const a = await startBackend("a");
    const channel = track(createChannel(`127.0.0.1:${a.port}`));
    await within(channel.waitForReady(Date.now() + 5_000), 6_000, "READY");
    const seen: string[] = [];
    const iterated = (async () => {
      for await (const state of channel.states()) seen.push(state);
    })();
    const change = channel.watchState("READY", Date.now() + 5_000);
    channel.close();
    await within(iterated, 5_000, "states() to end");
    expect(seen).toEqual(["READY", "SHUTDOWN"]);
    expect(await within(change, 5_000, "watchState")).toBe(true);
    expect(channel.getState()).toBe("SHUTDOWN");
    expect(channel.getState(true)).toBe("SHUTDOWN");
    const waited = (await within(rejection(channel.waitForReady(Date.now() + 5_000)), 5_000)) as GrpcError;
    expect([waited.code, waited instanceof GrpcError]).toEqual([Status.UNAVAILABLE, true]);
    expect(((await within(rejection(call(channel, true)), 5_000)) as GrpcError).code).toBe(Status.UNAVAILABLE);
    // A states() started after close yields SHUTDOWN and ends.
    const after: string[] = [];
    for await (const state of channel.states()) after.push(state);
    expect(after).toEqual(["SHUTDOWN"]);
  });
});

describe("idleTimeout", () => {
  test("with no calls the channel goes IDLE and closes its connection; the next call reconnects", async () => {
    const a = await startBackend("a");
    const front = await relay(a.port);
    const channel = track(createChannel(`127.0.0.1:${front.port}`, { idleTimeout: 200 }));
    expect(await call(channel)).toBe("a");
    const callEnded = Date.now();
    const states = await statesUntil(channel, "IDLE", 5_000);
    expect(states).toEqual(["READY", "IDLE"]);
    expect(Date.now() - callEnded).toBeGreaterThanOrEqual(190);
    await front.closed.reach(1, 5_000, "the server's side of the connection closing");

    expect(await call(channel)).toBe("a");
    expect(front.opened.count).toBe(2);
    expect(channel.getState()).toBe("READY");
  });

  test("a long-running streaming call keeps the channel from going idle", async () => {
    const a = await startBackend("a");
    const front = await relay(a.port);
    const channel = track(createChannel(`127.0.0.1:${front.port}`, { idleTimeout: 200 }));
    const it = channel.serverStream(TestService.methods.serverStream, echo("long"), { timeout: 10_000 })[Symbol.asyncIterator]();
    expect((await within(it.next(), 5_000, "first message")).value?.text).toBe("a");
    // Three idle timeouts with the call open: no change is what is tested.
    expect(await channel.watchState("READY", Date.now() + 600)).toBe(false);
    expect(front.closed.count).toBe(0);
    a.releaseLongCalls();
    expect((await within(collectRest(it), 5_000, "long call")).map((m) => m.text)).toEqual(["done"]);
    // Once it has ended, idleness starts counting.
    expect(await within(channel.watchState("READY", Date.now() + 5_000), 6_000, "going idle")).toBe(true);
    expect(channel.getState()).toBe("IDLE");
    await front.closed.reach(1, 5_000, "connection closing after the call");
  });
});

describe("reconnect backoff through the channel (doc/connection-backoff.md)", () => {
  test("attempts against a peer that closes every connection follow initial, ×multiplier, cap, within the jitter", async () => {
    const initial = 50;
    const multiplier = 2;
    const jitter = 0.2;
    const max = 400;
    const slop = 100; // timers fire late under load, never early
    const peer = await relay(); // accepts and closes: every attempt fails after TCP connects
    const channel = track(
      createChannel(`127.0.0.1:${peer.port}`, {
        initialReconnectBackoff: initial,
        reconnectBackoffMultiplier: multiplier,
        reconnectBackoffJitter: jitter,
        maxReconnectBackoff: max,
        minConnectTimeout: 100,
      }),
    );
    // A waitForReady call keeps the channel trying; it ends at its deadline.
    const waiting = rejection(call(channel, true, 3_000));
    await peer.opened.reach(6, 5_000, "six connection attempts");
    const intervals = peer.openedAt.slice(1, 6).map((at, i) => at - peer.openedAt[i]!);
    // The first delay is not jittered; then doubling, capped at max, ±jitter each.
    const expected = [initial, 2 * initial, 4 * initial, max, max];
    intervals.forEach((interval, i) => {
      const delay = expected[i]!;
      const spread = i === 0 ? 0 : delay * jitter;
      const where = `interval ${i} (${interval} ms; all: ${intervals.join(", ")})`;
      expect({ where, ok: interval >= delay - spread - 10 }).toEqual({ where, ok: true });
      expect({ where, ok: interval <= delay + spread + slop }).toEqual({ where, ok: true });
    });
    channel.close();
    const error = (await within(waiting, 5_000, "waiting call")) as GrpcError;
    expect(error.code === Status.UNAVAILABLE || error.code === Status.DEADLINE_EXCEEDED).toBe(true);
  });
});
