// The in-memory stand-in for an HTTP/2 stream: two one-way lanes (requests,
// responses). What one side sends reaches the other in order, in a microtask
// after it was sent — never inside the sender's own call, as over a network,
// so that neither side runs the other's code (hooks, handlers, error paths)
// re-entrantly. Each lane has flow control: its sender waits while the
// receiver's message queue is paused or too much is still in flight, so a
// reader that stops reading stops the writer, with a bounded buffer between.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http2";

/**
 * Events in flight in one lane past which the sender waits. With the
 * receiver's MessageQueue (16 messages before it pauses), a lane holds at
 * most about twice this many messages.
 */
export const MAX_IN_FLIGHT = 16;

export class Lane {
  private events: (() => void)[] = [];
  private flushScheduled = false;
  private receiverPaused = false;
  /** Set once the sender's call has ended: nothing to wait for any more. */
  private released = false;
  private waiter: (() => void) | undefined;

  /** Delivers `event` to the receiver after those sent before it, in a later microtask. */
  send(event: () => void): void {
    this.events.push(event);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** False when the sender should wait for `ready()` before sending more. */
  get writable(): boolean {
    return this.released || (!this.receiverPaused && this.events.length < MAX_IN_FLIGHT);
  }

  /** Resolves once the lane is writable again (or released). One waiter: a lane has one sender. */
  ready(): Promise<void> {
    if (this.writable) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** The receiver's queue is full: hold the sender. */
  pause(): void {
    this.receiverPaused = true;
  }

  /** The receiver caught up (or stopped reading and drops what comes). */
  resume(): void {
    this.receiverPaused = false;
    this.wake();
  }

  /** The sender's call ended: a wait in progress ends, and no later one begins. */
  release(): void {
    this.released = true;
    this.wake();
  }

  private flush(): void {
    // Events sent while delivering join this flush, still in order.
    const events = this.events;
    for (let i = 0; i < events.length; i++) events[i]!();
    this.events = [];
    this.flushScheduled = false;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    if (waiter !== undefined && this.writable) {
      this.waiter = undefined;
      waiter();
    }
  }
}

/** One call's two lanes. */
export class InMemoryStream {
  /** Client to server: request headers, messages, end or reset. */
  readonly requests = new Lane();
  /** Server to client: response headers, messages, trailers or reset. */
  readonly responses = new Lane();
}

/** What the server side of a call sends to the client side. */
export interface ResponseReceiver {
  onHeaders(headers: IncomingHttpHeaders): void;
  /** One framed message (5-byte prefix, payload). */
  onMessage(frame: Uint8Array): void;
  /** Trailers, or the headers of a Trailers-Only response: the response is complete. */
  onTrailers(trailers: IncomingHttpHeaders): void;
  /** The server cancelled the call (forceShutdown). */
  onReset(): void;
}

/** Why a client reset its call: cancelled, or its deadline passed. */
export type ResetReason = "cancel" | "deadline";

/** What the client side of a call sends to the server side, after the request headers. */
export interface RequestReceiver {
  /** One framed message (5-byte prefix, payload). */
  onMessage(frame: Uint8Array): void;
  /** The client half-closed: no more requests. */
  onEnd(): void;
  onReset(reason: ResetReason): void;
}

/**
 * Headers as node:http2 hands them to the receiver: every value a string,
 * repeated fields joined with ", ". Built when sent, so later changes to the
 * sender's Metadata are not seen; a null-prototype object, as node's, so
 * that a `__proto__` key is a key.
 */
export function asReceived(headers: OutgoingHttpHeaders): IncomingHttpHeaders {
  const received: IncomingHttpHeaders = Object.create(null) as IncomingHttpHeaders;
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined) continue;
    received[key] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return received;
}
