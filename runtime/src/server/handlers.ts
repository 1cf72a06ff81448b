// Handler signatures per method kind (DESIGN.md), and the handler object of a service.
import type { MethodDefinition, ServiceDefinition } from "../grpc/service.js";
import type { ServerContext } from "./context.js";

export type UnaryHandler<I, O> = (request: I, context: ServerContext) => Promise<O> | O;
export type ServerStreamingHandler<I, O> = (request: I, context: ServerContext) => AsyncIterable<O> | Iterable<O>;
export type ClientStreamingHandler<I, O> = (requests: AsyncIterable<I>, context: ServerContext) => Promise<O> | O;
export type BidiStreamingHandler<I, O> = (
  requests: AsyncIterable<I>,
  context: ServerContext,
) => AsyncIterable<O> | Iterable<O>;

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
