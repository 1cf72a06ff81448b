// The only thing the gRPC layer knows about messages. Generated `MessageType`s
// satisfy it, and so do the hand-written codecs used in tests, which keeps
// client and server independent of how messages are generated.
import type { PartialMessage } from "../message/types.js";

//
// `T` is inferred from decode() alone (NoInfer elsewhere): generated codecs
// also accept partial messages in encode(), and inferring through that would
// type `channel.unary(method, …)` as resolving to partial replies.
export interface Codec<T> {
  /** Fully-qualified protobuf name, e.g. `pkg.HelloRequest`. */
  readonly typeName: string;
  /** Encodes a message; fields a partial message leaves out count as unset, so no create() is needed first. */
  encode(message: PartialMessage<NoInfer<T>>): Uint8Array;
  /** Optional: encode with `headroom` free bytes in front, so framing needs no copy (generated codecs have it). */
  encodeWithHeadroom?(message: PartialMessage<NoInfer<T>>, headroom: number): Uint8Array;
  /** Optional: encode into `target` at `offset`; bytes written, or `-1 - size` when it does not fit (see MessageType). */
  encodeInto?(message: PartialMessage<NoInfer<T>>, target: Uint8Array, offset: number): number;
  /** `aliasBytes`: the gRPC runtime owns `bytes`, so `bytes` fields may be views into it (see BinaryReadOptions). */
  decode(bytes: Uint8Array, options?: { readonly aliasBytes?: boolean }): T;
  /** A complete message from a partial one (missing fields at their zero values). */
  create(init?: PartialMessage<NoInfer<T>>): T;
}
