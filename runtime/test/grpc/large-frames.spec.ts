// Frames too big for a batch block are encoded into blocks the runtime reuses
// once node:http2 reports them written. Every message here has its own
// content, so a block handed out again too early would show as a message
// carrying another's bytes.
import { type Echo, startHarness, TestService, within } from "./fixtures.js";

const SIZE = 100 * 1024;
const COUNT = 120;
const filled = (i: number): Uint8Array => new Uint8Array(SIZE).fill(i & 0xff);

/** Fails on the first message whose bytes are not all `i`. */
function expectIntact(m: Echo, i: number): void {
  expect(m.count).toBe(i);
  expect(m.data.length).toBe(SIZE);
  const wrong = m.data.findIndex((b) => b !== (i & 0xff));
  expect(wrong).toBe(-1);
}

test("large server-streamed messages arrive intact, each with its own bytes", async () => {
  const h = await startHarness({
    async *serverStream(req) {
      for (let i = 0; i < req.count; i++) yield { text: "", count: i, data: filled(i) };
    },
  });
  try {
    let i = 0;
    await within(
      (async () => {
        for await (const m of h.channel.serverStream(TestService.methods.serverStream, { count: COUNT })) expectIntact(m, i++);
      })(),
      15_000,
      "large stream",
    );
    expect(i).toBe(COUNT);
  } finally {
    await h.close();
  }
});

test("large messages both ways on bidi streams running side by side arrive intact", async () => {
  const h = await startHarness({
    async *bidi(requests) {
      for await (const r of requests) yield { text: r.text, count: r.count, data: filled(r.count) };
    },
  });
  try {
    const run = async (tag: string): Promise<number> => {
      async function* requests(): AsyncGenerator<Partial<Echo>> {
        for (let i = 0; i < 40; i++) yield { text: tag, count: i, data: filled(i) };
      }
      let i = 0;
      for await (const m of h.channel.bidiStream(TestService.methods.bidi, requests())) {
        expect(m.text).toBe(tag);
        expectIntact(m, i++);
      }
      return i;
    };
    expect(await within(Promise.all([run("a"), run("b"), run("c")]), 15_000, "bidi streams")).toEqual([40, 40, 40]);
  } finally {
    await h.close();
  }
});
