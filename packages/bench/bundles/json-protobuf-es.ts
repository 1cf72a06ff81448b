// Size benchmark, (d) one message codec with JSON: decode, then print as JSON.
import { fromBinary, toJsonString } from "@bufbuild/protobuf";
import { ScalarsSchema } from "../gen-es/bench_pb.js";

export function binaryToJson(bytes: Uint8Array): string {
  return toJsonString(ScalarsSchema, fromBinary(ScalarsSchema, bytes));
}
