// A request stream the caller feeds one message at a time (ping_pong sends
// the next request only after the previous response). The call ends it with
// return() when it finishes first, which also releases a pending next().

export class RequestQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private ended = false;
  private waiter: ((result: IteratorResult<T>) => void) | undefined;

  push(item: T): void {
    if (this.ended) throw new Error("request stream already ended");
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter({ done: false, value: item });
    } else {
      this.items.push(item);
    }
  }

  /** Half-close: the call sends END_STREAM after the queued messages. */
  end(): void {
    this.ended = true;
    if (this.items.length === 0) this.release();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ done: false, value: this.items.shift()! });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.ended = true;
    this.items.length = 0;
    this.release();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private release(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ done: true, value: undefined });
  }
}

/** An async iterable of `items`, then the end of the stream. */
export async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
