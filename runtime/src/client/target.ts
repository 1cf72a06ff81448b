// Channel targets, following grpc/grpc doc/naming.md: `host:port`,
// `dns:[//authority/]host[:port]`, `ipv4:addr[:port][,…]`,
// `ipv6:[addr][:port][,…]`, `unix:path`, `unix:///abs/path`,
// `unix-abstract:name`. Lists use their first address (every one is
// checked). A target that fits none of these is a TypeError naming the
// forms, thrown when the channel is created rather than as UNAVAILABLE on
// the first call.
import { isIPv4, isIPv6 } from "node:net";

export type Target =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number; readonly authority: string }
  | { readonly kind: "unix"; readonly path: string; readonly authority: string };

const DEFAULT_PORT = 443;

export const TARGET_FORMS =
  "host:port, dns:[//authority/]host[:port], ipv4:addr[:port][,…], ipv6:[addr][:port][,…], unix:path, unix:///abs/path, unix-abstract:name";

/** DNS names as resolvers accept them: letters, digits, `-`, `_`, dot-separated. */
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;
/** A URI scheme followed by `//`: what a URL looks like, and a channel target does not (outside dns:). */
const URL_LIKE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

type HostKind = "dns" | "ipv4" | "ipv6";

export function parseTarget(target: string): Target {
  if (target.startsWith("unix:")) {
    const rest = target.slice("unix:".length);
    const path = rest.startsWith("//") ? rest.slice(2) : rest;
    if (path === "") throw invalid(target, "needs a socket path");
    if (rest.startsWith("//") && !path.startsWith("/")) throw invalid(target, "unix:// needs an absolute path (three slashes: unix:///path)");
    return { kind: "unix", path, authority: "localhost" };
  }
  if (target.startsWith("unix-abstract:")) {
    const name = target.slice("unix-abstract:".length);
    if (name.includes("\0")) throw invalid(target, "an abstract socket name cannot contain NUL");
    // The abstract namespace is the socket path with a leading NUL byte (Linux).
    return { kind: "unix", path: `\0${name}`, authority: "localhost" };
  }
  if (target.startsWith("ipv4:") || target.startsWith("ipv6:")) {
    const kind: HostKind = target.startsWith("ipv4:") ? "ipv4" : "ipv6";
    const list = target.slice(5).split(",");
    const addresses = list.map((address) => hostPort(target, address, kind));
    return addresses[0]!;
  }
  if (target.startsWith("dns:")) {
    let rest = target.slice(4);
    if (rest.startsWith("//")) {
      // dns://authority/host:port — the DNS server authority is not supported and ignored.
      const slash = rest.indexOf("/", 2);
      if (slash < 0) throw invalid(target, "needs a host after the authority (dns:///host:port)");
      rest = rest.slice(slash + 1);
    }
    return hostPort(target, rest, "dns");
  }
  const url = URL_LIKE.exec(target);
  if (url !== null) {
    const rest = target.slice(url[0].length).replace(/\/+$/, "");
    const hint = HOST_NAME.test(rest.split(":")[0] ?? "") ? ` (for a server at that address, write "${rest}")` : "";
    throw invalid(target, `"${url[1]}://" is not a channel target scheme${hint}`);
  }
  // No scheme, or an unknown one (which naming.md says falls back to dns): the whole target is host[:port].
  return hostPort(target, target, "dns");
}

function hostPort(target: string, text: string, kind: HostKind): Target {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) throw invalid(target, "has an unclosed [");
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== "" && !rest.startsWith(":")) throw invalid(target, `has ${JSON.stringify(rest)} after ]`);
    portText = rest === "" ? undefined : rest.slice(1);
    if (!isIPv6(host)) throw invalid(target, `${JSON.stringify(host)} in brackets is not an IPv6 address`);
  } else if (isIPv6(text)) {
    host = text; // a bare IPv6 address, without port (ipv6:::1)
  } else {
    const colon = text.lastIndexOf(":");
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
    if (host === "") throw invalid(target, "has no host");
    if (host.includes(":")) throw invalid(target, "has an IPv6 address with a port outside brackets (write [addr]:port)");
  }
  checkHost(target, host, kind);
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw invalid(target, `has an invalid port ${JSON.stringify(portText)}`);
    port = Number(portText);
  }
  const hostForAuthority = host.includes(":") ? `[${host}]` : host;
  return { kind: "tcp", host, port, authority: `${hostForAuthority}:${port}` };
}

function checkHost(target: string, host: string, kind: HostKind): void {
  switch (kind) {
    case "ipv4":
      if (!isIPv4(host)) throw invalid(target, `${JSON.stringify(host)} is not an IPv4 address`);
      return;
    case "ipv6":
      if (!isIPv6(host)) throw invalid(target, `${JSON.stringify(host)} is not an IPv6 address`);
      return;
    case "dns":
      if (!isIPv6(host) && !HOST_NAME.test(host)) throw invalid(target, `${JSON.stringify(host)} is not a host name or IP address`);
  }
}

function invalid(target: string, why: string): TypeError {
  return new TypeError(`invalid channel target ${JSON.stringify(target)}: ${why}. Accepted forms: ${TARGET_FORMS}`);
}
