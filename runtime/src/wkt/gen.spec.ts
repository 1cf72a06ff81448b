// The checked-in well-known types must be what the plugin generates today.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

test("runtime/src/wkt/gen is up to date (regenerate: node scripts/generate.mjs wkt)", () => {
  const out = mkdtempSync(join(tmpdir(), "tsgrpc-wkt-"));
  try {
    const script = `import("./scripts/generate.mjs").then((m) => m.generate("wkt", ${JSON.stringify(out)}))`;
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd() });
    const dir = "google/protobuf";
    const fresh = readdirSync(join(out, dir)).sort();
    const checkedIn = readdirSync(join("runtime/src/wkt/gen", dir)).sort();
    expect(checkedIn).toEqual(fresh);
    for (const f of fresh) {
      expect(readFileSync(join("runtime/src/wkt/gen", dir, f), "utf8")).toBe(readFileSync(join(out, dir, f), "utf8"));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
