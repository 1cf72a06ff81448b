// Handler signatures per method kind (DESIGN.md), and the handler object of a
// service. Responses may be partial messages, like requests on the client:
// the server completes them with the codec's create() before encoding.
import type { MethodDefinition, ServiceDefinition } from "../grpc/service.js";
import type { PartialMessage } from "../message/types.js";
import type { ServerContext } from "./context.js";

export type UnaryHandler<I, O> = (
  request: I,
  context: ServerContext,
) => Promise<PartialMessage<O>> | PartialMessage<O>;
export type ServerStreamingHandler<I, O> = (
  request: I,
  context: ServerContext,
) => AsyncIterable<PartialMessage<O>> | Iterable<PartialMessage<O>>;
export type ClientStreamingHandler<I, O> = (
  requests: AsyncIterable<I>,
  context: ServerContext,
) => Promise<PartialMessage<O>> | PartialMessage<O>;
export type BidiStreamingHandler<I, O> = (
  requests: AsyncIterable<I>,
  context: ServerContext,
) => AsyncIterable<PartialMessage<O>> | Iterable<PartialMessage<O>>;

/** The handler signature of one method, from its kind. */
export type MethodHandler<M> =
  M extends MethodDefinition<infer I, infer O>
    ? M["kind"] extends "unary"
      ? UnaryHandler<I, O>
      : M["kind"] extends "server_streaming"
        ? ServerStreamingHandler<I, O>
        : M["kind"] extends "client_streaming"
          ? ClientStreamingHandler<I, O>
          : BidiStreamingHandler<I, O>
    : never;

/** Handlers keyed by method localName; methods left out answer UNIMPLEMENTED. */
export type ServiceHandlers<S extends ServiceDefinition> = {
  readonly [K in keyof S["methods"]]?: MethodHandler<S["methods"][K]>;
};
