// Runs a handler and turns its result into the response. The four kinds share
// this; they differ only in whether the result is one message (value or
// Promise) or a stream (an async or sync iterable) written with flow control.
import type { ServerContext } from "./context.js";
import type { Route } from "./server-call.js";

/**
 * The call a handler's result is written to: ServerCall over HTTP/2, or the
 * in-memory channel's server side.
 */
export interface DispatchedCall extends ServerContext {
  /** True once the outcome is decided; later results, writes and errors are ignored. */
  readonly done: boolean;
  /** Writes one response of a stream; false means wait for `drained()` before the next. Throws GrpcError. */
  send(message: unknown): boolean;
  drained(): Promise<void>;
  /** Completes a single-response call with `message`. */
  respond(message: unknown): void;
  /** A handler failed: GrpcErrors are sent as they are; anything else is reported and becomes UNKNOWN. */
  fail(error: unknown): void;
  /** Ends a response stream with OK. */
  finish(error: null): void;
}

export function dispatch(route: Route, call: DispatchedCall, input: unknown): void {
  let result: unknown;
  try {
    result = route.handler(input, call);
  } catch (e) {
    call.fail(e);
    return;
  }
  if (route.responseStream) {
    void writeResponses(call, result);
  } else if (isPromiseLike(result)) {
    result.then(
      (message) => call.respond(message),
      (e: unknown) => call.fail(e),
    );
  } else {
    call.respond(result); // synchronous handlers complete without a Promise
  }
}

async function writeResponses(call: DispatchedCall, output: unknown): Promise<void> {
  let iterator: AsyncIterator<unknown> | Iterator<unknown>;
  let sync: boolean;
  try {
    [iterator, sync] = iteratorOf(output);
  } catch (e) {
    call.fail(e);
    return;
  }
  try {
    for (;;) {
      if (call.done) break;
      // A sync iterable (an array, a generator function) is read without a
      // Promise per message; only flow control makes the loop wait.
      const next = sync ? (iterator as Iterator<unknown>).next() : await iterator.next();
      if (next.done === true) {
        call.finish(null);
        return;
      }
      let value: unknown = next.value;
      if (sync && isPromiseLike(value)) value = await value; // as `for await` does for sync iterables
      if (call.done) break;
      if (!call.send(value)) await call.drained();
    }
  } catch (e) {
    call.fail(e);
  }
  // The call ended under the handler (cancel, deadline, a failed write): let the generator run its finally blocks.
  try {
    await iterator.return?.();
  } catch {
    // the call is over; a generator failing in its cleanup has nobody left to tell
  }
}

/** The iterator of a streaming handler's result, and whether it is a sync one. */
function iteratorOf(output: unknown): [AsyncIterator<unknown> | Iterator<unknown>, boolean] {
  if (output !== null && typeof output === "object") {
    if (Symbol.asyncIterator in output) return [(output as AsyncIterable<unknown>)[Symbol.asyncIterator](), false];
    if (Symbol.iterator in output) return [(output as Iterable<unknown>)[Symbol.iterator](), true];
  }
  throw new TypeError("a streaming handler must return an AsyncIterable or an Iterable");
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function";
}
