// A client-side metrics counter: calls per method and status code, read from
// each call's status once it has ended.
import { type ClientInterceptor, GrpcError, Status, statusName } from "@tsgrpc/runtime";

/** Counts calls by method path and status code. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  add(method: string, code: Status): void {
    const key = `${method} ${statusName(code)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** e.g. `{ "/routeguide.RouteGuide/GetFeature OK": 2 }` */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

export function countCalls(counter: CallCounter): ClientInterceptor {
  return async (call, next) => {
    try {
      const response = await next(call);
      void response.status.then(({ error }) => counter.add(call.method.path, error?.code ?? Status.OK));
      return response;
    } catch (e) {
      counter.add(call.method.path, GrpcError.from(e).code); // failed before any response, e.g. by an inner interceptor
      throw e;
    }
  };
}
