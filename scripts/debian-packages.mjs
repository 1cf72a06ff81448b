// Debian packages unpacked into a cache folder, for tools the machine lacks
// or has too old: fetched with apt-get (private source list, lists and cache;
// the system's apt configuration is not changed, and no root is needed) and
// unpacked with `dpkg -x`. Used for the conformance runner's newer glibc
// (conformance/scripts/glibc.mjs) and the benchmarks' valgrind
// (packages/bench/scripts/valgrind.mjs).
//
// Idempotent and safe to run concurrently: everything is built in a private
// temporary folder beside the cache folder and moved into place with one
// atomic rename; a process that loses the race throws its copy away.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

const MANIFEST = "manifest.json";
const DEFAULT_MIRROR = "http://deb.debian.org/debian";
const DEFAULT_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
/** Temporary folders of crashed runs older than this are removed. */
const STALE_TMP_MS = 60 * 60 * 1000;

/**
 * @typedef {{ uri: string, signedBy?: string }} Mirror
 */

/**
 * The manifest of the packages unpacked in `cacheDir`, fetching and unpacking
 * them first when they are not there yet. `describe` adds facts read from the
 * unpacked tree (a version, say) to the manifest.
 * @param {{ cacheDir: string, suite: string, packages: string[], describe?: (root: string) => Record<string, unknown>, log?: (line: string) => void }} options
 * @returns {Record<string, unknown>}
 */
export function installDebianPackages({ cacheDir, suite, packages, describe = () => ({}), log = () => {} }) {
  const ready = readManifest(cacheDir);
  if (ready) return ready;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`Debian packages can only be unpacked here on linux-x64, not ${process.platform}-${process.arch}`);
  }
  mkdirSync(dirname(cacheDir), { recursive: true });
  removeStaleTemporaries(cacheDir);
  const tmp = `${cacheDir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  mkdirSync(tmp);
  try {
    const mirror = findDebianMirror();
    log(`fetching ${packages.join(", ")} from ${mirror.uri} ${suite} into ${cacheDir}`);
    const debs = downloadPackages(tmp, mirror, suite, packages);
    const root = join(tmp, "root");
    mkdirSync(root);
    for (const deb of debs) run("dpkg", ["-x", deb, root]);
    const manifest = { suite, mirror: mirror.uri, packages: debs.map((d) => basename(d)), ...describe(root) };
    writeFileSync(join(root, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    publish(root, cacheDir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const installed = readManifest(cacheDir);
  if (!installed) throw new Error(`${cacheDir} is incomplete after unpacking ${packages.join(", ")} into it`);
  return installed;
}

/** @returns {Record<string, unknown> | undefined} */
function readManifest(cacheDir) {
  const path = join(cacheDir, MANIFEST);
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}

/** Moves the finished tree into place atomically; a concurrent winner is kept. */
function publish(root, cacheDir) {
  if (existsSync(cacheDir) && !existsSync(join(cacheDir, MANIFEST))) {
    // A leftover without manifest (interrupted by hand?): move it aside first.
    const trash = `${cacheDir}.tmp-trash-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      renameSync(cacheDir, trash);
      rmSync(trash, { recursive: true, force: true });
    } catch {
      // Someone else moved it; fine.
    }
  }
  try {
    renameSync(root, cacheDir);
  } catch (e) {
    const code = /** @type {NodeJS.ErrnoException} */ (e).code;
    if ((code === "ENOTEMPTY" || code === "EEXIST") && existsSync(join(cacheDir, MANIFEST))) return; // lost the race
    throw e;
  }
}

function removeStaleTemporaries(cacheDir) {
  const parent = dirname(cacheDir);
  const prefix = `${basename(cacheDir)}.tmp-`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const path = join(parent, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_TMP_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Raced with another cleaner.
    }
  }
}

/**
 * apt-get update + download against a private source list naming only
 * `<mirror> <suite> main`. All state (lists, package cache, locks) stays in `tmp`.
 * @param {string} tmp
 * @param {Mirror} mirror
 * @param {string} suite
 * @param {string[]} packages
 * @returns {string[]} the downloaded .deb files
 */
function downloadPackages(tmp, mirror, suite, packages) {
  const apt = join(tmp, "apt");
  const empty = join(apt, "empty.d");
  for (const d of [join(apt, "lists", "partial"), join(apt, "cache", "archives", "partial"), empty]) {
    mkdirSync(d, { recursive: true });
  }
  const sourceList = join(apt, "sources.list");
  const options = mirror.signedBy ? ` [signed-by=${mirror.signedBy}]` : "";
  writeFileSync(sourceList, `deb${options} ${mirror.uri} ${suite} main\n`);
  const aptOptions = [
    `-oDir::Etc::SourceList=${sourceList}`,
    `-oDir::Etc::SourceParts=${empty}`,
    `-oDir::Etc::Preferences=${join(apt, "preferences")}`,
    `-oDir::Etc::PreferencesParts=${empty}`,
    `-oDir::State::Lists=${join(apt, "lists")}`,
    `-oDir::Cache=${join(apt, "cache")}`,
    // Snapshot mirrors serve Release files whose Valid-Until has passed.
    "-oAcquire::Check-Valid-Until=false",
    "-oAcquire::Languages=none",
    "-oAPT::Get::List-Cleanup=false",
    "-q",
  ];
  // apt drops to the _apt user for downloads, which cannot write to our folder.
  if (process.getuid?.() === 0) aptOptions.push("-oAPT::Sandbox::User=root");
  run("apt-get", [...aptOptions, "update"]);
  const debDir = join(tmp, "debs");
  mkdirSync(debDir);
  run("apt-get", [...aptOptions, "download", ...packages.map((p) => `${p}:amd64`)], { cwd: debDir });
  const debs = readdirSync(debDir)
    .filter((f) => f.endsWith(".deb"))
    .map((f) => join(debDir, f));
  if (debs.length !== packages.length) {
    throw new Error(`apt-get download gave ${debs.length} packages, expected ${packages.length}: ${debs.join(", ")}`);
  }
  return debs;
}

/**
 * The Debian archive this machine already uses (from /etc/apt/sources.list.d/*.sources,
 * *.list and /etc/apt/sources.list), or deb.debian.org.
 * @returns {Mirror}
 */
export function findDebianMirror(etcApt = "/etc/apt") {
  const candidates = [];
  const dir = join(etcApt, "sources.list.d");
  const files = existsSync(dir) ? readdirSync(dir).sort().map((f) => join(dir, f)) : [];
  for (const file of files) {
    if (file.endsWith(".sources")) candidates.push(...parseDeb822(readFileSync(file, "utf8")));
    else if (file.endsWith(".list")) candidates.push(...parseOneLine(readFileSync(file, "utf8")));
  }
  const main = join(etcApt, "sources.list");
  if (existsSync(main)) candidates.push(...parseOneLine(readFileSync(main, "utf8")));
  const found = candidates.find((c) => isDebianArchive(c));
  const keyring = existsSync(DEFAULT_KEYRING) ? DEFAULT_KEYRING : undefined;
  if (!found) return { uri: DEFAULT_MIRROR, signedBy: keyring };
  const signedBy = found.signedBy && existsSync(found.signedBy) ? found.signedBy : keyring;
  return { uri: found.uri.replace(/\/+$/, ""), signedBy };
}

/** @typedef {{ types: string[], uri: string, suites: string[], signedBy?: string }} Source */

/** Main Debian archive (not security, not a third-party repository) of a release suite. */
function isDebianArchive(/** @type {Source} */ s) {
  if (!s.types.includes("deb")) return false;
  if (/security/i.test(s.uri)) return false;
  if (!/\/debian(\/|$)/.test(new URL(s.uri).pathname)) return false;
  return s.suites.some((suite) => /^(buster|bullseye|bookworm|trixie|forky|duke|sid|stable|oldstable|testing|unstable)$/.test(suite));
}

/** @returns {Source[]} */
export function parseDeb822(text) {
  const out = [];
  for (const para of text.split(/\n\s*\n/)) {
    /** @type {Record<string, string>} */
    const fields = {};
    let last = "";
    for (const line of para.split("\n")) {
      if (line.startsWith("#")) continue;
      if (/^\s/.test(line) && last) {
        fields[last] += "\n" + line.trim();
        continue;
      }
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) {
        last = m[1].toLowerCase();
        fields[last] = m[2].trim();
      }
    }
    if (!fields.uris || !fields.suites) continue;
    if (fields.enabled && fields.enabled.toLowerCase() === "no") continue;
    const signedBy = fields["signed-by"] && !fields["signed-by"].includes("\n") ? fields["signed-by"].split(/\s+/)[0] : undefined;
    for (const uri of fields.uris.split(/\s+/)) {
      out.push({ types: (fields.types ?? "deb").split(/\s+/), uri, suites: fields.suites.split(/\s+/), signedBy });
    }
  }
  return out;
}

/** @returns {Source[]} */
export function parseOneLine(text) {
  const out = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const signed = /(?:^|\s)signed-by=(\S+)/.exec(m[2] ?? "");
    out.push({ types: [m[1]], uri: m[3], suites: [m[4]], signedBy: signed?.[1] });
  }
  return out;
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...options });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}:\n${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}
