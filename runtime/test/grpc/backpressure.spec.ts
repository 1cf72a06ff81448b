// Backpressure end to end: with a fast producer and a slow consumer, the
// number of messages produced but not yet consumed stays bounded by the HTTP/2
// flow-control windows and the small receive queue — it does not grow with the
// stream. Counts, not timings: without backpressure the producer would run
// ahead by the whole stream. Run with node's 64 KiB window and with our 1 MiB
// default.
import { DEFAULT_FLOW_CONTROL_WINDOW } from "../../src/grpc/flow-control.js";
import { type Echo, startHarness as startWith, TestService, type TestHandlers, within } from "./fixtures.js";

const KiB = new Uint8Array(1024).fill(1);

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe.each([
  ["64 KiB", 65_535],
  ["1 MiB", DEFAULT_FLOW_CONTROL_WINDOW],
])("with %s windows", (_, window) => {
  /**
   * A stream window of 1 KiB messages, + 16 KiB writable buffer + 16 KiB
   * readable buffer, plus the 16-message receive queue: 112 messages in flight
   * with 64 KiB windows. The bound leaves room for framing and scheduling; the
   * stream is four times longer.
   */
  const BOUND = Math.ceil(window / 1024) + 150;
  const COUNT = 4 * BOUND;
  const startHarness = (handlers: TestHandlers): ReturnType<typeof startWith> => startWith(handlers, { flowControlWindow: window }, { flowControlWindow: window });

  test("server streaming: a slow client throttles a fast handler", async () => {
    let produced = 0;
    const h = await startHarness({
      async *serverStream(req) {
        for (let i = 0; i < req.count; i++) {
          produced++;
          yield { text: "", data: KiB, count: i };
        }
      },
    });
    try {
      let consumed = 0;
      let maxAhead = 0;
      await within(
        (async () => {
          for await (const m of h.channel.serverStream(TestService.methods.serverStream, { count: COUNT })) {
            expect(m.count).toBe(consumed);
            consumed++;
            maxAhead = Math.max(maxAhead, produced - consumed);
            await nextTurn();
          }
        })(),
        20_000,
        "slow consumption",
      );
      expect(consumed).toBe(COUNT);
      expect(maxAhead).toBeLessThan(BOUND);
      expect(maxAhead).toBeGreaterThan(10); // the producer did run ahead, within the bound
    } finally {
      await h.close();
    }
  });

  test("client streaming: a slow handler throttles a fast client", async () => {
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    const h = await startHarness({
      async clientStream(reqs) {
        for await (const r of reqs) {
          expect(r.count).toBe(consumed);
          consumed++;
          maxAhead = Math.max(maxAhead, produced - consumed);
          await nextTurn();
        }
        return { text: "", data: new Uint8Array(0), count: consumed };
      },
    });
    try {
      async function* requests(): AsyncGenerator<Partial<Echo>> {
        for (let i = 0; i < COUNT; i++) {
          produced++;
          yield { data: KiB, count: i };
        }
      }
      const reply = await within(h.channel.clientStream(TestService.methods.clientStream, requests()), 20_000, "slow handler");
      expect(reply.count).toBe(COUNT);
      expect(maxAhead).toBeLessThan(BOUND);
      expect(maxAhead).toBeGreaterThan(10);
    } finally {
      await h.close();
    }
  });

  test("bidi: both directions bounded at once", async () => {
    let clientProduced = 0;
    let serverProduced = 0;
    let serverConsumed = 0;
    let maxServerAhead = 0;
    const h = await startHarness({
      async *bidi(reqs) {
        // Echo each request 1:1, reading slowly.
        for await (const r of reqs) {
          serverConsumed++;
          maxServerAhead = Math.max(maxServerAhead, clientProduced - serverConsumed);
          await nextTurn();
          serverProduced++;
          yield r;
        }
      },
    });
    try {
      async function* requests(): AsyncGenerator<Partial<Echo>> {
        for (let i = 0; i < COUNT; i++) {
          clientProduced++;
          yield { data: KiB, count: i };
        }
      }
      let received = 0;
      let maxClientAhead = 0;
      await within(
        (async () => {
          for await (const _ of h.channel.bidiStream(TestService.methods.bidi, requests())) {
            received++;
            maxClientAhead = Math.max(maxClientAhead, serverProduced - received);
            await nextTurn();
            await nextTurn();
          }
        })(),
        20_000,
        "bidi",
      );
      expect(received).toBe(COUNT);
      expect(maxServerAhead).toBeLessThan(BOUND);
      expect(maxClientAhead).toBeLessThan(BOUND);
    } finally {
      await h.close();
    }
  });
});
