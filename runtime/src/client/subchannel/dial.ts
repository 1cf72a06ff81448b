// Opening one HTTP/2 connection to one address: directly (TCP or a unix
// socket, TLS when the channel uses it) or through an HTTP CONNECT proxy. The
// Connection reports READY (the server's SETTINGS), GOAWAY and close to its
// owner; a failure before a Connection exists is reported to `onFailure`.
import * as http2 from "node:http2";
import * as net from "node:net";
import * as tls from "node:tls";
import { Connection, type ConnectionOwner } from "../connection.js";
import type { KeepaliveOptions } from "../keepalive.js";
import { openTunnel, type ProxyEndpoint, secureTunnel } from "../proxy/index.js";
import type { Target } from "../target.js";

/** What every connection of a channel shares. */
export interface DialOptions {
  /** TLS options; `undefined` means plaintext (h2c). */
  readonly tls: tls.ConnectionOptions | undefined;
  readonly maxHeaderListSize: number;
  /** Receive window per stream and per connection (see grpc/flow-control.ts). */
  readonly flowControlWindow: number;
  /** HTTP CONNECT proxy to tunnel through (see proxy/select-proxy.ts); `undefined` dials the address. */
  readonly proxy: ProxyEndpoint | undefined;
}

export interface DialAttempt {
  /** How long to wait for the server's SETTINGS (and for the proxy's answer), in ms. */
  readonly connectTimeout: number;
  readonly keepalive: KeepaliveOptions | undefined;
  /** Called with the Connection as soon as it exists (it is not READY yet). */
  readonly onConnection: (connection: Connection) => void;
  /** The attempt failed before a Connection existed. */
  readonly onFailure: (error: Error) => void;
}

/** Starts an attempt; the returned function abandons it while it is still in the proxy's CONNECT. */
export function dial(target: Target, options: DialOptions, attempt: DialAttempt, owner: ConnectionOwner): () => void {
  const proxy = options.proxy;
  if (proxy === undefined || target.kind !== "tcp") {
    startSession(target, options, attempt, owner, undefined);
    return noop;
  }
  const abort = new AbortController();
  const { host, port } = target;
  openTunnel({ proxy, host, port, timeout: attempt.connectTimeout, signal: abort.signal }).then(
    (socket) => {
      if (abort.signal.aborted) {
        socket.destroy();
        return;
      }
      const secure = options.tls;
      let handedOver = false;
      startSession(target, options, attempt, owner, () => {
        handedOver = true;
        return secure !== undefined ? secureTunnel(socket, host, secure) : socket;
      });
      if (!handedOver) socket.destroy(); // http2.connect threw before taking it
    },
    (error: Error) => {
      if (!abort.signal.aborted) attempt.onFailure(error);
    },
  );
  return () => abort.abort();
}

/** `createConnection`: the socket to run HTTP/2 on, when not node's own connection to the target. */
function startSession(
  target: Target,
  options: DialOptions,
  attempt: DialAttempt,
  owner: ConnectionOwner,
  createConnection: (() => net.Socket) | undefined,
): void {
  const secure = options.tls;
  const sessionOptions: http2.SecureClientSessionOptions = {
    ...secure,
    settings: { enablePush: false, maxHeaderListSize: options.maxHeaderListSize, initialWindowSize: options.flowControlWindow },
  };
  let authority: string;
  if (target.kind === "unix") {
    authority = secure !== undefined ? "https://localhost" : "http://localhost";
    const path = target.path;
    sessionOptions.createConnection = () =>
      secure !== undefined ? tls.connect({ ...secure, path, ALPNProtocols: ["h2"] }) : net.connect(path);
  } else {
    authority = `${secure !== undefined ? "https" : "http"}://${target.authority}`;
    if (createConnection !== undefined) sessionOptions.createConnection = createConnection;
  }
  let session: http2.ClientHttp2Session;
  try {
    session = http2.connect(authority, sessionOptions);
  } catch (e) {
    attempt.onFailure(e as Error);
    return;
  }
  attempt.onConnection(
    new Connection(
      session,
      { connectTimeout: attempt.connectTimeout, flowControlWindow: options.flowControlWindow, keepalive: attempt.keepalive },
      owner,
    ),
  );
}

function noop(): void {}
