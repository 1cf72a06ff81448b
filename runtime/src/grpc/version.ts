// Kept by hand in step with runtime/package.json: reading package.json at run
// time would need import.meta or fs, which neither bundlers nor CJS tests like.
export const VERSION = "0.1.0";

/** `grpc-<language>-<variant>/<version>`, the structure PROTOCOL-HTTP2.md recommends. */
export const USER_AGENT = `grpc-node-tsgrpc/${VERSION}`;
