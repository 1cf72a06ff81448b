// Plugin options: unknown keys and bad values are errors that list what is allowed.
import { checkParameter, OptionError } from "../src/parameters.js";

test.each([
  ["nonsense=1", /unknown option "nonsense" \(known: int64, target, import_extension, ts_nocheck, keep_empty_files, elide_plugin_version, js_import_style, rewrite_imports, runtime_import\)/],
  ["map_imports=a:b", /unknown option "map_imports"/],
  ["int64=number", /invalid value for option int64: "number" \(expected bigint or string\)/],
  ["import_extension=mjs", /invalid value for option import_extension: "mjs" \(expected js, none or ts\)/],
  ["import_extension=.mjs", /invalid value for option import_extension: "\.mjs" \(expected js, none or ts\)/],
  ["ts_nocheck=maybe", /invalid value for option ts_nocheck: "maybe" \(expected true or false\)/],
  ["ts_nocheck", /invalid value for option ts_nocheck: "" \(expected true or false\)/],
  ["keep_empty_files=yes", /invalid value for option keep_empty_files: "yes" \(expected true or false\)/],
  ["target=go", /invalid value for option target: "go" \(expected ts, js, dts, or several joined by \+ \(js\+dts\)\)/],
  ["target=js+mjs", /invalid value for option target: "js\+mjs"/],
  ["js_import_style=amd", /invalid value for option js_import_style: "amd" \(expected module or legacy_commonjs\)/],
  ["rewrite_imports=nowhere", /invalid value for option rewrite_imports: "nowhere" \(expected <pattern>:<target>\)/],
  ["runtime_import=", /invalid value for option runtime_import: "" \(expected a module path\)/],
])("%s is an error that lists the allowed values", (parameter, message) => {
  expect(() => checkParameter(parameter)).toThrow(OptionError);
  expect(() => checkParameter(parameter)).toThrow(message);
});

test.each(["ts_nocheck=true", "ts_nocheck=1", "keep_empty_files=false", "import_extension=.js", "elide_plugin_version=true", "rewrite_imports=./x/*:@y/"])("%s is accepted", (parameter) => {
  expect(() => checkParameter(parameter)).not.toThrow();
});

test("a parameter of several options is checked option by option", () => {
  expect(() => checkParameter("target=ts,import_extension=js,int64=string,ts_nocheck=false")).not.toThrow();
  expect(() => checkParameter("target=ts,int64=long")).toThrow(/invalid value for option int64: "long"/);
  expect(() => checkParameter("")).not.toThrow();
});
