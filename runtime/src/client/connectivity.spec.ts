import { GrpcError } from "../grpc/grpc-error.js";
import { Status } from "../grpc/status.js";
import { ConnectivityState, deadlineMs, StateWatchers } from "./connectivity.js";

const { IDLE, CONNECTING, READY, TRANSIENT_FAILURE, SHUTDOWN } = ConnectivityState;

/** Settles `promise` into a value that says how it ended, or "pending" if it has not by the time microtasks run out. */
async function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown } | "pending"> {
  let result: { value: T } | { error: unknown } | "pending" = "pending";
  promise.then(
    (value) => {
      result = { value };
    },
    (error: unknown) => {
      result = { error };
    },
  );
  // A few turns of the microtask queue: enough for chained awaits inside ready().
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return result;
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  expect(jest.getTimerCount()).toBe(0); // no watcher leaves a timer behind
  jest.useRealTimers();
});

describe("deadlineMs", () => {
  test.each([
    [undefined, Infinity],
    [1234, 1234],
    [new Date(5678), 5678],
  ])("%p -> %p", (deadline, ms) => {
    expect(deadlineMs(deadline)).toBe(ms);
  });
});

describe("StateWatchers.set", () => {
  test("moves the state; the same state notifies nobody", async () => {
    const w = new StateWatchers(IDLE);
    const watch = w.watch(IDLE, undefined);
    w.set(IDLE);
    expect(await outcome(watch)).toBe("pending");
    w.set(CONNECTING);
    expect(w.state).toBe(CONNECTING);
    expect(await outcome(watch)).toEqual({ value: true });
  });

  test("SHUTDOWN is final", () => {
    const w = new StateWatchers(READY);
    w.set(SHUTDOWN);
    for (const s of [IDLE, CONNECTING, READY, TRANSIENT_FAILURE]) {
      w.set(s);
      expect(w.state).toBe(SHUTDOWN);
    }
  });
});

describe("StateWatchers.watch", () => {
  test("resolves true at once when the state already differs", async () => {
    const w = new StateWatchers(READY);
    expect(await outcome(w.watch(IDLE, Date.now() + 1000))).toEqual({ value: true });
  });

  test("resolves true on a change and clears its deadline timer", async () => {
    const w = new StateWatchers(IDLE);
    const watch = w.watch(IDLE, Date.now() + 1000);
    expect(jest.getTimerCount()).toBe(1);
    w.set(CONNECTING);
    expect(await outcome(watch)).toEqual({ value: true });
    expect(jest.getTimerCount()).toBe(0);
  });

  test("resolves false at the deadline, not before (Date or number)", async () => {
    const w = new StateWatchers(CONNECTING);
    const byNumber = w.watch(CONNECTING, Date.now() + 1000);
    const byDate = w.watch(CONNECTING, new Date(Date.now() + 2000));
    jest.advanceTimersByTime(999);
    expect(await outcome(byNumber)).toBe("pending");
    jest.advanceTimersByTime(1);
    expect(await outcome(byNumber)).toEqual({ value: false });
    expect(await outcome(byDate)).toBe("pending");
    jest.advanceTimersByTime(1000);
    expect(await outcome(byDate)).toEqual({ value: false });
    // A change after the deadline concerns nobody any more.
    w.set(READY);
  });

  test("a deadline already past resolves false without a timer", async () => {
    const w = new StateWatchers(IDLE);
    expect(await outcome(w.watch(IDLE, Date.now()))).toEqual({ value: false });
    expect(await outcome(w.watch(IDLE, new Date(0)))).toEqual({ value: false });
  });

  test("an invalid deadline is rejected with a TypeError", async () => {
    const w = new StateWatchers(IDLE);
    const result = await outcome(w.watch(IDLE, new Date(Number.NaN)));
    expect(result).toEqual({ error: expect.any(TypeError) });
  });

  test("without a deadline it waits for as long as it takes and leaves no timer", async () => {
    const w = new StateWatchers(IDLE);
    const watch = w.watch(IDLE, undefined);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(3_600_000);
    expect(await outcome(watch)).toBe("pending");
    w.set(SHUTDOWN);
    expect(await outcome(watch)).toEqual({ value: true });
  });
});

describe("StateWatchers.changes", () => {
  test("yields the current state, then every change, and ends after SHUTDOWN", async () => {
    const w = new StateWatchers(IDLE);
    const seen: ConnectivityState[] = [];
    const done = (async () => {
      for await (const s of w.changes()) seen.push(s);
    })();
    w.set(CONNECTING);
    w.set(CONNECTING); // no change, nothing yielded
    w.set(TRANSIENT_FAILURE);
    w.set(READY);
    w.set(SHUTDOWN);
    w.set(IDLE); // after SHUTDOWN: ignored
    expect(await outcome(done)).toEqual({ value: undefined });
    expect(seen).toEqual([IDLE, CONNECTING, TRANSIENT_FAILURE, READY, SHUTDOWN]);
  });

  test("records changes from the call, not from the first next()", async () => {
    const w = new StateWatchers(IDLE);
    const it = w.changes();
    w.set(CONNECTING);
    w.set(READY);
    expect(await it.next()).toEqual({ done: false, value: IDLE });
    expect(await it.next()).toEqual({ done: false, value: CONNECTING });
    expect(await it.next()).toEqual({ done: false, value: READY });
    const pending = it.next();
    expect(await outcome(pending)).toBe("pending");
    w.set(IDLE);
    expect(await pending).toEqual({ done: false, value: IDLE });
    await it.return!();
  });

  test("concurrent next() calls each get their own change, in order", async () => {
    const w = new StateWatchers(IDLE);
    const it = w.changes();
    expect(await it.next()).toEqual({ done: false, value: IDLE });
    const first = it.next();
    const second = it.next();
    w.set(CONNECTING);
    w.set(READY);
    expect(await outcome(first)).toEqual({ value: { done: false, value: CONNECTING } });
    expect(await outcome(second)).toEqual({ value: { done: false, value: READY } });
    const third = it.next();
    const fourth = it.next();
    await it.return!();
    expect(await outcome(third)).toEqual({ value: { done: true, value: undefined } });
    expect(await outcome(fourth)).toEqual({ value: { done: true, value: undefined } });
  });

  test("return() unsubscribes and ends the iteration", async () => {
    const w = new StateWatchers(IDLE);
    const it = w.changes();
    expect(await it.next()).toEqual({ done: false, value: IDLE });
    expect(await it.return!()).toEqual({ done: true, value: undefined });
    w.set(READY);
    expect(await it.next()).toEqual({ done: true, value: undefined });
    // Nothing subscribed any more: the watcher's listener set is empty.
    expect((w as unknown as { streams: Set<unknown> }).streams.size).toBe(0);
  });

  test("breaking out of for-await unsubscribes", async () => {
    const w = new StateWatchers(READY);
    for await (const s of w.changes()) {
      expect(s).toBe(READY);
      break;
    }
    expect((w as unknown as { streams: Set<unknown> }).streams.size).toBe(0);
  });

  test("a subscription made after SHUTDOWN yields SHUTDOWN once and ends", async () => {
    const w = new StateWatchers(CONNECTING);
    w.set(SHUTDOWN);
    const seen: ConnectivityState[] = [];
    for await (const s of w.changes()) seen.push(s);
    expect(seen).toEqual([SHUTDOWN]);
    expect((w as unknown as { streams: Set<unknown> }).streams.size).toBe(0);
  });

  test("independent iterators each see every change", async () => {
    const w = new StateWatchers(IDLE);
    const a = w.changes();
    const b = w.changes();
    w.set(READY);
    expect([(await a.next()).value, (await a.next()).value]).toEqual([IDLE, READY]);
    expect([(await b.next()).value, (await b.next()).value]).toEqual([IDLE, READY]);
    await a.return!();
    await b.return!();
  });
});

describe("StateWatchers.ready", () => {
  test("resolves at once when READY and does not ask to leave IDLE", async () => {
    const w = new StateWatchers(READY);
    const onIdle = jest.fn();
    expect(await outcome(w.ready(undefined, onIdle))).toEqual({ value: undefined });
    expect(onIdle).not.toHaveBeenCalled();
  });

  test("calls onIdle when IDLE, then resolves on READY through other states", async () => {
    const w = new StateWatchers(IDLE);
    const onIdle = jest.fn(() => w.set(CONNECTING));
    const ready = w.ready(Date.now() + 10_000, onIdle);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(await outcome(ready)).toBe("pending");
    w.set(TRANSIENT_FAILURE);
    expect(await outcome(ready)).toBe("pending");
    w.set(READY);
    expect(await outcome(ready)).toEqual({ value: undefined });
  });

  test("calls onIdle again each time the state comes back to IDLE", async () => {
    const w = new StateWatchers(IDLE);
    const onIdle = jest.fn();
    const ready = w.ready(undefined, onIdle);
    expect(onIdle).toHaveBeenCalledTimes(1);
    w.set(CONNECTING);
    await outcome(ready);
    w.set(IDLE);
    expect(await outcome(ready)).toBe("pending");
    expect(onIdle).toHaveBeenCalledTimes(2);
    w.set(READY);
    expect(await outcome(ready)).toEqual({ value: undefined });
  });

  test("rejects DEADLINE_EXCEEDED at the deadline, naming the state", async () => {
    const w = new StateWatchers(CONNECTING);
    const ready = w.ready(Date.now() + 500, () => {});
    jest.advanceTimersByTime(499);
    expect(await outcome(ready)).toBe("pending");
    jest.advanceTimersByTime(1);
    const result = await outcome(ready);
    expect(result).toEqual({ error: expect.any(GrpcError) });
    const error = (result as { error: GrpcError }).error;
    expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
    expect(error.message).toContain("CONNECTING");
  });

  test("rejects UNAVAILABLE at SHUTDOWN, and at once when already SHUTDOWN", async () => {
    const w = new StateWatchers(CONNECTING);
    const ready = w.ready(Date.now() + 10_000, () => {});
    w.set(SHUTDOWN);
    const result = await outcome(ready);
    expect((result as { error: GrpcError }).error).toBeInstanceOf(GrpcError);
    expect((result as { error: GrpcError }).error.code).toBe(Status.UNAVAILABLE);
    const again = await outcome(w.ready(undefined, () => {}));
    expect((again as { error: GrpcError }).error.code).toBe(Status.UNAVAILABLE);
  });
});
