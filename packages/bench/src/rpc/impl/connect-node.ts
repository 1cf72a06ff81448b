// @connectrpc/connect-node speaking the gRPC protocol over HTTP/2, with the
// service descriptor protoc-gen-es generated from proto/rpc.proto
// (dist/gen-es/rpc_pb.js): connectNodeAdapter on node:http2's createServer,
// createGrpcTransport and createClient on the client side.
//
// Compression is turned off on both sides: by default connect-node gzips
// response messages of 1 KiB and more whenever the client accepts gzip (and
// grpc-js and tsgrpc clients say they do), while the other servers here send
// identity. Off, every pair moves the same bytes.
import { createClient, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter, createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { DescService } from "@bufbuild/protobuf";
import * as http2 from "node:http2";
import { each, iterableBidi } from "../pushable.js";
import { bodyOf, HOST, pair, type Implementation, type Payload, readPair } from "../protocol.js";

const gen = (await import(new URL("../../gen-es/rpc_pb.js", import.meta.url).href)) as { RpcBench: DescService };

/** The generated client's methods, as this file calls them (the descriptor's static type is not visible here). */
interface Client {
  unary(request: Payload): Promise<Payload>;
  serverStream(request: Payload): AsyncIterable<Payload>;
  clientStream(requests: AsyncIterable<Payload>): Promise<Payload>;
  bidi(requests: AsyncIterable<Payload>): AsyncIterable<Payload>;
}

const handlers = {
  unary(request: Payload): Payload {
    return { body: request.body };
  },
  async *serverStream(request: Payload): AsyncIterable<Payload> {
    const [count, size] = readPair(request.body);
    const body = bodyOf(size);
    for (let i = 0; i < count; i++) yield { body };
  },
  async clientStream(requests: AsyncIterable<Payload>): Promise<Payload> {
    let count = 0;
    let bytes = 0;
    for await (const r of requests) {
      count++;
      bytes += r.body.length;
    }
    return { body: pair(count, bytes) };
  },
  async *bidi(requests: AsyncIterable<Payload>): AsyncIterable<Payload> {
    for await (const r of requests) yield { body: r.body };
  },
};

export const implementation: Implementation = {
  serve() {
    const handler = connectNodeAdapter({
      grpc: true,
      grpcWeb: false,
      connect: false,
      acceptCompression: [],
      routes(router: ConnectRouter) {
        router.service(gen.RpcBench, handlers as never);
      },
    });
    const server = http2.createServer(handler);
    const sessions = new Set<http2.Http2Session>();
    server.on("session", (s: http2.Http2Session) => {
      sessions.add(s);
      s.once("close", () => sessions.delete(s));
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, HOST, () => {
        const address = server.address();
        resolve({
          port: typeof address === "object" && address !== null ? address.port : 0,
          close: () =>
            new Promise<void>((done) => {
              for (const s of sessions) s.destroy();
              server.close(() => done());
            }),
        });
      });
    });
  },

  connect(port) {
    const baseUrl = `http://${HOST}:${port}`;
    // The transport would make this manager itself; made here so that close() can end the session.
    const sessionManager = new Http2SessionManager(baseUrl);
    const transport = createGrpcTransport({ baseUrl, sessionManager, acceptCompression: [] });
    const client = createClient(gen.RpcBench, transport) as unknown as Client;
    return Promise.resolve({
      async unary(body) {
        return (await client.unary({ body })).body;
      },
      async serverStream(count, size, check) {
        const tally = { messages: 0, bytes: 0 };
        for await (const m of client.serverStream({ body: pair(count, size) })) {
          tally.messages++;
          tally.bytes += m.body.length;
          check?.(m.body);
        }
        return tally;
      },
      async clientStream(bodies) {
        return (await client.clientStream(each(bodies))).body;
      },
      bidi: () => iterableBidi((requests) => client.bidi(requests)),
      close() {
        sessionManager.abort();
        return Promise.resolve();
      },
    });
  },
};
