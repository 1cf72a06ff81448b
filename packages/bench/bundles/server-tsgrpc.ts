// Size benchmark, (c) the route guide server: all four call kinds, served over HTTP/2.
import { createServer } from "@tsgrpc/runtime";
import type { Point } from "../gen-tsgrpc/routeguide/route_guide_pb.js";
import { RouteGuide } from "../gen-tsgrpc/routeguide/route_guide_grpc.js";

const server = createServer();
server.add(RouteGuide, {
  getFeature: (point) => ({ name: "", location: point }),
  async *listFeatures(rect) {
    if (rect.lo !== undefined) yield { name: "corner", location: rect.lo };
  },
  async recordRoute(points: AsyncIterable<Point>) {
    let pointCount = 0;
    for await (const _ of points) pointCount++;
    return { pointCount };
  },
  async *routeChat(notes) {
    for await (const note of notes) yield note;
  },
});
console.log(await server.listen(process.argv[2] ?? "127.0.0.1:50051"));
