// The README's interceptor examples, on the route guide over a real
// connection: a client with a bearer token and a call counter, a server that
// checks the token and writes an access log.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createChannel, createServer, GrpcError, intercept, Status, type Server } from "@tsgrpc/runtime";
import { RouteGuide, RouteGuideClient } from "../gen/routeguide/route_guide_grpc.js";
import { features, routeGuideHandlers } from "../route-guide-server.js";
import { bearerToken, requireBearerToken } from "./auth.js";
import { accessLog, type AccessLogEntry } from "./logging.js";
import { CallCounter, countCalls } from "./metrics.js";

const GET_FEATURE = "/routeguide.RouteGuide/GetFeature";
const LIST_FEATURES = "/routeguide.RouteGuide/ListFeatures";
const RECORD_ROUTE = "/routeguide.RouteGuide/RecordRoute";
const ROUTE_CHAT = "/routeguide.RouteGuide/RouteChat";

/** Fails if `promise` does not settle within 5 s. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within 5 s`)), 5_000)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe("interceptor examples", () => {
  let server: Server;
  let address: string;
  const log: AccessLogEntry[] = [];
  const handled: string[] = [];
  let logged: () => void = () => {};
  let slowListingStarted: () => void = () => {};

  beforeAll(async () => {
    server = createServer({ interceptors: [accessLog((entry) => {
          log.push(entry);
          logged();
        }), requireBearerToken((token) => token === "s3cret")] });
    server.add(RouteGuide, {
      ...routeGuideHandlers,
      getFeature(point, ctx) {
        handled.push("getFeature");
        return routeGuideHandlers.getFeature(point, ctx);
      },
      async *listFeatures(rect, ctx) {
        yield* routeGuideHandlers.listFeatures(rect, ctx);
        // An empty rectangle stands for a slow listing: it ends when the client cancels.
        if (rect.lo === undefined) {
          slowListingStarted();
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
        }
      },
    });
    address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
  });
  afterAll(async () => {
    server.forceShutdown();
    await server.shutdown();
  });
  beforeEach(() => {
    log.length = 0;
    handled.length = 0;
  });

  test("with the token: every kind goes through, is logged and counted", async () => {
    const counter = new CallCounter();
    let refreshes = 0;
    const channel = createChannel(address, {
      interceptors: [
        countCalls(counter),
        bearerToken(() => {
          refreshes++;
          return "s3cret";
        }),
      ],
    });
    try {
      const client = new RouteGuideClient(channel);
      expect((await client.getFeature(features[0]!.location!)).name).toBe(features[0]!.name);
      const rect = { lo: { latitude: 400000000, longitude: -750000000 }, hi: { latitude: 420000000, longitude: -730000000 } };
      let listed = 0;
      for await (const _ of client.listFeatures(rect)) listed++;
      expect(listed).toBe(5);
      expect((await client.recordRoute(features.map((f) => f.location!))).pointCount).toBe(5);
      const notes = [{ location: { latitude: 1, longitude: 1 }, message: "a" }, { location: { latitude: 1, longitude: 1 }, message: "b" }];
      const echoed: string[] = [];
      for await (const note of client.routeChat(notes)) echoed.push(note.message);
      expect(echoed).toEqual(["a"]);

      expect(refreshes).toBe(4);
      expect(counter.toJSON()).toEqual({ [`${GET_FEATURE} OK`]: 1, [`${LIST_FEATURES} OK`]: 1, [`${RECORD_ROUTE} OK`]: 1, [`${ROUTE_CHAT} OK`]: 1 });
      expect(log.map((e) => [e.method, e.code])).toEqual([
        [GET_FEATURE, Status.OK],
        [LIST_FEATURES, Status.OK],
        [RECORD_ROUTE, Status.OK],
        [ROUTE_CHAT, Status.OK],
      ]);
      for (const entry of log) {
        expect(entry.durationMs).toBeGreaterThanOrEqual(0);
        expect(entry.peer).toMatch(/^127\.0\.0\.1:\d+$/);
      }
    } finally {
      channel.close();
    }
  });

  test("without the token: UNAUTHENTICATED before the handler runs, logged and counted", async () => {
    const counter = new CallCounter();
    const channel = createChannel(address);
    try {
      // Set on a client: the same interceptors, around a channel that has none.
      const client = new RouteGuideClient(intercept(channel, countCalls(counter), bearerToken(() => "wrong")));
      const error = await client.getFeature(features[0]!.location!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GrpcError);
      expect((error as GrpcError).code).toBe(Status.UNAUTHENTICATED);
      const anonymous = await new RouteGuideClient(channel).getFeature(features[0]!.location!).catch((e: unknown) => e);
      expect((anonymous as GrpcError).code).toBe(Status.UNAUTHENTICATED);
      expect(handled).toEqual([]);
      expect(counter.toJSON()).toEqual({ [`${GET_FEATURE} UNAUTHENTICATED`]: 1 });
      expect(log.map((e) => [e.method, e.code])).toEqual([
        [GET_FEATURE, Status.UNAUTHENTICATED],
        [GET_FEATURE, Status.UNAUTHENTICATED],
      ]);
    } finally {
      channel.close();
    }
  });

  test("a call the client cancels is logged and counted as CANCELLED", async () => {
    const counter = new CallCounter();
    const channel = createChannel(address, { interceptors: [countCalls(counter), bearerToken(() => "s3cret")] });
    try {
      const client = new RouteGuideClient(channel);
      const serverLogged = new Promise<void>((resolve) => (logged = resolve));
      const started = new Promise<void>((resolve) => (slowListingStarted = resolve));
      const controller = new AbortController();
      const listing = client.listFeatures({}, { signal: controller.signal });
      const reading = (async () => {
        for await (const _ of listing);
      })();
      await within(started, "the server to start listing");
      controller.abort();
      expect(((await reading.catch((e: unknown) => e)) as GrpcError).code).toBe(Status.CANCELLED);
      expect(counter.toJSON()).toEqual({ [`${LIST_FEATURES} CANCELLED`]: 1 });
      // The server learns of the cancel over the network.
      await within(serverLogged, "the server's log entry");
      expect(log.map((e) => [e.method, e.code])).toEqual([[LIST_FEATURES, Status.CANCELLED]]);
    } finally {
      channel.close();
    }
  });
});

test("README's Interceptors section quotes these examples as they are", () => {
  const readme = readFileSync(join(__dirname, "../../../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Interceptors"), readme.indexOf("### Metadata"));
  const sources = ["auth.ts", "logging.ts", "metrics.ts"].map((f) => readFileSync(join(__dirname, f), "utf8")).join("\n");
  const quoted = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((block) => block.includes("export function"));
  expect(quoted.length).toBe(3);
  for (const block of quoted) {
    for (const part of block.split(/\n(?=export function)/)) {
      if (part.startsWith("export function")) expect(sources).toContain(part.trimEnd());
    }
  }
});
