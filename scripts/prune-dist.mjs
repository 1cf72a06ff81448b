#!/usr/bin/env node
// Run by `prepack` in a package folder after `tsc -b`: removes from dist/ every
// output whose source in src/ no longer exists. tsc never deletes outputs of
// renamed or deleted sources, and a tarball must not ship them; a full clean
// build instead would pull dist/ away from anything running from it meanwhile.
import { existsSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";

const outputSuffixes = [".d.ts.map", ".d.ts", ".js.map", ".js"];
const pkg = process.cwd();
const dist = join(pkg, "dist");
const src = join(pkg, "src");

/** The source a compiled output came from, or undefined when the name is not a tsc output. */
function sourceOf(file) {
  const suffix = outputSuffixes.find((s) => file.endsWith(s));
  return suffix && join(src, relative(dist, file).slice(0, -suffix.length) + ".ts");
}

/** Prunes `dir` and returns whether it is empty afterwards. */
function prune(dir) {
  let left = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (prune(path)) rmdirSync(path);
      else left++;
      continue;
    }
    const source = sourceOf(path);
    if (source === undefined || existsSync(source)) {
      left++;
      continue;
    }
    rmSync(path);
    process.stderr.write(`prune-dist: removed stale ${relative(pkg, path)}\n`);
  }
  return left === 0;
}

if (!existsSync(dist)) {
  process.stderr.write(`prune-dist: ${relative(process.cwd(), dist) || dist} does not exist; did the build run?\n`);
  process.exit(1);
}
prune(dist);
