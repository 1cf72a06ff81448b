// Correctness before speed: a client answers every call kind of a server with
// the right messages — sizes and bytes — including empty and multi-frame
// messages, empty streams, and calls multiplexed on the connection. Run for
// every client × server pair before anything is timed.
import { bodyOf, bytesDiff, pair, type RpcClient } from "./protocol.js";

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

const KiB = 1024;
const CHECK_TIMEOUT_MS = 10_000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Throws when `got` is not `want`. */
function expectBytes(what: string, got: Uint8Array, want: Uint8Array): void {
  const diff = bytesDiff(got, want);
  if (diff !== undefined) throw new Error(`${what}: ${diff}`);
}

async function unary(client: RpcClient, size: number): Promise<void> {
  expectBytes("echo", await client.unary(bodyOf(size)), bodyOf(size));
}

async function serverStream(client: RpcClient, count: number, size: number): Promise<void> {
  let i = 0;
  const tally = await client.serverStream(count, size, (body) => expectBytes(`message ${i++}`, body, bodyOf(size)));
  if (tally.messages !== count) throw new Error(`${tally.messages} messages instead of ${count}`);
  if (tally.bytes !== count * size) throw new Error(`${tally.bytes} bytes instead of ${count * size}`);
}

async function clientStream(client: RpcClient, sizes: number[]): Promise<void> {
  const reply = await client.clientStream(sizes.map(bodyOf));
  expectBytes("summary (count, bytes)", reply, pair(sizes.length, sizes.reduce((a, b) => a + b, 0)));
}

async function bidi(client: RpcClient, sizes: number[]): Promise<void> {
  const session = client.bidi();
  for (const [i, size] of sizes.entries()) expectBytes(`echo ${i}`, await session.ping(bodyOf(size)), bodyOf(size));
  await session.close();
}

async function concurrent(client: RpcClient, calls: number): Promise<void> {
  const sizes = Array.from({ length: calls }, (_, i) => (i * 97) % (2 * KiB));
  const replies = await Promise.all(sizes.map((s) => client.unary(bodyOf(s))));
  replies.forEach((r, i) => expectBytes(`call ${i}`, r, bodyOf(sizes[i]!)));
}

const checks: [string, (c: RpcClient) => Promise<void>][] = [
  ["unary 0 B", (c) => unary(c, 0)],
  ["unary 1 KiB", (c) => unary(c, KiB)],
  ["unary 64 KiB", (c) => unary(c, 64 * KiB)],
  ["unary × 32 concurrent", (c) => concurrent(c, 32)],
  ["server stream 5 × 1 KiB", (c) => serverStream(c, 5, KiB)],
  ["server stream 3 × 64 KiB", (c) => serverStream(c, 3, 64 * KiB)],
  ["server stream, empty", (c) => serverStream(c, 0, KiB)],
  ["client stream 5 × 1 KiB", (c) => clientStream(c, [KiB, KiB, KiB, KiB, KiB])],
  ["client stream 0 B, 64 KiB, 1 B", (c) => clientStream(c, [0, 64 * KiB, 1])],
  ["client stream, empty", (c) => clientStream(c, [])],
  ["bidi ping-pong 0 B, 1 KiB, 64 KiB, 1 KiB", (c) => bidi(c, [0, KiB, 64 * KiB, KiB])],
  ["bidi, empty", (c) => bidi(c, [])],
];

export async function verify(client: RpcClient): Promise<Check[]> {
  const results: Check[] = [];
  for (const [name, check] of checks) {
    try {
      await within(check(client), CHECK_TIMEOUT_MS);
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, detail: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}

export const checkNames: readonly string[] = checks.map(([name]) => name);
