// Every plugin option, checked before @bufbuild/protoplugin parses its own:
// a bad value stops the plugin with an error that lists what is allowed.

/** A plugin option that is unknown or has a value it does not accept. */
export class OptionError extends Error {
  override name = "OptionError";
}

interface OptionRule {
  /** What the option accepts, as the error message and README list it. */
  readonly allowed: string;
  readonly accepts: (value: string) => boolean;
}

/** One of `values`; `aliases` are also accepted (protoplugin takes them) but not advertised. */
function oneOf(values: readonly string[], aliases: readonly string[] = []): OptionRule {
  const all = new Set([...values, ...aliases]);
  return { allowed: listOf(values), accepts: (v) => all.has(v) };
}

function listOf(values: readonly string[]): string {
  return values.length <= 2 ? values.join(" or ") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}

const booleans = oneOf(["true", "false"], ["1", "0"]);
const targets = new Set(["ts", "js", "dts"]);

/**
 * The options protoc-gen-tsgrpc takes. protoplugin's `map_imports` and
 * `bootstrap_wkt` are left out: they move protoplugin's own imports, not the
 * ones this plugin writes, so they would produce inconsistent imports.
 */
export const optionRules: Readonly<Record<string, OptionRule>> = {
  int64: oneOf(["bigint", "string"]),
  target: {
    allowed: "ts, js, dts, or several joined by + (js+dts)",
    accepts: (v) => v.split("+").every((t) => targets.has(t)),
  },
  import_extension: oneOf(["js", "none", "ts"], [".js", ".ts", ""]),
  ts_nocheck: booleans,
  keep_empty_files: booleans,
  elide_plugin_version: booleans,
  js_import_style: oneOf(["module", "legacy_commonjs"]),
  rewrite_imports: { allowed: "<pattern>:<target>", accepts: (v) => v.indexOf(":") > 0 },
  runtime_import: { allowed: "a module path", accepts: (v) => v !== "" },
};

/** Throws OptionError for an unknown option or a value it does not accept. */
export function checkParameter(parameter: string): void {
  if (parameter === "") return;
  for (const raw of parameter.split(",")) {
    const eq = raw.indexOf("=");
    const key = eq < 0 ? raw : raw.slice(0, eq);
    const value = eq < 0 ? "" : raw.slice(eq + 1);
    const rule = Object.hasOwn(optionRules, key) ? optionRules[key] : undefined;
    if (rule === undefined) {
      throw new OptionError(`unknown option "${key}" (known: ${Object.keys(optionRules).join(", ")})`);
    }
    if (!rule.accepts(value)) {
      throw new OptionError(`invalid value for option ${key}: "${value}" (expected ${rule.allowed})`);
    }
  }
}
