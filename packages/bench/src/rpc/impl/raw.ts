// The ceiling: node:http2 speaking the gRPC wire format with the least
// possible work — constant header objects, 5-byte length prefixes, the
// `Payload` message read and written by hand (a 0x0a tag, a varint length,
// the body), no codec, no call objects, no async iteration. Nothing on
// node:http2 can do less per call. Shortcuts only a ceiling may take: the
// Unary server echoes the request frame as it came (the response is the same
// message), and streamed responses are one frame made once per size, written
// again and again. It trusts its peers: no compression, no limits, no
// metadata, one field per message. It does use tsgrpc's HTTP/2 receive
// windows (1 MiB per stream and per connection, where node's default is 64
// KiB): a window is a setting, not work, and with node's default the window
// rather than the work would bound streaming.
import * as http2 from "node:http2";
import { DEFAULT_FLOW_CONTROL_WINDOW } from "@tsgrpc/runtime";
import { bodyOf, HOST, PATH, pair, type Implementation, readPair } from "../protocol.js";

const OK_HEADERS = Object.freeze({ ":status": 200, "content-type": "application/grpc" });
const OK_TRAILERS = Object.freeze({ "grpc-status": "0" });
const UNIMPLEMENTED = Object.freeze({ ":status": 200, "content-type": "application/grpc", "grpc-status": "12" });
// No `date` header either: node:http2 adds one to every response unless told not to, and gRPC has no use for it.
// (gRPC servers such as grpc-go send none; node's types omit the option, its code honours it).
const WAIT_FOR_TRAILERS = Object.freeze({ waitForTrailers: true, sendDate: false });
const END_STREAM = Object.freeze({ endStream: true, sendDate: false });
const requestHeaders = (path: string): http2.OutgoingHttpHeaders =>
  Object.freeze({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
const REQUEST = {
  unary: requestHeaders(PATH.unary),
  serverStream: requestHeaders(PATH.serverStream),
  clientStream: requestHeaders(PATH.clientStream),
  bidi: requestHeaders(PATH.bidi),
};
const EMPTY = new Uint8Array(0);
const SETTINGS = Object.freeze({ initialWindowSize: DEFAULT_FLOW_CONTROL_WINDOW });

/** The frame of `Payload { body }`: prefix, then the field (absent when empty, as proto3 writes it). */
function frameOf(body: Uint8Array): Buffer {
  const n = body.length;
  const varint = n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
  const size = n === 0 ? 0 : 1 + varint + n;
  const frame = Buffer.allocUnsafe(5 + size);
  frame[0] = 0;
  frame.writeUInt32BE(size, 1);
  if (n === 0) return frame;
  let pos = 5;
  frame[pos++] = 0x0a;
  let v = n;
  while (v >= 0x80) {
    frame[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  frame[pos++] = v;
  frame.set(body, pos);
  return frame;
}

/** The body of the Payload in a frame (prefix included), as a view. */
function bodyIn(frame: Uint8Array): Uint8Array {
  if (frame.length === 5) return EMPTY;
  if (frame[5] !== 0x0a) throw new Error(`raw: expected field 1 (tag 0x0a), got 0x${frame[5]!.toString(16)}`);
  let pos = 6;
  let len = 0;
  for (let shift = 0; ; shift += 7) {
    const b = frame[pos++]!;
    len |= (b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  if (pos + len !== frame.length) throw new Error("raw: Payload holds more than its body");
  return frame.subarray(pos, pos + len);
}

/** Splits DATA chunks into whole frames (prefix included): views when a frame lies in one chunk, else one copy. */
class Frames {
  private head: Buffer | undefined;
  private frame: Buffer | undefined;
  private fill = 0;

  constructor(private readonly onFrame: (frame: Buffer) => void) {}

  get pending(): boolean {
    return this.head !== undefined || this.frame !== undefined;
  }

  push(chunk: Buffer): void {
    const end = chunk.length;
    let pos = 0;
    while (pos < end) {
      if (this.frame !== undefined) {
        const n = Math.min(this.frame.length - this.fill, end - pos);
        chunk.copy(this.frame, this.fill, pos, pos + n);
        this.fill += n;
        pos += n;
        if (this.fill === this.frame.length) this.complete();
        continue;
      }
      if (this.head !== undefined || end - pos < 5) {
        const head = this.head === undefined ? chunk.subarray(pos, pos + 5) : Buffer.concat([this.head, chunk.subarray(pos, pos + 5 - this.head.length)]);
        pos += head.length - (this.head?.length ?? 0);
        if (head.length < 5) {
          this.head = Buffer.from(head);
          return;
        }
        this.head = undefined;
        this.frame = Buffer.allocUnsafe(5 + head.readUInt32BE(1));
        head.copy(this.frame, 0, 0, 5);
        this.fill = 5;
        if (this.frame.length === 5) this.complete();
        continue;
      }
      const size = 5 + chunk.readUInt32BE(pos + 1);
      if (end - pos >= size) {
        this.onFrame(chunk.subarray(pos, pos + size));
        pos += size;
      } else {
        this.frame = Buffer.allocUnsafe(size);
        chunk.copy(this.frame, 0, pos, end);
        this.fill = end - pos;
        pos = end;
      }
    }
  }

  private complete(): void {
    const frame = this.frame!;
    this.frame = undefined;
    this.onFrame(frame);
  }
}

function noop(): void {}

function respond(stream: http2.ServerHttp2Stream): void {
  stream.respond(OK_HEADERS, WAIT_FOR_TRAILERS);
  stream.once("wantTrailers", () => stream.sendTrailers(OK_TRAILERS));
}

/** The whole request body of a single-message call. */
function onRequest(stream: http2.ServerHttp2Stream, then: (frame: Buffer) => void): void {
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  stream.on("data", (chunk: Buffer) => {
    if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  stream.on("end", () => then(more !== undefined ? Buffer.concat(more) : (first ?? Buffer.alloc(0))));
}

const streamFrames = new Map<number, Buffer>();

function serveStream(stream: http2.ServerHttp2Stream, frame: Buffer): void {
  const [count, size] = readPair(bodyIn(frame));
  let out = streamFrames.get(size);
  if (out === undefined) streamFrames.set(size, (out = frameOf(bodyOf(size))));
  respond(stream);
  let i = 0;
  const write = (): void => {
    while (i < count) {
      if (stream.destroyed) return;
      i++;
      if (!stream.write(out)) {
        stream.once("drain", write);
        return;
      }
    }
    stream.end();
  };
  write();
}

function onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  stream.on("error", noop);
  switch (headers[":path"]) {
    case PATH.unary:
      onRequest(stream, (frame) => {
        respond(stream);
        stream.end(frame);
      });
      return;
    case PATH.serverStream:
      onRequest(stream, (frame) => serveStream(stream, frame));
      return;
    case PATH.clientStream: {
      let count = 0;
      let bytes = 0;
      const frames = new Frames((frame) => {
        count++;
        bytes += bodyIn(frame).length;
      });
      stream.on("data", (chunk: Buffer) => frames.push(chunk));
      stream.on("end", () => {
        respond(stream);
        stream.end(frameOf(pair(count, bytes)));
      });
      return;
    }
    case PATH.bidi: {
      respond(stream);
      const frames = new Frames((frame) => stream.write(frame));
      stream.on("data", (chunk: Buffer) => frames.push(chunk));
      stream.on("end", () => stream.end());
      return;
    }
    default:
      stream.respond(UNIMPLEMENTED, END_STREAM);
  }
}

export const implementation: Implementation = {
  serve(options = {}) {
    const window = options.flowControlWindow ?? DEFAULT_FLOW_CONTROL_WINDOW;
    const server = http2.createServer({ settings: { initialWindowSize: window } });
    const sessions = new Set<http2.Http2Session>();
    server.on("session", (s: http2.Http2Session) => {
      if (window > 65_535) s.setLocalWindowSize(window);
      sessions.add(s);
      s.on("error", noop);
      s.once("close", () => sessions.delete(s));
    });
    server.on("stream", onStream);
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, HOST, () => {
        const address = server.address();
        resolve({
          port: typeof address === "object" && address !== null ? address.port : 0,
          close: () =>
            new Promise<void>((done) => {
              for (const s of sessions) s.destroy();
              server.close(() => done());
            }),
        });
      });
    });
  },

  connect(port) {
    // No bound on the session's memory (grpc-js's client sets none either): node's
    // default of 10 MB refuses new streams (ENHANCE_YOUR_CALM) at a few thousand open ones.
    const session = http2.connect(`http://${HOST}:${port}`, { settings: SETTINGS, maxSessionMemory: Number.MAX_SAFE_INTEGER });
    session.on("error", noop);
    session.once("connect", () => session.setLocalWindowSize(DEFAULT_FLOW_CONTROL_WINDOW));

    /** Opens a call; `done` runs once when it closes, with an error unless it ended with grpc-status 0. */
    const call = (headers: http2.OutgoingHttpHeaders, onFrame: (frame: Buffer) => void, done: (error?: Error) => void): http2.ClientHttp2Stream => {
      const stream = session.request(headers);
      const frames = new Frames(onFrame);
      let status: unknown;
      stream.on("data", (chunk: Buffer) => frames.push(chunk));
      // Trailers-Only responses (e.g. an empty stream) carry the status in the headers.
      stream.on("response", (h: http2.IncomingHttpHeaders) => {
        status = h["grpc-status"];
      });
      stream.on("trailers", (t: http2.IncomingHttpHeaders) => {
        status = t["grpc-status"];
      });
      stream.on("error", noop);
      stream.on("close", () => {
        if (status === "0" && !frames.pending) done();
        else done(new Error(`raw: call ended with grpc-status ${String(status)}, rst code ${stream.rstCode}${frames.pending ? ", inside a message" : ""}`));
      });
      return stream;
    };

    const single = (headers: http2.OutgoingHttpHeaders, send: (stream: http2.ClientHttp2Stream) => void): Promise<Uint8Array> =>
      new Promise((resolve, reject) => {
        let reply: Buffer | undefined;
        const stream = call(
          headers,
          (frame) => {
            reply = frame;
          },
          (error) => (error !== undefined ? reject(error) : reply === undefined ? reject(new Error("raw: no response message")) : resolve(bodyIn(reply))),
        );
        send(stream);
      });

    return Promise.resolve({
      unary: (body) => single(REQUEST.unary, (stream) => stream.end(frameOf(body))),
      serverStream(count, size, check) {
        return new Promise((resolve, reject) => {
          const tally = { messages: 0, bytes: 0 };
          const stream = call(
            REQUEST.serverStream,
            (frame) => {
              const body = bodyIn(frame);
              tally.messages++;
              tally.bytes += body.length;
              check?.(body);
            },
            (error) => (error !== undefined ? reject(error) : resolve(tally)),
          );
          stream.end(frameOf(pair(count, size)));
        });
      },
      clientStream: (bodies) =>
        single(REQUEST.clientStream, (stream) => {
          for (const body of bodies) stream.write(frameOf(body));
          stream.end();
        }),
      bidi() {
        let waiter: { resolve(body: Uint8Array): void; reject(e: Error): void } | undefined;
        let failure: Error | undefined;
        let stream!: http2.ClientHttp2Stream;
        const closed = new Promise<void>((resolve, reject) => {
          stream = call(
            REQUEST.bidi,
            (frame) => {
              const w = waiter;
              waiter = undefined;
              w?.resolve(bodyIn(frame));
            },
            (error) => {
              if (error === undefined) {
                resolve();
                return;
              }
              failure = error;
              waiter?.reject(error);
              reject(error);
            },
          );
        });
        closed.catch(noop);
        return {
          ping(body) {
            if (failure !== undefined) return Promise.reject(failure);
            return new Promise<Uint8Array>((resolve, reject) => {
              waiter = { resolve, reject };
              stream.write(frameOf(body));
            });
          },
          close() {
            stream.end();
            return closed;
          },
        };
      },
      close() {
        session.close();
        return Promise.resolve();
      },
    });
  },
};
