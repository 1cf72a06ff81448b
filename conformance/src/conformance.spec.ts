// Runs the official protobuf conformance suite against our testee through
// conformance/scripts/runner.mjs (which builds the testee, starts the runner
// binary — through a private newer glibc where the system's is too old — and
// parses its output into a JSON report).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Counts {
  total: number;
  passed: number;
  failed: number;
  expectedFailures: number;
  skipped: number;
}
interface SuiteResult {
  name: string;
  passed: boolean;
  summary: { successes: number; skipped: number; expectedFailures: number; unexpectedFailures: number };
  succeedingButListed: string[];
  unmatchedListEntries: string[];
}
interface Report {
  suites: SuiteResult[];
  passed: boolean;
  counts: Record<"binary" | "json" | "text", Counts>;
  failing: string[];
  skipped: string[];
  fatal?: string;
  exitCode: number | null;
  ms: number;
  via: string;
  logFile: string;
}

const root = process.cwd();
const runner = join(root, "conformance/scripts/runner.mjs");
const lists = ["conformance/failing_tests.txt", "conformance/failing_tests_text_format.txt"];

function runSuite(outputDir: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [runner, "--json", "--output-dir", outputDir],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // Exit status 1 means "ran, but did not pass": the report says why.
        try {
          resolve(JSON.parse(stdout) as Report);
        } catch {
          reject(new Error(`conformance runner failed (${error?.message ?? "no report"}):\n${stderr}`));
        }
      },
    );
  });
}

describe("protobuf conformance suite", () => {
  let report: Report;
  const outputDir = mkdtempSync(join(tmpdir(), "tsgrpc-conformance-"));

  beforeAll(async () => {
    report = await runSuite(outputDir);
    const lines = report.suites.map((s) => {
      const m = s.summary;
      return `${s.name}: ${s.passed ? "PASSED" : "FAILED"}, ${m.successes} successes, ${m.skipped} skipped, ${m.expectedFailures} expected failures, ${m.unexpectedFailures} unexpected failures`;
    });
    for (const [format, c] of Object.entries(report.counts)) {
      lines.push(`${format}: ${c.total} tests, ${c.passed} passed, ${c.failed} failed, ${c.expectedFailures} expected failures, ${c.skipped} skipped`);
    }
    console.log(`conformance (${(report.ms / 1000).toFixed(1)} s, runner via ${report.via}):\n  ${lines.join("\n  ")}\n  log (kept on failure): ${report.logFile}`);
  }, 240_000);

  // The runner's log (a few MB) is kept only when something needs looking at.
  afterAll(() => {
    if (report?.passed) rmSync(outputDir, { recursive: true, force: true });
  });

  it("runs both suites to the end", () => {
    expect(report.fatal).toBeUndefined();
    expect(report.suites.map((s) => s.name)).toEqual(["binary+json", "text format"]);
  });

  it("has no unexpected failures", () => {
    expect(report.failing).toEqual([]);
    for (const s of report.suites) expect(s.summary.unexpectedFailures).toBe(0);
  });

  it("skips nothing", () => {
    expect(report.skipped).toEqual([]);
    for (const s of report.suites) expect(s.summary.skipped).toBe(0);
  });

  it("has exact failure lists (no passing or unknown entries)", () => {
    for (const s of report.suites) {
      expect(s.succeedingButListed).toEqual([]);
      expect(s.unmatchedListEntries).toEqual([]);
    }
    expect(report.passed).toBe(true);
    expect(report.exitCode).toBe(0);
  });

  it("passes every binary test", () => {
    expect(report.counts.binary.total).toBeGreaterThan(2000);
    expect(report.counts.binary.passed).toBe(report.counts.binary.total);
  });

  it("lists no binary test as an expected failure", () => {
    const binary = lists.flatMap((file) =>
      readFileSync(join(root, file), "utf8")
        .split("\n")
        .map((l) => l.replace(/#.*$/, "").trim())
        .filter((n) => n !== "" && !/\.(Json|TextFormat)(Input|Output)\b/.test(n)),
    );
    expect(binary).toEqual([]);
  });
});
