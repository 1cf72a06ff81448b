#!/usr/bin/env node
// valgrind for the benchmarks' instruction counts: the machine's own when it
// has one, or else Debian's package for this machine's release, fetched
// without root and unpacked in .cache/valgrind at the repo root
// (scripts/debian-packages.mjs).
//
//   node packages/bench/scripts/valgrind.mjs   prints {"command", "env", "version"}
//
// `command` runs valgrind with `env` added to the environment: the unpacked
// one finds its tools through VALGRIND_LIB, and gets the variables Debian's
// wrapper script sets, so that both count the same.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { installDebianPackages } from "../../../scripts/debian-packages.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The release codename of this machine, for the package that fits its libc. */
function debianSuite() {
  const osRelease = existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "";
  const codename = /^VERSION_CODENAME=(\w+)$/m.exec(osRelease)?.[1];
  if (!/^ID=debian$/m.test(osRelease) || codename === undefined) {
    throw new Error("valgrind is not installed, and this is not a Debian release it could be fetched for: install valgrind");
  }
  return codename;
}

function version(command, env) {
  const r = spawnSync(command, ["--version"], { encoding: "utf8", env: { ...process.env, ...env } });
  return r.error === undefined && r.status === 0 ? r.stdout.trim() : undefined;
}

/** @returns {{ command: string, env: Record<string, string>, version: string }} */
export function ensureValgrind({ cacheDir = join(root, ".cache/valgrind"), log = () => {} } = {}) {
  const own = version("valgrind", {});
  if (own !== undefined) return { command: "valgrind", env: {}, version: own };
  installDebianPackages({ cacheDir, suite: debianSuite(), packages: ["valgrind"], log });
  const command = join(cacheDir, "usr/bin/valgrind.bin");
  const env = { VALGRIND_LIB: join(cacheDir, "usr/libexec/valgrind"), GLIBCPP_FORCE_NEW: "1", GLIBCXX_FORCE_NEW: "1" };
  const unpacked = version(command, env);
  if (unpacked === undefined) throw new Error(`valgrind unpacked in ${cacheDir} does not run (${command} --version failed)`);
  return { command, env, version: unpacked };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cacheDir = process.argv[2];
  console.log(JSON.stringify(ensureValgrind({ ...(cacheDir !== undefined ? { cacheDir } : {}), log: (l) => process.stderr.write(`valgrind: ${l}\n`) })));
}
