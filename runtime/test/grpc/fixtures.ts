// Shared by the gRPC end-to-end specs: a hand-written codec (so these tests do
// not depend on the code generator), a service with one method per kind, and
// helpers that bound every wait.
import type { Codec } from "../../src/grpc/codec.js";
import type { MethodDefinition, MethodKind, ServiceDefinition } from "../../src/grpc/service.js";
import * as net from "node:net";
import { createChannel, type Channel, type ChannelOptions } from "../../src/client/index.js";
import { createServer, type Server, type ServerOptions, type ServiceHandlers } from "../../src/server/index.js";

/** message Echo { string text = 1; bytes data = 2; uint32 count = 3; } */
export interface Echo {
  text: string;
  data: Uint8Array;
  count: number;
}

function varint(value: number, out: number[]): void {
  while (value > 0x7f) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

export const Echo: Codec<Echo> = {
  typeName: "test.Echo",
  create(init) {
    return { text: init?.text ?? "", data: init?.data ?? new Uint8Array(0), count: init?.count ?? 0 };
  },
  encode(partial) {
    // Like generated codecs, a partial message encodes with missing fields unset.
    const message = Echo.create(partial);
    const text = Buffer.from(message.text, "utf8");
    const head: number[] = [];
    if (text.length > 0) {
      head.push(0x0a);
      varint(text.length, head);
    }
    const mid: number[] = [];
    if (message.data.length > 0) {
      mid.push(0x12);
      varint(message.data.length, mid);
    }
    const tail: number[] = [];
    if (message.count !== 0) {
      tail.push(0x18);
      varint(message.count, tail);
    }
    return Buffer.concat([Buffer.from(head), text, Buffer.from(mid), message.data, Buffer.from(tail)]);
  },
  // As generated codecs have it, so that servers batch response frames in these tests too.
  encodeInto(partial, target, offset) {
    const bytes = Echo.encode(partial);
    if (bytes.length > target.length - offset) return -1 - bytes.length;
    target.set(bytes, offset);
    return bytes.length;
  },
  decode(bytes) {
    const msg = Echo.create();
    let pos = 0;
    const readVarint = (): number => {
      let result = 0;
      let mul = 1;
      for (;;) {
        if (pos >= bytes.length) throw new Error("truncated varint");
        const b = bytes[pos++]!;
        result += (b & 0x7f) * mul;
        if ((b & 0x80) === 0) return result;
        mul *= 128;
      }
    };
    while (pos < bytes.length) {
      const tag = readVarint();
      if (tag === 0x0a || tag === 0x12) {
        const len = readVarint();
        if (pos + len > bytes.length) throw new Error("truncated field");
        const slice = bytes.subarray(pos, pos + len);
        pos += len;
        if (tag === 0x0a) msg.text = Buffer.from(slice).toString("utf8");
        else msg.data = slice.slice();
      } else if (tag === 0x18) {
        msg.count = readVarint();
      } else {
        throw new Error(`unexpected tag ${tag}`);
      }
    }
    return msg;
  },
};

function method<K extends MethodKind>(name: string, kind: K): MethodDefinition<Echo, Echo> & { readonly kind: K } {
  const localName = name[0]!.toLowerCase() + name.slice(1);
  return { name, localName, path: `/test.TestService/${name}`, kind, input: Echo, output: Echo };
}

export const TestService = {
  typeName: "test.TestService",
  methods: {
    unary: method("Unary", "unary"),
    serverStream: method("ServerStream", "server_streaming"),
    clientStream: method("ClientStream", "client_streaming"),
    bidi: method("Bidi", "bidi_streaming"),
  },
} satisfies ServiceDefinition;

export type TestHandlers = ServiceHandlers<typeof TestService>;

/** Rejects if `promise` does not settle within `ms` (every wait in these tests is bounded). */
export function within<T>(promise: Promise<T>, ms = 5_000, what = "operation"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not complete within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves when `signal` aborts (bounded by `within` at the call site). */
export function aborted(signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason), { once: true }));
}

/** Collects an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Catches the rejection of `promise` and returns it (fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the promise to reject");
}

export interface Harness {
  readonly server: Server;
  readonly channel: Channel;
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

/** A server with `handlers` on 127.0.0.1:0 and a channel to it. */
export async function startHarness(
  handlers: TestHandlers,
  serverOptions?: ServerOptions,
  channelOptions?: ChannelOptions,
): Promise<Harness> {
  const server = createServer({ onError: () => {}, ...serverOptions });
  server.add(TestService, handlers);
  const port = await server.listen("127.0.0.1:0");
  const address = `127.0.0.1:${port}`;
  const channel = createChannel(address, channelOptions);
  return {
    server,
    channel,
    port,
    address,
    async close() {
      channel.close();
      server.forceShutdown();
      await within(server.shutdown(), 5_000, "server shutdown");
    },
  };
}

/** An async iterable that yields the given messages, then ends. */
export async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
