// tsgrpc: the service definition, client class and handler interface our
// plugin generated from proto/rpc.proto (dist/gen-tsgrpc/rpc_grpc.js), on
// @tsgrpc/runtime's createServer and createChannel, written as the route
// guide example writes them.
import { createChannel, createServer, type MethodDefinition, type MethodKind } from "@tsgrpc/runtime";
import { each, iterableBidi } from "../pushable.js";
import { bodyOf, HOST, pair, type Implementation, type Payload, readPair } from "../protocol.js";

/** A method of the generated definition, with its kind (which selects the handler's signature). */
type Method<K extends MethodKind> = MethodDefinition<Payload, Payload> & { readonly kind: K };

/** What rpc_grpc.js exports, as its generated declarations say (the bench compiles without them). */
interface Generated {
  RpcBench: {
    readonly typeName: string;
    readonly methods: {
      readonly unary: Method<"unary">;
      readonly serverStream: Method<"server_streaming">;
      readonly clientStream: Method<"client_streaming">;
      readonly bidi: Method<"bidi_streaming">;
    };
  };
  RpcBenchClient: new (channel: ReturnType<typeof createChannel>) => {
    unary(request: Payload): Promise<Payload>;
    serverStream(request: Payload): AsyncIterable<Payload>;
    clientStream(requests: AsyncIterable<Payload>): Promise<Payload>;
    bidi(requests: AsyncIterable<Payload>): AsyncIterable<Payload>;
  };
}

const gen = (await import(new URL("../../gen-tsgrpc/rpc_grpc.js", import.meta.url).href)) as Generated;

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
  async serve(options = {}) {
    const server = createServer(options).add(gen.RpcBench, handlers);
    const port = await server.listen(`${HOST}:0`);
    return {
      port,
      close: () => {
        server.forceShutdown();
        return Promise.resolve();
      },
    };
  },

  async connect(port) {
    const channel = createChannel(`${HOST}:${port}`);
    const client = new gen.RpcBenchClient(channel);
    return {
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
        channel.close();
        return Promise.resolve();
      },
    };
  },
};
