import { FakeHelper, pickedName, tcp } from "../../../test/balancer-fakes.js";
import { GrpcError } from "../../grpc/grpc-error.js";
import { Status } from "../../grpc/status.js";
import { ConnectivityState } from "../connectivity.js";
import type { Balancer } from "./balancer.js";
import { createPickFirst } from "./pick-first.js";

const { IDLE, CONNECTING, READY, TRANSIENT_FAILURE } = ConnectivityState;
const A = tcp(1001);
const B = tcp(1002);
const C = tcp(1003);

function setup(): { helper: FakeHelper; balancer: Balancer } {
  const helper = new FakeHelper();
  return { helper, balancer: createPickFirst(helper) };
}

function connecting(helper: FakeHelper): string[] {
  return helper.created.filter((s) => !s.released && s.state === CONNECTING).map((s) => `${s.address.kind === "tcp" ? s.address.port : ""}`);
}

describe("pick_first", () => {
  test("tries the addresses in order, one at a time, and selects the first that is READY", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B, C], config: {} });
    expect(helper.state).toBe(CONNECTING);
    expect(helper.pick().kind).toBe("queue");
    expect(connecting(helper)).toEqual(["1001"]);

    helper.live(A).fail();
    expect(connecting(helper)).toEqual(["1002"]);
    expect(helper.state).toBe(CONNECTING); // a failed address within the pass is not a channel failure

    helper.live(B).set(READY);
    expect(helper.state).toBe(READY);
    expect(pickedName(helper.pick())).toBe("127.0.0.1:1002");
    // Every call goes to the one connection, with the same preallocated result.
    expect(helper.pick()).toBe(helper.pick());
  });

  test("releases the other subchannels once one is READY; their addresses stay, unconnected", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B, C], config: {} });
    const first = helper.live(A);
    first.fail();
    const second = helper.live(B);
    const third = helper.live(C);
    second.set(READY);
    expect(first.released).toBe(true);
    expect(third.released).toBe(true);
    expect(second.released).toBe(false);
    for (const s of helper.created.filter((s) => !s.released && s !== second)) expect(s.connects).toBe(0);
  });

  test("skips an address whose connect fails at once", () => {
    const { helper, balancer } = setup();
    helper.onCreate = (s) => {
      if (s.address === A) s.failNextConnect = true;
    };
    balancer.update({ addresses: [A, B], config: {} });
    expect(helper.live(A).state).toBe(TRANSIENT_FAILURE);
    expect(connecting(helper)).toEqual(["1002"]);
    expect(helper.state).toBe(CONNECTING);
  });

  test("a READY subchannel later in the list is taken even while an earlier one is connecting", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    // B's subchannel exists but was never asked to connect; a READY report still selects it.
    helper.live(B).set(READY);
    expect(helper.state).toBe(READY);
    expect(pickedName(helper.pick())).toBe("127.0.0.1:1002");
  });

  test("stays on the selected address across an update that still lists it", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).fail();
    const selected = helper.live(B);
    selected.set(READY);
    const publishedBefore = helper.published.length;
    balancer.update({ addresses: [C, B], config: {} });
    expect(helper.published.length).toBe(publishedBefore); // nothing changes for calls
    expect(helper.live(B)).toBe(selected);
    expect(selected.released).toBe(false);
    expect(connecting(helper)).toEqual([]);
    expect(helper.liveNames().sort()).toEqual(["127.0.0.1:1002", "127.0.0.1:1003"]);
    expect(pickedName(helper.pick())).toBe("127.0.0.1:1002");
  });

  test("an update without the selected address releases it and starts over from the first address", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A], config: {} });
    const old = helper.live(A);
    old.set(READY);
    balancer.update({ addresses: [B, C], config: {} });
    expect(old.released).toBe(true);
    expect(helper.state).toBe(CONNECTING);
    expect(connecting(helper)).toEqual(["1002"]);
  });

  test("losing the selected connection: IDLE, re-resolution, and the next pick starts again from the first address", async () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).fail();
    helper.live(B).set(READY);
    expect(helper.reresolutions).toBe(0);

    helper.live(B).set(IDLE);
    expect(helper.state).toBe(IDLE);
    expect(helper.reresolutions).toBe(1);
    expect(connecting(helper)).toEqual([]); // nothing reconnects by itself

    // A call arrives: the idle picker queues it and asks the policy to leave IDLE (after the pick).
    expect(helper.pick().kind).toBe("queue");
    expect(helper.pick().kind).toBe("queue");
    expect(connecting(helper)).toEqual([]);
    await Promise.resolve();
    expect(helper.state).toBe(CONNECTING);
    expect(connecting(helper)).toEqual(["1001"]); // from the first address, not the last one used
    expect(helper.live(A).connects).toBe(1);
  });

  test("IDLE after a lost connection stays IDLE across the re-resolution's update; the next pick connects to the new list", async () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).set(READY);
    helper.live(A).set(IDLE);
    expect(helper.state).toBe(IDLE);
    const published = helper.published.length;
    balancer.update({ addresses: [C, A], config: {} }); // what the resolver answers
    expect(helper.state).toBe(IDLE);
    expect(helper.published.length).toBe(published);
    expect(connecting(helper)).toEqual([]); // no connection without a call
    expect(helper.liveNames().sort()).toEqual(["127.0.0.1:1001", "127.0.0.1:1003"]);
    expect(helper.pick().kind).toBe("queue");
    await Promise.resolve();
    expect(connecting(helper)).toEqual(["1003"]);
  });

  test("exitIdle restarts from the first address; it does nothing unless IDLE", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    balancer.exitIdle(); // CONNECTING: no second attempt
    expect(helper.live(A).connects).toBe(1);
    helper.live(A).set(READY);
    helper.live(A).set(IDLE);
    expect(helper.state).toBe(IDLE);
    balancer.exitIdle();
    expect(helper.state).toBe(CONNECTING);
    expect(connecting(helper)).toEqual(["1001"]);
  });

  test("after a full pass fails: TRANSIENT_FAILURE with the last error, re-resolution, and it stays there until READY", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).fail("refused A");
    helper.live(B).fail("refused B");
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    expect(helper.reresolutions).toBe(1);
    const failed = helper.pick();
    expect(failed.kind).toBe("fail");
    expect(failed.kind === "fail" && failed.error.code).toBe(Status.UNAVAILABLE);
    expect(failed.kind === "fail" && failed.error.message).toContain("127.0.0.1:1002: refused B");

    // A's backoff ends: it goes IDLE and is reconnected at once; the channel stays TRANSIENT_FAILURE (sticky).
    helper.live(A).set(IDLE);
    expect(helper.live(A).state).toBe(CONNECTING);
    expect(helper.live(A).connects).toBe(2);
    expect(helper.state).toBe(TRANSIENT_FAILURE);

    // Its next failure is the error calls see now.
    helper.live(A).fail("refused A again");
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    const again = helper.pick();
    expect(again.kind === "fail" && again.error.message).toContain("refused A again");

    helper.live(B).set(IDLE);
    expect(helper.live(B).connects).toBe(2);
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    helper.live(B).set(READY);
    expect(helper.state).toBe(READY);
    expect(pickedName(helper.pick())).toBe("127.0.0.1:1002");
    expect(helper.live(A).state).toBe(IDLE); // the other address was let go
    expect(helper.published.map((p) => p.state).filter((s) => s === CONNECTING)).toEqual([CONNECTING]); // never back to CONNECTING
  });

  test("a subchannel already out of backoff when the pass fails is reconnected at once", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).fail();
    helper.live(A).set(IDLE); // A's backoff was short: it is IDLE again before B fails
    helper.live(B).fail();
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    expect(helper.live(A).state).toBe(CONNECTING);
    expect(helper.live(A).connects).toBe(2);
  });

  test("removes duplicate addresses", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, tcp(1001), B, A], config: {} });
    expect(helper.created.map((s) => s.address.kind === "tcp" && s.address.port)).toEqual([1001, 1002]);
    helper.live(A).fail();
    helper.live(B).fail();
    expect(helper.state).toBe(TRANSIENT_FAILURE); // one pass over two addresses, not four
  });

  test("keeps the subchannels of addresses still listed and releases the others", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    const a = helper.live(A);
    const b = helper.live(B);
    balancer.update({ addresses: [B, C], config: {} });
    expect(a.released).toBe(true);
    expect(helper.live(B)).toBe(b);
    expect(helper.liveNames()).toEqual(["127.0.0.1:1002", "127.0.0.1:1003"]);
  });

  test("a resolver error with no addresses yet is TRANSIENT_FAILURE with that error", () => {
    const { helper, balancer } = setup();
    const error = new GrpcError(Status.UNAVAILABLE, "name not found");
    balancer.resolverError(error);
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    const result = helper.pick();
    expect(result.kind === "fail" && result.error).toBe(error);
  });

  test("a resolver error leaves a READY or connecting policy alone", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A], config: {} });
    balancer.resolverError(new GrpcError(Status.UNAVAILABLE, "dns down"));
    expect(helper.state).toBe(CONNECTING);
    helper.live(A).set(READY);
    balancer.resolverError(new GrpcError(Status.UNAVAILABLE, "dns down"));
    expect(helper.state).toBe(READY);
  });

  test("close() releases every subchannel and ignores what comes after", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    const count = helper.published.length;
    balancer.close();
    expect(helper.created.every((s) => s.released)).toBe(true);
    balancer.update({ addresses: [C], config: {} });
    balancer.exitIdle();
    balancer.resolverError(new GrpcError(Status.UNAVAILABLE, "late"));
    expect(helper.created.length).toBe(2);
    expect(helper.published.length).toBe(count);
  });
});

describe("pick_first in sticky TRANSIENT_FAILURE (gRFC A62)", () => {
  function failEverything(): { helper: FakeHelper; balancer: Balancer } {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).fail();
    helper.live(B).fail();
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    return { helper, balancer };
  }

  test("an address update (e.g. the re-resolution it asked for) starts a new pass but does not report CONNECTING", () => {
    const { helper, balancer } = failEverything();
    const from = helper.published.length;
    balancer.update({ addresses: [A, B, C], config: {} });
    expect(helper.published.slice(from).map((p) => p.state)).not.toContain(CONNECTING);
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    expect(helper.pick().kind).toBe("fail"); // fail-fast calls keep failing at once
    expect(helper.live(C).state).toBe(CONNECTING); // the new address is tried
    helper.live(C).set(READY);
    expect(helper.state).toBe(READY);
  });

  test("after a resolver error with no addresses, the first update reports CONNECTING", () => {
    const { helper, balancer } = setup();
    balancer.resolverError(new GrpcError(Status.UNAVAILABLE, "no such host"));
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    balancer.update({ addresses: [A], config: {} });
    expect(helper.state).toBe(CONNECTING);
  });

  test("keeps asking for re-resolution while every address keeps failing, once per round of failures", () => {
    const { helper } = failEverything();
    expect(helper.reresolutions).toBe(1);
    for (let round = 2; round <= 4; round++) {
      for (const address of [A, B]) {
        helper.live(address).set(IDLE); // backoff over: reconnected at once
        helper.live(address).fail();
      }
      expect(helper.state).toBe(TRANSIENT_FAILURE);
      expect(helper.reresolutions).toBe(round);
    }
  });

  test("a resolver that answers re-resolution synchronously with the same addresses does not loop", () => {
    const { helper, balancer } = setup();
    let updates = 0;
    helper.requestReresolution = () => {
      helper.reresolutions++;
      if (++updates > 50) throw new Error("re-resolution loop");
      balancer.update({ addresses: [A, B], config: {} });
    };
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).fail();
    helper.live(B).fail();
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    expect(helper.reresolutions).toBe(1);
    helper.live(A).set(IDLE);
    helper.live(A).fail();
    helper.live(B).set(IDLE);
    helper.live(B).fail();
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    expect(helper.reresolutions).toBe(2);
  });

  test("shuffleAddressList (gRFC A62) tries the addresses in a random order; without it, in the given order", () => {
    const random = jest.spyOn(Math, "random");
    try {
      // Fisher–Yates with every j = 0: [A, B, C] → swap(2, 0) → [C, B, A] → swap(1, 0) → [B, C, A].
      random.mockReturnValue(0);
      const shuffledRun = setup();
      shuffledRun.balancer.update({ addresses: [A, B, C], config: { shuffleAddressList: true } });
      expect(connecting(shuffledRun.helper)).toEqual(["1002"]);
      shuffledRun.helper.live(B).fail();
      expect(connecting(shuffledRun.helper)).toEqual(["1003"]);
      shuffledRun.helper.live(C).fail();
      expect(connecting(shuffledRun.helper)).toEqual(["1001"]);

      const plain = setup();
      plain.balancer.update({ addresses: [A, B, C], config: { shuffleAddressList: false } });
      expect(connecting(plain.helper)).toEqual(["1001"]);
    } finally {
      random.mockRestore();
    }
  });
});
