// A client object built from a ServiceDefinition: one method per rpc, named by
// its localName, typed from the definition. Generated client classes can
// delegate to the same Channel methods directly.
import type { MethodDefinition, ServiceDefinition } from "../grpc/service.js";
import type { PartialMessage } from "../message/types.js";
import type { RequestStream } from "./call.js";
import { type CallOptions, mergeCallOptions } from "./call-options.js";
import type { Channel } from "./channel.js";

/** The client-side signature of one method, from its kind. */
export type ClientMethod<M> =
  M extends MethodDefinition<infer I, infer O>
    ? M["kind"] extends "unary"
      ? (request: PartialMessage<I>, options?: CallOptions) => Promise<O>
      : M["kind"] extends "server_streaming"
        ? (request: PartialMessage<I>, options?: CallOptions) => AsyncIterable<O>
        : M["kind"] extends "client_streaming"
          ? (requests: RequestStream<I>, options?: CallOptions) => Promise<O>
          : (requests: RequestStream<I>, options?: CallOptions) => AsyncIterable<O>
    : never;

export type Client<S extends ServiceDefinition> = {
  readonly [K in keyof S["methods"]]: ClientMethod<S["methods"][K]>;
};

export function createClient<S extends ServiceDefinition>(service: S, channel: Channel, defaults?: CallOptions): Client<S> {
  const client: Record<string, unknown> = {};
  for (const [localName, method] of Object.entries(service.methods)) {
    switch (method.kind) {
      case "unary":
        client[localName] = (request: PartialMessage<unknown>, options?: CallOptions) =>
          channel.unary(method, request, mergeCallOptions(defaults, options));
        break;
      case "server_streaming":
        client[localName] = (request: PartialMessage<unknown>, options?: CallOptions) =>
          channel.serverStream(method, request, mergeCallOptions(defaults, options));
        break;
      case "client_streaming":
        client[localName] = (requests: RequestStream<unknown>, options?: CallOptions) =>
          channel.clientStream(method, requests, mergeCallOptions(defaults, options));
        break;
      case "bidi_streaming":
        client[localName] = (requests: RequestStream<unknown>, options?: CallOptions) =>
          channel.bidiStream(method, requests, mergeCallOptions(defaults, options));
        break;
    }
  }
  return client as Client<S>;
}
