import { type ConnectAttempt, ConnectionBackoff, DEFAULT_BACKOFF } from "./backoff.js";

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
