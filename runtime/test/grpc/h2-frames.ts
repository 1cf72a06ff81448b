// Just enough HTTP/2 framing (RFC 9113 §4) for peers that node:http2 cannot
// play: a client that ignores PINGs, and a relay that reads a server's frames.
// HPACK is limited to literal fields without indexing or Huffman coding.
import * as net from "node:net";
import { within } from "./fixtures.js";

export const FrameType = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8 } as const;
export const FLAG_ACK = 0x1;
export const FLAG_END_STREAM = 0x1;
export const FLAG_END_HEADERS = 0x4;
export const CLIENT_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export interface Frame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Buffer;
}

export function encodeFrame(type: number, flags: number, streamId: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** A header block of literal fields without indexing (RFC 7541 §6.2.2); names and values under 127 bytes. */
export function literalHeaderBlock(fields: readonly (readonly [string, string])[]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const n = Buffer.from(name, "latin1");
    const v = Buffer.from(value, "latin1");
    if (n.length > 126 || v.length > 126) throw new RangeError("header field too long for this encoder");
    parts.push(Buffer.from([0x00, n.length]), n, Buffer.from([v.length]), v);
  }
  return Buffer.concat(parts);
}

/** Splits a byte stream into frames; `skip` bytes (a client preface) are dropped first. */
export class FrameReader {
  private buffer = Buffer.alloc(0);

  constructor(private skip = 0) {}

  push(chunk: Buffer): Frame[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.skip > 0) {
      const dropped = Math.min(this.skip, this.buffer.length);
      this.buffer = this.buffer.subarray(dropped);
      this.skip -= dropped;
    }
    const frames: Frame[] = [];
    while (this.buffer.length >= 9) {
      const length = this.buffer.readUIntBE(0, 3);
      if (this.buffer.length < 9 + length) break;
      frames.push({
        type: this.buffer[3]!,
        flags: this.buffer[4]!,
        streamId: this.buffer.readUInt32BE(5) & 0x7fffffff,
        payload: Buffer.from(this.buffer.subarray(9, 9 + length)),
      });
      this.buffer = this.buffer.subarray(9 + length);
    }
    return frames;
  }
}

export interface GoAway {
  readonly lastStreamId: number;
  readonly errorCode: number;
  readonly debugData: string;
}

export function parseGoAway(frame: Frame): GoAway {
  return {
    lastStreamId: frame.payload.readUInt32BE(0) & 0x7fffffff,
    errorCode: frame.payload.readUInt32BE(4),
    debugData: frame.payload.subarray(8).toString("latin1"),
  };
}

/** A raw HTTP/2 client on a TCP socket: sends the preface and SETTINGS, ACKs the server's SETTINGS. */
export interface RawPeer {
  readonly socket: net.Socket;
  /** PINGs received from the server (not ACKs). */
  readonly pings: Buffer[];
  readonly goaways: GoAway[];
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>;
  /** Resolves once `count` PINGs have come from the server (bound it with `within`). */
  pinged(count: number): Promise<void>;
  /** Opens a gRPC call with an empty request message (END_STREAM after it). */
  unary(streamId: number, path: string): void;
  close(): void;
}

export async function rawPeer(port: number, options: { answerPings: boolean }): Promise<RawPeer> {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  const reader = new FrameReader();
  const pings: Buffer[] = [];
  const goaways: GoAway[] = [];
  const pingWaiters: { count: number; resolve: () => void }[] = [];
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const settingsReceived = new Promise<void>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        if (frame.type === FrameType.SETTINGS && (frame.flags & FLAG_ACK) === 0) {
          socket.write(encodeFrame(FrameType.SETTINGS, FLAG_ACK, 0));
          resolve();
        } else if (frame.type === FrameType.PING && (frame.flags & FLAG_ACK) === 0) {
          pings.push(frame.payload);
          if (options.answerPings) socket.write(encodeFrame(FrameType.PING, FLAG_ACK, 0, frame.payload));
          for (const w of pingWaiters.filter((w) => w.count <= pings.length)) {
            pingWaiters.splice(pingWaiters.indexOf(w), 1);
            w.resolve();
          }
        } else if (frame.type === FrameType.GOAWAY) {
          goaways.push(parseGoAway(frame));
        }
      }
    });
  });
  await within(new Promise<void>((resolve) => socket.once("connect", () => resolve())), 5_000, "raw peer connect");
  socket.write(Buffer.concat([CLIENT_PREFACE, encodeFrame(FrameType.SETTINGS, 0, 0)]));
  await within(settingsReceived, 5_000, "server SETTINGS");
  return {
    socket,
    pings,
    goaways,
    closed,
    pinged(count) {
      if (pings.length >= count) return Promise.resolve();
      return new Promise((resolve) => pingWaiters.push({ count, resolve }));
    },
    unary(streamId, path) {
      const headers = literalHeaderBlock([
        [":method", "POST"],
        [":scheme", "http"],
        [":path", path],
        [":authority", `127.0.0.1:${port}`],
        ["content-type", "application/grpc"],
        ["te", "trailers"],
      ]);
      socket.write(encodeFrame(FrameType.HEADERS, FLAG_END_HEADERS, streamId, headers));
      socket.write(encodeFrame(FrameType.DATA, FLAG_END_STREAM, streamId, Buffer.alloc(5)));
    },
    close() {
      socket.destroy();
    },
  };
}

/** A TCP relay to `port` that reads the server's frames as they pass: what a client was sent, whatever the client makes of it. */
export interface FrameSniffer {
  readonly port: number;
  readonly fromServer: Frame[];
  /** Resolves with the first server frame that `match` accepts. */
  waitFor(match: (frame: Frame) => boolean): Promise<Frame>;
  close(): Promise<void>;
}

export async function frameSniffer(port: number): Promise<FrameSniffer> {
  const fromServer: Frame[] = [];
  const waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(port, "127.0.0.1");
    const reader = new FrameReader();
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        fromServer.push(frame);
        for (const w of [...waiters]) {
          if (w.match(frame)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(frame);
          }
        }
      }
      client.write(chunk);
    });
    upstream.on("close", () => client.end());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const address = relay.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    fromServer,
    waitFor(match) {
      const seen = fromServer.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close() {
      for (const s of sockets) s.destroy();
      return within(new Promise<void>((resolve) => relay.close(() => resolve())), 5_000, "relay close");
    },
  };
}
