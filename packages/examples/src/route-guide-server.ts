// A route guide server: a fixed set of features and handlers for all four call kinds.
import { GrpcError, Status, type PartialMessage, type ServerContext } from "@tsgrpc/runtime";
import type { Feature, Point, Rectangle, RouteNote, RouteSummary } from "./gen/routeguide/route_guide_pb.js";
import type { RouteGuideHandlers } from "./gen/routeguide/route_guide_grpc.js";

export const features: Feature[] = [
  { name: "Patriots Path, Mendham, NJ 07945, USA", location: { latitude: 407838351, longitude: -746143763 } },
  { name: "101 New Jersey 10, Whippany, NJ 07981, USA", location: { latitude: 408122808, longitude: -743999179 } },
  { name: "U.S. 6, Shohola, PA 18458, USA", location: { latitude: 413628156, longitude: -749015468 } },
  { name: "5 Conners Road, Kingston, NY 12401, USA", location: { latitude: 419999544, longitude: -740371136 } },
  { name: "Mid Hudson Psychiatric Center, New Hampton, NY 10958, USA", location: { latitude: 414008389, longitude: -743951297 } },
];

function inside(p: Point, r: Rectangle): boolean {
  const lo = r.lo ?? { latitude: 0, longitude: 0 };
  const hi = r.hi ?? { latitude: 0, longitude: 0 };
  const [minLat, maxLat] = [Math.min(lo.latitude, hi.latitude), Math.max(lo.latitude, hi.latitude)];
  const [minLon, maxLon] = [Math.min(lo.longitude, hi.longitude), Math.max(lo.longitude, hi.longitude)];
  return p.latitude >= minLat && p.latitude <= maxLat && p.longitude >= minLon && p.longitude <= maxLon;
}

/** Great-circle distance in metres (haversine), coordinates in 1e-7 degrees. */
export function distance(a: Point, b: Point): number {
  const rad = (deg: number): number => ((deg / 1e7) * Math.PI) / 180;
  const dLat = rad(b.latitude) - rad(a.latitude);
  const dLon = rad(b.longitude) - rad(a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return Math.round(6371000 * 2 * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h)));
}

export const routeGuideHandlers: RouteGuideHandlers = {
  getFeature(point: Point): PartialMessage<Feature> {
    return features.find((f) => sameLocation(f.location, point)) ?? { location: point };
  },

  async *listFeatures(rect: Rectangle, ctx: ServerContext): AsyncIterable<PartialMessage<Feature>> {
    for (const f of features) {
      if (ctx.signal.aborted) return;
      if (f.location !== undefined && inside(f.location, rect)) yield f;
    }
  },

  async recordRoute(points: AsyncIterable<Point>): Promise<PartialMessage<RouteSummary>> {
    const start = Date.now();
    let pointCount = 0;
    let featureCount = 0;
    let dist = 0;
    let previous: Point | undefined;
    for await (const p of points) {
      pointCount++;
      if (features.some((f) => sameLocation(f.location, p))) featureCount++;
      if (previous !== undefined) dist += distance(previous, p);
      previous = p;
    }
    return { pointCount, featureCount, distance: dist, elapsedTime: Math.round((Date.now() - start) / 1000) };
  },

  async *routeChat(notes: AsyncIterable<RouteNote>, ctx: ServerContext): AsyncIterable<PartialMessage<RouteNote>> {
    const seen: RouteNote[] = [];
    for await (const note of notes) {
      if (note.location === undefined) throw new GrpcError(Status.INVALID_ARGUMENT, "a note needs a location");
      // Echo every earlier note made at the same place, then remember this one.
      for (const earlier of seen) if (sameLocation(earlier.location, note.location)) yield earlier;
      seen.push(note);
      if (ctx.signal.aborted) return;
    }
  },
};

function sameLocation(a: Point | undefined, b: Point | undefined): boolean {
  return a !== undefined && b !== undefined && a.latitude === b.latitude && a.longitude === b.longitude;
}
