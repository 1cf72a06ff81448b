// What applications and generated handler interfaces use from the server layer.
export { createServer, type ListenOptions, type Server, type ServerOptions } from "./server.js";
export type { ServerContext } from "./context.js";
export type {
  BidiStreamingHandler,
  ClientStreamingHandler,
  MethodHandler,
  ServerStreamingHandler,
  ServiceHandlers,
  UnaryHandler,
} from "./handlers.js";
