// What the size benchmark bundles: three programs, each written once for
// tsgrpc and once for its peer, over code generated from the same .proto
// files (bench.proto and the examples' route guide). The entry points are
// packages/bench/bundles/*.ts.

export type Side = "tsgrpc" | "peer";

export interface SizeCase {
  readonly name: "codec" | "client" | "server" | "json";
  readonly title: string;
  /** The peer's libraries, as the report names them. */
  readonly peer: string;
  /** Entry points, relative to the bundles folder. */
  readonly entries: Readonly<Record<Side, string>>;
  /** Also bundled for browsers, to show that no Node module comes along. */
  readonly browser: boolean;
}

export const cases: readonly SizeCase[] = [
  {
    name: "codec",
    title: "(a) one message codec: decode + encode of `Scalars` (bench.proto)",
    peer: "protobuf-es",
    entries: { tsgrpc: "codec-tsgrpc.ts", peer: "codec-protobuf-es.ts" },
    browser: true,
  },
  {
    name: "client",
    title: "(b) route guide client: channel + one unary call",
    peer: "protobuf-es + connect-node (gRPC transport)",
    entries: { tsgrpc: "client-tsgrpc.ts", peer: "client-connect.ts" },
    browser: false,
  },
  {
    name: "server",
    title: "(c) route guide server: the four call kinds over HTTP/2",
    peer: "protobuf-es + connect-node (gRPC protocol)",
    entries: { tsgrpc: "server-tsgrpc.ts", peer: "server-connect.ts" },
    browser: false,
  },
  {
    name: "json",
    title: "(d) one message codec with JSON: decode, then `toJsonString`",
    peer: "protobuf-es",
    entries: { tsgrpc: "json-tsgrpc.ts", peer: "json-protobuf-es.ts" },
    browser: true,
  },
];
