// The connection's timers with a stand-in session and fake timers: what fires
// when, and that nothing fires once the session has closed.
import { EventEmitter } from "node:events";
import type * as http2 from "node:http2";
import { resolveConnectionPolicy, type ConnectionOptions } from "./policy.js";
import { ServerConnection } from "./server-connection.js";

class FakeSession extends EventEmitter {
  closed = false;
  destroyed = false;
  readonly goaways: [number, string][] = [];
  readonly lastStreamIds: number[] = [];
  readonly pings: ((error: Error | null) => void)[] = [];
  goaway(code: number, last: number, data: Buffer): void {
    this.goaways.push([code, data.toString()]);
    this.lastStreamIds.push(last);
  }
  close(): void {
    this.closed = true;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit("close");
  }
  ping(callback: (error: Error | null) => void): boolean {
    this.pings.push(callback);
    return true;
  }
}

function open(options: ConnectionOptions): { session: FakeSession; connection: ServerConnection } {
  const session = new FakeSession();
  const connection = new ServerConnection(session as unknown as http2.ServerHttp2Session, resolveConnectionPolicy(options));
  return { session, connection };
}

describe("ServerConnection timers", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test("keepalive: a PING every keepaliveTime while ACKed; none ACKed within keepaliveTimeout destroys", () => {
    const { session } = open({ keepaliveTime: 1_000, keepaliveTimeout: 100 });
    jest.advanceTimersByTime(999);
    expect(session.pings).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(session.pings).toHaveLength(1);
    jest.advanceTimersByTime(50);
    session.pings[0]!(null);
    jest.advanceTimersByTime(1_000);
    expect(session.destroyed).toBe(false);
    expect(session.pings).toHaveLength(2);
    jest.advanceTimersByTime(99);
    expect(session.destroyed).toBe(false);
    jest.advanceTimersByTime(1);
    expect(session.destroyed).toBe(true);
  });

  test("idle: measured from the end of the last call", () => {
    const { session, connection } = open({ maxConnectionIdle: 100, keepaliveTime: Infinity });
    connection.callStarted();
    jest.advanceTimersByTime(250);
    connection.callEnded();
    jest.advanceTimersByTime(99);
    expect(session.goaways).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(session.goaways).toEqual([[0, "max_idle"]]);
    // Two-step GOAWAY: the first refuses nothing (largest stream id) and comes with a PING; close() after its ACK.
    expect(session.lastStreamIds).toEqual([2 ** 31 - 1]);
    expect(session.closed).toBe(false);
    expect(session.pings).toHaveLength(1);
    session.pings[0]!(null);
    expect(session.closed).toBe(true);
  });

  test("a graceful GOAWAY whose PING is never answered closes after 2 s anyway", () => {
    const { session } = open({ maxConnectionIdle: 100, keepaliveTime: Infinity });
    jest.advanceTimersByTime(100);
    expect(session.goaways).toEqual([[0, "max_idle"]]);
    jest.advanceTimersByTime(1_999);
    expect(session.closed).toBe(false);
    jest.advanceTimersByTime(1);
    expect(session.closed).toBe(true);
  });

  test("age: GOAWAY within ±10% of maxConnectionAge, destroy after the grace", () => {
    const { session } = open({ maxConnectionAge: 1_000, maxConnectionAgeGrace: 500, keepaliveTime: Infinity });
    jest.advanceTimersByTime(899);
    expect(session.goaways).toEqual([]);
    jest.advanceTimersByTime(201);
    expect(session.goaways).toEqual([[0, "max_age"]]);
    expect(session.destroyed).toBe(false);
    jest.advanceTimersByTime(500);
    expect(session.destroyed).toBe(true);
  });

  test.each([0, 1_000])("every timer is cleared when the session closes (after %p ms)", (after) => {
    const { session } = open({
      keepaliveTime: 1_000,
      keepaliveTimeout: 100,
      maxConnectionIdle: 100,
      maxConnectionAge: 100,
      maxConnectionAgeGrace: 5_000,
    });
    jest.advanceTimersByTime(after); // at 1000: a PING awaits its ACK, the age grace is running
    expect(jest.getTimerCount()).toBeGreaterThan(0);
    session.pings.length = 0;
    session.goaways.length = 0;
    session.emit("close");
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(10_000);
    expect(session.pings).toEqual([]);
    expect(session.goaways).toEqual([]);
    expect(session.destroyed).toBe(false);
  });
});
