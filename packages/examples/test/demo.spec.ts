// `npm start` runs this demo; it must go through every call kind and exit 0.
import { execFileSync } from "node:child_process";

test("the route guide demo exercises every call kind, a deadline and a cancellation", () => {
  const out = execFileSync(process.execPath, ["packages/examples/dist/demo.js"], { encoding: "utf8", timeout: 30_000 });
  expect(out).toMatch(/known point\s+Patriots Path/);
  expect(out.match(/feature \d/g)).toHaveLength(5);
  expect(out).toMatch(/summary\s+\{"points":5,"features":5/);
  expect(out.match(/earlier note echoed/g)).toHaveLength(2);
  expect(out).toMatch(/slow call with 100 ms timeout\s+DEADLINE_EXCEEDED/);
  expect(out).toMatch(/stream after abort\s+CANCELLED/);
  // Aborting stops the stream at once: no response buffered before the abort is delivered after it.
  expect(out.match(/got one feature, cancelling/g)).toHaveLength(1);
  expect(out.trim().endsWith("done")).toBe(true);
});
