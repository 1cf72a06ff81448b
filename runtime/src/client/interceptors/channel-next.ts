// The innermost `next` of a client chain: one ClientCallInfo onto the wrapped
// channel's method for its kind, with hooks that fill the response's headers
// and status. The caller's own onHeader/onTrailer are not called here but by
// the outermost adapter, once, whatever the chain did in between (a retry
// calls this more than once).
import { GrpcError } from "../../grpc/grpc-error.js";
import { Metadata, toMetadata } from "../../grpc/metadata.js";
import type { MethodDefinition } from "../../grpc/service.js";
import { Status } from "../../grpc/status.js";
import type { PartialMessage } from "../../message/types.js";
import type { CallOptions } from "../call-options.js";
import type { Channel } from "../channel.js";
import type { ClientCallInfo, ClientResponse } from "./interceptor.js";
import { noMetadata, settlingMessages } from "./response.js";

/** Runs `call` on `channel`: the end of every chain. */
export async function callChannel<I, O>(channel: Channel, call: ClientCallInfo<I, O>): Promise<ClientResponse<O>> {
  const method = call.method;
  let resolveHeaders!: (headers: Metadata) => void;
  const headers = new Promise<Metadata>((resolve) => (resolveHeaders = resolve));
  let trailers: Metadata | undefined;
  const options: CallOptions = {
    ...call.options,
    metadata: requestMetadata(call),
    onHeader: resolveHeaders,
    onTrailer: (received) => {
      trailers = received;
      resolveHeaders(noMetadata()); // a Trailers-Only response: no headers will come
    },
  };
  let source: AsyncIterable<O>;
  switch (method.kind) {
    case "unary":
      source = single(channel.unary(method, await oneRequest(call), options));
      break;
    case "server_streaming":
      source = channel.serverStream(method, await oneRequest(call), options);
      break;
    case "client_streaming":
      source = single(channel.clientStream(method, call.requests, options));
      break;
    case "bidi_streaming":
      source = channel.bidiStream(method, call.requests, options);
      break;
  }
  const response = settlingMessages(source, () => trailers);
  // A call that ended without headers (failed locally, or Trailers-Only) resolves them empty.
  void response.status.then(() => resolveHeaders(noMetadata()));
  return { headers, ...response };
}

/**
 * The metadata to send: the call's, plus any `options.metadata` an
 * interceptor put back into the options (the adapter takes it out and
 * merges it into `call.metadata`).
 */
function requestMetadata<I, O>(call: ClientCallInfo<I, O>): Metadata {
  const extra = call.options.metadata;
  return extra === undefined ? call.metadata : new Metadata(call.metadata).merge(toMetadata(extra)!);
}

/**
 * The request of a unary or server-streaming call: exactly one message from
 * `call.requests`, which an interceptor may have replaced by any iterable.
 */
async function oneRequest<I, O>(call: ClientCallInfo<I, O>): Promise<PartialMessage<I>> {
  const requests = call.requests;
  if (Array.isArray(requests) && requests.length === 1) return requests[0] as PartialMessage<I>;
  let request: PartialMessage<I> | undefined;
  let count = 0;
  for await (const message of requests) {
    if (count++ === 0) request = message;
    else break;
  }
  if (count !== 1) {
    throw new GrpcError(
      Status.INTERNAL,
      `${describe(call.method)} takes exactly one request, the interceptors gave ${count === 0 ? "none" : "more than one"}`,
    );
  }
  return request!;
}

function describe<I, O>(method: MethodDefinition<I, O>): string {
  return `${method.kind.replace("_", "-")} method ${method.path}`;
}

/** The one response as a stream; a failure nobody reads (the chain gave up on this attempt) is not unhandled. */
function single<O>(response: Promise<O>): AsyncIterable<O> {
  response.catch(noop);
  return (async function* () {
    yield await response;
  })();
}

function noop(): void {}
