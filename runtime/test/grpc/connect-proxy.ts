// A small HTTP CONNECT proxy on 127.0.0.1 for the proxy specs: it records
// every CONNECT (target and Proxy-Authorization) and can misbehave on demand.
import * as http from "node:http";
import * as net from "node:net";
import type { Duplex } from "node:stream";

export interface TunnelRecord {
  /** The request target of CONNECT (`host:port`). */
  readonly destination: string;
  /** The `Host` header sent with it. */
  readonly host: string | undefined;
  readonly authorization: string | undefined;
}

export type ProxyBehaviour =
  /** Tunnels, answering `200 Connection established`. */
  | "tunnel"
  /** Tunnels, but holds the 200 back until the target has spoken and sends both in one write. */
  | "coalesce"
  /** Tunnels, writing its answer one byte per write. */
  | "trickle"
  /** Answers 407 Proxy Authentication Required. */
  | "refuse"
  /** Closes the connection without answering. */
  | "hang-up"
  /** Never answers. */
  | "silent"
  /** Answers with something that is not HTTP. */
  | "garbage";

export interface ConnectProxy {
  readonly port: number;
  /** `http://127.0.0.1:port`. */
  readonly url: string;
  readonly tunnels: readonly TunnelRecord[];
  /** Client connections that are still open. */
  readonly openClientSockets: number;
  behaviour: ProxyBehaviour;
  /** Resolves once no client connection is open. */
  idle(): Promise<void>;
  /** Cuts every open connection and tunnel, as a proxy restart would. */
  dropAll(): void;
  close(): Promise<void>;
}

const ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n";

export async function startConnectProxy(behaviour: ProxyBehaviour = "tunnel"): Promise<ConnectProxy> {
  const tunnels: TunnelRecord[] = [];
  const sockets = new Set<net.Socket | Duplex>();
  const idleWaiters: Array<() => void> = [];
  const clients = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405).end();
  });
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    clients.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      clients.delete(socket);
      if (clients.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    });
  });
  const proxy: ConnectProxy = {
    port: 0,
    url: "",
    tunnels,
    get openClientSockets() {
      return clients.size;
    },
    behaviour,
    idle() {
      return clients.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));
    },
    dropAll() {
      for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  server.on("connect", (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    const destination = req.url ?? "";
    const authorization = req.headers["proxy-authorization"];
    tunnels.push({ destination, host: req.headers.host, authorization });
    client.on("error", () => {});
    // Read (and drop) what the client sends until we pipe it, so that its closing is
    // seen; http.Server's sockets allow half-open connections, so end ours in turn.
    client.resume();
    client.once("end", () => client.end());
    switch (proxy.behaviour) {
      case "refuse":
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
        return;
      case "hang-up":
        client.destroy();
        return;
      case "silent":
        return;
      case "garbage":
        client.write("SSH-2.0-OpenSSH_9.6\r\n\r\n");
        return;
    }
    const colon = destination.lastIndexOf(":");
    const host = destination.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
    const upstream = net.connect(Number(destination.slice(colon + 1)), host);
    sockets.add(upstream);
    upstream.once("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.once("close", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream);
    if (proxy.behaviour === "coalesce") {
      upstream.once("data", (first: Buffer) => {
        client.write(Buffer.concat([Buffer.from(ESTABLISHED, "latin1"), first]));
        upstream.pipe(client);
      });
      return;
    }
    const pipe = (): void => {
      upstream.pipe(client);
    };
    upstream.once("connect", () => {
      if (proxy.behaviour === "trickle") void trickle(client, ESTABLISHED).then(pipe);
      else {
        client.write(ESTABLISHED);
        pipe();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return Object.assign(proxy, { port, url: `http://127.0.0.1:${port}` });
}

/** One byte per write, each on its own turn of the event loop, so the reader sees many chunks. */
async function trickle(socket: Duplex, text: string): Promise<void> {
  for (const byte of Buffer.from(text, "latin1")) {
    socket.write(Buffer.of(byte));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
