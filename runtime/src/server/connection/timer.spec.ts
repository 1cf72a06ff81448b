import { LongTimer } from "./timer.js";

describe("LongTimer", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test("a delay past setTimeout's 2^31-1 ms cap fires when due, not after 1 ms", () => {
    const fired = jest.fn();
    new LongTimer(2 ** 31 + 5_000, fired);
    jest.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(5_000);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  test("clear() stops it; Infinity never fires", () => {
    const fired = jest.fn();
    new LongTimer(100, fired).clear();
    new LongTimer(Infinity, fired);
    jest.advanceTimersByTime(2 ** 32);
    expect(fired).not.toHaveBeenCalled();
  });
});
