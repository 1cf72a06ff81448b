// What the benchmarks' entry points share: where reports go (bench-results/
// in the repo holding the running dist/, which may sit in a build folder of
// its own: build.mjs --out), logging, and how main's outcome ends the process.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest folder above this file whose package.json declares workspaces. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { workspaces?: unknown }).workspaces !== undefined) return dir;
    } catch {
      // no package.json here
    }
    dir = dirname(dir);
  }
  throw new Error("cannot find the repo root (a package.json with workspaces) above dist/");
}

/** The default report file: bench-results/<name> at the repo root. */
export function resultsFile(name: string): string {
  return join(repoRoot(), "bench-results", name);
}

/** Progress and notes go to stderr; reports to stdout. */
export function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

/** Writes a report (creating its folder) and says so. */
export function writeOut(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  log(`wrote ${file}`);
}

/** Runs an entry point: its result is the exit code; a throw is logged with `name` and exits 2. */
export function runMain(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      log(`${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 2;
    },
  );
}
