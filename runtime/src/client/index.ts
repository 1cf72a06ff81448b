// What applications and generated clients use from the client layer.
export { type Channel, type ChannelOptions, createChannel } from "./channel.js";
export type { CallOptions, CallParent } from "./call-options.js";
export type { RequestStream } from "./call.js";
export { type Client, type ClientMethod, createClient } from "./create-client.js";
export * from "./resolver/index.js";
export { type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.js";
export { ConnectivityState } from "./connectivity.js";
export * from "./balancer/index.js";
export * from "./interceptors/index.js";
