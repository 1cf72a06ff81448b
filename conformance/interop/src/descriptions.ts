// What grpc/grpc doc/interop-test-descriptions.md fixes, shared by the tsgrpc
// and the grpc-js implementations: case names, sizes, metadata keys, messages.
// No runtime imports: the grpc-js side uses this file too.

/** The cases both clients implement, in the order `--test_case=all` runs them (then those only run by name). */
export const CASE_NAMES = [
  "empty_unary",
  "large_unary",
  "client_compressed_unary",
  "server_compressed_unary",
  "client_streaming",
  "client_compressed_streaming",
  "server_streaming",
  "server_compressed_streaming",
  "ping_pong",
  "empty_stream",
  "timeout_on_sleeping_server",
  "cancel_after_begin",
  "cancel_after_first_response",
  "custom_metadata",
  "status_code_and_message",
  "special_status_message",
  "unimplemented_method",
  "unimplemented_service",
  "pick_first_unary",
] as const;

export type CaseName = (typeof CASE_NAMES)[number];

/**
 * Cases `--test_case=all` leaves out: pick_first_unary needs servers that
 * fill `server_id` and a target naming several of them, which grpc/grpc's
 * runners set up only for that case (grpc-go's run list leaves it out too).
 */
export const BY_NAME_ONLY: readonly CaseName[] = ["pick_first_unary"];

/** What `--test_case=all` runs, in order. */
export const ALL_CASES: readonly CaseName[] = CASE_NAMES.filter((name) => !BY_NAME_ONLY.includes(name));

export function isCaseName(name: string): name is CaseName {
  return (CASE_NAMES as readonly string[]).includes(name);
}

/** large_unary and the cases built on it. */
export const LARGE_REQUEST_SIZE = 271828;
export const LARGE_RESPONSE_SIZE = 314159;

/** client_streaming: request payload sizes and their sum. */
export const CLIENT_STREAMING_SIZES = [27182, 8, 1828, 45904] as const;
export const CLIENT_STREAMING_TOTAL = 74922;

/** server_streaming and ping_pong: response sizes (ping_pong sends CLIENT_STREAMING_SIZES). */
export const SERVER_STREAMING_SIZES = [31415, 9, 2653, 58979] as const;

/** client_compressed_streaming: the compressed message, the uncompressed one, their sum. */
export const COMPRESSED_STREAMING_REQUEST_SIZES = [27182, 45904] as const;
export const COMPRESSED_STREAMING_TOTAL = 73086;

/** server_compressed_streaming: response sizes, the first compressed, the second not. */
export const COMPRESSED_STREAMING_RESPONSE_SIZES = [31415, 92653] as const;

/** cancel_after_first_response and timeout_on_sleeping_server. */
export const PING_REQUEST_SIZE = 27182;
export const PING_RESPONSE_SIZE = 31415;

export const ECHO_INITIAL_KEY = "x-grpc-test-echo-initial";
export const ECHO_INITIAL_VALUE = "test_initial_metadata_value";
export const ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin";
export const ECHO_TRAILING_VALUE: readonly number[] = [0xab, 0xab, 0xab];

/** pick_first_unary: unary calls that must all reach one server (grpc-go's DoPickFirstUnary makes 100). */
export const PICK_FIRST_CALLS = 100;

/** status_code_and_message */
export const STATUS_CODE = 2;
export const STATUS_MESSAGE = "test status message";
/** special_status_message: whitespace, a BMP and a non-BMP code point. */
export const SPECIAL_STATUS_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \u{1F608}\t\n";

/** Status codes the cases assert (wire values, so the grpc-js side can share them). */
export const CODE = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  UNIMPLEMENTED: 12,
} as const;

/** The grpc-js client cannot see the Compressed-Flag of responses; its server_compressed_* cases say so. */
export const NOTE_FLAGS_NOT_OBSERVABLE = "compressed flag not observable through @grpc/grpc-js; sizes and contents checked";
