// The size benchmark's markdown report.
import type { Measured } from "./bundle.js";
import type { Side, SizeCase } from "./cases.js";

export interface CaseResult {
  readonly case: SizeCase;
  readonly node: Readonly<Record<Side, Measured>>;
  readonly browser?: Readonly<Record<Side, Measured>>;
}

export interface SizeRunInfo {
  readonly date: string;
  readonly node: string;
  readonly esbuild: string;
  readonly options: string;
  /** Package versions of both sides, e.g. `@bufbuild/protobuf 2.17.0`. */
  readonly versions: readonly string[];
}

const bytes = (n: number): string => `${n.toLocaleString("en-US")} B`;
const kB = (n: number): string => `${(n / 1000).toFixed(1)} kB`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/** The headline table, as README's "Benchmarks" section shows it. */
export function summaryTable(results: readonly CaseResult[]): string {
  const rows = results.map(({ case: c, node }) =>
    `| ${c.title} | ${kB(node.tsgrpc.minified)} / ${kB(node.tsgrpc.gzip)} | ${c.peer}: ${kB(node.peer.minified)} / ${kB(node.peer.gzip)} | ${ratio(node.tsgrpc.minified, node.peer.minified)} / ${ratio(node.tsgrpc.gzip, node.peer.gzip)} |`,
  );
  return ["| bundle (minified / gzip; kB = 1000 bytes) | tsgrpc | peer | tsgrpc ÷ peer |", "|---|--:|--:|--:|", ...rows].join("\n");
}

function compositionTable(c: SizeCase, m: Readonly<Record<Side, Measured>>): string {
  const names = [...new Set([...m.tsgrpc.parts, ...m.peer.parts].map((p) => p.name))];
  const of = (side: Side, name: string): number => m[side].parts.find((p) => p.name === name)?.bytes ?? 0;
  names.sort((a, b) => of("tsgrpc", b) + of("peer", b) - (of("tsgrpc", a) + of("peer", a)));
  const cell = (n: number): string => (n === 0 ? "" : n.toLocaleString("en-US"));
  return [
    `| part (minified bytes) | tsgrpc | ${c.peer} |`,
    "|---|--:|--:|",
    ...names.map((n) => `| ${n} | ${cell(of("tsgrpc", n))} | ${cell(of("peer", n))} |`),
  ].join("\n");
}

function nodeImports(m: Measured): string {
  return m.nodeImports.length === 0 ? "none" : m.nodeImports.map((i) => `\`${i}\``).join(", ");
}

export function markdown(results: readonly CaseResult[], info: SizeRunInfo): string {
  const out = [
    "# tsgrpc bundle size",
    "",
    `esbuild ${info.esbuild} (${info.options}); gzip level 9. ${info.date}, Node ${info.node}.`,
    `Versions: ${info.versions.join(", ")}.`,
    "Each program is written once per library (packages/bench/bundles/), over code each",
    "library's generator made from the same .proto files.",
    "",
    summaryTable(results),
    "",
  ];
  for (const r of results) {
    out.push(`## ${r.case.title}`, "", compositionTable(r.case, r.node), "");
    out.push(`Node built-ins imported (platform=node): tsgrpc ${nodeImports(r.node.tsgrpc)}; ${r.case.peer} ${nodeImports(r.node.peer)}.`);
    if (r.browser !== undefined) {
      const browser = (name: string, m: Measured): string =>
        m.unresolved.length === 0
          ? `${name} ${bytes(m.minified)} / ${bytes(m.gzip)}, Node built-ins: ${nodeImports(m)}`
          : `${name} does not build: esbuild cannot resolve ${m.unresolved.map((i) => `\`${i}\``).join(", ")}; ` +
            `with them external, ${bytes(m.minified)} / ${bytes(m.gzip)} importing ${nodeImports(m)}`;
      out.push(`With platform=browser: ${browser("tsgrpc", r.browser.tsgrpc)}; ${browser(r.case.peer, r.browser.peer)}.`);
    }
    out.push("");
  }
  return out.join("\n");
}
