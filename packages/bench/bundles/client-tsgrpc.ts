// Size benchmark, (b) the route guide client: a channel and one unary call.
import { createChannel } from "@tsgrpc/runtime";
import { RouteGuideClient } from "../gen-tsgrpc/routeguide/route_guide_grpc.js";

const client = new RouteGuideClient(createChannel(process.argv[2] ?? "127.0.0.1:50051"));
const feature = await client.getFeature({ latitude: 409146138, longitude: -746188906 });
console.log(feature.name);
