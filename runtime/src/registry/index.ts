// Type registries (for google.protobuf.Any and extensions) and access to extension values.
export { createRegistry, type Registry, type RegistryType } from "./registry.js";
export { clearExtension, getExtension, hasExtension, setExtension } from "./extension-value.js";
