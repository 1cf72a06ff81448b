// What applications and generated handler interfaces use from the server layer.
export { createServer, type ListenOptions, type Server, type ServerOptions } from "./server.js";
export type { AuthContext, PeerCertificate, ServerContext } from "./context.js";
export * from "./interceptors/index.js";
export type {
  BidiStreamingHandler,
  ClientStreamingHandler,
  MethodHandler,
  ServerStreamingHandler,
  ServiceHandlers,
  UnaryHandler,
} from "./handlers.js";
