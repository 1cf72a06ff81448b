// ipv4:addr[:port][,addr[:port]…] and ipv6:[addr][:port][,…] (naming.md):
// literal address lists, resolved once, without any lookup.
import type { Address, BuiltinScheme, ParsedTarget } from "./resolver.js";
import { formatHostPort, type HostPort, parseHostPort } from "./host-port.js";
import { staticResolver } from "./static.js";

function parseList(target: ParsedTarget, kind: "ipv4" | "ipv6"): HostPort[] | string {
  if (target.authority !== "") return `${kind}: takes no authority (write ${kind}:addr:port)`;
  const list: HostPort[] = [];
  for (const item of target.endpoint.split(",")) {
    const parsed = parseHostPort(item, kind);
    if (typeof parsed === "string") return parsed;
    list.push(parsed);
  }
  return list;
}

function ipScheme(kind: "ipv4" | "ipv6"): BuiltinScheme {
  const addresses = (target: ParsedTarget): HostPort[] => {
    const list = parseList(target, kind);
    if (typeof list === "string") throw new TypeError(list); // check() ran first; kept for direct callers
    return list;
  };
  return {
    check: (target) => {
      const list = parseList(target, kind);
      return typeof list === "string" ? list : undefined;
    },
    authority: (target) => {
      const first = addresses(target)[0]!;
      return formatHostPort(first.host, first.port);
    },
    factory: (target, listener) =>
      staticResolver(
        addresses(target).map((a): Address => ({ kind: "tcp", host: a.host, port: a.port })),
        listener,
      ),
  };
}

export const ipv4Scheme: BuiltinScheme = ipScheme("ipv4");
export const ipv6Scheme: BuiltinScheme = ipScheme("ipv6");
