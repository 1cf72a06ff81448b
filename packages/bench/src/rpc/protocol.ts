// What every implementation of the RPC benchmark agrees on: the service of
// proto/rpc.proto, what each method answers, and the interfaces through which
// the load generators drive a client and the harness starts a server.
//
//   Unary         echoes the request's body.
//   ServerStream  the request's body holds two big-endian uint32s, the number
//                 of messages and the size of each body; the server streams
//                 that many messages, each body in the pattern of bodyOf().
//   ClientStream  answers with two big-endian uint32s: the number of requests
//                 and the sum of their body sizes.
//   Bidi          echoes each request's body as it arrives (ping-pong).

export type ImplName = "tsgrpc" | "grpc-js" | "connect-node" | "raw";

/** Report order; tsgrpc first. */
export const implOrder: readonly ImplName[] = ["tsgrpc", "grpc-js", "connect-node", "raw"];

export function isImplName(s: string): s is ImplName {
  return (implOrder as readonly string[]).includes(s);
}

export const SERVICE = "tsgrpc.bench.rpc.RpcBench";
export const PATH = {
  unary: `/${SERVICE}/Unary`,
  serverStream: `/${SERVICE}/ServerStream`,
  clientStream: `/${SERVICE}/ClientStream`,
  bidi: `/${SERVICE}/Bidi`,
} as const;

/** `Payload { bytes body = 1; }`, as plain objects: every library's generated or loaded type has this shape. */
export interface Payload {
  body: Uint8Array;
}

export interface RpcServer {
  readonly port: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** One open Bidi call used for ping-pong: each ping waits for its echo. */
export interface BidiSession {
  ping(body: Uint8Array): Promise<Uint8Array>;
  /** Half-closes the request side and waits for the call to end with OK. */
  close(): Promise<void>;
}

export interface StreamTally {
  messages: number;
  /** Sum of the body sizes. */
  bytes: number;
}

/** A client over one connection (one channel, transport or session) to 127.0.0.1:port. */
export interface RpcClient {
  unary(body: Uint8Array): Promise<Uint8Array>;
  /** Reads a whole ServerStream call; `each` sees every body (verification only). */
  serverStream(count: number, size: number, each?: (body: Uint8Array) => void): Promise<StreamTally>;
  /** The response body of a ClientStream call sending `bodies`. */
  clientStream(bodies: readonly Uint8Array[]): Promise<Uint8Array>;
  bidi(): BidiSession;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** HTTP/2 receive window per stream and connection, where the implementation takes one (tsgrpc, raw); default 1 MiB. */
  readonly flowControlWindow?: number;
}

/** What src/rpc/impl/<name>.ts exports. */
export interface Implementation {
  serve(options?: ServeOptions): Promise<RpcServer>;
  connect(port: number): Promise<RpcClient>;
}

export const HOST = "127.0.0.1";

/** Two big-endian uint32s: a ServerStream request (count, size) or a ClientStream response (count, bytes). */
export function pair(a: number, b: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, a);
  view.setUint32(4, b);
  return out;
}

export function readPair(body: Uint8Array): [number, number] {
  if (body.length !== 8) throw new Error(`expected 8 bytes (two uint32s), got ${body.length}`);
  const view = new DataView(body.buffer, body.byteOffset, 8);
  return [view.getUint32(0), view.getUint32(4)];
}

/** Byte i of every body the benchmark makes: not all zeros, so that offsets that slip show. */
export function patternByte(i: number): number {
  return (i * 31 + 7) & 0xff;
}

const bodies = new Map<number, Uint8Array>();

/** A body of `size` bytes in the pattern, made once per size: servers stream the same one again and again. */
export function bodyOf(size: number): Uint8Array {
  let body = bodies.get(size);
  if (body === undefined) {
    body = new Uint8Array(size);
    for (let i = 0; i < size; i++) body[i] = patternByte(i);
    bodies.set(size, body);
  }
  return body;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Describes how `got` differs from `want`, for verification failures. */
export function bytesDiff(got: Uint8Array, want: Uint8Array): string | undefined {
  if (got.length !== want.length) return `${got.length} bytes instead of ${want.length}`;
  for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) return `byte ${i} is ${got[i]} instead of ${want[i]}`;
  return undefined;
}
