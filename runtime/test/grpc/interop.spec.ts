// Interop with @grpc/grpc-js, both ways, with a hand-built service definition
// (custom serialize/deserialize, no protos): their client against our server,
// our client against their server.
import * as grpc from "@grpc/grpc-js";
import { createChannel } from "../../src/client/index.js";
import { GrpcError, Metadata, Status } from "../../src/grpc/index.js";
import { createServer, type ServerContext } from "../../src/server/index.js";
import { decodeRpcStatus, encodeRpcStatus } from "../../src/grpc/status-details.js";
import { aborted, collect, deferred, Echo, rejection, TestService, within } from "./fixtures.js";

const empty = new Uint8Array(0);
const echo = (text: string, count = 0): Echo => ({ text, data: empty, count });
const serialize = (m: Echo): Buffer => Buffer.from(Echo.encode(m));
const deserialize = (b: Buffer): Echo => Echo.decode(b);

function grpcJsMethod(name: string, requestStream: boolean, responseStream: boolean): grpc.MethodDefinition<Echo, Echo> {
  return {
    path: `/test.TestService/${name}`,
    requestStream,
    responseStream,
    requestSerialize: serialize,
    requestDeserialize: deserialize,
    responseSerialize: serialize,
    responseDeserialize: deserialize,
  };
}

const grpcJsService: grpc.ServiceDefinition = {
  Unary: grpcJsMethod("Unary", false, false),
  ServerStream: grpcJsMethod("ServerStream", false, true),
  ClientStream: grpcJsMethod("ClientStream", true, false),
  Bidi: grpcJsMethod("Bidi", true, true),
};

function unaryCall(
  client: grpc.Client,
  request: Echo,
  metadata = new grpc.Metadata(),
  options: grpc.CallOptions = {},
): Promise<{ reply: Echo; headers: grpc.Metadata | undefined; trailers: grpc.Metadata | undefined }> {
  return new Promise((resolve, reject) => {
    let headers: grpc.Metadata | undefined;
    let trailers: grpc.Metadata | undefined;
    const call = client.makeUnaryRequest("/test.TestService/Unary", serialize, deserialize, request, metadata, options, (err, reply) => {
      if (err) reject(err);
      else setImmediate(() => resolve({ reply: reply!, headers, trailers }));
    });
    call.on("metadata", (md) => (headers = md));
    call.on("status", (s) => (trailers = s.metadata));
  });
}

describe("grpc-js client -> our server", () => {
  let server: ReturnType<typeof createServer>;
  let client: grpc.Client;
  let gzipClient: grpc.Client;
  const handlerCtx: { last?: ServerContext } = {};
  const cancelled = { reason: deferred<unknown>(), started: deferred() };

  beforeAll(async () => {
    server = createServer({ compression: "gzip" });
    server.add(TestService, {
      unary(req, ctx) {
        handlerCtx.last = ctx;
        if (req.text === "fail") {
          throw new GrpcError(Status.FAILED_PRECONDITION, "precondition — failed", {
            metadata: { "x-fail": "yes" },
            statusDetails: [{ typeUrl: "type.googleapis.com/test.Detail", value: Uint8Array.of(1, 2, 3) }],
          });
        }
        if (req.text === "hang") {
          const slot = { ...cancelled }; // this call's deferreds, even if a later test replaces them
          slot.started.resolve();
          return aborted(ctx.signal).then((reason) => {
            slot.reason.resolve(reason);
            return echo("never");
          });
        }
        ctx.sendHeader({ "x-header": String(ctx.metadata.get("x-request") ?? "") });
        ctx.setTrailer({ "x-trailer-bin": Uint8Array.of(9, 8) });
        return echo(`hello ${req.text}`, req.count);
      },
      async *serverStream(req) {
        for (let i = 0; i < req.count; i++) yield echo(`${req.text}${i}`, i);
      },
      async clientStream(reqs) {
        let n = 0;
        let text = "";
        for await (const r of reqs) {
          n++;
          text += r.text;
        }
        return echo(text, n);
      },
      async *bidi(reqs) {
        for await (const r of reqs) yield echo(r.text.toUpperCase(), r.count);
      },
    });
    const port = await server.listen("127.0.0.1:0");
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    gzipClient = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.default_compression_algorithm": 2, // gzip
    });
  });

  afterAll(async () => {
    client.close();
    gzipClient.close();
    server.forceShutdown();
    await within(server.shutdown());
  });

  test("unary with metadata both ways (responses gzip-compressed by our server)", async () => {
    const md = new grpc.Metadata();
    md.set("x-request", "from grpc-js");
    md.set("x-request-bin", Buffer.from([1, 2, 3]));
    const { reply, headers, trailers } = await within(unaryCall(client, echo("interop", 7), md));
    expect(reply).toEqual(echo("hello interop", 7));
    expect(headers?.get("x-header")).toEqual(["from grpc-js"]);
    expect(trailers?.get("x-trailer-bin")).toEqual([Buffer.from([9, 8])]);
    expect(handlerCtx.last!.metadata.get("x-request-bin")).toEqual(Uint8Array.of(1, 2, 3));
    expect(handlerCtx.last!.metadata.get("user-agent")).toMatch(/grpc-node-js/);
  });

  test("gzip-compressed requests", async () => {
    const { reply } = await within(unaryCall(gzipClient, echo("z".repeat(1000))));
    expect(reply.text).toBe(`hello ${"z".repeat(1000)}`);
  });

  test("server streaming", async () => {
    const stream = client.makeServerStreamRequest("/test.TestService/ServerStream", serialize, deserialize, echo("n", 4));
    const got = await within(collect(stream as AsyncIterable<Echo>));
    expect(got.map((m) => m.text)).toEqual(["n0", "n1", "n2", "n3"]);
  });

  test("client streaming", async () => {
    const reply = await within(
      new Promise<Echo>((resolve, reject) => {
        const call = gzipClient.makeClientStreamRequest("/test.TestService/ClientStream", serialize, deserialize, (err, r) =>
          err ? reject(err) : resolve(r!),
        );
        for (const t of ["a", "b", "c"]) call.write(echo(t));
        call.end();
      }),
    );
    expect(reply).toEqual(echo("abc", 3));
  });

  test("bidi streaming", async () => {
    const call = client.makeBidiStreamRequest("/test.TestService/Bidi", serialize, deserialize);
    call.write(echo("x", 1));
    call.write(echo("y", 2));
    call.end();
    const got = await within(collect(call as AsyncIterable<Echo>));
    expect(got).toEqual([echo("X", 1), echo("Y", 2)]);
  });

  test("errors: code, message, trailers and status details", async () => {
    const error = (await within(rejection(unaryCall(client, echo("fail"))))) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.details).toBe("precondition — failed");
    expect(error.metadata.get("x-fail")).toEqual(["yes"]);
    const bin = error.metadata.get("grpc-status-details-bin")[0] as Buffer;
    expect(decodeRpcStatus(bin)).toEqual({
      code: Status.FAILED_PRECONDITION,
      message: "precondition — failed",
      details: [{ typeUrl: "type.googleapis.com/test.Detail", value: Uint8Array.of(1, 2, 3) }],
    });
  });

  test("unknown method: UNIMPLEMENTED", async () => {
    const error = await within(
      new Promise<grpc.ServiceError>((resolve) =>
        client.makeUnaryRequest("/test.TestService/Nope", serialize, deserialize, echo(""), (err) => resolve(err!)),
      ),
    );
    expect(error.code).toBe(grpc.status.UNIMPLEMENTED);
  });

  test("their deadline reaches ctx.deadline; expiry gives DEADLINE_EXCEEDED", async () => {
    const deadline = Date.now() + 150;
    const error = (await within(rejection(unaryCall(client, echo("hang"), new grpc.Metadata(), { deadline })))) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(Math.abs(handlerCtx.last!.deadline! - deadline)).toBeLessThan(50);
    // reset for the cancellation test
    cancelled.reason = deferred();
    cancelled.started = deferred();
  });

  test("their cancel() aborts our handler's signal", async () => {
    const call = client.makeUnaryRequest("/test.TestService/Unary", serialize, deserialize, echo("hang"), () => {});
    await within(cancelled.started.promise);
    call.cancel();
    expect(await within(cancelled.reason.promise)).toMatchObject({ code: Status.CANCELLED });
  });
});

describe("our client -> grpc-js server", () => {
  let server: grpc.Server;
  let channel: ReturnType<typeof createChannel>;
  let lastDeadline: grpc.Deadline | undefined;
  let lastMetadata: grpc.Metadata | undefined;

  beforeAll(async () => {
    server = new grpc.Server({ "grpc.default_compression_algorithm": 2 });
    server.addService(grpcJsService, {
      Unary(call: grpc.ServerUnaryCall<Echo, Echo>, callback: grpc.sendUnaryData<Echo>) {
        lastDeadline = call.getDeadline();
        lastMetadata = call.metadata;
        if (call.request.text === "fail") {
          const trailers = new grpc.Metadata();
          trailers.set("x-why", "because");
          trailers.set(
            "grpc-status-details-bin",
            Buffer.from(
              encodeRpcStatus({
                code: Status.NOT_FOUND,
                message: "no such thing",
                details: [{ typeUrl: "type.googleapis.com/test.Missing", value: Uint8Array.of(4) }],
              }),
            ),
          );
          callback({ code: grpc.status.NOT_FOUND, details: "no such thing", metadata: trailers });
          return;
        }
        const headers = new grpc.Metadata();
        headers.set("x-from-server", "grpc-js");
        call.sendMetadata(headers);
        const trailers = new grpc.Metadata();
        trailers.set("x-trailer", "t");
        callback(null, echo(`hi ${call.request.text}`, call.request.count), trailers);
      },
      ServerStream(call: grpc.ServerWritableStream<Echo, Echo>) {
        for (let i = 0; i < call.request.count; i++) call.write(echo(`s${i}`, i));
        call.end();
      },
      ClientStream(call: grpc.ServerReadableStream<Echo, Echo>, callback: grpc.sendUnaryData<Echo>) {
        const texts: string[] = [];
        call.on("data", (m: Echo) => texts.push(m.text));
        call.on("end", () => callback(null, echo(texts.join("+"), texts.length)));
      },
      Bidi(call: grpc.ServerDuplexStream<Echo, Echo>) {
        call.on("data", (m: Echo) => call.write(echo(m.text.split("").reverse().join(""), m.count)));
        call.on("end", () => call.end());
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    channel = createChannel(`127.0.0.1:${port}`);
  });

  afterAll(async () => {
    channel.close();
    server.forceShutdown();
  });

  test("unary with metadata both ways, gzip responses, deadline propagated", async () => {
    let headers: Metadata | undefined;
    let trailers: Metadata | undefined;
    const reply = await within(
      channel.unary(TestService.methods.unary, { text: "there", count: 3 }, {
        timeout: 5_000,
        metadata: { "x-client": "tsgrpc", "x-client-bin": Uint8Array.of(5, 6) },
        compression: "deflate",
        onHeader: (md) => (headers = md),
        onTrailer: (md) => (trailers = md),
      }),
    );
    expect(reply).toEqual(echo("hi there", 3));
    expect(headers?.get("x-from-server")).toBe("grpc-js");
    expect(trailers?.get("x-trailer")).toBe("t");
    expect(lastMetadata?.get("x-client")).toEqual(["tsgrpc"]);
    expect(lastMetadata?.get("x-client-bin")).toEqual([Buffer.from([5, 6])]);
    expect(String(lastMetadata?.get("user-agent")[0])).toContain("grpc-node-tsgrpc/");
    const deadline = lastDeadline instanceof Date ? lastDeadline.getTime() : Number(lastDeadline);
    expect(deadline - Date.now()).toBeGreaterThan(3_000);
    expect(deadline - Date.now()).toBeLessThanOrEqual(5_100);
  });

  test("server streaming, client streaming, bidi", async () => {
    const streamed = await within(collect(channel.serverStream(TestService.methods.serverStream, { count: 3 })));
    expect(streamed.map((m) => m.text)).toEqual(["s0", "s1", "s2"]);
    const summed = await within(channel.clientStream(TestService.methods.clientStream, [{ text: "a" }, { text: "b" }], { compression: "gzip" }));
    expect(summed).toEqual(echo("a+b", 2));
    const bidi = await within(collect(channel.bidiStream(TestService.methods.bidi, [{ text: "abc" }, { text: "xy" }])));
    expect(bidi.map((m) => m.text)).toEqual(["cba", "yx"]);
  });

  test("errors: code, message, trailers, status details", async () => {
    const error = (await within(rejection(channel.unary(TestService.methods.unary, { text: "fail" })))) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.code).toBe(Status.NOT_FOUND);
    expect(error.details).toBe("no such thing");
    expect(error.metadata.get("x-why")).toBe("because");
    expect(error.statusDetails).toEqual([{ typeUrl: "type.googleapis.com/test.Missing", value: Uint8Array.of(4) }]);
  });

  test("unimplemented method", async () => {
    const error = (await within(
      rejection(channel.unary({ ...TestService.methods.unary, path: "/test.TestService/Missing" }, {})),
    )) as GrpcError;
    expect(error.code).toBe(Status.UNIMPLEMENTED);
  });
});
