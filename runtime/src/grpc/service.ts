// The shape of the service constants the code generator emits. Client and
// server are driven by these descriptions alone.
import type { Codec } from "./codec.js";

export type MethodKind = "unary" | "server_streaming" | "client_streaming" | "bidi_streaming";

export interface MethodDefinition<I, O> {
  /** Name in the .proto file, e.g. `SayHello`. */
  readonly name: string;
  /** Property name on clients and handler objects, e.g. `sayHello`. */
  readonly localName: string;
  /** HTTP/2 `:path`, e.g. `/pkg.Greeter/SayHello`. */
  readonly path: string;
  readonly kind: MethodKind;
  readonly input: Codec<I>;
  readonly output: Codec<O>;
  readonly idempotency?: "no_side_effects" | "idempotent";
}

export interface ServiceDefinition {
  /** Fully-qualified service name, e.g. `pkg.Greeter`. */
  readonly typeName: string;
  /**
   * Keyed by `localName`. `unknown` (not a concrete message type) so that any
   * method definition fits; codec methods are compared bivariantly.
   */
  readonly methods: Readonly<Record<string, MethodDefinition<unknown, unknown>>>;
}

/** Whether the client sends a stream of messages (else exactly one). */
export function isRequestStream(kind: MethodKind): boolean {
  return kind === "client_streaming" || kind === "bidi_streaming";
}

/** Whether the server answers with a stream of messages (else exactly one). */
export function isResponseStream(kind: MethodKind): boolean {
  return kind === "server_streaming" || kind === "bidi_streaming";
}
