// The wire protocol from both sides, with raw HTTP/2 peers: what our client
// sends, how it reads misbehaving servers, and how our server answers
// malformed requests without crashing, hanging or leaking.
import * as http2 from "node:http2";
import * as zlib from "node:zlib";
import { createChannel } from "../../src/client/index.js";
import { type GrpcError, Metadata, Status } from "../../src/grpc/index.js";
import { collect, Echo, rejection, startHarness, TestService, within } from "./fixtures.js";
import { frame, grpcStatusOf, rawClient, rawServer } from "./raw-http2.js";

const { NGHTTP2_CANCEL, NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_INADEQUATE_SECURITY, NGHTTP2_NO_ERROR, NGHTTP2_PROTOCOL_ERROR, NGHTTP2_REFUSED_STREAM } =
  http2.constants;

const okMessage = frame(Echo.encode({ text: "ok", data: new Uint8Array(0), count: 0 }));

describe("our client against a raw server", () => {
  test("sends the request headers the spec requires", async () => {
    let seen: http2.IncomingHttpHeaders = {};
    const server = await rawServer((stream, headers) => {
      seen = headers;
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(okMessage);
    });
    const channel = createChannel(`127.0.0.1:${server.port}`, { userAgent: "my-app/1.0" });
    try {
      const metadata = new Metadata({ "x-custom": "v", "x-b-bin": Uint8Array.of(1, 2) });
      metadata.set("grpc-timeout", "1H").set("connection", "close").set("host", "evil");
      await within(channel.unary(TestService.methods.unary, {}, { timeout: 2_000, compression: "gzip", metadata }));
      expect(seen[":method"]).toBe("POST");
      expect(seen[":scheme"]).toBe("http");
      expect(seen[":path"]).toBe("/test.TestService/Unary");
      expect(seen[":authority"]).toBe(`127.0.0.1:${server.port}`);
      expect(seen["content-type"]).toBe("application/grpc");
      expect(seen.te).toBe("trailers");
      expect(seen["user-agent"]).toBe("my-app/1.0 grpc-node-tsgrpc/0.1.0");
      expect(seen["grpc-accept-encoding"]).toBe("identity,deflate,gzip");
      expect(seen["grpc-encoding"]).toBe("gzip");
      expect(seen["grpc-timeout"]).toMatch(/^\d{1,8}u$/); // ~2 s in the finest unit that fits: microseconds
      expect(Number((seen["grpc-timeout"] as string).slice(0, -1))).toBeLessThanOrEqual(2_000_000);
      expect(Number((seen["grpc-timeout"] as string).slice(0, -1))).toBeGreaterThan(1_000_000);
      expect(seen["x-custom"]).toBe("v");
      expect(seen["x-b-bin"]).toBe("AQI");
      expect(seen.connection).toBeUndefined();
      expect(seen.host).toBeUndefined();
      expect(Object.keys(seen).filter((k) => k.startsWith(":"))).toEqual([":method", ":scheme", ":path", ":authority"]);
    } finally {
      channel.close();
      await server.close();
    }
  });

  type Reply = (stream: http2.ServerHttp2Stream) => void;
  const cases: Array<{ name: string; reply: Reply; code: Status; details?: string }> = [
    { name: "HTTP 400 without grpc-status", reply: (s) => s.respond({ ":status": 400 }, { endStream: true }), code: Status.INTERNAL },
    { name: "HTTP 401", reply: (s) => s.respond({ ":status": 401 }, { endStream: true }), code: Status.UNAUTHENTICATED },
    { name: "HTTP 403", reply: (s) => s.respond({ ":status": 403 }, { endStream: true }), code: Status.PERMISSION_DENIED },
    { name: "HTTP 404", reply: (s) => s.respond({ ":status": 404 }, { endStream: true }), code: Status.UNIMPLEMENTED },
    { name: "HTTP 429", reply: (s) => s.respond({ ":status": 429 }, { endStream: true }), code: Status.UNAVAILABLE },
    { name: "HTTP 502", reply: (s) => s.respond({ ":status": 502 }, { endStream: true }), code: Status.UNAVAILABLE },
    { name: "HTTP 503", reply: (s) => s.respond({ ":status": 503 }, { endStream: true }), code: Status.UNAVAILABLE },
    { name: "HTTP 504", reply: (s) => s.respond({ ":status": 504 }, { endStream: true }), code: Status.UNAVAILABLE },
    { name: "HTTP 500", reply: (s) => s.respond({ ":status": 500 }, { endStream: true }), code: Status.UNKNOWN },
    { name: "HTTP 503 with an HTML body", reply: (s) => { s.respond({ ":status": 503, "content-type": "text/html" }); s.end("<html>"); }, code: Status.UNAVAILABLE },
    { name: "HTTP 200, not gRPC", reply: (s) => { s.respond({ ":status": 200, "content-type": "text/html" }); s.end("<html>"); }, code: Status.UNKNOWN },
    { name: "RST_STREAM NO_ERROR before a status", reply: (s) => s.close(NGHTTP2_NO_ERROR), code: Status.INTERNAL },
    { name: "RST_STREAM PROTOCOL_ERROR", reply: (s) => s.close(NGHTTP2_PROTOCOL_ERROR), code: Status.INTERNAL },
    { name: "RST_STREAM REFUSED_STREAM", reply: (s) => s.close(NGHTTP2_REFUSED_STREAM), code: Status.UNAVAILABLE },
    { name: "RST_STREAM CANCEL", reply: (s) => s.close(NGHTTP2_CANCEL), code: Status.CANCELLED },
    { name: "RST_STREAM ENHANCE_YOUR_CALM", reply: (s) => s.close(NGHTTP2_ENHANCE_YOUR_CALM), code: Status.RESOURCE_EXHAUSTED },
    { name: "RST_STREAM INADEQUATE_SECURITY", reply: (s) => s.close(NGHTTP2_INADEQUATE_SECURITY), code: Status.PERMISSION_DENIED },
    { name: "200 gRPC response that ends without trailers", reply: (s) => { s.respond({ ":status": 200, "content-type": "application/grpc" }); s.end(okMessage); }, code: Status.INTERNAL },
    { name: "Trailers-Only error with a percent-encoded message", reply: (s) => s.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "5", "grpc-message": "caf%C3%A9 %zz 100%" }, { endStream: true }), code: Status.NOT_FOUND, details: "café %zz 100%" },
    { name: "unknown status code", reply: (s) => s.respond({ ":status": 200, "content-type": "application/grpc+proto", "grpc-status": "99" }, { endStream: true }), code: Status.UNKNOWN },
    { name: "OK without a response message", reply: (s) => trailers(s, [], { "grpc-status": "0" }), code: Status.UNIMPLEMENTED },
    { name: "OK with two response messages", reply: (s) => trailers(s, [okMessage, okMessage], { "grpc-status": "0" }), code: Status.UNIMPLEMENTED },
    { name: "a truncated response message", reply: (s) => trailers(s, [okMessage.subarray(0, 6)], { "grpc-status": "0" }), code: Status.INTERNAL },
    { name: "an undecodable response message", reply: (s) => trailers(s, [frame(Uint8Array.of(0xff, 0xff))], { "grpc-status": "0" }), code: Status.INTERNAL },
    { name: "an invalid flag byte", reply: (s) => trailers(s, [frame(Uint8Array.of(1), 2)], { "grpc-status": "0" }), code: Status.INTERNAL },
    { name: "compressed flag without grpc-encoding", reply: (s) => trailers(s, [frame(zlib.gzipSync(Buffer.from("x")), 1)], { "grpc-status": "0" }), code: Status.INTERNAL },
    { name: "compressed flag with grpc-encoding identity", reply: (s) => trailers(s, [frame(Uint8Array.of(1), 1)], { "grpc-status": "0" }, { "grpc-encoding": "identity" }), code: Status.INTERNAL },
    { name: "an encoding we do not support", reply: (s) => trailers(s, [frame(Uint8Array.of(1), 1)], { "grpc-status": "0" }, { "grpc-encoding": "snappy" }), code: Status.INTERNAL },
    { name: "a response larger than 4 MiB, rejected from its length prefix", reply: (s) => { s.respond({ ":status": 200, "content-type": "application/grpc" }); s.write(Buffer.from([0, 0, 0x40, 0, 1])); }, code: Status.RESOURCE_EXHAUSTED },
    { name: "a gzip response that inflates past 4 MiB", reply: (s) => trailers(s, [frame(zlib.gzipSync(Buffer.alloc(5 << 20)), 1)], { "grpc-status": "0" }, { "grpc-encoding": "gzip" }), code: Status.RESOURCE_EXHAUSTED },
  ];

  function trailers(
    s: http2.ServerHttp2Stream,
    messages: Uint8Array[],
    t: http2.OutgoingHttpHeaders,
    extra: http2.OutgoingHttpHeaders = {},
  ): void {
    s.respond({ ":status": 200, "content-type": "application/grpc", ...extra }, { waitForTrailers: true });
    s.on("wantTrailers", () => s.sendTrailers(t));
    for (const m of messages) s.write(m);
    s.end();
  }

  test.each(cases)("$name", async ({ reply, code, details }) => {
    const server = await rawServer((stream) => reply(stream));
    const channel = createChannel(`127.0.0.1:${server.port}`);
    try {
      const error = (await within(rejection(channel.unary(TestService.methods.unary, {})))) as GrpcError;
      expect(error.code).toBe(code);
      if (details !== undefined) expect(error.details).toBe(details);
    } finally {
      channel.close();
      await server.close();
    }
  });

  test("all calls of a channel share one HTTP/2 connection", async () => {
    const server = await rawServer((stream) => {
      trailers(stream, [okMessage], { "grpc-status": "0" });
    });
    const channel = createChannel(`127.0.0.1:${server.port}`);
    try {
      await within(Promise.all(Array.from({ length: 50 }, () => channel.unary(TestService.methods.unary, {}))));
      await within(channel.unary(TestService.methods.unary, {}));
      expect(server.sessionCount()).toBe(1);
    } finally {
      channel.close();
      await server.close();
    }
  });

  test("a refused stream (never processed) is sent again once, for single-request calls only", async () => {
    let streams = 0;
    const server = await rawServer((stream) => {
      if (streams++ % 2 === 0) stream.close(NGHTTP2_REFUSED_STREAM);
      else trailers(stream, [okMessage], { "grpc-status": "0" });
    });
    const channel = createChannel(`127.0.0.1:${server.port}`);
    try {
      expect((await within(channel.unary(TestService.methods.unary, {}))).text).toBe("ok");
      expect(streams).toBe(2);
      const error = (await within(rejection(channel.clientStream(TestService.methods.clientStream, [{}])))) as GrpcError;
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect(streams).toBe(3);
    } finally {
      channel.close();
      await server.close();
    }
  });

  test("the connection dropping mid-call gives UNAVAILABLE; the channel then reconnects", async () => {
    let calls = 0;
    const server = await rawServer((stream) => {
      if (calls++ === 0) {
        stream.respond({ ":status": 200, "content-type": "application/grpc" });
        stream.write(okMessage.subarray(0, 3));
        stream.session?.destroy();
      } else {
        trailers(stream, [okMessage], { "grpc-status": "0" });
      }
    });
    const channel = createChannel(`127.0.0.1:${server.port}`);
    try {
      const error = (await within(rejection(channel.unary(TestService.methods.unary, {})))) as GrpcError;
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect((await within(channel.unary(TestService.methods.unary, {}))).text).toBe("ok");
    } finally {
      channel.close();
      await server.close();
    }
  });
});

describe("our server against a raw client", () => {
  const path = "/test.TestService/Unary";
  let h: Awaited<ReturnType<typeof startHarness>>;
  let client: ReturnType<typeof rawClient>;
  beforeAll(async () => {
    h = await startHarness(
      {
        unary: (req) => req,
        async clientStream(reqs) {
          let n = 0;
          for await (const _ of reqs) n++;
          return { text: "", data: new Uint8Array(0), count: n };
        },
      },
      { maxHeaderListSize: 4096 },
    );
    client = rawClient(h.port);
  });
  afterAll(async () => {
    client.close();
    await h.close();
  });

  test("a good request: response headers, message, trailers", async () => {
    for (const contentType of ["application/grpc", "application/grpc+proto", "application/grpc;charset=utf-8"]) {
      const res = await client.call({ ":path": path, "content-type": contentType }, [okMessage]);
      expect(res.headers[":status"]).toBe(200);
      expect(res.headers["content-type"]).toBe("application/grpc");
      expect(res.headers["grpc-accept-encoding"]).toBe("identity,deflate,gzip");
      expect(res.data.equals(okMessage)).toBe(true);
      expect(res.trailers).toEqual(expect.objectContaining({ "grpc-status": "0" }));
    }
  });

  test("non-POST gets 405", async () => {
    const res = await client.call({ ":method": "GET", ":path": path });
    expect(res.headers[":status"]).toBe(405);
    expect(res.headers.allow).toBe("POST");
  });

  test.each(["text/plain", "application/json", "application/grpc+json", "application/grpcx"])(
    "content-type %p gets 415",
    async (contentType) => {
      const res = await client.call({ ":path": path, "content-type": contentType }, [okMessage]);
      expect(res.headers[":status"]).toBe(415);
    },
  );

  test("missing content-type gets 415", async () => {
    const stream = client.session.request({ ":method": "POST", ":path": path });
    stream.on("error", () => {});
    stream.end();
    const status = await within(new Promise((resolve) => stream.on("response", (h) => resolve(h[":status"]))));
    stream.close();
    expect(status).toBe(415);
  });

  const malformed: Array<[string, http2.OutgoingHttpHeaders, Uint8Array[], Status]> = [
    ["an invalid grpc-timeout", { "grpc-timeout": "1x" }, [okMessage], Status.INTERNAL],
    ["a 9-digit grpc-timeout", { "grpc-timeout": "123456789S" }, [okMessage], Status.INTERNAL],
    ["an unsupported grpc-encoding", { "grpc-encoding": "snappy" }, [okMessage], Status.UNIMPLEMENTED],
    ["compressed flag without grpc-encoding", {}, [frame(zlib.gzipSync(Buffer.from("x")), 1)], Status.INTERNAL],
    ["compressed flag with grpc-encoding identity", { "grpc-encoding": "identity" }, [frame(Uint8Array.of(1), 1)], Status.INTERNAL],
    ["corrupt gzip", { "grpc-encoding": "gzip" }, [frame(Uint8Array.of(1, 2, 3), 1)], Status.INTERNAL],
    ["a truncated message", {}, [okMessage.subarray(0, 7)], Status.INTERNAL],
    ["a truncated length prefix", {}, [okMessage.subarray(0, 3)], Status.INTERNAL],
    ["an invalid flag byte", {}, [frame(Uint8Array.of(1), 7)], Status.INTERNAL],
    ["an undecodable message", {}, [frame(Uint8Array.of(0xff, 0xff))], Status.INTERNAL],
    ["no request message for a unary method", {}, [], Status.UNIMPLEMENTED],
    ["two request messages for a unary method", {}, [okMessage, okMessage], Status.UNIMPLEMENTED],
    ["a message over 4 MiB by its length prefix", {}, [Buffer.from([0, 0, 0x40, 0, 1])], Status.RESOURCE_EXHAUSTED],
  ];
  test.each(malformed)("%s -> %p", async (_name, headers, body, status) => {
    const res = await client.call({ ":path": path, ...headers }, body);
    expect(res.headers[":status"]).toBe(200);
    expect(grpcStatusOf(res)).toBe(String(status));
    if (status === Status.UNIMPLEMENTED && headers["grpc-encoding"] !== undefined) {
      expect(res.headers["grpc-accept-encoding"]).toBe("identity,deflate,gzip");
    }
  });

  test("an oversized message is refused from its length prefix, before the body arrives", async () => {
    // The request stays open and the body is never sent: the status must come anyway.
    const res = await client.call({ ":path": "/test.TestService/ClientStream" }, [Buffer.from([0, 0, 0x40, 0, 1])], false);
    expect(grpcStatusOf(res)).toBe(String(Status.RESOURCE_EXHAUSTED));
  });

  test("a header list over maxHeaderListSize is refused; the connection survives", async () => {
    // nghttp2 enforces a limit once the peer acknowledged the SETTINGS carrying it: warm up first.
    await client.call({ ":path": path }, [okMessage]);
    const res = await client.call({ ":path": path, "x-big": "a".repeat(8_000) }, [okMessage]);
    expect(res.rstCode).toBe(NGHTTP2_ENHANCE_YOUR_CALM);
    const ok = await client.call({ ":path": path }, [okMessage]);
    expect(grpcStatusOf(ok)).toBe("0");
  });

  test("our client maps the header-list refusal to RESOURCE_EXHAUSTED", async () => {
    // nghttp2 enforces a limit once the peer acknowledged the SETTINGS carrying it: warm up first.
    await within(h.channel.unary(TestService.methods.unary, {}));
    const error = (await within(
      rejection(h.channel.unary(TestService.methods.unary, {}, { metadata: { "x-big": "a".repeat(8_000) } })),
    )) as GrpcError;
    expect(error.code).toBe(Status.RESOURCE_EXHAUSTED);
  });

  test("after all that, the same connection still serves calls", async () => {
    expect(grpcStatusOf(await client.call({ ":path": path }, [okMessage]))).toBe("0");
    expect(await within(collect(h.channel.bidiStream(TestService.methods.bidi, [])).catch((e: GrpcError) => e.code))).toBe(
      Status.UNIMPLEMENTED,
    );
  });
});
