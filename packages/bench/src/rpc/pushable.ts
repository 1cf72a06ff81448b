// Requests pushed one at a time into an AsyncIterable: how ping-pong drives
// the libraries whose streaming calls take an iterable of requests (tsgrpc,
// connect-node).
import type { BidiSession, Payload } from "./protocol.js";

export class Pushable<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiter: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;

  push(value: T): void {
    if (this.ended) throw new Error("push after end");
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter({ done: false, value });
    } else {
      this.queue.push(value);
    }
  }

  end(): void {
    this.ended = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ done: false, value: this.queue.shift()! });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** As a generator without try/catch: ends, and rethrows (connect-node requires request iterables to have it). */
  throw(error: unknown): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** A ping-pong session over a bidi call that takes and returns AsyncIterables of messages. */
export function iterableBidi(open: (requests: AsyncIterable<Payload>) => AsyncIterable<Payload>): BidiSession {
  const requests = new Pushable<Payload>();
  const responses = open(requests)[Symbol.asyncIterator]();
  return {
    async ping(body) {
      requests.push({ body });
      const r = await responses.next();
      if (r.done === true) throw new Error("bidi: the response stream ended before the echo");
      return r.value.body;
    },
    async close() {
      requests.end();
      for (;;) {
        const r = await responses.next();
        if (r.done === true) return;
      }
    },
  };
}

/** The requests of a ClientStream call, as an async generator (what connect-node takes; tsgrpc takes it too). */
export async function* each(bodies: readonly Uint8Array[]): AsyncGenerator<Payload> {
  for (const body of bodies) yield { body };
}
