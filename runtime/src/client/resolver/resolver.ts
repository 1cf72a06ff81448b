// The name-resolution API (grpc/grpc doc/naming.md), shaped like grpc-go's
// resolver package: a factory registered for a scheme makes a Resolver for one
// parsed target; the resolver pushes updates (address lists, optionally a
// service config) or errors to its listener, as often as the names change.
// The channel owns the listener; balancers consume what it receives.
import type { GrpcError } from "../../grpc/grpc-error.js";
import type { ServiceConfigJson } from "../../grpc/service-config.js";

/** Free-form data a resolver attaches to an address (e.g. a weight) for balancers to read. */
export type AddressAttributes = Readonly<Record<string, unknown>>;

/** One backend: a TCP endpoint (host is an IPv4 or IPv6 literal) or a unix socket. */
export type Address =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number; readonly attributes?: AddressAttributes }
  /** `path` of an abstract socket starts with a NUL byte (Linux). */
  | { readonly kind: "unix"; readonly path: string; readonly attributes?: AddressAttributes };

/**
 * A target split the URI way (naming.md): `scheme://authority/endpoint`, or
 * `scheme:endpoint`. `host:port` without a registered scheme is
 * `{ scheme: "dns", authority: "", endpoint: "host:port" }`.
 */
export interface ParsedTarget {
  /** The target as given to createChannel. */
  readonly target: string;
  /** Lower case. */
  readonly scheme: string;
  /** Between `//` and the next `/`; empty when absent. */
  readonly authority: string;
  /** The rest: what to resolve. */
  readonly endpoint: string;
}

/** What a resolver pushes: the complete current list, not a delta. */
export interface ResolverUpdate {
  readonly addresses: readonly Address[];
  /** gRPC service-config JSON (text or parsed JSON); the channel validates it. */
  readonly serviceConfig?: string | ServiceConfigJson;
}

/** Where a resolver sends what it finds. Calls after `close()` are ignored. */
export interface ResolverListener {
  onUpdate(update: ResolverUpdate): void;
  /** Resolution failed; the channel fails fast calls with it (UNAVAILABLE) until the next update. */
  onError(error: GrpcError): void;
}

export interface Resolver {
  /** A hint to resolve again soon (a connection was lost, or the balancer asks); may be rate-limited. */
  resolveNow(): void;
  /** Stop resolving and release what the resolver holds (timers, watches). */
  close(): void;
}

/** Makes the resolver for one channel. May call the listener synchronously, or at any later time. */
export type ResolverFactory = (target: ParsedTarget, listener: ResolverListener) => Resolver;

/** A target's built-in checks: throws a TypeError's reason for an endpoint the scheme cannot resolve. */
export interface BuiltinScheme {
  readonly factory: ResolverFactory;
  /** The reason the target is invalid, or undefined; runs at createChannel. */
  readonly check: (target: ParsedTarget) => string | undefined;
  /** `:authority` for the target. */
  readonly authority: (target: ParsedTarget) => string;
}
