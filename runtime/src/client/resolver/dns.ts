// dns:[//authority/]host[:port] (naming.md; the default scheme). Every A and
// AAAA record, in the order the system resolver returns them (node:dns
// lookup, as getaddrinfo sees /etc/hosts and the configured servers), or, with
// an authority, asked of that DNS server. IP literals resolve without a lookup.
// resolveNow() re-resolves at most once per minResolveInterval (30 s, as
// grpc-go and grpc-js do): a hint that arrives sooner runs when it is over.
import * as dns from "node:dns";
import { isIP } from "node:net";
import { GrpcError } from "../../grpc/grpc-error.js";
import { Status } from "../../grpc/status.js";
import { type Clock, systemClock, type TimerHandle } from "../clock.js";
import { formatHostPort, type HostPort, isIpLiteral, parseHostPort } from "./host-port.js";
import type { Address, BuiltinScheme, ParsedTarget, Resolver, ResolverFactory, ResolverListener } from "./resolver.js";

/** One IP address found for a name; `family` is 4 or 6. */
export interface LookupResult {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to every address it has; rejects with a node:dns error. */
export type DnsLookup = (host: string) => Promise<readonly LookupResult[]>;

export interface DnsResolverOptions {
  /** Least time between two resolutions, in ms. Default 30 000. */
  readonly minResolveInterval?: number;
  /** Default: node:dns lookup with `all: true`. Used for targets without an authority. */
  readonly lookup?: DnsLookup;
  readonly clock?: Clock;
}

export const DEFAULT_MIN_RESOLVE_INTERVAL = 30_000;
const DNS_PORT = 53;

const systemLookup: DnsLookup = (host) => dns.promises.lookup(host, { all: true });

/** The DNS server named by the authority (`dns://8.8.8.8:53/host`): A, then AAAA records. */
function serverLookup(server: HostPort): DnsLookup {
  const resolver = new dns.promises.Resolver();
  resolver.setServers([formatHostPort(server.host, server.port)]);
  const records = (query: Promise<string[]>): Promise<string[]> =>
    query.catch((e: NodeJS.ErrnoException) => {
      if (e.code === dns.NODATA) return []; // the name exists, without records of this family
      throw e;
    });
  return async (host) => {
    const [v4, v6] = await Promise.all([records(resolver.resolve4(host)), records(resolver.resolve6(host))]);
    return [...v4.map((address) => ({ address, family: 4 })), ...v6.map((address) => ({ address, family: 6 }))];
  };
}

function parseDnsTarget(target: ParsedTarget): { endpoint: HostPort; server: HostPort | undefined } | string {
  if (target.endpoint === "" && target.authority !== "") return "needs a host after the authority (dns:///host:port)";
  const endpoint = parseHostPort(target.endpoint, "dns");
  if (typeof endpoint === "string") return endpoint;
  if (target.authority === "") return { endpoint, server: undefined };
  const server = parseHostPort(target.authority, "dns", DNS_PORT);
  if (typeof server === "string" || !isIpLiteral(server.host)) {
    return `the DNS server authority ${JSON.stringify(target.authority)} must be an IP address with an optional port`;
  }
  return { endpoint, server };
}

class DnsResolver implements Resolver {
  private readonly clock: Clock;
  private readonly minInterval: number;
  private lastStart = -Infinity;
  private inFlight = false;
  private again = false;
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly lookup: DnsLookup,
    private readonly listener: ResolverListener,
    options: DnsResolverOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.minInterval = options.minResolveInterval ?? DEFAULT_MIN_RESOLVE_INTERVAL;
    this.resolve();
  }

  resolveNow(): void {
    if (this.closed || this.timer !== undefined) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const wait = this.lastStart + this.minInterval - this.clock.now();
    if (wait <= 0) {
      this.resolve();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.resolve();
    }, wait);
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private resolve(): void {
    if (this.closed) return;
    this.inFlight = true;
    this.lastStart = this.clock.now();
    this.lookup(this.host).then(
      (found) => this.settle(found, undefined),
      (error: unknown) => this.settle(undefined, error),
    );
  }

  private settle(found: readonly LookupResult[] | undefined, error: unknown): void {
    this.inFlight = false;
    if (this.closed) return;
    if (found !== undefined && found.length > 0) {
      this.listener.onUpdate({ addresses: found.map((r): Address => ({ kind: "tcp", host: r.address, port: this.port })) });
    } else {
      const why = found !== undefined ? "no addresses" : describe(error);
      this.listener.onError(new GrpcError(Status.UNAVAILABLE, `DNS resolution of ${JSON.stringify(this.host)} failed: ${why}`, { cause: error }));
    }
    if (this.again) {
      this.again = false;
      this.resolveNow();
    }
  }
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException | undefined;
  return e?.code !== undefined ? `${e.code}` : String(e instanceof Error ? e.message : error);
}

/** The dns resolver factory, with options (e.g. `registerResolver("dns", dnsResolverFactory({ minResolveInterval: 5_000 }))`). */
export function dnsResolverFactory(options: DnsResolverOptions = {}): ResolverFactory {
  return (target, listener) => {
    const parsed = parseDnsTarget(target);
    if (typeof parsed === "string") throw new TypeError(`invalid channel target ${JSON.stringify(target.target)}: ${parsed}`);
    const { host, port } = parsed.endpoint;
    if (isIP(host) !== 0) {
      listener.onUpdate({ addresses: [{ kind: "tcp", host, port }] });
      return { resolveNow() {}, close() {} };
    }
    const lookup = parsed.server !== undefined ? serverLookup(parsed.server) : (options.lookup ?? systemLookup);
    return new DnsResolver(host, port, lookup, listener, options);
  };
}

export const dnsScheme: BuiltinScheme = {
  check(target) {
    const parsed = parseDnsTarget(target);
    return typeof parsed === "string" ? parsed : undefined;
  },
  authority(target) {
    const parsed = parseDnsTarget(target);
    if (typeof parsed === "string") throw new TypeError(parsed);
    return formatHostPort(parsed.endpoint.host, parsed.endpoint.port);
  },
  factory: dnsResolverFactory(),
};
