// `npm start`: serves the route guide on 127.0.0.1 and calls it with each
// call kind, a deadline and a cancellation, printing what happens.
import { createChannel, createServer, GrpcError, Status, statusName } from "@tsgrpc/runtime";
import { RouteGuide, RouteGuideClient } from "./gen/routeguide/route_guide_grpc.js";
import type { Point, RouteNote } from "./gen/routeguide/route_guide_pb.js";
import { features, routeGuideHandlers } from "./route-guide-server.js";

function log(what: string, detail: unknown = ""): void {
  console.log(`  ${what.padEnd(34)} ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
}

async function* walk(points: Point[]): AsyncIterable<Point> {
  for (const p of points) yield p;
}

async function* notes(list: Array<[number, number, string]>): AsyncIterable<Partial<RouteNote>> {
  for (const [latitude, longitude, message] of list) yield { location: { latitude, longitude }, message };
}

async function main(): Promise<void> {
  const server = createServer();
  server.add(RouteGuide, {
    ...routeGuideHandlers,
    // A slow feature lookup, so the demo can show a deadline expiring.
    async getFeature(point, ctx) {
      if (point.latitude === 1) {
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
        throw new GrpcError(Status.CANCELLED, "lookup abandoned");
      }
      return routeGuideHandlers.getFeature(point, ctx);
    },
  });
  const port = await server.listen("127.0.0.1:0");
  console.log(`route guide server on 127.0.0.1:${port}`);

  const channel = createChannel(`127.0.0.1:${port}`);
  const client = new RouteGuideClient(channel);
  try {
    console.log("unary GetFeature");
    const feature = await client.getFeature({ latitude: 409146138, longitude: -746188906 });
    log("unknown point", feature.name === "" ? "no feature there" : feature.name);
    const known = await client.getFeature(features[0].location!);
    log("known point", known.name);

    console.log("server streaming ListFeatures");
    let count = 0;
    for await (const f of client.listFeatures({ lo: { latitude: 400000000, longitude: -750000000 }, hi: { latitude: 420000000, longitude: -730000000 } })) {
      count++;
      log(`feature ${count}`, f.name);
    }

    console.log("client streaming RecordRoute");
    const summary = await client.recordRoute(walk(features.map((f) => f.location!)));
    log("summary", { points: summary.pointCount, features: summary.featureCount, metres: summary.distance });

    console.log("bidi streaming RouteChat");
    const chat = client.routeChat(notes([[1, 1, "first at A"], [2, 2, "first at B"], [1, 1, "second at A"], [2, 2, "second at B"]]));
    for await (const note of chat) log("earlier note echoed", note.message);

    console.log("deadline");
    try {
      await client.getFeature({ latitude: 1, longitude: 1 }, { timeout: 100 });
      log("unexpected success");
    } catch (e) {
      log("slow call with 100 ms timeout", e instanceof GrpcError ? statusName(e.code) : String(e));
      if (!(e instanceof GrpcError) || e.code !== Status.DEADLINE_EXCEEDED) throw e;
    }

    console.log("cancellation");
    const controller = new AbortController();
    const stream = client.listFeatures({ lo: { latitude: 0, longitude: -900000000 }, hi: { latitude: 900000000, longitude: 0 } }, { signal: controller.signal });
    try {
      for await (const f of stream) {
        log("got one feature, cancelling", f.name);
        controller.abort();
      }
      log("unexpected end of stream");
    } catch (e) {
      log("stream after abort", e instanceof GrpcError ? statusName(e.code) : String(e));
      if (!(e instanceof GrpcError) || e.code !== Status.CANCELLED) throw e;
    }
  } finally {
    channel.close();
    await server.shutdown();
  }
  console.log("done");
}

main().catch((e: unknown) => {
  console.error("demo failed:", e);
  process.exit(1);
});
