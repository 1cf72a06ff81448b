// Runs protoc-gen-tsgrpc the two ways users do, into fresh temporary folders.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

export const root = process.cwd();
export const plugin = join(root, "plugin/bin/protoc-gen-tsgrpc");
export const protosDir = join(root, "plugin/test/protos");
const protocInclude = join(root, "node_modules/protoc/include");

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tsgrpc-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function protoFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith(".proto")) out.push(relative(protosDir, join(d, e.name)));
    }
  };
  walk(protosDir);
  return out.sort();
}

/** protoc from the npm package `protoc`; returns exit status and stderr. */
export function runProtoc(out: string, opt?: string): { status: number | null; stderr: string } {
  const r = spawnSync(
    join(root, "node_modules/.bin/protoc"),
    [`--plugin=protoc-gen-tsgrpc=${plugin}`, `--tsgrpc_out=${out}`, ...(opt ? [`--tsgrpc_opt=${opt}`] : []), `-I${protosDir}`, `-I${protocInclude}`, ...protoFiles()],
    { encoding: "utf8" },
  );
  return { status: r.status, stderr: r.stderr };
}

/** buf from the npm package `@bufbuild/buf`, with the local plugin. */
export function runBuf(out: string, opt: string[] = []): void {
  const template = JSON.stringify({ version: "v2", plugins: [{ local: plugin, out, opt }] });
  execFileSync(join(root, "node_modules/.bin/buf"), ["generate", protosDir, "--template", template], { cwd: root, stdio: "pipe" });
}

/** Every file below `dir` with its content, keyed by relative path. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return files;
}
