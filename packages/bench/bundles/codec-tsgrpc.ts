// Size benchmark, (a) one message codec: decode and encode of one message type.
import { Scalars } from "../gen-tsgrpc/bench_pb.js";

export function roundTrip(bytes: Uint8Array): Uint8Array {
  return Scalars.encode(Scalars.decode(bytes));
}
