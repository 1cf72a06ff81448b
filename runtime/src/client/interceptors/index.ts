// What applications use to intercept client calls.
export type { ClientCallInfo, ClientCallStatus, ClientInterceptor, ClientNext, ClientResponse } from "./interceptor.js";
export { intercept } from "./intercept.js";
export { type RespondWithOptions, respondWith } from "./response.js";
