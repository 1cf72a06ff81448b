// What applications use to plug in service discovery.
export type {
  Address,
  AddressAttributes,
  ParsedTarget,
  Resolver,
  ResolverFactory,
  ResolverListener,
  ResolverUpdate,
} from "./resolver.js";
export { registerResolver, unregisterResolver } from "./registry.js";
export { type DnsLookup, type DnsResolverOptions, dnsResolverFactory, type LookupResult } from "./dns.js";
