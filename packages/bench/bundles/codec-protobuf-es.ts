// Size benchmark, (a) one message codec: decode and encode of one message type.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ScalarsSchema } from "../gen-es/bench_pb.js";

export function roundTrip(bytes: Uint8Array): Uint8Array {
  return toBinary(ScalarsSchema, fromBinary(ScalarsSchema, bytes));
}
