import { DeadlineTimer } from "./deadline-timer.js";

describe("DeadlineTimer", () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  test("fires at the deadline", () => {
    const fired = jest.fn();
    new DeadlineTimer(Date.now() + 500, fired);
    jest.advanceTimersByTime(499);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  test("a past deadline fires on the next turn", () => {
    const fired = jest.fn();
    new DeadlineTimer(Date.now() - 10, fired);
    jest.advanceTimersByTime(0);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  test("deadlines beyond 2^31-1 ms are chained, not fired early", () => {
    const fired = jest.fn();
    const days40 = 40 * 24 * 3600 * 1000;
    new DeadlineTimer(Date.now() + days40, fired);
    jest.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(days40 - (2 ** 31 - 1) - 1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  test("clear() stops it, also between chained steps", () => {
    const fired = jest.fn();
    const timer = new DeadlineTimer(Date.now() + 2 ** 32, fired);
    jest.advanceTimersByTime(2 ** 31);
    timer.clear();
    jest.advanceTimersByTime(2 ** 33);
    expect(fired).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });
});
