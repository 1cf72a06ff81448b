// The channel core below the call engine: which service config and policy a
// resolver update leads to (doc/service_config.md, gRFC A21's error
// handling), custom policies, and idleness on a manual clock. Policies run
// over fake subchannels where only their choices matter; idleness uses real
// connections on 127.0.0.1, since it counts calls on them.
import * as http2 from "node:http2";
import type * as net from "node:net";
import { FakeHelper, FakeSubchannel, tcp } from "../../test/balancer-fakes.js";
import { ManualClock } from "../../test/manual-clock.js";
import { GrpcError } from "../grpc/grpc-error.js";
import { parseServiceConfig, type ServiceConfigJson } from "../grpc/service-config.js";
import { Status } from "../grpc/status.js";
import type { Balancer, BalancerHelper, BalancerUpdate, PickResult } from "./balancer/balancer.js";
import { queuePicker } from "./balancer/pickers.js";
import { registerBalancer, unregisterBalancer } from "./balancer/registry.js";
import { BalancingTransport, type BalancingOptions } from "./balancing-transport.js";
import type { ConnectionWaiter } from "./call-transport.js";
import { ConnectivityState } from "./connectivity.js";
import type { Connection } from "./connection.js";
import { ChannelKeepalive } from "./keepalive.js";
import type { Resolver, ResolverListener, ResolverUpdate } from "./resolver/resolver.js";
import type { ChannelSubchannel } from "./subchannel/subchannel.js";

const { IDLE, CONNECTING, READY, TRANSIENT_FAILURE, SHUTDOWN } = ConnectivityState;
const A = tcp(3001);
const B = tcp(3002);
const C = tcp(3003);
const ROUND_ROBIN: ServiceConfigJson = { loadBalancingConfig: [{ round_robin: {} }] };
const PICK_FIRST: ServiceConfigJson = { loadBalancingConfig: [{ pick_first: {} }] };

/** A resolver the test speaks for. */
class TestResolver {
  listener: ResolverListener | undefined;
  starts = 0;
  closes = 0;
  resolveNows = 0;

  readonly resolve = (listener: ResolverListener): Resolver => {
    this.listener = listener;
    this.starts++;
    return {
      resolveNow: () => this.resolveNows++,
      close: () => this.closes++,
    };
  };

  push(update: ResolverUpdate): void {
    if (this.listener === undefined) throw new Error("resolver not started");
    this.listener.onUpdate(update);
  }
}

interface Setup {
  readonly transport: BalancingTransport;
  readonly resolver: TestResolver;
  readonly clock: ManualClock;
  /** Subchannels made by the policy in force (fakes unless `realSubchannels`). */
  readonly subchannels: FakeHelper;
}

function setup(options: Partial<BalancingOptions> & { serviceConfig?: ServiceConfigJson; realSubchannels?: boolean } = {}): Setup {
  const resolver = new TestResolver();
  const clock = new ManualClock();
  const transport = new BalancingTransport({
    resolve: resolver.resolve,
    resolverName: 'the test resolver for "test:x"',
    dial: { tls: undefined, maxHeaderListSize: 8192, flowControlWindow: 65_535, proxy: undefined },
    backoff: {},
    keepalive: new ChannelKeepalive(undefined),
    clock,
    idleTimeout: Infinity,
    defaultServiceConfig: options.serviceConfig !== undefined ? parseServiceConfig(options.serviceConfig) : undefined,
    disableServiceConfigLookup: false,
    ...options,
  });
  const subchannels = new FakeHelper();
  if (options.realSubchannels !== true) {
    jest.spyOn(transport, "createSubchannel").mockImplementation((address) => subchannels.createSubchannel(address) as unknown as ChannelSubchannel);
  }
  cleanups.push(() => transport.close());
  return { transport, resolver, clock, subchannels };
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The policy in force, told by its connections: pick_first dials one address at a time, round_robin all of them. */
function policyOf(s: Setup): "pick_first" | "round_robin" {
  const live = s.subchannels.created.filter((c) => !c.released);
  const dialled = live.filter((c) => c.connects > 0).length;
  if (live.length > 1 && dialled === live.length) return "round_robin";
  if (dialled === 1) return "pick_first";
  throw new Error(`cannot tell the policy: ${dialled} of ${live.length} subchannels dialled`);
}

/** A call waiting for a connection, recording how it ended. */
function waiter(waitForReady: boolean): ConnectionWaiter & { connection?: Connection; error?: GrpcError } {
  const w: ConnectionWaiter & { connection?: Connection; error?: GrpcError } = {
    waitForReady,
    method: { path: "/test.Service/Method" },
    onConnection(connection) {
      w.connection = connection;
    },
    onConnectionFailure(error) {
      w.error = error;
    },
  };
  return w;
}

function start(s: Setup): void {
  s.transport.exitIdle();
  expect(s.transport.state).toBe(CONNECTING);
  expect(s.resolver.starts).toBe(1);
}

describe("service config selection", () => {
  test("no config anywhere: pick_first", () => {
    const s = setup();
    start(s);
    s.resolver.push({ addresses: [A, B, C] });
    expect(policyOf(s)).toBe("pick_first");
  });

  test("the channel's default is used when the resolver sends none", () => {
    const s = setup({ serviceConfig: ROUND_ROBIN });
    start(s);
    s.resolver.push({ addresses: [A, B, C] });
    expect(policyOf(s)).toBe("round_robin");
  });

  test("the resolver's config wins over the channel's default (JSON text or parsed)", () => {
    const s = setup({ serviceConfig: ROUND_ROBIN });
    start(s);
    s.resolver.push({ addresses: [A, B, C], serviceConfig: JSON.stringify(PICK_FIRST) });
    expect(policyOf(s)).toBe("pick_first");
    const t = setup();
    t.transport.exitIdle();
    t.resolver.push({ addresses: [A, B, C], serviceConfig: ROUND_ROBIN });
    expect(policyOf(t)).toBe("round_robin");
  });

  test("the legacy loadBalancingPolicy field selects a policy too", () => {
    const s = setup();
    start(s);
    s.resolver.push({ addresses: [A, B], serviceConfig: { loadBalancingPolicy: "ROUND_ROBIN" } });
    expect(policyOf(s)).toBe("round_robin");
  });

  test("the first policy the channel knows is used; unknown ones before it are skipped", () => {
    const s = setup();
    start(s);
    s.resolver.push({ addresses: [A, B], serviceConfig: { loadBalancingConfig: [{ weighted_magic: {} }, { round_robin: {} }] } });
    expect(policyOf(s)).toBe("round_robin");
  });

  test("disableServiceConfigLookup ignores the resolver's config", () => {
    const s = setup({ disableServiceConfigLookup: true });
    start(s);
    s.resolver.push({ addresses: [A, B, C], serviceConfig: ROUND_ROBIN });
    expect(policyOf(s)).toBe("pick_first");
    const t = setup({ disableServiceConfigLookup: true, serviceConfig: ROUND_ROBIN });
    t.transport.exitIdle();
    t.resolver.push({ addresses: [A, B, C], serviceConfig: PICK_FIRST });
    expect(policyOf(t)).toBe("round_robin");
  });

  test("an invalid config after a valid one keeps the valid one, and the new addresses apply", () => {
    const s = setup();
    start(s);
    s.resolver.push({ addresses: [A, B], serviceConfig: ROUND_ROBIN });
    const before = [...s.subchannels.created];
    s.resolver.push({ addresses: [A, B, C], serviceConfig: { methodConfig: [{ name: [{}], timeout: "soon" }] } });
    expect(before.every((c) => !c.released)).toBe(true); // same policy instance, same subchannels
    expect(s.subchannels.liveNames()).toEqual(["127.0.0.1:3001", "127.0.0.1:3002", "127.0.0.1:3003"]);
    expect(policyOf(s)).toBe("round_robin");
    expect(s.transport.state).toBe(CONNECTING);
  });

  test("an invalid first config falls back to the channel's default", () => {
    const s = setup({ serviceConfig: ROUND_ROBIN });
    start(s);
    s.resolver.push({ addresses: [A, B], serviceConfig: "{not json" });
    expect(policyOf(s)).toBe("round_robin");
  });

  test("an invalid first config with no default is TRANSIENT_FAILURE naming the field; a valid one recovers", () => {
    const s = setup();
    start(s);
    const failFast = waiter(false);
    const patient = waiter(true);
    s.transport.wait(failFast);
    s.transport.wait(patient);
    s.resolver.push({ addresses: [A], serviceConfig: { loadBalancingConfig: [{ no_such_policy: {} }] } });
    expect(s.transport.state).toBe(TRANSIENT_FAILURE);
    expect(s.subchannels.created).toEqual([]);
    expect(failFast.error?.code).toBe(Status.UNAVAILABLE);
    expect(failFast.error?.message).toContain("test resolver");
    expect(failFast.error?.message).toContain("loadBalancingConfig");
    expect(failFast.error?.message).toContain("no_such_policy");
    expect(patient.error).toBeUndefined(); // waitForReady calls keep waiting

    s.resolver.push({ addresses: [A], serviceConfig: { methodConfig: [{ name: [{ service: "x" }], timeout: "1x" }] } });
    const next = waiter(false);
    s.transport.wait(next);
    expect(next.error?.message).toContain("methodConfig[0].timeout");

    s.resolver.push({ addresses: [A] });
    expect(s.transport.state).toBe(CONNECTING);
    expect(policyOf(s)).toBe("pick_first");
  });

  test("an invalid config after updates without one keeps working with the empty config (gRFC A21)", () => {
    const s = setup();
    start(s);
    s.resolver.push({ addresses: [A] });
    s.subchannels.live(A).set(READY);
    expect(s.transport.state).toBe(READY);
    s.resolver.push({ addresses: [B], serviceConfig: { loadBalancingConfig: [{ no_such_policy: {} }] } });
    // The previously selected config (none: the empty one) stays, and the new address list applies.
    expect(s.subchannels.liveNames()).toEqual(["127.0.0.1:3002"]);
    expect(s.transport.state).toBe(CONNECTING);
  });

  test("a resolver config that goes away leaves the channel on its default", () => {
    const s = setup({ serviceConfig: PICK_FIRST });
    start(s);
    s.resolver.push({ addresses: [A, B], serviceConfig: ROUND_ROBIN });
    expect(policyOf(s)).toBe("round_robin");
    s.resolver.push({ addresses: [A, B] });
    expect(policyOf(s)).toBe("pick_first");
  });
});

describe("resolver errors", () => {
  test("the channel asks the resolver again on the backoff schedule until it answers, so waitForReady calls are not stranded", () => {
    const s = setup({ backoff: { initialBackoff: 1_000, multiplier: 2, jitter: 0, maxBackoff: 10_000 } });
    const patient = waiter(true);
    s.transport.wait(patient);
    s.resolver.listener!.onError(new GrpcError(Status.UNAVAILABLE, "no such host"));
    expect(s.transport.state).toBe(TRANSIENT_FAILURE);
    expect(s.resolver.resolveNows).toBe(0);
    s.clock.advance(999);
    expect(s.resolver.resolveNows).toBe(0);
    s.clock.advance(1);
    expect(s.resolver.resolveNows).toBe(1);
    s.resolver.listener!.onError(new GrpcError(Status.UNAVAILABLE, "no such host"));
    s.clock.advance(2_000);
    expect(s.resolver.resolveNows).toBe(2);
    // An answer ends the retries and starts the schedule over for the next failure.
    s.resolver.push({ addresses: [A] });
    expect(s.transport.state).toBe(CONNECTING);
    s.clock.advance(60_000);
    expect(s.resolver.resolveNows).toBe(2);
    s.resolver.listener!.onError(new GrpcError(Status.UNAVAILABLE, "dns down"));
    s.clock.advance(1_000);
    expect(s.resolver.resolveNows).toBe(3);
    expect(patient.error).toBeUndefined();
  });

  test("an invalid service config with nothing to fall back on is a failed resolution: retried too, with growing delays", () => {
    const s = setup({ backoff: { initialBackoff: 500, multiplier: 2, jitter: 0 } });
    start(s);
    s.resolver.push({ addresses: [A], serviceConfig: "[]" });
    expect(s.transport.state).toBe(TRANSIENT_FAILURE);
    s.clock.advance(500);
    expect(s.resolver.resolveNows).toBe(1);
    s.resolver.push({ addresses: [A], serviceConfig: "[]" });
    s.clock.advance(999);
    expect(s.resolver.resolveNows).toBe(1);
    s.clock.advance(1);
    expect(s.resolver.resolveNows).toBe(2);
  });

  test("no retry timer outlives IDLE or close()", () => {
    const s = setup({ idleTimeout: 1_000 });
    start(s);
    s.resolver.listener!.onError(new GrpcError(Status.UNAVAILABLE, "no such host"));
    s.clock.advance(2_000); // two idleness checks with no calls: IDLE
    expect(s.transport.state).toBe(IDLE);
    expect(s.clock.pending).toBe(0);
    const t = setup();
    start(t);
    t.resolver.listener!.onError(new GrpcError(Status.UNAVAILABLE, "no such host"));
    t.transport.close();
    expect(t.clock.pending).toBe(0);
  });
});

describe("policy switch", () => {
  test("pick_first -> round_robin while READY is graceful: the old policy serves until the new one is READY", () => {
    const s = setup();
    start(s);
    s.resolver.push({ addresses: [A, B] });
    const selected = s.subchannels.created[0]!;
    selected.set(READY);
    expect(s.transport.state).toBe(READY);
    const old = s.subchannels.created.filter((c) => !c.released);
    s.resolver.push({ addresses: [A, B], serviceConfig: ROUND_ROBIN });
    // The new policy dials every address beside the old one, which keeps the channel READY.
    expect(old.some((c) => c.released)).toBe(false);
    expect(s.transport.state).toBe(READY);
    const fresh = s.subchannels.created.filter((c) => !c.released && !old.includes(c));
    expect(fresh.map((c) => c.address)).toEqual([A, B]);
    fresh[0]!.set(READY);
    expect(old.every((c) => c.released)).toBe(true);
    expect(policyOf(s)).toBe("round_robin");
    expect(s.transport.state).toBe(READY);
  });

  test("a switch while not READY takes effect at once", () => {
    const s = setup();
    start(s);
    s.resolver.push({ addresses: [A, B] });
    const old = [...s.subchannels.created];
    s.resolver.push({ addresses: [A, B], serviceConfig: ROUND_ROBIN });
    expect(old.every((c) => c.released)).toBe(true);
    expect(policyOf(s)).toBe("round_robin");
    expect(s.transport.state).toBe(CONNECTING);
  });

  test("during a graceful switch, the old policy leaving READY hands over at once", () => {
    const s = setup();
    start(s);
    s.resolver.push({ addresses: [A, B] });
    const old = [...s.subchannels.created];
    old[0]!.set(READY);
    s.resolver.push({ addresses: [A, B], serviceConfig: ROUND_ROBIN });
    old[0]!.set(IDLE);
    expect(old.every((c) => c.released)).toBe(true);
    expect(policyOf(s)).toBe("round_robin");
    expect(s.transport.state).toBe(CONNECTING);
  });

  test("the same policy across updates is updated, not replaced", () => {
    const s = setup({ serviceConfig: ROUND_ROBIN });
    start(s);
    s.resolver.push({ addresses: [A, B] });
    const first = [...s.subchannels.created];
    s.resolver.push({ addresses: [A, B, C], serviceConfig: { loadBalancingConfig: [{ round_robin: {} }] } });
    expect(first.every((c) => !c.released)).toBe(true);
    expect(s.subchannels.created.length).toBe(3);
  });
});

describe("custom policies", () => {
  afterEach(() => {
    unregisterBalancer("test_custom");
  });

  /** A policy that publishes what the test asks for and records what it was given. */
  function customPolicy(): { updates: BalancerUpdate[]; helper: () => BalancerHelper } {
    const updates: BalancerUpdate[] = [];
    let helper: BalancerHelper | undefined;
    registerBalancer("test_custom", (h): Balancer => {
      helper = h;
      return {
        update(update) {
          updates.push(update);
          h.updateState(CONNECTING, queuePicker);
        },
        resolverError() {},
        exitIdle() {},
        close() {},
      };
    });
    return {
      updates,
      helper: () => {
        if (helper === undefined) throw new Error("the custom policy was never created");
        return helper;
      },
    };
  }

  test("a registered policy is chosen by loadBalancingConfig and gets its own config object and the addresses", () => {
    const policy = customPolicy();
    const s = setup({ serviceConfig: { loadBalancingConfig: [{ test_custom: { weight: 3 } }] } });
    start(s);
    s.resolver.push({ addresses: [A, B] });
    expect(policy.updates).toEqual([{ addresses: [A, B], config: { weight: 3 } }]);
  });

  test('a "drop" pick fails even waitForReady calls; "fail" fails only fail-fast ones', () => {
    const policy = customPolicy();
    const s = setup({ serviceConfig: { loadBalancingConfig: [{ test_custom: {} }] } });
    start(s);
    s.resolver.push({ addresses: [A] });
    const queuedPatient = waiter(true);
    s.transport.wait(queuedPatient);
    expect(queuedPatient.error).toBeUndefined();

    const dropped = new GrpcError(Status.UNAVAILABLE, "dropped by policy");
    const drop: PickResult = { kind: "drop", error: dropped };
    policy.helper().updateState(READY, { pick: () => drop });
    expect(queuedPatient.error).toBe(dropped); // a queued call is picked again with the new picker
    const patient = waiter(true);
    s.transport.wait(patient);
    expect(patient.error).toBe(dropped);
    expect(s.transport.ready({ path: "/test.Service/Method" })).toBeUndefined();

    const failed = new GrpcError(Status.UNAVAILABLE, "backends down");
    const fail: PickResult = { kind: "fail", error: failed };
    policy.helper().updateState(TRANSIENT_FAILURE, { pick: () => fail });
    const failFast = waiter(false);
    const patientAgain = waiter(true);
    s.transport.wait(failFast);
    s.transport.wait(patientAgain);
    expect(failFast.error).toBe(failed);
    expect(patientAgain.error).toBeUndefined();
    s.transport.close();
    expect(patientAgain.error?.code).toBe(Status.UNAVAILABLE); // closing fails those still waiting
  });

  test("a policy replaced by another (or closed by idleness) can no longer publish, ask for re-resolution or make subchannels", () => {
    const policy = customPolicy();
    const s = setup({ serviceConfig: { loadBalancingConfig: [{ test_custom: {} }] }, idleTimeout: 1_000 });
    start(s);
    s.resolver.push({ addresses: [A] });
    const stale = policy.helper();
    s.resolver.push({ addresses: [A, B], serviceConfig: ROUND_ROBIN });
    expect(s.transport.state).toBe(CONNECTING);
    const drop: PickResult = { kind: "drop", error: new GrpcError(Status.UNAVAILABLE, "stale policy") };
    stale.updateState(READY, { pick: () => drop });
    expect(s.transport.state).toBe(CONNECTING); // round_robin's state, not the old policy's
    const w = waiter(true);
    s.transport.wait(w);
    expect(w.error).toBeUndefined();
    stale.requestReresolution();
    expect(s.resolver.resolveNows).toBe(0);
    const orphan = stale.createSubchannel(C);
    expect(orphan.state).toBe(SHUTDOWN); // released at once: nothing would ever release it
    s.transport.cancelWait(w);

    // Idleness closes round_robin too; what the old policy says afterwards still changes nothing.
    s.clock.advance(1_000);
    expect(s.transport.state).toBe(IDLE);
    stale.updateState(TRANSIENT_FAILURE, queuePicker);
    expect(s.transport.state).toBe(IDLE);
  });

  test("a subchannel the helper did not make is an INTERNAL error for the call, not a crash", () => {
    const policy = customPolicy();
    const s = setup({ serviceConfig: { loadBalancingConfig: [{ test_custom: {} }] } });
    start(s);
    s.resolver.push({ addresses: [A] });
    const foreign: PickResult = { kind: "subchannel", subchannel: new FakeSubchannel(A) };
    policy.helper().updateState(READY, { pick: () => foreign });
    const w = waiter(true);
    s.transport.wait(w);
    expect(w.error?.code).toBe(Status.INTERNAL);
  });
});

describe("idleness", () => {
  interface Backend {
    readonly port: number;
    close(): Promise<void>;
  }

  async function backend(): Promise<Backend> {
    const server = http2.createServer();
    const sessions = new Set<http2.ServerHttp2Session>();
    server.on("session", (session) => {
      sessions.add(session);
      session.on("close", () => sessions.delete(session));
    });
    server.on("stream", (stream) => stream.respond({ ":status": 200 }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const b: Backend = {
      port: (server.address() as net.AddressInfo).port,
      async close() {
        for (const s of sessions) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
    cleanups.push(() => b.close());
    return b;
  }

  async function readyTransport(idleTimeout: number): Promise<Setup & { port: number }> {
    const server = await backend();
    const s = setup({ idleTimeout, realSubchannels: true });
    start(s);
    s.resolver.push({ addresses: [tcp(server.port)] });
    await s.transport.stateWatchers.ready(Date.now() + 3_000, () => {});
    return { ...s, port: server.port };
  }

  test("with no picks for idleTimeout the channel goes IDLE, closing resolver, policy and connections", async () => {
    const s = await readyTransport(1_000);
    const connection = s.transport.ready({ path: "/test.Service/Method" });
    expect(connection).toBeDefined();
    const closed = new Promise<void>((resolve) => connection!.session.once("close", () => resolve()));
    s.clock.advance(1_000); // a pick happened in this period
    expect(s.transport.state).toBe(READY);
    s.clock.advance(999);
    expect(s.transport.state).toBe(READY);
    s.clock.advance(1);
    expect(s.transport.state).toBe(IDLE);
    expect(s.resolver.closes).toBe(1);
    await closed;
    expect(s.transport.ready({ path: "/test.Service/Method" })).toBeUndefined();

    // The next call starts over: a new resolver, a new connection.
    const w = waiter(false);
    s.transport.wait(w);
    expect(s.resolver.starts).toBe(2);
    expect(s.transport.state).toBe(CONNECTING);
    s.resolver.push({ addresses: [tcp(s.port)] });
    await s.transport.stateWatchers.ready(Date.now() + 3_000, () => {});
    expect(w.connection).toBeDefined();
    expect(w.connection).not.toBe(connection);
  });

  test("not while calls wait for a connection", () => {
    const s = setup({ idleTimeout: 1_000 });
    const w = waiter(true);
    s.transport.wait(w); // leaves IDLE; the resolver has not answered
    expect(s.transport.state).toBe(CONNECTING);
    s.clock.advance(5_000);
    expect(s.transport.state).toBe(CONNECTING);
    s.transport.cancelWait(w);
    s.clock.advance(1_000);
    expect(s.transport.state).toBe(IDLE);
    expect(s.resolver.closes).toBe(1);
  });

  test("idleTimeout Infinity arms no timer", () => {
    const s = setup({ idleTimeout: Infinity });
    start(s);
    expect(s.clock.pending).toBe(0);
  });

  test("close() is SHUTDOWN: the idle timer stops and waiting calls fail UNAVAILABLE", () => {
    const s = setup({ idleTimeout: 1_000 });
    const w = waiter(true);
    s.transport.wait(w);
    s.transport.close();
    expect(s.transport.state).toBe(SHUTDOWN);
    expect(s.clock.pending).toBe(0);
    expect(w.error?.code).toBe(Status.UNAVAILABLE);
    s.transport.exitIdle();
    expect(s.transport.state).toBe(SHUTDOWN);
    expect(s.resolver.starts).toBe(1);
  });

  test("not while a call is open", async () => {
    const s = await readyTransport(1_000);
    const connection = s.transport.ready({ path: "/test.Service/Method" })!;
    connection.callStarted();
    s.clock.advance(1_000);
    s.clock.advance(1_000);
    s.clock.advance(1_000);
    expect(s.transport.state).toBe(READY);
    connection.callEnded();
    s.clock.advance(1_000);
    expect(s.transport.state).toBe(IDLE);
  });
});
