// Channel targets, following grpc/grpc doc/naming.md: `host:port`,
// `dns:[//authority/]host[:port]`, `unix:path`, `unix:///abs/path`,
// `ipv4:addr[:port][,…]`, `ipv6:[addr][:port][,…]`. Lists use their first address.

export type Target =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number; readonly authority: string }
  | { readonly kind: "unix"; readonly path: string; readonly authority: string };

const DEFAULT_PORT = 443;

export function parseTarget(target: string): Target {
  if (target.startsWith("unix:")) {
    const rest = target.slice("unix:".length);
    const path = rest.startsWith("//") ? rest.slice(2) : rest;
    if (path === "" || (rest.startsWith("//") && !path.startsWith("/"))) throw invalid(target, "needs a path");
    return { kind: "unix", path, authority: "localhost" };
  }
  if (target.startsWith("ipv4:") || target.startsWith("ipv6:")) {
    const first = target.slice(5).split(",")[0]!;
    return tcp(target, first);
  }
  if (target.startsWith("dns:")) {
    let rest = target.slice(4);
    if (rest.startsWith("//")) {
      // dns://authority/host:port — the DNS server authority is not supported and ignored.
      const slash = rest.indexOf("/", 2);
      if (slash < 0) throw invalid(target, "needs a host after the authority");
      rest = rest.slice(slash + 1);
    }
    return tcp(target, rest);
  }
  return tcp(target, target);
}

function tcp(target: string, hostPort: string): Target {
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close < 0) throw invalid(target, "has an unclosed [");
    host = hostPort.slice(1, close);
    const rest = hostPort.slice(close + 1);
    if (rest !== "" && !rest.startsWith(":")) throw invalid(target, "has garbage after ]");
    portText = rest === "" ? undefined : rest.slice(1);
  } else {
    const colon = hostPort.lastIndexOf(":");
    if (colon >= 0 && hostPort.indexOf(":") !== colon) {
      host = hostPort; // bare IPv6 address without port (ipv6:::1)
    } else if (colon >= 0) {
      host = hostPort.slice(0, colon);
      portText = hostPort.slice(colon + 1);
    } else {
      host = hostPort;
    }
  }
  if (host === "") throw invalid(target, "has no host");
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw invalid(target, "has an invalid port");
    port = Number(portText);
  }
  const hostForAuthority = host.includes(":") ? `[${host}]` : host;
  return { kind: "tcp", host, port, authority: `${hostForAuthority}:${port}` };
}

function invalid(target: string, why: string): TypeError {
  return new TypeError(`invalid channel target ${JSON.stringify(target)}: ${why}`);
}
