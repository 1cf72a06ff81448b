// unix:path, unix:///absolute/path and unix-abstract:name (naming.md).
import type { BuiltinScheme, ParsedTarget } from "./resolver.js";
import { staticResolver } from "./static.js";

/** unix:///abs has an empty authority and endpoint "abs" (the URI form); unix:rel keeps its path as written. */
function unixPath(target: ParsedTarget): string {
  return target.target.slice("unix:".length).replace(/^\/\//, "");
}

export const unixScheme: BuiltinScheme = {
  check(target) {
    const rest = target.target.slice("unix:".length);
    const path = unixPath(target);
    if (path === "") return "needs a socket path";
    if (rest.startsWith("//") && !path.startsWith("/")) return "unix:// needs an absolute path (three slashes: unix:///path)";
    return undefined;
  },
  authority: () => "localhost",
  factory: (target, listener) => staticResolver([{ kind: "unix", path: unixPath(target) }], listener),
};

export const unixAbstractScheme: BuiltinScheme = {
  check(target) {
    return target.endpoint.includes("\0") ? "an abstract socket name cannot contain NUL" : undefined;
  },
  authority: () => "localhost",
  // The abstract namespace is the socket path with a leading NUL byte (Linux).
  factory: (target, listener) => staticResolver([{ kind: "unix", path: `\0${target.endpoint}` }], listener),
};
