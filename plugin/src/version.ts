/** This plugin's version. */
export const version = "0.1.0";

/**
 * The versions of @tsgrpc/runtime that code from this plugin works with: the
 * generated header states it, and the package declares it as a peer
 * dependency. Raise it when generated code starts to use something new of
 * `@tsgrpc/runtime/codegen`.
 */
export const runtimeVersionRange = "^0.1.0";
