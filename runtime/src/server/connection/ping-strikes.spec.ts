import { PingStrikes } from "./ping-strikes.js";
import { NO_CALLS_MIN_PING_INTERVAL } from "./policy.js";

interface Ping {
  at: number;
  calls: number;
  sent?: boolean;
}

const MIN = 1_000;

// Each row: the policy, the PINGs in order, and the index of the PING that must
// trigger GOAWAY (or -1 for none).
const cases: { name: string; permit: boolean; pings: Ping[]; goawayAt: number }[] = [
  {
    name: "pings with calls at minTime are fine",
    permit: false,
    pings: [0, 1000, 2000, 3000, 4000].map((at) => ({ at, calls: 1 })),
    goawayAt: -1,
  },
  {
    name: "the first ping is never a strike",
    permit: false,
    pings: [{ at: 5, calls: 0 }],
    goawayAt: -1,
  },
  {
    name: "with calls, the third ping sooner than minTime is the third strike and exceeds two",
    permit: false,
    pings: [0, 10, 20, 30, 40].map((at) => ({ at, calls: 1 })),
    goawayAt: 3,
  },
  {
    name: "without calls and not permitted, pings closer than 2 h are strikes even when minTime apart",
    permit: false,
    pings: [0, 1000, 2000, 3000].map((at) => ({ at, calls: 0 })),
    goawayAt: 3,
  },
  {
    name: "without calls, 2 h apart is fine",
    permit: false,
    pings: [0, 1, 2, 3].map((i) => ({ at: i * NO_CALLS_MIN_PING_INTERVAL, calls: 0 })),
    goawayAt: -1,
  },
  {
    name: "without calls but permitted, minTime applies",
    permit: true,
    pings: [0, 1000, 2000, 3000].map((at) => ({ at, calls: 0 })),
    goawayAt: -1,
  },
  {
    name: "permitted without calls still strikes fast pings",
    permit: true,
    pings: [0, 10, 20, 30].map((at) => ({ at, calls: 0 })),
    goawayAt: 3,
  },
  {
    name: "headers or data sent before a ping clear the strikes",
    permit: false,
    pings: [
      { at: 0, calls: 1 },
      { at: 10, calls: 1 },
      { at: 20, calls: 1 },
      { at: 30, calls: 1, sent: true },
      { at: 40, calls: 1 },
      { at: 50, calls: 1 },
      { at: 60, calls: 1 },
    ],
    goawayAt: 6,
  },
  {
    name: "a well-spaced ping does not clear the strikes (only sending does)",
    permit: false,
    pings: [
      { at: 0, calls: 1 },
      { at: 10, calls: 1 },
      { at: 20, calls: 1 },
      { at: 20 + MIN, calls: 1 },
      { at: 30 + MIN, calls: 1 },
    ],
    goawayAt: 4,
  },
];

describe("PingStrikes", () => {
  it.each(cases)("$name", ({ permit, pings, goawayAt }) => {
    const strikes = new PingStrikes(MIN, permit);
    const verdicts = pings.map((p) => strikes.onPing(p.at, p.calls, p.sent ?? false));
    expect(verdicts.indexOf(true)).toBe(goawayAt);
  });
});
