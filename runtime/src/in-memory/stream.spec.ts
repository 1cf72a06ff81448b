// The lanes of an in-memory stream: ordered, deferred delivery and flow control.
import { asReceived, Lane, MAX_IN_FLIGHT } from "./stream.js";

describe("Lane", () => {
  test("delivers in order, after the sender's call returns; events sent while delivering follow", async () => {
    const lane = new Lane();
    const seen: string[] = [];
    lane.send(() => {
      seen.push("a");
      lane.send(() => seen.push("c"));
    });
    lane.send(() => seen.push("b"));
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual(["a", "b", "c"]);
  });

  test("is not writable with MAX_IN_FLIGHT events undelivered; ready() resolves once they are", async () => {
    const lane = new Lane();
    for (let i = 0; i < MAX_IN_FLIGHT - 1; i++) lane.send(() => {});
    expect(lane.writable).toBe(true);
    lane.send(() => {});
    expect(lane.writable).toBe(false);
    await lane.ready();
    expect(lane.writable).toBe(true);
  });

  test("a paused receiver holds the sender until it resumes", async () => {
    const lane = new Lane();
    lane.pause();
    expect(lane.writable).toBe(false);
    let ready = false;
    const waiting = lane.ready().then(() => (ready = true));
    await Promise.resolve();
    expect(ready).toBe(false);
    lane.resume();
    await waiting;
    expect(ready).toBe(true);
  });

  test("release() ends a wait and every later one", async () => {
    const lane = new Lane();
    lane.pause();
    const waiting = lane.ready();
    lane.release();
    await waiting;
    expect(lane.writable).toBe(true);
    await lane.ready();
  });
});

test("asReceived: strings, repeated fields joined as node:http2 joins them, __proto__ kept as a key", () => {
  const received = asReceived({ "x-a": "1", "x-list": ["a", "b"], "x-n": 5, "x-gone": undefined, ["__proto__"]: "p" });
  expect(Object.getPrototypeOf(received)).toBe(null);
  expect({ ...received }).toEqual({ "x-a": "1", "x-list": "a, b", "x-n": "5", ["__proto__"]: "p" });
});
