// A server that speaks just enough HTTP/2, byte by byte on node:net, to test
// what node:http2 cannot be made to do: never send SETTINGS, or stop answering
// PINGs. It records every frame the client sends.
import * as net from "node:net";
import { within } from "./fixtures.js";

const PREFACE_LENGTH = 24; // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
const FRAME_HEADER_LENGTH = 9;
export const FrameType = { HEADERS: 0x1, SETTINGS: 0x4, PING: 0x6, GOAWAY: 0x7, WINDOW_UPDATE: 0x8 } as const;
const FLAG_ACK = 0x1;

export interface ReceivedFrame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  /** `Date.now()` when it arrived. */
  readonly at: number;
}

export interface PeerBehaviour {
  /** Send SETTINGS and ACK the client's: false makes a listener that accepts TCP and never speaks HTTP/2. */
  readonly speak: boolean;
  /** How many PINGs to ACK before ignoring the rest (default: all). */
  readonly pingAcks?: number;
}

export interface RawH2Peer {
  readonly port: number;
  /** Frames from every connection, in order. */
  readonly frames: ReceivedFrame[];
  /** Resolves with the first frame of `type` (without ACK) from now on or already received. */
  frame(type: number): Promise<ReceivedFrame>;
  /** Resolves when the client closed the connection; `Date.now()` then. */
  readonly closed: Promise<number>;
  /** When the last PING ACK was sent (0: none). */
  lastPingAckAt(): number;
  close(): Promise<void>;
}

export function frameBytes(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(FRAME_HEADER_LENGTH + payload.length);
  out.writeUIntBE(payload.length, 0, 3);
  out[3] = type;
  out[4] = flags;
  out.writeUInt32BE(streamId & 0x7fffffff, 5);
  payload.copy(out, FRAME_HEADER_LENGTH);
  return out;
}

/** One connection at a time is enough for these tests; later ones are handled alike. */
export async function rawH2Peer(behaviour: PeerBehaviour): Promise<RawH2Peer> {
  const frames: ReceivedFrame[] = [];
  const waiting: { type: number; resolve: (f: ReceivedFrame) => void }[] = [];
  const sockets = new Set<net.Socket>();
  let pingAcks = 0;
  let lastAckAt = 0;
  let resolveClosed!: (at: number) => void;
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve));

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => {
      sockets.delete(socket);
      resolveClosed(Date.now());
    });
    if (behaviour.speak) socket.write(frameBytes(FrameType.SETTINGS, 0, 0));
    let buffer = Buffer.alloc(0);
    let prefaceSeen = false;
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!prefaceSeen) {
        if (buffer.length < PREFACE_LENGTH) return;
        buffer = buffer.subarray(PREFACE_LENGTH);
        prefaceSeen = true;
      }
      while (buffer.length >= FRAME_HEADER_LENGTH) {
        const length = buffer.readUIntBE(0, 3);
        if (buffer.length < FRAME_HEADER_LENGTH + length) return;
        const frame: ReceivedFrame = {
          type: buffer[3]!,
          flags: buffer[4]!,
          streamId: buffer.readUInt32BE(5) & 0x7fffffff,
          at: Date.now(),
        };
        const payload = buffer.subarray(FRAME_HEADER_LENGTH, FRAME_HEADER_LENGTH + length);
        buffer = buffer.subarray(FRAME_HEADER_LENGTH + length);
        frames.push(frame);
        respond(socket, frame, payload);
        const acked = (frame.flags & FLAG_ACK) !== 0 && (frame.type === FrameType.SETTINGS || frame.type === FrameType.PING);
        if (!acked) {
          for (const w of waiting.filter((w) => w.type === frame.type)) {
            waiting.splice(waiting.indexOf(w), 1);
            w.resolve(frame);
          }
        }
      }
    });
  });

  function respond(socket: net.Socket, frame: ReceivedFrame, payload: Buffer): void {
    if (!behaviour.speak || (frame.flags & FLAG_ACK) !== 0) return;
    if (frame.type === FrameType.SETTINGS) {
      socket.write(frameBytes(FrameType.SETTINGS, FLAG_ACK, 0));
    } else if (frame.type === FrameType.PING && pingAcks < (behaviour.pingAcks ?? Infinity)) {
      pingAcks++;
      lastAckAt = Date.now();
      socket.write(frameBytes(FrameType.PING, FLAG_ACK, 0, Buffer.from(payload)));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    frames,
    frame(type) {
      const seen = frames.find((f) => f.type === type && (f.flags & FLAG_ACK) === 0);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiting.push({ type, resolve }));
    },
    closed,
    lastPingAckAt: () => lastAckAt,
    close() {
      for (const s of sockets) s.destroy();
      return within(new Promise<void>((resolve) => server.close(() => resolve())), 5_000, "raw peer close");
    },
  };
}
