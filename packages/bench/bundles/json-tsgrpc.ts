// Size benchmark, (d) one message codec with JSON: decode, then print as JSON.
import { toJsonString } from "@tsgrpc/runtime/protobuf";
import { Scalars } from "../gen-tsgrpc/bench_pb.js";

export function binaryToJson(bytes: Uint8Array): string {
  return toJsonString(Scalars, Scalars.decode(bytes));
}
