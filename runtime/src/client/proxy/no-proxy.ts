// `no_proxy` lists: comma-separated entries, each one of
//   `*`                       every host;
//   `example.com`, `.example.com`, `*.example.com`
//                             that host and its subdomains (on a label boundary:
//                             `example.com` does not cover `badexample.com`);
//   `10.1.2.3`, `::1`, `[::1]` that IP address;
//   `10.0.0.0/8`, `fd00::/8`  an IP range (grpc-js reads IPv4 ranges; IPv6 too here);
// any of them but `*` and ranges may end in `:port` to match that port only.
// Host names match as written in the target, case-insensitively, without DNS.
import { BlockList, isIP } from "node:net";

export interface NoProxyList {
  /** Entries that fit none of the forms above; they match nothing. */
  readonly invalid: readonly string[];
  /** Whether a connection to host:port goes direct. */
  matches(host: string, port: number): boolean;
}

interface NameRule {
  readonly kind: "name";
  readonly name: string;
  readonly port: number | undefined;
}

interface AddressRule {
  readonly kind: "address";
  readonly addresses: BlockList;
  readonly port: number | undefined;
}

type Rule = NameRule | AddressRule;

const CIDR = /^([^/]+)\/(\d{1,3})$/;

export function parseNoProxy(list: string): NoProxyList {
  const rules: Rule[] = [];
  const invalid: string[] = [];
  let all = false;
  for (const raw of list.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") {
      all = true;
      continue;
    }
    const rule = parseEntry(entry);
    if (rule === undefined) invalid.push(entry);
    else rules.push(rule);
  }
  return {
    invalid,
    matches(host: string, port: number): boolean {
      if (all) return true;
      const name = normalizeHost(host);
      const family = isIP(name);
      for (const rule of rules) {
        if (rule.port !== undefined && rule.port !== port) continue;
        if (rule.kind === "name") {
          if (family === 0 && (name === rule.name || name.endsWith(`.${rule.name}`))) return true;
        } else if (family !== 0 && rule.addresses.check(name, family === 4 ? "ipv4" : "ipv6")) {
          return true;
        }
      }
      return false;
    },
  };
}

function parseEntry(entry: string): Rule | undefined {
  const cidr = CIDR.exec(entry);
  if (cidr !== null) {
    const family = isIP(cidr[1]!);
    const prefix = Number(cidr[2]);
    if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
    const addresses = new BlockList();
    addresses.addSubnet(cidr[1]!, prefix, family === 4 ? "ipv4" : "ipv6");
    return { kind: "address", addresses, port: undefined };
  }
  let host = entry;
  let portText: string | undefined;
  if (entry.startsWith("[")) {
    const close = entry.indexOf("]");
    if (close < 0) return undefined;
    host = entry.slice(1, close);
    const rest = entry.slice(close + 1);
    if (rest !== "") {
      if (!rest.startsWith(":")) return undefined;
      portText = rest.slice(1);
    }
    if (isIP(host) !== 6) return undefined;
  } else if (isIP(entry) !== 6) {
    const colon = entry.lastIndexOf(":");
    if (colon >= 0) {
      host = entry.slice(0, colon);
      portText = entry.slice(colon + 1);
    }
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return undefined;
    port = Number(portText);
  }
  const family = isIP(host);
  if (family !== 0) {
    const addresses = new BlockList();
    addresses.addAddress(host, family === 4 ? "ipv4" : "ipv6");
    return { kind: "address", addresses, port };
  }
  const name = normalizeHost(host.startsWith("*.") ? host.slice(2) : host.startsWith(".") ? host.slice(1) : host);
  if (name === "" || name.includes(":") || name.includes("/") || name.includes("*")) return undefined;
  return { kind: "name", name, port };
}

/** Lower case, without brackets or a trailing dot (`Example.COM.` is `example.com`). */
function normalizeHost(host: string): string {
  let name = host.toLowerCase();
  if (name.startsWith("[") && name.endsWith("]")) name = name.slice(1, -1);
  return name.endsWith(".") ? name.slice(0, -1) : name;
}
