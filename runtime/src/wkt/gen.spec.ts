// The checked-in well-known types must be what the plugin generates today.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const genDir = "runtime/src/wkt/gen";

/** Every file below `dir`, as sorted paths relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

test("runtime/src/wkt/gen is up to date (regenerate: node scripts/generate.mjs wkt)", () => {
  const out = mkdtempSync(join(tmpdir(), "tsgrpc-wkt-"));
  try {
    const script = `import("./scripts/generate.mjs").then((m) => m.generate("wkt", ${JSON.stringify(out)}))`;
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd() });
    const fresh = filesBelow(out);
    expect(filesBelow(genDir)).toEqual(fresh);
    for (const f of fresh) {
      expect(readFileSync(join(genDir, f), "utf8")).toBe(readFileSync(join(out, f), "utf8"));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("index.ts exports every shipped file", () => {
  const index = readFileSync("runtime/src/wkt/index.ts", "utf8");
  for (const f of filesBelow(genDir)) {
    expect(index).toContain(`export * from "./gen/${f.replace(/\.ts$/, ".js")}";`);
  }
});
