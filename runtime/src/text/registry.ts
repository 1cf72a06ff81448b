import type { Registry } from "../registry/registry.js";

/**
 * The lookups the text format needs beyond a message's own field table:
 * message types by name (for `google.protobuf.Any`) and extensions (for
 * `[pkg.ext]` fields). Any `Registry` from `createRegistry` fits.
 */
export type TextRegistry = Pick<Registry, "getMessage" | "getExtension" | "getExtensionFor">;
