// Options of protoc-gen-tsgrpc itself. @bufbuild/protoplugin handles its own
// (target, import_extension, …) and hands us every key it does not know;
// checkParameter (parameters.ts) has vetted every key and value before.
import { OptionError, optionRules } from "./parameters.js";

export interface TsgrpcOptions {
  /** How 64-bit integer fields are typed: `bigint` (default) or `string`. */
  readonly int64: "bigint" | "string";
  /**
   * Module that generated code imports runtime helpers from. Only for
   * generating the runtime's own well-known types, which cannot import the
   * package they are part of.
   */
  readonly runtimeImport: string;
}

export const defaultRuntimeImport = "@tsgrpc/runtime/codegen";

export function parseOptions(raw: { key: string; value: string }[]): TsgrpcOptions {
  let int64: TsgrpcOptions["int64"] = "bigint";
  let runtimeImport = defaultRuntimeImport;
  for (const { key, value } of raw) {
    switch (key) {
      case "int64":
        if (value !== "bigint" && value !== "string") {
          throw new OptionError(`invalid value for option int64: "${value}" (expected bigint or string)`);
        }
        int64 = value;
        break;
      case "runtime_import":
        if (value === "") {
          throw new OptionError(`invalid value for option runtime_import: "" (expected ${optionRules.runtime_import?.allowed})`);
        }
        runtimeImport = value;
        break;
      default:
        throw new OptionError(`unknown option "${key}" (known: ${Object.keys(optionRules).join(", ")})`);
    }
  }
  return { int64, runtimeImport };
}
