// An HTTP CONNECT tunnel (RFC 9110 §9.3.6): TCP to the proxy, `CONNECT
// host:port`, then the socket carries the target's bytes. With TLS, the TLS
// session runs inside the tunnel, end to end with the target. The attempt is
// bounded by a timeout and an AbortSignal, and its socket is destroyed on
// every path that does not hand it over.
import * as net from "node:net";
import * as tls from "node:tls";
import { ConnectResponseReader } from "./connect-response.js";
import type { ProxyEndpoint } from "./proxy-url.js";

export interface TunnelRequest {
  readonly proxy: ProxyEndpoint;
  /** The target's host (a name or IP address, without brackets) and port. */
  readonly host: string;
  readonly port: number;
  /** Milliseconds until the attempt fails, from dialing the proxy to its answer. */
  readonly timeout: number;
  readonly signal?: AbortSignal;
}

/** A tunnel could not be opened: the message names the proxy and why. */
export class ProxyError extends Error {
  override name = "ProxyError";
}

/** Resolves with a socket connected through the proxy to host:port, paused, with any early tunnel bytes unread. */
export function openTunnel(request: TunnelRequest): Promise<net.Socket> {
  const { proxy, signal } = request;
  const destination = `${net.isIPv6(request.host) ? `[${request.host}]` : request.host}:${request.port}`;
  const where = `proxy ${proxy.address}`;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ProxyError(`CONNECT ${destination} through ${where} aborted`));
      return;
    }
    const socket = net.connect({ host: proxy.host, port: proxy.port, noDelay: true });
    const reader = new ConnectResponseReader();
    const fail = (message: string, cause?: unknown): void => {
      cleanup();
      socket.destroy();
      reject(new ProxyError(message, cause === undefined ? undefined : { cause }));
    };
    const onConnect = (): void => {
      const authorization = proxy.authorization === undefined ? "" : `Proxy-Authorization: ${proxy.authorization}\r\n`;
      socket.write(`CONNECT ${destination} HTTP/1.1\r\nHost: ${destination}\r\n${authorization}\r\n`);
    };
    const onData = (chunk: Buffer): void => {
      let result;
      try {
        result = reader.push(chunk);
      } catch (e) {
        fail(`${where} answered CONNECT ${destination} with a malformed response: ${(e as Error).message}`, e);
        return;
      }
      if (result === undefined) return;
      const { status, reason } = result.response;
      if (status < 200 || status > 299) {
        fail(`${where} refused CONNECT ${destination}: ${status}${reason === "" ? "" : ` ${reason}`}`);
        return;
      }
      cleanup();
      socket.pause();
      if (result.rest.length > 0) socket.unshift(result.rest);
      resolve(socket);
    };
    const onError = (e: Error): void => fail(`cannot reach ${where}: ${e.message}`, e);
    const onClose = (): void => fail(`${where} closed the connection before answering CONNECT ${destination}`);
    const onAbort = (): void => fail(`CONNECT ${destination} through ${where} aborted`);
    const timer = setTimeout(() => fail(`${where} did not answer CONNECT ${destination} within ${request.timeout} ms`), request.timeout);
    function cleanup(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.off("connect", onConnect);
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("end", onClose);
      socket.off("close", onClose);
    }
    socket.on("connect", onConnect);
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("end", onClose);
    socket.on("close", onClose);
    signal?.addEventListener("abort", onAbort);
  });
}

/**
 * TLS inside a tunnel, verified against the target: `tls.servername` when
 * given, else the target's host name (an IP address is checked against the
 * certificate's IP entries and sent no SNI, as node does for direct connections).
 */
export function secureTunnel(socket: net.Socket, host: string, options: tls.ConnectionOptions): tls.TLSSocket {
  const servername = options.servername ?? (net.isIP(host) === 0 ? host : undefined);
  return tls.connect({ ...options, socket, host, servername, ALPNProtocols: ["h2"] });
}
