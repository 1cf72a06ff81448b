// Bearer-token auth: the client interceptor adds the token to every call, the
// server interceptor rejects calls without a valid one before the handler runs.
import { type ClientInterceptor, GrpcError, type ServerInterceptor, Status } from "@tsgrpc/runtime";

/** Sends `authorization: Bearer <token>`; `getToken` is asked on every call, so a token may refresh. */
export function bearerToken(getToken: () => string | Promise<string>): ClientInterceptor {
  return async (call, next) => {
    call.metadata.set("authorization", `Bearer ${await getToken()}`);
    return next(call);
  };
}

/** Fails calls with UNAUTHENTICATED unless they carry a bearer token that `isValid` accepts. */
export function requireBearerToken(isValid: (token: string) => boolean | Promise<boolean>): ServerInterceptor {
  return async function* (call, next) {
    const header = call.context.metadata.get("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
    if (token === undefined || !(await isValid(token))) {
      throw new GrpcError(Status.UNAUTHENTICATED, "missing or invalid bearer token");
    }
    yield* next(call);
  };
}
