// Type-checks files with the strict compiler options users turn on, for the
// strict-compile tests of generated code.
import ts from "typescript";
import { existsSync, readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";

export const root = process.cwd();

export const strictOptions: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  erasableSyntaxOnly: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  types: ["node"],
};

export const moduleSettings: Record<string, ts.CompilerOptions> = {
  nodenext: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
};

/** The generated files below `dir` (absolute, or relative to the repo); fails when there are none. */
export function generatedFiles(dir: string): string[] {
  const abs = resolve(root, dir);
  if (!existsSync(abs)) throw new Error(`${dir} does not exist: run npm run generate`);
  const files = readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => /_(pb|grpc)\.ts$/.test(f))
    .map((f) => join(abs, f))
    .sort();
  if (files.length === 0) throw new Error(`no generated files in ${dir}`);
  return files;
}

/** Diagnostics as `file:line: TSnnnn message`, for readable test failures. */
function format(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (d.file === undefined || d.start === undefined) return `TS${d.code} ${text}`;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
    return `${relative(root, d.file.fileName)}:${line}: TS${d.code} ${text}`;
  });
}

/** Every diagnostic of a program over `files`, or only those in `onlyIn` when given. */
export function strictCheck(files: string[], module: ts.CompilerOptions, onlyIn?: ReadonlySet<string>): string[] {
  const program = ts.createProgram(files, { ...strictOptions, ...module });
  if (onlyIn === undefined) return format(ts.getPreEmitDiagnostics(program));
  const own = program.getSourceFiles().filter((s) => onlyIn.has(s.fileName));
  if (own.length !== onlyIn.size) throw new Error(`${onlyIn.size - own.length} of the files to check are not in the program`);
  return format([
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...own.flatMap((s) => [...program.getSyntacticDiagnostics(s), ...program.getSemanticDiagnostics(s)]),
  ]);
}

