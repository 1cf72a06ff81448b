// A throwaway project outside the repo that uses tsgrpc the way README tells a
// user to: packages installed from `npm pack` tarballs, tools from npm.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative, sep } from "node:path";

/** Tests run from the repo root, as jest.config.cjs sits there. */
export const repo = process.cwd();
/** The project's own files: protos, buf configs, tsconfigs and the program that uses the generated code. */
export const fixture = join(repo, "packages/examples/own-project");

/** One package as `npm pack --json` describes its tarball. */
export interface PackedPackage {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

/** The repo's own version of a tool, so the project tests what the repo tests. */
function repoVersion(pkg: string): string {
  const json = JSON.parse(readFileSync(join(repo, "node_modules", pkg, "package.json"), "utf8")) as { version: string };
  return json.version;
}

/**
 * The environment of a user's shell: no npm script variables and no folder of
 * this repo on PATH, so nothing resolves to the repo's packages by accident
 * (under `npm test`, the repo's node_modules/.bin holds protoc-gen-tsgrpc).
 */
function userEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if ((lower.startsWith("npm_") && !keep.has(lower)) || key === "INIT_CWD") continue;
    env[key] = value;
  }
  const path = (process.env.PATH ?? "").split(delimiter).filter((dir) => dir !== repo && !dir.startsWith(repo + sep));
  env.PATH = path.join(delimiter);
  return env;
}

/** How long one command may take; the tests' timeouts allow for this per command they run. */
export const commandTimeout = 100_000;

/** Runs a command to completion; the error says what ran where and what it printed. */
export function run(cwd: string, command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { cwd, env: userEnv(), encoding: "utf8" as const, timeout: commandTimeout, maxBuffer: 64 << 20 };
    execFile(command, args, options, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      const what = error.killed ? "timed out" : `failed (${error.code ?? error.signal})`;
      reject(new Error(`\`${command} ${args.join(" ")}\` in ${cwd} ${what}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    });
  });
}

/** Every file below `dir`, as sorted paths relative to it with `/` separators. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

export class UserProject {
  /** The temporary folder holding the tarballs and the project. */
  readonly root: string;
  readonly packed: PackedPackage[];
  readonly dir: string;

  private constructor(root: string, packed: PackedPackage[]) {
    this.root = root;
    this.packed = packed;
    this.dir = join(root, "my-app");
  }

  /** Packs the runtime and the plugin (their `prepack` builds them) and installs them into a new project. */
  static async create(): Promise<UserProject> {
    const root = mkdtempSync(join(tmpdir(), "tsgrpc-user-project-"));
    try {
      const tarballs = join(root, "tarballs");
      mkdirSync(tarballs);
      const packJson = await run(repo, "npm", ["pack", "-w", "runtime", "-w", "plugin", "--pack-destination", tarballs, "--json"]);
      const project = new UserProject(root, JSON.parse(packJson) as PackedPackage[]);
      await project.install();
      return project;
    } catch (e) {
      rmSync(root, { recursive: true, force: true });
      throw e;
    }
  }

  tarball(name: string): PackedPackage {
    const found = this.packed.find((p) => p.name === name);
    if (found === undefined) throw new Error(`npm pack produced no tarball for ${name}`);
    return found;
  }

  private async install(): Promise<void> {
    cpSync(fixture, this.dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist|gen)$/.test(src) });
    writeFileSync(join(this.dir, "package.json"), JSON.stringify({ name: "my-app", private: true, type: "module" }, null, 2));
    const tarball = (name: string): string => join(this.root, "tarballs", this.tarball(name).filename);
    // The npm cache that `npm ci` filled has all of these; the registry is asked only on a miss.
    const flags = ["--prefer-offline", "--no-audit", "--no-fund"];
    await run(this.dir, "npm", ["install", ...flags, tarball("@tsgrpc/runtime")]);
    await run(this.dir, "npm", [
      "install",
      "-D",
      ...flags,
      tarball("protoc-gen-tsgrpc"),
      ...["@bufbuild/buf", "protoc", "typescript", "@types/node"].map((pkg) => `${pkg}@${repoVersion(pkg)}`),
    ]);
  }

  /** Runs a command in the project, as a user's shell would. */
  run(command: string, ...args: string[]): Promise<string> {
    return run(this.dir, command, args);
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
