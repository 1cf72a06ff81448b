// Compile-time contract with generated code: a service const declared the way
// protoc-gen-tsgrpc emits it, its handler interface (partial responses) and
// its client class must fit the runtime's types. Checked by tsc; the runtime
// assertions only keep jest happy.
import type { Channel } from "../client/channel.js";
import type { CallOptions } from "../client/call-options.js";
import { createClient } from "../client/create-client.js";
import type { MessageType, PartialMessage } from "../message/types.js";
import type { ServiceDefinition } from "../grpc/service.js";
import type { ServerContext } from "./context.js";
import type { ServiceHandlers } from "./handlers.js";
import { createServer } from "./server.js";

interface HelloRequest {
  name: string;
}
interface HelloReply {
  message: string;
  child?: { note: string };
}
declare const HelloRequest: MessageType<HelloRequest>;
declare const HelloReply: MessageType<HelloReply>;

function defineGreeter() {
  return {
    typeName: "pkg.Greeter",
    methods: {
      sayHello: { name: "SayHello", localName: "sayHello", path: "/pkg.Greeter/SayHello", kind: "unary", input: HelloRequest, output: HelloReply, idempotency: "no_side_effects" },
      lotsOfReplies: { name: "LotsOfReplies", localName: "lotsOfReplies", path: "/pkg.Greeter/LotsOfReplies", kind: "server_streaming", input: HelloRequest, output: HelloReply },
      lotsOfGreetings: { name: "LotsOfGreetings", localName: "lotsOfGreetings", path: "/pkg.Greeter/LotsOfGreetings", kind: "client_streaming", input: HelloRequest, output: HelloReply },
      bidiHello: { name: "BidiHello", localName: "bidiHello", path: "/pkg.Greeter/BidiHello", kind: "bidi_streaming", input: HelloRequest, output: HelloReply },
    },
  } as const satisfies ServiceDefinition;
}
type Greeter = ReturnType<typeof defineGreeter>;

interface GreeterHandlers {
  sayHello(request: HelloRequest, ctx: ServerContext): Promise<PartialMessage<HelloReply>> | PartialMessage<HelloReply>;
  lotsOfReplies(request: HelloRequest, ctx: ServerContext): AsyncIterable<PartialMessage<HelloReply>>;
  lotsOfGreetings(requests: AsyncIterable<HelloRequest>, ctx: ServerContext): Promise<PartialMessage<HelloReply>>;
  bidiHello(requests: AsyncIterable<HelloRequest>, ctx: ServerContext): AsyncIterable<PartialMessage<HelloReply>>;
}

class GreeterClient {
  constructor(
    private readonly channel: Channel,
    private readonly greeter: Greeter,
  ) {}
  sayHello(request: PartialMessage<HelloRequest>, options?: CallOptions): Promise<HelloReply> {
    return this.channel.unary(this.greeter.methods.sayHello, request, options);
  }
  lotsOfReplies(request: PartialMessage<HelloRequest>, options?: CallOptions): AsyncIterable<HelloReply> {
    return this.channel.serverStream(this.greeter.methods.lotsOfReplies, request, options);
  }
  lotsOfGreetings(requests: AsyncIterable<PartialMessage<HelloRequest>>, options?: CallOptions): Promise<HelloReply> {
    return this.channel.clientStream(this.greeter.methods.lotsOfGreetings, requests, options);
  }
  bidiHello(requests: AsyncIterable<PartialMessage<HelloRequest>>, options?: CallOptions): AsyncIterable<HelloReply> {
    return this.channel.bidiStream(this.greeter.methods.bidiHello, requests, options);
  }
}

test("generated-style definitions, handlers and clients type-check against the runtime", () => {
  const typeOnly = (): void => {
    const greeter = defineGreeter();
    const impl: GreeterHandlers = {
      sayHello: (req) => ({ message: `hi ${req.name}`, child: {} }), // partial, nested partial
      async *lotsOfReplies() {
        yield { message: "x" };
      },
      lotsOfGreetings: async () => ({}),
      async *bidiHello(reqs) {
        for await (const r of reqs) yield { message: r.name };
      },
    };
    const handlers: ServiceHandlers<Greeter> = impl;
    createServer().add(greeter, impl).add(greeter, handlers);
    const channel = {} as Channel;
    const client = createClient(greeter, channel);
    const reply: Promise<HelloReply> = client.sayHello({ name: "n" });
    const stream: AsyncIterable<HelloReply> = client.bidiHello([{ name: "n" }]);
    void reply;
    void stream;
    void new GreeterClient(channel, greeter);
  };
  expect(typeof typeOnly).toBe("function");
});
