// Status codes, messages and details from handlers; UNKNOWN for other throws;
// UNIMPLEMENTED for unknown methods.
import { createChannel } from "../../src/client/index.js";
import { GrpcError, Metadata, Status } from "../../src/grpc/index.js";
import { createServer, type ServerContext } from "../../src/server/index.js";
import { collect, type Echo, rejection, startHarness, TestService, within } from "./fixtures.js";

const empty = new Uint8Array(0);
const echo = (text: string): Echo => ({ text, data: empty, count: 0 });

test("a GrpcError from a handler reaches the client with message, trailers and details", async () => {
  const details = [
    { typeUrl: "type.googleapis.com/google.rpc.BadRequest", value: Uint8Array.of(10, 3, 10, 1, 120) },
    { typeUrl: "type.googleapis.com/google.rpc.RetryInfo", value: Uint8Array.of(10, 2, 8, 5) },
  ];
  const h = await startHarness({
    unary() {
      throw new GrpcError(Status.INVALID_ARGUMENT, "name must not be empty — ü 100%\n", {
        metadata: { "x-error-id": "42", "x-bin": Uint8Array.of(7) },
        statusDetails: details,
      });
    },
  });
  try {
    const error = (await within(rejection(h.channel.unary(TestService.methods.unary, {})))) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.code).toBe(Status.INVALID_ARGUMENT);
    expect(error.details).toBe("name must not be empty — ü 100%\n");
    expect(error.message).toBe("INVALID_ARGUMENT: name must not be empty — ü 100%\n");
    expect(error.metadata.get("x-error-id")).toBe("42");
    expect(error.metadata.get("x-bin")).toEqual(Uint8Array.of(7));
    expect(error.statusDetails).toEqual(details);
    expect(error.rawStatusDetails).toBeInstanceOf(Uint8Array);
  } finally {
    await h.close();
  }
});

test("every status code round-trips, with setTrailer metadata", async () => {
  const h = await startHarness({
    unary(req, ctx) {
      ctx.setTrailer({ "x-code": String(req.count) });
      if (req.count === 0) return echo("ok");
      throw new GrpcError(req.count, `code ${req.count}`);
    },
  });
  try {
    for (let code = 1; code <= 16; code++) {
      const trailers: Metadata[] = [];
      const error = (await within(
        rejection(h.channel.unary(TestService.methods.unary, { count: code }, { onTrailer: (md) => trailers.push(md) })),
      )) as GrpcError;
      expect([error.code, error.details, error.metadata.get("x-code")]).toEqual([code, `code ${code}`, String(code)]);
      expect(trailers[0]!.get("x-code")).toBe(String(code));
    }
  } finally {
    await h.close();
  }
});

test("a handler throwing anything else gives UNKNOWN without leaking it, and reaches onError", async () => {
  const reported: Array<[unknown, string]> = [];
  const server = createServer({
    onError: (error, ctx: ServerContext) => reported.push([error, ctx.method.path]),
  });
  server.add(TestService, {
    unary() {
      throw new Error("secret database password in stack");
    },
    async clientStream() {
      throw new TypeError("async failure");
    },
    serverStream() {
      return 42 as unknown as AsyncIterable<Echo>; // not iterable
    },
    async *bidi(reqs) {
      for await (const r of reqs) {
        yield echo(r.text);
        throw new RangeError("mid-stream");
      }
    },
  });
  const port = await server.listen("127.0.0.1:0");
  const channel = createChannel(`127.0.0.1:${port}`);
  try {
    const unary = (await within(rejection(channel.unary(TestService.methods.unary, {})))) as GrpcError;
    expect([unary.code, unary.details]).toEqual([Status.UNKNOWN, "unknown error"]);
    expect(unary.message).not.toContain("secret");
    const client = (await within(rejection(channel.clientStream(TestService.methods.clientStream, [{}])))) as GrpcError;
    expect(client.code).toBe(Status.UNKNOWN);
    const server2 = (await within(rejection(collect(channel.serverStream(TestService.methods.serverStream, {}))))) as GrpcError;
    expect(server2.code).toBe(Status.UNKNOWN);
    // A failure after some messages: the client gets the messages, then the status.
    const received: string[] = [];
    const bidiError = await within(
      rejection(
        (async () => {
          for await (const r of channel.bidiStream(TestService.methods.bidi, [{ text: "a" }, { text: "b" }])) received.push(r.text);
        })(),
      ),
    );
    expect(received).toEqual(["a"]);
    expect(bidiError).toMatchObject({ code: Status.UNKNOWN });
    expect(reported.map(([e, p]) => [(e as Error).constructor.name, p])).toEqual([
      ["Error", "/test.TestService/Unary"],
      ["TypeError", "/test.TestService/ClientStream"],
      ["TypeError", "/test.TestService/ServerStream"],
      ["RangeError", "/test.TestService/Bidi"],
    ]);
  } finally {
    channel.close();
    await within(server.shutdown());
  }
});

test("unknown service, unknown method and unregistered handler answer UNIMPLEMENTED", async () => {
  const h = await startHarness({ unary: (req) => req }); // no streaming handlers registered
  try {
    const unknownService = { ...TestService.methods.unary, path: "/test.Nope/Unary" };
    const unknownMethod = { ...TestService.methods.unary, path: "/test.TestService/Nope" };
    for (const method of [unknownService, unknownMethod]) {
      const error = (await within(rejection(h.channel.unary(method, {})))) as GrpcError;
      expect(error.code).toBe(Status.UNIMPLEMENTED);
      expect(error.details).toContain(method.path);
    }
    const missing = (await within(rejection(collect(h.channel.bidiStream(TestService.methods.bidi, [{}, {}]))))) as GrpcError;
    expect(missing.code).toBe(Status.UNIMPLEMENTED);
    // The connection is still fine.
    expect(await within(h.channel.unary(TestService.methods.unary, { text: "still ok" }))).toEqual(echo("still ok"));
  } finally {
    await h.close();
  }
});

test("server.add rejects duplicate methods and non-function handlers", () => {
  const server = createServer();
  server.add(TestService, { unary: (req) => req });
  expect(() => server.add(TestService, { unary: (req) => req })).toThrow(/already registered/);
  expect(() => createServer().add(TestService, { unary: 1 as unknown as () => Echo })).toThrow(TypeError);
});

test("handlers keep `this` when given as a class instance", async () => {
  class Impl {
    prefix = "from class: ";
    unary(req: Echo): Echo {
      return echo(this.prefix + req.text);
    }
  }
  const h = await startHarness(new Impl());
  try {
    expect(await within(h.channel.unary(TestService.methods.unary, { text: "x" }))).toEqual(echo("from class: x"));
  } finally {
    await h.close();
  }
});

test("a channel to a port nobody listens on fails fast with UNAVAILABLE", async () => {
  const server = createServer();
  const port = await server.listen("127.0.0.1:0");
  await server.shutdown();
  const channel = createChannel(`127.0.0.1:${port}`);
  try {
    const error = (await within(rejection(channel.unary(TestService.methods.unary, {})))) as GrpcError;
    expect(error.code).toBe(Status.UNAVAILABLE);
    expect(error.details).toContain("failed to connect");
    // During backoff, fail-fast calls fail at once with the same error.
    const again = (await within(rejection(channel.unary(TestService.methods.unary, {})), 500)) as GrpcError;
    expect(again.code).toBe(Status.UNAVAILABLE);
  } finally {
    channel.close();
  }
});
