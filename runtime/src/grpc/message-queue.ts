// The receiving end of a message stream, as an AsyncIterator with backpressure:
// past the high-water mark the producer is paused (which stops HTTP/2 window
// updates, so the peer's writes block), and resumed once the consumer has
// caught up. Messages are pushed synchronously by the frame decoder.

/** How a queue throttles its producer and tells it the consumer gave up. */
export interface QueueSource {
  pause(): void;
  resume(): void;
  /** The consumer stopped iterating (`break`, `return`). */
  abandon(): void;
}

const DEFAULT_HIGH_WATER_MARK = 16;

interface Waiter<T> {
  resolve(result: IteratorResult<T>): void;
  reject(error: unknown): void;
}

export class MessageQueue<T> implements AsyncIterableIterator<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private waiter: Waiter<T> | undefined;
  /** No more pushes: the producer ended, or the consumer left. */
  private closed = false;
  private error: unknown;
  private paused = false;

  constructor(
    private readonly source: QueueSource,
    private readonly highWaterMark = DEFAULT_HIGH_WATER_MARK,
  ) {}

  /** Messages buffered and not yet taken. */
  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.closed) return;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve({ done: false, value: item });
      return;
    }
    this.items.push(item);
    if (!this.paused && this.size >= this.highWaterMark) {
      this.paused = true;
      this.source.pause();
    }
  }

  /**
   * The producer is done; `error` is thrown to the consumer after the buffered
   * messages, or at once with `discard` (the consumer cancelled: it wants no more).
   */
  end(error?: unknown, discard = false): void {
    if (this.closed) return;
    this.closed = true;
    if (discard) {
      this.items = [];
      this.head = 0;
    }
    this.error = error;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      this.settleEnd(waiter);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const value = this.items[this.head] as T;
      this.items[this.head++] = undefined;
      if (this.head === this.items.length) {
        this.items = [];
        this.head = 0;
      }
      if (this.paused && this.size <= this.highWaterMark >> 1) {
        this.paused = false;
        this.source.resume();
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.closed) {
      return new Promise((resolve, reject) => this.settleEnd({ resolve, reject }));
    }
    if (this.waiter !== undefined) return Promise.reject(new Error("concurrent next() on a message stream"));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** The consumer leaves early: drop what is buffered and tell the source. */
  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.items = [];
      this.head = 0;
      this.source.abandon();
    }
    this.error = undefined;
    const waiter = this.waiter; // a next() still pending when the consumer gives up
    this.waiter = undefined;
    waiter?.resolve({ done: true, value: undefined });
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private settleEnd(waiter: Waiter<T>): void {
    const error = this.error;
    if (error !== undefined) {
      this.error = undefined; // thrown once; later calls just report done
      waiter.reject(error);
    } else {
      waiter.resolve({ done: true, value: undefined });
    }
  }
}
