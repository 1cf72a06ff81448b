import * as net from "node:net";
import { type ConnectAttempt, connectWithBackoff, ConnectionBackoff, DEFAULT_BACKOFF } from "./backoff.js";
import type { Clock } from "./clock.js";

/** Virtual time: a timer fires on the next turn of the event loop, with the clock moved to its due time. */
function autoAdvancingClock(start = 1_000_000): Clock & { readonly timers: number[] } {
  let now = start;
  const timers: number[] = [];
  return {
    timers,
    now: () => now,
    setTimeout(callback, ms) {
      timers.push(ms);
      return setImmediate(() => {
        now += ms;
        callback();
      });
    },
    clearTimeout(handle) {
      clearImmediate(handle as NodeJS.Immediate);
    },
  };
}

/** The k-th backoff (k = 0 for the delay after the first attempt), before jitter. */
function nominal(k: number, initial: number, multiplier: number, max: number): number {
  return Math.min(initial * multiplier ** k, max);
}

function expectWithinJitter(gaps: readonly number[], o: { initial: number; multiplier: number; max: number; jitter: number }): void {
  expect(gaps[0]).toBe(o.initial); // the first delay is INITIAL_BACKOFF, unjittered
  gaps.forEach((gap, k) => {
    const b = nominal(k, o.initial, o.multiplier, o.max);
    expect(gap).toBeGreaterThanOrEqual(b * (1 - o.jitter) - 1e-9);
    expect(gap).toBeLessThanOrEqual(b * (1 + o.jitter) + 1e-9);
  });
}

describe("ConnectionBackoff", () => {
  test("defaults are connection-backoff.md's", () => {
    expect(DEFAULT_BACKOFF).toEqual({ initialBackoff: 1000, multiplier: 1.6, jitter: 0.2, maxBackoff: 120_000, minConnectTimeout: 20_000 });
  });

  test("60 attempts of the default schedule stay within the jitter bounds and reach the maximum", () => {
    const backoff = new ConnectionBackoff();
    let now = 0;
    const gaps: number[] = [];
    for (let i = 0; i < 60; i++) {
      const attempt = backoff.nextAttempt(now);
      // Each attempt gets at least MIN_CONNECT_TIMEOUT.
      expect(attempt.connectDeadline).toBe(Math.max(attempt.retryAt, now + 20_000));
      gaps.push(attempt.retryAt - now);
      now = attempt.retryAt;
    }
    expectWithinJitter(gaps, { initial: 1000, multiplier: 1.6, max: 120_000, jitter: 0.2 });
    expect(Math.max(...gaps)).toBeGreaterThan(120_000 * 0.9); // jitter spreads around the cap
    expect(gaps.slice(0, 4).map(Math.round)).not.toEqual([1000, 1600, 2560, 4096]); // jittered after the first
  });

  test("the jitter's extremes are exactly ±JITTER", () => {
    const low = new ConnectionBackoff({ random: () => 0 });
    const high = new ConnectionBackoff({ random: () => 1 });
    const delays = (b: ConnectionBackoff): number[] => [0, 1, 2, 3].map(() => b.nextAttempt(0).retryAt);
    expect(delays(low)).toEqual([1000, 1600 * 0.8, 2560 * 0.8, 4096 * 0.8]);
    expect(delays(high).map((d) => Math.round(d * 1e6) / 1e6)).toEqual([1000, 1600 * 1.2, 2560 * 1.2, 4096 * 1.2]);
  });

  test("the connect deadline is the later of the retry time and MIN_CONNECT_TIMEOUT", () => {
    const backoff = new ConnectionBackoff({ initialBackoff: 100, maxBackoff: 50_000, multiplier: 10, jitter: 0, minConnectTimeout: 5_000 });
    expect(backoff.nextAttempt(0)).toEqual({ retryAt: 100, connectDeadline: 5_000 });
    expect(backoff.nextAttempt(100)).toEqual({ retryAt: 1_100, connectDeadline: 5_100 });
    expect(backoff.nextAttempt(1_100)).toEqual({ retryAt: 11_100, connectDeadline: 11_100 });
    expect(backoff.nextAttempt(11_100)).toEqual({ retryAt: 61_100, connectDeadline: 61_100 }); // capped at 50 s
  });

  test("reset() after a success starts the schedule over", () => {
    const backoff = new ConnectionBackoff({ jitter: 0 });
    for (let i = 0; i < 5; i++) backoff.nextAttempt(0);
    expect(backoff.nextAttempt(0).retryAt).toBeCloseTo(1000 * 1.6 ** 5);
    backoff.reset();
    expect(backoff.nextAttempt(0).retryAt).toBe(1000);
    expect(backoff.nextAttempt(0).retryAt).toBe(1600);
  });

  test.each([
    [{ initialBackoff: 0 }, "initialBackoff must be a positive number of ms, got 0"],
    [{ maxBackoff: Number.NaN }, "maxBackoff must be a positive number of ms, got NaN"],
    [{ initialBackoff: 10, maxBackoff: 5 }, "maxBackoff (5) is below initialBackoff (10)"],
    [{ multiplier: 0.5 }, "backoff multiplier must be at least 1, got 0.5"],
    [{ jitter: 1 }, "backoff jitter must be in [0, 1), got 1"],
    [{ minConnectTimeout: -1 }, "minConnectTimeout must be a positive number of ms, got -1"],
  ])("%p is a RangeError", (options, message) => {
    expect(() => new ConnectionBackoff(options)).toThrow(new RangeError(message));
  });
});

/** A port nothing listens on (we just closed it). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One real TCP connection attempt, abandoned at the deadline (on the real clock: virtual deadlines are far off). */
function tcpConnect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.setTimeout(5_000, () => socket.destroy(new Error("connect timeout")));
    socket.once("connect", () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

describe("connectWithBackoff", () => {
  test("attempts against a closed port follow the schedule, and succeed once it listens", async () => {
    const port = await closedPort();
    const clock = autoAdvancingClock();
    const options = { initialBackoff: 1000, multiplier: 1.6, jitter: 0.2, maxBackoff: 10_000, minConnectTimeout: 20_000 };
    const backoff = new ConnectionBackoff(options);
    const attempts: Array<{ at: number; deadline: number }> = [];
    const failures: string[] = [];
    let server: net.Server | undefined;
    const socket = await connectWithBackoff(
      async (deadline) => {
        attempts.push({ at: clock.now(), deadline });
        if (attempts.length === 9) {
          // The backend comes up before the ninth attempt.
          server = net.createServer((s) => s.destroy());
          await new Promise<void>((resolve, reject) => server!.once("error", reject).listen(port, "127.0.0.1", resolve));
        }
        return tcpConnect(port);
      },
      { backoff, clock, onFailure: (error) => failures.push((error as NodeJS.ErrnoException).code ?? String(error)) },
    );
    socket.destroy();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    expect(failures).toEqual(Array(8).fill("ECONNREFUSED"));
    expect(attempts).toHaveLength(9);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    expectWithinJitter(gaps, { initial: 1000, multiplier: 1.6, max: 10_000, jitter: 0.2 });
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(10_000 * 0.8); // reached the cap
    for (const a of attempts) expect(a.deadline).toBe(a.at + 20_000);
    // The loop slept exactly until each retry time.
    expect(clock.timers).toEqual(gaps);
    // Success reset the schedule.
    expect(backoff.nextAttempt(0).retryAt).toBe(1000);
  });

  test("on the real clock, with small values, attempts keep their spacing", async () => {
    const port = await closedPort();
    const options = { initialBackoff: 20, multiplier: 1.6, jitter: 0.2, maxBackoff: 60, minConnectTimeout: 1000 };
    const planned: Array<{ now: number; retryAt: number; connectDeadline: number }> = [];
    class RecordingBackoff extends ConnectionBackoff {
      override nextAttempt(now: number): ConnectAttempt {
        const attempt = super.nextAttempt(now);
        planned.push({ now, ...attempt });
        return attempt;
      }
    }
    const failures: string[] = [];
    const stop = new AbortController();
    const loop = connectWithBackoff(
      () => {
        if (planned.length === 7) stop.abort(new Error("enough"));
        return tcpConnect(port);
      },
      { backoff: new RecordingBackoff(options), signal: stop.signal, onFailure: (e) => failures.push((e as NodeJS.ErrnoException).code ?? "") },
    );
    await expect(loop).rejects.toThrow("enough");
    expect(planned).toHaveLength(7);
    expect(failures).toEqual(Array(6).fill("ECONNREFUSED"));
    const delays = planned.slice(0, -1).map((p) => p.retryAt - p.now);
    expectWithinJitter(delays, { initial: 20, multiplier: 1.6, max: 60, jitter: 0.2 });
    planned.forEach((p) => expect(p.connectDeadline).toBe(p.now + 1000)); // minConnectTimeout
    planned.slice(1).forEach((next, i) => {
      // Each attempt starts at its predecessor's retry time. Timers run on a
      // monotonic clock in whole ms and may fire up to 1 ms early by Date.now(),
      // whose retry times are fractional; they run late under load.
      expect(next.now).toBeGreaterThanOrEqual(Math.floor(planned[i]!.retryAt) - 2);
      expect(next.now).toBeLessThan(planned[i]!.retryAt + 250);
    });
  });

  test("an abort while sleeping ends the loop at once with the signal's reason", async () => {
    const stop = new AbortController();
    const loop = connectWithBackoff(
      () => {
        setImmediate(() => stop.abort(new Error("closed")));
        return Promise.reject(new Error("refused"));
      },
      { backoff: new ConnectionBackoff({ initialBackoff: 60_000, maxBackoff: 60_000 }), signal: stop.signal },
    );
    await expect(loop).rejects.toThrow("closed");
  });
});
