// The line of the generated header that names the runtime versions the file
// needs. protoplugin writes the header (the preamble) itself, after code
// generation and after transpiling for target=js/dts, so the line is added to
// the finished file, below protoplugin's `// @generated from file …`.
import { runtimeVersionRange } from "./version.js";

export const runtimePackage = "@tsgrpc/runtime";

/** Matches an import of the runtime, as ESM (`from "…"`) or CommonJS (`require("…")`). */
const importsRuntime = /^(?:import .* from |const .* = require\()"@tsgrpc\/runtime(?:\/[a-z]+)?"/m;
const generatedFrom = /^\/\/ @generated from file .*\n/m;

/**
 * Adds `// requires @tsgrpc/runtime <range>` to a file that imports the
 * runtime. The well-known types inside the runtime import it relatively and
 * get no such line.
 */
export function addRuntimeRequirement(content: string): string {
  if (!importsRuntime.test(content)) return content;
  const m = generatedFrom.exec(content);
  const at = m === null ? 0 : m.index + m[0].length;
  return content.slice(0, at) + `// requires ${runtimePackage} ${runtimeVersionRange}\n` + content.slice(at);
}
