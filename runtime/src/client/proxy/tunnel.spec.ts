// openTunnel's bounds, against raw TCP peers on 127.0.0.1 (the specs under
// runtime/test/grpc cover tunnels that carry gRPC calls).
import * as net from "node:net";
import { parseProxyUrl } from "./proxy-url.js";
import { openTunnel, ProxyError } from "./tunnel.js";

interface Peer {
  readonly port: number;
  /** Resolves with what the peer received once the client closed its connection. */
  readonly received: Promise<string>;
  close(): Promise<void>;
}

/** A TCP peer that runs `onData` on each chunk and records what it received. */
async function startPeer(onData: (socket: net.Socket, soFar: string) => void = () => {}): Promise<Peer> {
  let resolveReceived!: (text: string) => void;
  const received = new Promise<string>((resolve) => (resolveReceived = resolve));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      onData(socket, text);
    });
    socket.on("error", () => {});
    socket.once("close", () => {
      sockets.delete(socket);
      resolveReceived(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function within<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

test("sends CONNECT with Host and Proxy-Authorization, and hands over the socket with the bytes after the head", async () => {
  const peer = await startPeer((socket, soFar) => {
    if (soFar.endsWith("\r\n\r\n")) socket.write("HTTP/1.1 200 OK\r\n\r\nfirst tunnel bytes");
  });
  try {
    const proxy = parseProxyUrl(`http://u:p@127.0.0.1:${peer.port}`);
    const socket = await within(openTunnel({ proxy, host: "::1", port: 50051, timeout: 5_000 }));
    expect(socket.isPaused()).toBe(true);
    const first = await within(
      new Promise<string>((resolve) => {
        socket.once("data", (chunk: Buffer) => resolve(chunk.toString()));
        socket.resume();
      }),
    );
    expect(first).toBe("first tunnel bytes");
    socket.destroy();
    expect(await within(peer.received)).toBe(
      `CONNECT [::1]:50051 HTTP/1.1\r\nHost: [::1]:50051\r\nProxy-Authorization: Basic ${Buffer.from("u:p").toString("base64")}\r\n\r\n`,
    );
  } finally {
    await peer.close();
  }
});

test("a proxy that never answers fails after the timeout, and its socket is closed", async () => {
  const peer = await startPeer();
  try {
    const proxy = parseProxyUrl(`127.0.0.1:${peer.port}`);
    const error = await within(openTunnel({ proxy, host: "example.com", port: 443, timeout: 100 }).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ProxyError);
    expect(String(error)).toContain(`proxy 127.0.0.1:${peer.port} did not answer CONNECT example.com:443 within 100 ms`);
    expect(await within(peer.received)).toBe("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
  } finally {
    await peer.close();
  }
});

test("aborting fails the attempt and closes its socket", async () => {
  const abort = new AbortController();
  const peer = await startPeer(() => abort.abort());
  try {
    const proxy = parseProxyUrl(`127.0.0.1:${peer.port}`);
    const error = await within(openTunnel({ proxy, host: "h", port: 1, timeout: 5_000, signal: abort.signal }).catch((e: unknown) => e));
    expect(String(error)).toContain(`CONNECT h:1 through proxy 127.0.0.1:${peer.port} aborted`);
    await within(peer.received);
    await expect(openTunnel({ proxy, host: "h", port: 1, timeout: 5_000, signal: abort.signal })).rejects.toThrow(/aborted/);
  } finally {
    await peer.close();
  }
});

test.each([
  ["HTTP/1.1 403 Forbidden\r\n\r\n", "403 Forbidden"],
  ["HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad", "502 Bad Gateway"],
  ["HTTP/1.0 503\r\n\r\n", "503"],
])("a refusal (%j) fails naming the proxy and the status, and closes the socket", async (answer, status) => {
  const peer = await startPeer((socket, soFar) => {
    if (soFar.endsWith("\r\n\r\n")) socket.write(answer);
  });
  try {
    const proxy = parseProxyUrl(`127.0.0.1:${peer.port}`);
    const error = await within(openTunnel({ proxy, host: "h", port: 1, timeout: 5_000 }).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as Error).message).toBe(`proxy 127.0.0.1:${peer.port} refused CONNECT h:1: ${status}`);
    await within(peer.received);
  } finally {
    await peer.close();
  }
});
