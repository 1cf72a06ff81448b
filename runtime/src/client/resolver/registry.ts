// Resolvers by scheme: the built-in ones (dns, ipv4, ipv6, unix,
// unix-abstract) and those the application registers. One process-wide
// registry, as in grpc-go and grpc-js: service discovery is usually set up
// once at startup, and targets name their scheme, so a channel needs no option.
import { dnsScheme } from "./dns.js";
import { ipv4Scheme, ipv6Scheme } from "./ip.js";
import type { BuiltinScheme, ParsedTarget, ResolverFactory } from "./resolver.js";
import { unixAbstractScheme, unixScheme } from "./unix.js";

const BUILTIN: ReadonlyMap<string, BuiltinScheme> = new Map([
  ["dns", dnsScheme],
  ["ipv4", ipv4Scheme],
  ["ipv6", ipv6Scheme],
  ["unix", unixScheme],
  ["unix-abstract", unixAbstractScheme],
]);

const registered = new Map<string, ResolverFactory>();

const SCHEME = /^[a-z][a-z0-9+.-]*$/;

/**
 * Resolves targets of `scheme` (`scheme:endpoint` or `scheme://authority/endpoint`)
 * with `factory` in channels created from now on. Replaces an earlier
 * registration, or a built-in resolver (e.g. `dns`) for those channels.
 */
export function registerResolver(scheme: string, factory: ResolverFactory): void {
  const name = scheme.toLowerCase();
  if (!SCHEME.test(name)) throw new TypeError(`invalid resolver scheme ${JSON.stringify(scheme)}: a URI scheme is a letter, then letters, digits, "+", "-" or "."`);
  if (typeof factory !== "function") throw new TypeError(`the resolver factory of ${JSON.stringify(scheme)} is not a function`);
  registered.set(name, factory);
}

/** Removes a registration; a built-in scheme gets its own resolver back. True if there was one. */
export function unregisterResolver(scheme: string): boolean {
  return registered.delete(scheme.toLowerCase());
}

/** How a channel treats targets of one scheme. */
export interface SchemeHandler {
  readonly factory: ResolverFactory;
  /** Why the target is invalid, or undefined. */
  check(target: ParsedTarget): string | undefined;
  /** The `:authority` of calls on the target. */
  authority(target: ParsedTarget): string;
}

export function schemeHandler(scheme: string): SchemeHandler | undefined {
  const builtin = BUILTIN.get(scheme);
  const factory = registered.get(scheme);
  if (factory === undefined) return builtin;
  return {
    factory,
    // A replaced built-in keeps its syntax: dns targets stay host[:port].
    check: builtin?.check ?? (() => undefined),
    // grpc-go's default for other schemes: the endpoint names the service.
    authority: builtin?.authority ?? ((t) => (t.endpoint !== "" ? t.endpoint : t.authority)),
  };
}

/** Registered and built-in schemes, sorted, for error messages. */
export function knownSchemes(): string[] {
  return [...new Set([...BUILTIN.keys(), ...registered.keys()])].sort();
}

export function registeredSchemes(): string[] {
  return [...registered.keys()].sort();
}
