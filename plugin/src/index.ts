export { tsgrpcPlugin } from "./plugin.js";
export { withDefaultParameters, defaultParameters } from "./defaults.js";
export type { TsgrpcOptions } from "./options.js";
