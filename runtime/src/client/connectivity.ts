// Connectivity states of channels and subchannels (grpc/grpc
// doc/connectivity-semantics-and-api.md), and the watchers of one state
// machine: promises waiting for a change and async iterables of changes.
import { GrpcError } from "../grpc/grpc-error.js";
import { Status } from "../grpc/status.js";

export const ConnectivityState = {
  /** No connection and no attempt: the next call (or `getState(true)`) starts one. */
  IDLE: "IDLE",
  /** Resolving names or connecting. */
  CONNECTING: "CONNECTING",
  /** A connection is up: calls go out at once. */
  READY: "READY",
  /** Connecting failed; fail-fast calls fail UNAVAILABLE until it recovers. */
  TRANSIENT_FAILURE: "TRANSIENT_FAILURE",
  /** Closed for good. */
  SHUTDOWN: "SHUTDOWN",
} as const;
export type ConnectivityState = (typeof ConnectivityState)[keyof typeof ConnectivityState];

/** `Date.now()` ms of a Date or timestamp; `Infinity` for none. */
export function deadlineMs(deadline: Date | number | undefined): number {
  if (deadline === undefined) return Infinity;
  return deadline instanceof Date ? deadline.getTime() : deadline;
}

interface Waiter {
  readonly from: ConnectivityState;
  readonly resolve: (changed: boolean) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** One state machine's current state and everyone waiting for it to change. */
export class StateWatchers {
  private current: ConnectivityState;
  private readonly waiters = new Set<Waiter>();
  private readonly streams = new Set<(state: ConnectivityState) => void>();

  constructor(initial: ConnectivityState) {
    this.current = initial;
  }

  get state(): ConnectivityState {
    return this.current;
  }

  /** Moves to `state`; a transition to the same state notifies nobody. SHUTDOWN is final. */
  set(state: ConnectivityState): void {
    if (state === this.current || this.current === ConnectivityState.SHUTDOWN) return;
    this.current = state;
    for (const waiter of [...this.waiters]) {
      if (waiter.from === state) continue;
      this.settle(waiter, true);
    }
    for (const push of [...this.streams]) push(state);
  }

  /** Resolves true once the state differs from `from`, false at the deadline. */
  watch(from: ConnectivityState, deadline: Date | number | undefined): Promise<boolean> {
    if (this.current !== from) return Promise.resolve(true);
    const at = deadlineMs(deadline);
    if (Number.isNaN(at)) return Promise.reject(new TypeError(`invalid deadline ${String(deadline)}`));
    if (at <= Date.now()) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { from, resolve, timer: undefined };
      if (at !== Infinity) waiter.timer = setTimeout(() => this.settle(waiter, false), Math.min(at - Date.now(), 2 ** 31 - 1));
      this.waiters.add(waiter);
    });
  }

  /**
   * The current state, then every change, until SHUTDOWN (yielded last) or
   * the consumer stops. Changes are recorded from this call on, not from the
   * first next().
   */
  changes(): AsyncIterableIterator<ConnectivityState> {
    const queue: ConnectivityState[] = [this.current];
    // Every pending next() (callers may ask again before an answer).
    const sleepers: (() => void)[] = [];
    let done = false;
    const wake = (): void => {
      for (const resolve of sleepers.splice(0)) resolve();
    };
    const push = (state: ConnectivityState): void => {
      queue.push(state);
      wake();
    };
    const finish = (): void => {
      done = true;
      this.streams.delete(push);
      wake();
    };
    this.streams.add(push);
    const iterator: AsyncIterableIterator<ConnectivityState> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (queue.length === 0 && !done) await new Promise<void>((resolve) => sleepers.push(resolve));
        const state = queue.shift();
        if (state === undefined) return { done: true, value: undefined };
        if (state === ConnectivityState.SHUTDOWN) finish();
        return { done: false, value: state };
      },
      return: async () => {
        queue.length = 0;
        finish();
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }

  /** Resolves when READY; rejects DEADLINE_EXCEEDED at the deadline, UNAVAILABLE at SHUTDOWN. */
  async ready(deadline: Date | number | undefined, onIdle: () => void): Promise<void> {
    for (;;) {
      const state = this.current;
      if (state === ConnectivityState.READY) return;
      if (state === ConnectivityState.SHUTDOWN) throw new GrpcError(Status.UNAVAILABLE, "channel closed");
      if (state === ConnectivityState.IDLE) onIdle();
      if (this.current !== state) continue;
      if (!(await this.watch(state, deadline))) {
        throw new GrpcError(Status.DEADLINE_EXCEEDED, `channel not READY by the deadline (state ${this.current})`);
      }
    }
  }

  private settle(waiter: Waiter, changed: boolean): void {
    if (!this.waiters.delete(waiter)) return;
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    waiter.resolve(changed);
  }
}
