// Server addresses: `host:port`, `[v6]:port`, `:port` (all interfaces),
// `unix:/path`, `unix:///path` or `unix-abstract:name` (Linux's abstract
// namespace: no file). Port 0 picks a free port.

export type ListenAddress =
  | { readonly kind: "tcp"; readonly host: string | undefined; readonly port: number }
  | { readonly kind: "unix"; readonly path: string };

export function parseListenAddress(address: string): ListenAddress {
  if (address.startsWith("unix:")) {
    const rest = address.slice("unix:".length);
    const path = rest.startsWith("//") ? rest.slice(2) : rest;
    if (path === "") throw invalid(address, "needs a path");
    return { kind: "unix", path };
  }
  if (address.startsWith("unix-abstract:")) {
    const name = address.slice("unix-abstract:".length);
    if (name.includes("\0")) throw invalid(address, "an abstract socket name cannot contain NUL");
    return { kind: "unix", path: `\0${name}` };
  }
  let host: string;
  let portText: string;
  if (address.startsWith("[")) {
    const close = address.indexOf("]");
    if (close < 0 || address[close + 1] !== ":") throw invalid(address, "needs [host]:port");
    host = address.slice(1, close);
    portText = address.slice(close + 2);
  } else {
    const colon = address.lastIndexOf(":");
    if (colon < 0) throw invalid(address, "needs host:port");
    host = address.slice(0, colon);
    portText = address.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw invalid(address, "has an invalid port");
  return { kind: "tcp", host: host === "" ? undefined : host, port: Number(portText) };
}

function invalid(address: string, why: string): TypeError {
  return new TypeError(`invalid listen address ${JSON.stringify(address)}: ${why}`);
}
