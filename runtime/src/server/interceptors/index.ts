// What applications use to intercept server calls.
export type { ServerCallInfo, ServerInterceptor, ServerNext } from "./interceptor.js";
