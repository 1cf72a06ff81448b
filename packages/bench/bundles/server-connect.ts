// Size benchmark, (c) the route guide server: all four call kinds, served over HTTP/2 (gRPC protocol only).
import { createServer } from "node:http2";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { RouteGuide } from "../gen-es/routeguide/route_guide_pb.js";

const routes = (router: ConnectRouter): void => {
  router.service(RouteGuide, {
    getFeature: (point) => ({ name: "", location: point }),
    async *listFeatures(rect) {
      if (rect.lo !== undefined) yield { name: "corner", location: rect.lo };
    },
    async recordRoute(points) {
      let pointCount = 0;
      for await (const _ of points) pointCount++;
      return { pointCount };
    },
    async *routeChat(notes) {
      for await (const note of notes) yield note;
    },
  });
};
const handler = connectNodeAdapter({ routes, grpc: true, grpcWeb: false, connect: false });
createServer(handler).listen(Number(process.argv[2] ?? 50051));
