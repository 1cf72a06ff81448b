// Name resolution end to end: dns targets, IPv6 loopback, and resolvers the
// application registers (the seam for service discovery).
import * as dns from "node:dns";
import * as net from "node:net";
import { createChannel, registerResolver, type ResolverListener, type ParsedTarget, unregisterResolver } from "../../src/client/index.js";
import { GrpcError, Status } from "../../src/grpc/index.js";
import { createServer, type Server } from "../../src/server/index.js";
import { dnsResolverFactory } from "../../src/client/resolver/dns.js";
import { parseTarget } from "../../src/client/resolver/target.js";
import { closedPort, type Echo, rejection, TestService, within } from "./fixtures.js";

const empty = new Uint8Array(0);
const echo = (text: string): Echo => ({ text, data: empty, count: 0 });

/** A server that answers with its name and the caller's address. */
async function namedServer(name: string, address: string): Promise<{ server: Server; port: number }> {
  const server = createServer({ onError: () => {} });
  server.add(TestService, { unary: (req, ctx) => echo(`${name} ${ctx.peer}`) });
  const port = await server.listen(address);
  return { server, port };
}

async function stop(server: Server): Promise<void> {
  server.forceShutdown();
  await within(server.shutdown(), 5_000, "server shutdown");
}

async function canListenOn(host: string): Promise<boolean> {
  const probe = net.createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(0, host, () => probe.close(() => resolve(true)));
  });
}

test("dns:///localhost:PORT reaches a server through the addresses localhost resolves to", async () => {
  const looked = await dns.promises.lookup("localhost", { all: true });
  const first = looked[0]!;
  // Listen where the channel dials: the first address (pick_first of a single connection, for now).
  const { server, port } = await namedServer("a", first.family === 6 ? "[::1]:0" : "127.0.0.1:0");
  expect(first.address).toBe(first.family === 6 ? "::1" : "127.0.0.1");
  const channel = createChannel(`dns:///localhost:${port}`);
  try {
    const reply = await within(channel.unary(TestService.methods.unary, echo("hi")), 5_000, "call");
    expect(reply.text).toMatch(first.family === 6 ? /^a \[::1\]:\d+$/ : /^a 127\.0\.0\.1:\d+$/);
    // And localhost:PORT (no scheme) is the same dns target.
    const bare = createChannel(`localhost:${port}`);
    expect((await within(bare.unary(TestService.methods.unary, echo("hi")), 5_000, "call")).text).toMatch(/^a /);
    bare.close();
  } finally {
    channel.close();
    await stop(server);
  }
});

test("IPv6 loopback: reached by literal when the machine has it; dns never invents addresses lookup did not return", async () => {
  const looked = await dns.promises.lookup("localhost", { all: true });
  let resolver: { close(): void } | undefined;
  const resolved = await within(
    new Promise<unknown>((resolve, reject) => {
      resolver = dnsResolverFactory()(parseTarget("dns:///localhost:1"), { onUpdate: (u) => resolve(u.addresses), onError: reject });
    }),
    5_000,
    "lookup",
  );
  resolver!.close();
  expect(resolved).toEqual(looked.map((r) => ({ kind: "tcp", host: r.address, port: 1 })));
  if (await canListenOn("::1")) {
    const { server, port } = await namedServer("v6", "[::1]:0");
    try {
      for (const target of [`dns:///[::1]:${port}`, `[::1]:${port}`, `ipv6:[::1]:${port}`]) {
        const channel = createChannel(target);
        const reply = await within(channel.unary(TestService.methods.unary, echo("hi")), 5_000, target);
        channel.close();
        expect(reply.text).toMatch(/^v6 \[::1\]:\d+$/);
      }
    } finally {
      await stop(server);
    }
  } else {
    expect(looked.map((r) => r.address)).not.toContain("::1");
  }
});

/** A resolver the test drives: it records its target and pushes whatever the test says. */
class TestDiscovery {
  listener: ResolverListener | undefined;
  target: ParsedTarget | undefined;
  resolveNowCalls = 0;
  closed = false;
  readonly factory = (target: ParsedTarget, listener: ResolverListener) => {
    this.target = target;
    this.listener = listener;
    return {
      resolveNow: () => void this.resolveNowCalls++,
      close: () => void (this.closed = true),
    };
  };
}

describe("a registered resolver", () => {
  afterEach(() => unregisterResolver("discovery"));

  test("is created by the first call, and its updates (a watch) choose the backend", async () => {
    const a = await namedServer("a", "127.0.0.1:0");
    const b = await namedServer("b", "127.0.0.1:0");
    const discovery = new TestDiscovery();
    registerResolver("discovery", discovery.factory);
    const channel = createChannel("discovery://registry.local/shop.Cart");
    try {
      expect(discovery.listener).toBeUndefined(); // the channel is idle until its first call
      const first = channel.unary(TestService.methods.unary, echo("1"), { waitForReady: true });
      expect(discovery.target).toEqual({ target: "discovery://registry.local/shop.Cart", scheme: "discovery", authority: "registry.local", endpoint: "shop.Cart" });
      setImmediate(() => discovery.listener!.onUpdate({ addresses: [{ kind: "tcp", host: "127.0.0.1", port: a.port }] }));
      expect((await within(first, 5_000, "first call")).text).toMatch(/^a /);

      // The backend moves: the next connection dials the new address.
      discovery.listener!.onUpdate({ addresses: [{ kind: "tcp", host: "127.0.0.1", port: b.port }], serviceConfig: '{"loadBalancingConfig":[{"round_robin":{}}]}' });
      await stop(a.server);
      const moved = await within(channel.unary(TestService.methods.unary, echo("2"), { waitForReady: true }), 5_000, "call after the move");
      expect(moved.text).toMatch(/^b /);
    } finally {
      channel.close();
      await stop(b.server);
    }
    expect(discovery.closed).toBe(true);
  });

  test("errors fail fast calls UNAVAILABLE with the resolver's message; waitForReady calls wait for an update", async () => {
    const a = await namedServer("a", "127.0.0.1:0");
    const discovery = new TestDiscovery();
    registerResolver("discovery", discovery.factory);
    const channel = createChannel("discovery:///shop.Cart");
    try {
      const failFast = channel.unary(TestService.methods.unary, echo("1"));
      const patient = channel.unary(TestService.methods.unary, echo("2"), { waitForReady: true });
      discovery.listener!.onError(new GrpcError(Status.UNAVAILABLE, "registry unreachable"));
      const error = (await rejection(failFast)) as GrpcError;
      expect(error).toBeInstanceOf(GrpcError);
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect(error.details).toBe("registry unreachable");
      // While in error, each new call is a hint to resolve again, and fails fast.
      const again = (await rejection(channel.unary(TestService.methods.unary, echo("3")))) as GrpcError;
      expect([again.code, again.details]).toEqual([Status.UNAVAILABLE, "registry unreachable"]);
      expect(discovery.resolveNowCalls).toBe(1);

      discovery.listener!.onUpdate({ addresses: [{ kind: "tcp", host: "127.0.0.1", port: a.port }] });
      expect((await within(patient, 5_000, "waitForReady call")).text).toMatch(/^a /);
    } finally {
      channel.close();
      await stop(a.server);
    }
  });

  test("a waiting call ends at its deadline, and at channel close", async () => {
    const discovery = new TestDiscovery();
    registerResolver("discovery", discovery.factory);
    const channel = createChannel("discovery:///svc");
    const timed = (await rejection(channel.unary(TestService.methods.unary, echo("1"), { timeout: 50 }))) as GrpcError;
    expect(timed.code).toBe(Status.DEADLINE_EXCEEDED);
    const waiting = channel.unary(TestService.methods.unary, echo("2"), { waitForReady: true });
    channel.close();
    const closed = (await rejection(waiting)) as GrpcError;
    expect([closed.code, closed.details]).toEqual([Status.UNAVAILABLE, "channel closed"]);
    expect(discovery.closed).toBe(true);
    discovery.listener!.onUpdate({ addresses: [{ kind: "tcp", host: "127.0.0.1", port: 1 }] }); // ignored after close
  });

  test("bad updates and a throwing factory are UNAVAILABLE errors naming the resolver", async () => {
    const discovery = new TestDiscovery();
    registerResolver("discovery", discovery.factory);
    const channel = createChannel("discovery:///svc");
    const pending = channel.unary(TestService.methods.unary, echo("1"));
    discovery.listener!.onUpdate({ addresses: [] });
    expect(((await rejection(pending)) as GrpcError).details).toBe('the discovery resolver for "discovery:///svc" returned no addresses');
    channel.close();
    const other = createChannel("discovery:///svc");
    const next = other.unary(TestService.methods.unary, echo("2"));
    discovery.listener!.onUpdate({ addresses: [{ kind: "tcp", host: "", port: 80 }] });
    expect(((await rejection(next)) as GrpcError).details).toBe(
      'the discovery resolver for "discovery:///svc" returned an invalid TCP address {"kind":"tcp","host":"","port":80}',
    );
    other.close();

    registerResolver("discovery", () => {
      throw new Error("no registry configured");
    });
    const broken = createChannel("discovery:///svc");
    const error = (await rejection(broken.unary(TestService.methods.unary, echo("1")))) as GrpcError;
    expect([error.code, error.details]).toEqual([Status.UNAVAILABLE, 'the discovery resolver for "discovery:///svc" failed: no registry configured']);
    broken.close();
  });

  test("a unix socket address from a resolver", async () => {
    const name = `tsgrpc-resolver-${process.pid}-${Date.now()}`;
    const { server } = await namedServer("u", `unix-abstract:${name}`);
    registerResolver("discovery", (_, listener) => {
      listener.onUpdate({ addresses: [{ kind: "unix", path: `\0${name}` }] });
      return { resolveNow() {}, close() {} };
    });
    const channel = createChannel("discovery:///svc");
    try {
      expect((await within(channel.unary(TestService.methods.unary, echo("1")), 5_000, "call")).text).toMatch(/^u /);
    } finally {
      channel.close();
      await stop(server);
    }
  });
});

test("an address that refuses connections is passed over for the next one, without a backoff and without failing fail-fast calls", async () => {
  const { server, port } = await namedServer("live", "127.0.0.1:0");
  const dead = await closedPort();
  const channel = createChannel(`ipv4:127.0.0.1:${dead},127.0.0.1:${port}`);
  try {
    const started = Date.now();
    const reply = await within(channel.unary(TestService.methods.unary, echo("hi")), 5_000, "call");
    expect(reply.text).toMatch(/^live /);
    // The default first backoff is 1 s: moving on to the second address must not wait for it.
    expect(Date.now() - started).toBeLessThan(900);
  } finally {
    channel.close();
    await stop(server);
  }
});

test("when every address refuses, a fail-fast call fails UNAVAILABLE naming the last one tried", async () => {
  const [a, b] = [await closedPort(), await closedPort()];
  const channel = createChannel(`ipv4:127.0.0.1:${a},127.0.0.1:${b}`);
  try {
    const error = await rejection(channel.unary(TestService.methods.unary, echo("hi")));
    expect(error).toBeInstanceOf(GrpcError);
    expect((error as GrpcError).code).toBe(Status.UNAVAILABLE);
    expect((error as GrpcError).details).toContain(`127.0.0.1:${b}`);
  } finally {
    channel.close();
  }
});
