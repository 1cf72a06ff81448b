import type * as http2 from "node:http2";
import { type KeepaliveOptions, KeepalivePinger } from "./keepalive.js";

/** A session whose PINGs the test answers by hand. */
class FakeSession {
  readonly pending: ((error: Error | null) => void)[] = [];
  pings = 0;
  ping(callback: (error: Error | null) => void): boolean {
    this.pings++;
    this.pending.push(callback);
    return true;
  }
  ack(): void {
    this.pending.shift()!(null);
  }
}

function pinger(options: Partial<KeepaliveOptions> & { calls?: () => boolean } = {}) {
  const session = new FakeSession();
  let timeouts = 0;
  const p = new KeepalivePinger(
    session as unknown as http2.ClientHttp2Session,
    { time: 1_000, timeout: 200, permitWithoutCalls: false, ...options },
    options.calls ?? (() => true),
    () => timeouts++,
  );
  return { p, session, timeouts: () => timeouts };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test("pings every keepaliveTime while answered", () => {
  const { p, session, timeouts } = pinger();
  p.start();
  jest.advanceTimersByTime(999);
  expect(session.pings).toBe(0);
  jest.advanceTimersByTime(1);
  expect(session.pings).toBe(1);
  session.ack();
  jest.advanceTimersByTime(1_000);
  expect(session.pings).toBe(2);
  session.ack();
  expect(timeouts()).toBe(0);
  p.stop();
  jest.advanceTimersByTime(10_000);
  expect(session.pings).toBe(2);
});

test("a PING unanswered for keepaliveTimeout times out once, then the pinger is stopped", () => {
  const { p, session, timeouts } = pinger();
  p.start();
  jest.advanceTimersByTime(1_000);
  expect(session.pings).toBe(1);
  jest.advanceTimersByTime(199);
  expect(timeouts()).toBe(0);
  jest.advanceTimersByTime(1);
  expect(timeouts()).toBe(1);
  session.ack(); // too late: ignored
  jest.advanceTimersByTime(10_000);
  expect(session.pings).toBe(1);
  expect(timeouts()).toBe(1);
});

test("without calls it stays quiet unless permitted, and resumes when a call starts", () => {
  let calls = false;
  const quiet = pinger({ calls: () => calls });
  quiet.p.start();
  jest.advanceTimersByTime(5_000);
  expect(quiet.session.pings).toBe(0);
  calls = true;
  quiet.p.callsResumed();
  jest.advanceTimersByTime(1_000);
  expect(quiet.session.pings).toBe(1);
  quiet.session.ack();
  calls = false;
  jest.advanceTimersByTime(5_000);
  expect(quiet.session.pings).toBe(1);
  quiet.p.stop();

  const permitted = pinger({ calls: () => false, permitWithoutCalls: true });
  permitted.p.start();
  jest.advanceTimersByTime(1_000);
  permitted.session.ack();
  jest.advanceTimersByTime(1_000);
  expect(permitted.session.pings).toBe(2);
  permitted.p.stop();
});

test("callsResumed does not reset a running interval or a PING in flight", () => {
  const { p, session, timeouts } = pinger();
  p.start();
  jest.advanceTimersByTime(600);
  p.callsResumed();
  jest.advanceTimersByTime(400);
  expect(session.pings).toBe(1);
  p.callsResumed();
  jest.advanceTimersByTime(200);
  expect(timeouts()).toBe(1);
});
