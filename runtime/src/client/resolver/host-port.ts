// `host[:port]`, `[v6]:port` and bare IPv6 literals, as naming.md writes them
// in dns:, ipv4: and ipv6: targets. Returns the reason instead of throwing, so
// that the caller's TypeError names the whole target.
import { isIPv4, isIPv6 } from "node:net";

export const DEFAULT_PORT = 443;

export type HostKind = "dns" | "ipv4" | "ipv6";

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** DNS names as resolvers accept them: letters, digits, `-`, `_`, dot-separated. */
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

export function isHostName(text: string): boolean {
  return HOST_NAME.test(text);
}

export function isIpLiteral(host: string): boolean {
  return isIPv4(host) || isIPv6(host);
}

/** The parsed endpoint, or the reason it is invalid. */
export function parseHostPort(text: string, kind: HostKind, defaultPort = DEFAULT_PORT): HostPort | string {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) return "has an unclosed [";
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== "" && !rest.startsWith(":")) return `has ${JSON.stringify(rest)} after ]`;
    portText = rest === "" ? undefined : rest.slice(1);
    if (!isIPv6(host)) return `${JSON.stringify(host)} in brackets is not an IPv6 address`;
  } else if (isIPv6(text)) {
    host = text; // a bare IPv6 address, without port (ipv6:::1)
  } else {
    const colon = text.lastIndexOf(":");
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
    if (host === "") return "has no host";
    if (host.includes(":")) return "has an IPv6 address with a port outside brackets (write [addr]:port)";
  }
  const bad = checkHost(host, kind);
  if (bad !== undefined) return bad;
  let port = defaultPort;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return `has an invalid port ${JSON.stringify(portText)}`;
    port = Number(portText);
  }
  return { host, port };
}

/** `host:port` with brackets around IPv6 literals, as in `:authority`. */
export function formatHostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function checkHost(host: string, kind: HostKind): string | undefined {
  switch (kind) {
    case "ipv4":
      return isIPv4(host) ? undefined : `${JSON.stringify(host)} is not an IPv4 address`;
    case "ipv6":
      return isIPv6(host) ? undefined : `${JSON.stringify(host)} is not an IPv6 address`;
    case "dns":
      return isIPv6(host) || HOST_NAME.test(host) ? undefined : `${JSON.stringify(host)} is not a host name or IP address`;
  }
}
