// Bundles one entry point the way an application would ship it (esbuild:
// bundle, minify, ESM) and measures it: minified and gzip bytes, what the
// bytes are made of (from esbuild's metafile), and which Node built-ins the
// bundle still imports.
import { builtinModules } from "node:module";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

export type Platform = "node" | "browser";

/** The options every bundle of the size benchmark is built with. */
export const BUILD_OPTIONS = { bundle: true, minify: true, format: "esm", target: "es2022" } as const;

export interface Part {
  /** e.g. `@tsgrpc/runtime/wire`, `@bufbuild/protobuf/wkt`, `generated code`. */
  readonly name: string;
  /** Bytes of the minified bundle that come from this part. */
  readonly bytes: number;
}

export interface Measured {
  readonly minified: number;
  readonly gzip: number;
  /** Largest first. */
  readonly parts: readonly Part[];
  /** Node built-in modules the bundle imports (kept external), e.g. `node:http2`. */
  readonly nodeImports: readonly string[];
  /**
   * For browsers: the Node built-ins esbuild could not resolve, used or not
   * (it resolves every import before it drops unused modules). When there
   * are any, the bundle was measured with them kept external.
   */
  readonly unresolved: readonly string[];
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** `root`: the repository, against which the metafile names the bundled files. */
export async function measureBundle(entry: string, platform: Platform, root: string): Promise<Measured> {
  const run = (external: string[]) =>
    build({
      ...BUILD_OPTIONS,
      absWorkingDir: root,
      entryPoints: [entry],
      platform,
      external,
      write: false,
      outfile: "bundle.js",
      metafile: true,
      logLevel: "silent",
    });
  // For browsers esbuild resolves every import, used or not, and fails on
  // Node built-ins. Such a failure is a finding, not an error: the built-ins
  // are reported, and the bundle is measured with them kept external.
  let unresolved: string[] = [];
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run([]);
  } catch (e) {
    unresolved = unresolvedBuiltins(e);
    if (platform !== "browser" || unresolved.length === 0) throw e;
    result = await run([...builtins]);
  }
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const imported = output.imports.filter((i) => i.external && builtins.has(i.path)).map((i) => i.path);
  return {
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    parts: composition(output.inputs),
    nodeImports: [...new Set(imported)].sort(),
    unresolved: unresolved.sort(),
  };
}

/** The Node built-ins named by esbuild's "Could not resolve" errors, when those are all its errors. */
function unresolvedBuiltins(e: unknown): string[] {
  const errors = (e as { errors?: { text: string }[] }).errors ?? [];
  const names = errors.map((m) => /^Could not resolve "([^"]+)"/.exec(m.text)?.[1]);
  return errors.length > 0 && names.every((n) => n !== undefined && builtins.has(n)) ? [...new Set(names as string[])] : [];
}

function composition(inputs: Metafile["outputs"][string]["inputs"]): Part[] {
  const bytes = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const name = partOf(path);
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytes].map(([name, n]) => ({ name, bytes: n })).filter((p) => p.bytes > 0).sort((a, b) => b.bytes - a.bytes);
}

/**
 * Groups a bundled file by what a reader cares about: a runtime layer (one
 * folder of runtime/), a package's top folder, the generated code, or the
 * entry point itself.
 */
export function partOf(path: string): string {
  const runtime = /^runtime\/(?:dist|src)\/(?:([^/]+)\/)?/.exec(path);
  if (runtime !== null) return `@tsgrpc/runtime/${runtime[1] ?? "index"}`;
  const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (pkg !== null) {
    // A package's own layers, below its build folder (dist/esm/wire/… → wire).
    const inner = pkg[2].replace(/^(?:dist\/)?(?:esm|cjs|src|lib)\//, "");
    const folder = inner.includes("/") ? inner.slice(0, inner.indexOf("/")) : undefined;
    return folder === undefined ? pkg[1] : `${pkg[1]}/${folder}`;
  }
  if (/(?:^|\/)gen-[^/]+\//.test(path)) return "generated code";
  return "entry point";
}
