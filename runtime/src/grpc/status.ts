// The 17 gRPC status codes (grpc/grpc doc/statuscodes.md). Values are wire values.

export enum Status {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
}

/** The code's name, e.g. `NOT_FOUND`; `CODE_42` for values outside the enum. */
export function statusName(code: number): string {
  return Status[code] ?? `CODE_${code}`;
}

/** A status code from a wire value; codes outside 0..16 become UNKNOWN, as the spec requires. */
export function toStatus(code: number): Status {
  return Number.isInteger(code) && code >= 0 && code <= 16 ? (code as Status) : Status.UNKNOWN;
}
