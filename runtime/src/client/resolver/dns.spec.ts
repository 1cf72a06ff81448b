import * as dgram from "node:dgram";
import * as dns from "node:dns";
import type { Clock } from "../clock.js";
import { GrpcError } from "../../grpc/grpc-error.js";
import { Status } from "../../grpc/status.js";
import { dnsResolverFactory, type DnsLookup, type LookupResult } from "./dns.js";
import type { Resolver, ResolverUpdate } from "./resolver.js";
import { parseTarget } from "./target.js";

/** Time that moves only when the test says so. */
function manualClock(): Clock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      timers = timers.filter((t) => t !== handle);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
    pending: () => timers.length,
  };
}

/** Collects what a resolver reports; `next()` waits (bounded by jest's timeout) for the next report. */
class Recorder {
  readonly reports: Array<ResolverUpdate | GrpcError> = [];
  private waiting: (() => void) | undefined;
  readonly listener = {
    onUpdate: (u: ResolverUpdate) => this.push(u),
    onError: (e: GrpcError) => this.push(e),
  };

  private push(report: ResolverUpdate | GrpcError): void {
    this.reports.push(report);
    this.waiting?.();
  }

  async next(count = this.reports.length + 1): Promise<ResolverUpdate | GrpcError> {
    while (this.reports.length < count) await new Promise<void>((resolve) => (this.waiting = resolve));
    return this.reports[count - 1]!;
  }
}

/** A lookup the test controls: each call waits for the test to answer it. */
function scriptedLookup(): DnsLookup & { calls: string[]; answer(result: readonly LookupResult[] | Error): void } {
  const queue: Array<(r: readonly LookupResult[] | Error) => void> = [];
  const calls: string[] = [];
  const lookup = ((host: string) => {
    calls.push(host);
    return new Promise<readonly LookupResult[]>((resolve, reject) => queue.push((r) => (r instanceof Error ? reject(r) : resolve(r))));
  }) as DnsLookup & { calls: string[]; answer(result: readonly LookupResult[] | Error): void };
  lookup.calls = calls;
  lookup.answer = (r) => queue.shift()!(r);
  return lookup;
}

function open(target: string, recorder: Recorder, options: Parameters<typeof dnsResolverFactory>[0]): Resolver {
  return dnsResolverFactory(options)(parseTarget(target), recorder.listener);
}

test("IP literals resolve at once, without a lookup", () => {
  const lookup = scriptedLookup();
  const recorder = new Recorder();
  open("dns:///[::1]:7", recorder, { lookup }).close();
  open("10.0.0.1", recorder, { lookup }).close();
  expect(recorder.reports).toEqual([
    { addresses: [{ kind: "tcp", host: "::1", port: 7 }] },
    { addresses: [{ kind: "tcp", host: "10.0.0.1", port: 443 }] },
  ]);
  expect(lookup.calls).toEqual([]);
});

test("localhost resolves to exactly what node:dns lookup returns, in its order, with the target's port", async () => {
  const expected = await dns.promises.lookup("localhost", { all: true });
  const recorder = new Recorder();
  const resolver = open("dns:///localhost:50051", recorder, {});
  const update = await recorder.next();
  resolver.close();
  expect(update).toEqual({ addresses: expected.map((r) => ({ kind: "tcp", host: r.address, port: 50051 })) });
});

test("every A and AAAA record, in the order returned; default port 443", async () => {
  const lookup = scriptedLookup();
  const recorder = new Recorder();
  const resolver = open("svc.example", recorder, { lookup });
  expect(lookup.calls).toEqual(["svc.example"]);
  lookup.answer([
    { address: "fd00::1", family: 6 },
    { address: "10.0.0.1", family: 4 },
    { address: "10.0.0.2", family: 4 },
  ]);
  expect(await recorder.next()).toEqual({
    addresses: [
      { kind: "tcp", host: "fd00::1", port: 443 },
      { kind: "tcp", host: "10.0.0.1", port: 443 },
      { kind: "tcp", host: "10.0.0.2", port: 443 },
    ],
  });
  resolver.close();
});

test("lookup errors and empty answers reach the listener as UNAVAILABLE", async () => {
  const lookup = scriptedLookup();
  const clock = manualClock();
  const recorder = new Recorder();
  const resolver = open("dns:///gone.example:80", recorder, { lookup, clock });
  lookup.answer(Object.assign(new Error("getaddrinfo ENOTFOUND gone.example"), { code: "ENOTFOUND" }));
  const error = await recorder.next();
  expect(error).toBeInstanceOf(GrpcError);
  expect(error).toMatchObject({ code: Status.UNAVAILABLE, details: 'DNS resolution of "gone.example" failed: ENOTFOUND' });
  clock.advance(30_000);
  resolver.resolveNow();
  lookup.answer([]);
  expect(await recorder.next()).toMatchObject({ code: Status.UNAVAILABLE, details: 'DNS resolution of "gone.example" failed: no addresses' });
  resolver.close();
});

test("resolveNow re-resolves at most once per 30 s and reports each new list (a watch)", async () => {
  const lookup = scriptedLookup();
  const clock = manualClock();
  const recorder = new Recorder();
  const resolver = open("svc.example:9", recorder, { lookup, clock });
  lookup.answer([{ address: "10.0.0.1", family: 4 }]);
  await recorder.next(1);

  clock.advance(10_000);
  resolver.resolveNow(); // too soon: runs when 30 s have passed since the last resolution
  resolver.resolveNow(); // coalesced
  expect(lookup.calls).toHaveLength(1);
  clock.advance(19_999);
  expect(lookup.calls).toHaveLength(1);
  clock.advance(1);
  expect(lookup.calls).toHaveLength(2);
  lookup.answer([{ address: "10.0.0.2", family: 4 }, { address: "10.0.0.3", family: 4 }]);
  expect(await recorder.next(2)).toEqual({
    addresses: [
      { kind: "tcp", host: "10.0.0.2", port: 9 },
      { kind: "tcp", host: "10.0.0.3", port: 9 },
    ],
  });

  // A hint while a lookup is in flight runs after it, still rate-limited.
  clock.advance(30_000);
  resolver.resolveNow();
  resolver.resolveNow();
  expect(lookup.calls).toHaveLength(3);
  lookup.answer([{ address: "10.0.0.4", family: 4 }]);
  await recorder.next(3);
  expect(clock.pending()).toBe(1);
  clock.advance(30_000);
  expect(lookup.calls).toHaveLength(4);
  lookup.answer([{ address: "10.0.0.5", family: 4 }]);
  expect(await recorder.next(4)).toEqual({ addresses: [{ kind: "tcp", host: "10.0.0.5", port: 9 }] });
  resolver.close();
});

test("a custom minimum interval", async () => {
  const lookup = scriptedLookup();
  const clock = manualClock();
  const recorder = new Recorder();
  const resolver = open("svc.example", recorder, { lookup, clock, minResolveInterval: 100 });
  lookup.answer([{ address: "10.0.0.1", family: 4 }]);
  await recorder.next();
  clock.advance(99);
  resolver.resolveNow();
  expect(lookup.calls).toHaveLength(1);
  clock.advance(1);
  resolver.resolveNow();
  expect(lookup.calls).toHaveLength(2);
  resolver.close();
});

test("close() cancels a pending re-resolution and drops answers still in flight", async () => {
  const lookup = scriptedLookup();
  const clock = manualClock();
  const recorder = new Recorder();
  const resolver = open("svc.example", recorder, { lookup, clock });
  lookup.answer([{ address: "10.0.0.1", family: 4 }]);
  await recorder.next(1);
  resolver.resolveNow();
  expect(clock.pending()).toBe(1);
  resolver.close();
  expect(clock.pending()).toBe(0);

  const second = open("svc.example", recorder, { lookup, clock });
  second.close();
  lookup.answer([{ address: "10.0.0.9", family: 4 }]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(recorder.reports).toHaveLength(1);
});

// A DNS server on loopback for dns://authority/ targets: A and AAAA answers for one name, NXDOMAIN otherwise.
async function loopbackDnsServer(records: { name: string; a: string[]; aaaa: Buffer[] }): Promise<{ port: number; queries: string[]; close(): Promise<void> }> {
  const socket = dgram.createSocket("udp4");
  const queries: string[] = [];
  socket.on("message", (query, peer) => {
    let offset = 12;
    const labels: string[] = [];
    while (query[offset]! !== 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]!).toString("latin1"));
      offset += query[offset]! + 1;
    }
    const questionEnd = offset + 5;
    const type = query.readUInt16BE(offset + 1);
    const name = labels.join(".");
    queries.push(`${name}/${type === 1 ? "A" : type === 28 ? "AAAA" : type}`);
    const rdata = name !== records.name ? [] : type === 1 ? records.a.map((a) => Buffer.from(a.split(".").map(Number))) : type === 28 ? records.aaaa : [];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(name === records.name ? 0x8180 : 0x8183, 2); // response, recursion available, NOERROR or NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(rdata.length, 6);
    const answers = rdata.map((data) => {
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(type, 2);
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(data.length, 10);
      return Buffer.concat([rr, data]);
    });
    socket.send(Buffer.concat([header, query.subarray(12, questionEnd), ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, queries, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

test("dns://127.0.0.1:port/name asks that server for A and AAAA records", async () => {
  const v6 = Buffer.alloc(16);
  v6[0] = 0xfd;
  v6[15] = 7;
  const server = await loopbackDnsServer({ name: "svc.test", a: ["10.1.0.7", "10.1.0.8"], aaaa: [v6] });
  try {
    const recorder = new Recorder();
    const resolver = open(`dns://127.0.0.1:${server.port}/svc.test:8443`, recorder, {});
    expect(await recorder.next()).toEqual({
      addresses: [
        { kind: "tcp", host: "10.1.0.7", port: 8443 },
        { kind: "tcp", host: "10.1.0.8", port: 8443 },
        { kind: "tcp", host: "fd00::7", port: 8443 },
      ],
    });
    resolver.close();
    expect(server.queries.sort()).toEqual(["svc.test/A", "svc.test/AAAA"]);

    const missing = open(`dns://127.0.0.1:${server.port}/nothing.test`, recorder, {});
    expect(await recorder.next()).toMatchObject({ code: Status.UNAVAILABLE, details: 'DNS resolution of "nothing.test" failed: ENOTFOUND' });
    missing.close();
  } finally {
    await server.close();
  }
});
