export { tsgrpcPlugin } from "./plugin.js";
export { withDefaultParameters, defaultParameters } from "./defaults.js";
export { version, runtimeVersionRange } from "./version.js";
export type { TsgrpcOptions } from "./options.js";
