// Size benchmark, (b) the route guide client: a gRPC transport and one unary call.
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { RouteGuide } from "../gen-es/routeguide/route_guide_pb.js";

const client = createClient(RouteGuide, createGrpcTransport({ baseUrl: `http://${process.argv[2] ?? "127.0.0.1:50051"}` }));
const feature = await client.getFeature({ latitude: 409146138, longitude: -746188906 });
console.log(feature.name);
