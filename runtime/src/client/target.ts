// What a transport dials: one resolved address, with the host:port that
// node:http2 connects to. Targets are parsed and resolved in resolver/.
import { formatHostPort } from "./resolver/host-port.js";
import type { Address } from "./resolver/resolver.js";

export type Target =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number; readonly authority: string }
  | { readonly kind: "unix"; readonly path: string; readonly authority: string };

export function dialTarget(address: Address): Target {
  return address.kind === "tcp"
    ? { kind: "tcp", host: address.host, port: address.port, authority: formatHostPort(address.host, address.port) }
    : { kind: "unix", path: address.path, authority: "localhost" };
}
