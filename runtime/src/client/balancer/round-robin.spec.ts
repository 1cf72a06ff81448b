import { FakeHelper, pickedName, tcp } from "../../../test/balancer-fakes.js";
import { GrpcError } from "../../grpc/grpc-error.js";
import { Status } from "../../grpc/status.js";
import { ConnectivityState } from "../connectivity.js";
import type { Balancer, PickResult } from "./balancer.js";
import { createRoundRobin } from "./round-robin.js";

const { IDLE, CONNECTING, READY, TRANSIENT_FAILURE } = ConnectivityState;
const A = tcp(2001);
const B = tcp(2002);
const C = tcp(2003);
const D = tcp(2004);

function setup(): { helper: FakeHelper; balancer: Balancer } {
  const helper = new FakeHelper();
  return { helper, balancer: createRoundRobin(helper) };
}

/** How many of `n` picks went where. */
function spread(helper: FakeHelper, n: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const where = pickedName(helper.pick());
    counts[where] = (counts[where] ?? 0) + 1;
  }
  return counts;
}

describe("round_robin", () => {
  test("connects to every address at once and is CONNECTING until one is READY", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B, C], config: {} });
    expect(helper.created.map((s) => s.state)).toEqual([CONNECTING, CONNECTING, CONNECTING]);
    expect(helper.state).toBe(CONNECTING);
    expect(helper.pick().kind).toBe("queue");
    helper.live(B).set(READY);
    expect(helper.state).toBe(READY);
    expect(spread(helper, 10)).toEqual({ "127.0.0.1:2002": 10 });
  });

  test("picks rotate evenly over the READY subchannels only", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B, C, D], config: {} });
    helper.live(A).set(READY);
    helper.live(B).set(READY);
    helper.live(C).set(READY);
    helper.live(D).fail();
    expect(spread(helper, 300)).toEqual({ "127.0.0.1:2001": 100, "127.0.0.1:2002": 100, "127.0.0.1:2003": 100 });
    // Strict rotation: any three consecutive picks hit three different backends.
    const names = Array.from({ length: 9 }, () => pickedName(helper.pick()));
    for (let i = 0; i + 3 <= names.length; i++) expect(new Set(names.slice(i, i + 3)).size).toBe(3);
  });

  test("picks allocate nothing: each subchannel has one result object", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B, C], config: {} });
    for (const s of helper.created) s.set(READY);
    const picks: PickResult[] = Array.from({ length: 9 }, () => helper.pick());
    for (let i = 0; i + 3 < picks.length; i++) expect(picks[i + 3]).toBe(picks[i]);
    expect(new Set(picks).size).toBe(3);
  });

  test("a subchannel that leaves READY leaves the rotation at once", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).set(READY);
    helper.live(B).set(READY);
    helper.live(A).set(IDLE);
    expect(helper.state).toBe(READY);
    expect(spread(helper, 6)).toEqual({ "127.0.0.1:2002": 6 });
  });

  test("a lost READY connection is reconnected and asks for re-resolution", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).set(READY);
    helper.live(A).set(IDLE);
    expect(helper.reresolutions).toBe(1);
    expect(helper.live(A).state).toBe(CONNECTING);
    expect(helper.live(A).connects).toBe(2);
  });

  test("a failed connection asks for re-resolution (the backend may have moved); the end of its backoff reconnects without asking again", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(B).set(READY);
    helper.live(A).fail();
    expect(helper.reresolutions).toBe(1);
    helper.live(A).set(IDLE); // backoff over
    expect(helper.live(A).state).toBe(CONNECTING);
    expect(helper.live(A).connects).toBe(2);
    expect(helper.reresolutions).toBe(1);
  });

  test("a resolver that answers re-resolution synchronously does not loop", () => {
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
    expect(helper.reresolutions).toBe(2);
  });

  test("aggregate state: READY if any is READY, else CONNECTING while any has not failed, else TRANSIENT_FAILURE", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    expect(helper.state).toBe(CONNECTING);
    helper.live(A).fail("refused A");
    expect(helper.state).toBe(CONNECTING); // B is still trying
    helper.live(B).fail("refused B");
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    const failed = helper.pick();
    expect(failed.kind).toBe("fail");
    expect(failed.kind === "fail" && failed.error.code).toBe(Status.UNAVAILABLE);
    expect(failed.kind === "fail" && failed.error.message).toMatch(/failed to connect to 127\.0\.0\.1:200[12]: refused/);
    helper.live(B).set(IDLE);
    helper.live(B).set(READY);
    expect(helper.state).toBe(READY);
  });

  test("TRANSIENT_FAILURE is sticky: reconnecting after backoff does not report CONNECTING", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).fail();
    helper.live(B).fail();
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    helper.live(A).set(IDLE); // reconnected at once
    helper.live(B).set(IDLE);
    expect(helper.live(A).state).toBe(CONNECTING);
    expect(helper.live(B).state).toBe(CONNECTING);
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    expect(helper.published.slice(helper.published.findIndex((p) => p.state === TRANSIENT_FAILURE)).map((p) => p.state)).not.toContain(CONNECTING);
    helper.live(A).set(READY);
    expect(helper.state).toBe(READY);
    // A READY that is lost again counts as connecting, not failing, until it fails.
    helper.live(A).set(IDLE);
    expect(helper.state).toBe(CONNECTING);
  });

  test("an update keeps the subchannels of addresses still listed and releases the others after publishing a picker without them", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B, C], config: {} });
    for (const s of helper.created) s.set(READY);
    const a = helper.live(A);
    const b = helper.live(B);
    const logStart = helper.log.length;
    balancer.update({ addresses: [B, D, A], config: {} });
    expect(helper.live(A)).toBe(a);
    expect(helper.live(B)).toBe(b);
    expect(a.connects + b.connects).toBe(2); // not reconnected
    expect(helper.liveNames().sort()).toEqual(["127.0.0.1:2001", "127.0.0.1:2002", "127.0.0.1:2004"]);
    // The picker without C came first, then C was released (its calls drain).
    expect(helper.log.slice(logStart)).toEqual([`publish ${READY}`, "release 127.0.0.1:2003"]);
    expect(spread(helper, 10)).toEqual({ "127.0.0.1:2001": 5, "127.0.0.1:2002": 5 });
    helper.live(D).set(READY);
    expect(Object.keys(spread(helper, 9)).sort()).toEqual(["127.0.0.1:2001", "127.0.0.1:2002", "127.0.0.1:2004"]);
  });

  test("an update that removes only unused addresses does not republish the same rotation", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).set(READY);
    const count = helper.published.length;
    balancer.update({ addresses: [A], config: {} });
    expect(helper.published.length).toBe(count);
    expect(helper.created[1]!.released).toBe(true);
  });

  test("removes duplicate addresses", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B, tcp(2001), B], config: {} });
    expect(helper.created.map((s) => s.address.kind === "tcp" && s.address.port)).toEqual([2001, 2002]);
    for (const s of helper.created) s.set(READY);
    expect(spread(helper, 4)).toEqual({ "127.0.0.1:2001": 2, "127.0.0.1:2002": 2 });
  });

  test("a resolver error fails calls only when there are no addresses", () => {
    const { helper, balancer } = setup();
    const error = new GrpcError(Status.UNAVAILABLE, "name not found");
    balancer.resolverError(error);
    expect(helper.state).toBe(TRANSIENT_FAILURE);
    const result = helper.pick();
    expect(result.kind === "fail" && result.error).toBe(error);

    balancer.update({ addresses: [A], config: {} });
    helper.live(A).set(READY);
    balancer.resolverError(new GrpcError(Status.UNAVAILABLE, "dns down"));
    expect(helper.state).toBe(READY);
  });

  test("exitIdle connects IDLE subchannels; close() releases all and ignores later events", () => {
    const { helper, balancer } = setup();
    balancer.update({ addresses: [A, B], config: {} });
    helper.live(A).fail();
    balancer.exitIdle(); // in backoff: nothing
    expect(helper.live(A).connects).toBe(1);
    balancer.close();
    expect(helper.created.every((s) => s.released)).toBe(true);
    const count = helper.published.length;
    balancer.update({ addresses: [C], config: {} });
    expect(helper.created.length).toBe(2);
    expect(helper.published.length).toBe(count);
  });
});
