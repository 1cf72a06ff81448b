// Compression both ways: per-channel and per-call request compression, server
// response compression negotiated through grpc-accept-encoding, unsupported
// encodings, and the decompressed-size limit.
import * as zlib from "node:zlib";
import { createChannel } from "../../src/client/index.js";
import { type GrpcError, Status } from "../../src/grpc/index.js";
import { collect, Echo, rejection, startHarness, TestService, within } from "./fixtures.js";
import { frame, grpcStatusOf, rawClient, rawServer } from "./raw-http2.js";

const text = "compress me ".repeat(200);
const echoHandlers = {
  unary: (req: Echo): Echo => req,
  async *bidi(reqs: AsyncIterable<Echo>): AsyncGenerator<Echo> {
    for await (const r of reqs) yield r;
  },
};

describe("request compression", () => {
  test.each(["gzip", "deflate"] as const)("per-call %s: sent compressed, decoded by the server", async (encoding) => {
    let seen: { header: unknown; flag: number; payload: Buffer } | undefined;
    const server = await rawServer((stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const body = Buffer.concat(chunks);
        seen = { header: headers["grpc-encoding"], flag: body[0]!, payload: body.subarray(5) };
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end(frame(Echo.encode(Echo.create({ text: "ok" }))));
      });
    });
    const channel = createChannel(`127.0.0.1:${server.port}`);
    try {
      await within(channel.unary(TestService.methods.unary, { text }, { compression: encoding }));
      expect(seen!.header).toBe(encoding);
      expect(seen!.flag).toBe(1);
      const inflated = encoding === "gzip" ? zlib.gunzipSync(seen!.payload) : zlib.inflateSync(seen!.payload);
      expect(Echo.decode(inflated).text).toBe(text);
      expect(seen!.payload.length).toBeLessThan(text.length / 4);
    } finally {
      channel.close();
      await server.close();
    }
  });

  test("channel default compression, per-call override, streams", async () => {
    const h = await startHarness(echoHandlers, undefined, { compression: "deflate" });
    try {
      expect((await within(h.channel.unary(TestService.methods.unary, { text }))).text).toBe(text);
      expect((await within(h.channel.unary(TestService.methods.unary, { text }, { compression: "identity" }))).text).toBe(text);
      const replies = await within(
        collect(h.channel.bidiStream(TestService.methods.bidi, [{ text: "a" }, { text }, { text: "" }], { compression: "gzip" })),
      );
      expect(replies.map((r) => r.text)).toEqual(["a", text, ""]);
    } finally {
      await h.close();
    }
  });

  test("an encoding the server does not accept gets UNIMPLEMENTED, listing what it accepts", async () => {
    const h = await startHarness(echoHandlers, { acceptCompression: ["identity", "deflate"] });
    const client = rawClient(h.port);
    try {
      const error = (await within(
        rejection(h.channel.unary(TestService.methods.unary, { text }, { compression: "gzip" })),
      )) as GrpcError;
      expect(error.code).toBe(Status.UNIMPLEMENTED);
      expect(error.details).toContain("gzip");
      const res = await client.call({ ":path": "/test.TestService/Unary", "grpc-encoding": "gzip" }, [
        frame(zlib.gzipSync(Echo.encode(Echo.create({ text: "x" }))), 1),
      ]);
      expect(grpcStatusOf(res)).toBe(String(Status.UNIMPLEMENTED));
      expect(res.headers["grpc-accept-encoding"]).toBe("identity,deflate");
      expect((await within(h.channel.unary(TestService.methods.unary, { text }, { compression: "deflate" }))).text).toBe(text);
    } finally {
      client.close();
      await h.close();
    }
  });

  test("a compressed request that inflates past the server's limit is RESOURCE_EXHAUSTED (no zip bomb)", async () => {
    const h = await startHarness(echoHandlers, { maxReceiveMessageSize: 64 * 1024 });
    try {
      const error = (await within(
        rejection(
          h.channel.unary(TestService.methods.unary, { data: new Uint8Array(1 << 20) }, { compression: "gzip" }),
        ),
      )) as GrpcError;
      expect(error.code).toBe(Status.RESOURCE_EXHAUSTED);
    } finally {
      await h.close();
    }
  });
});

describe("response compression", () => {
  test.each(["gzip", "deflate"] as const)("server compression %s when the client accepts it", async (encoding) => {
    const h = await startHarness(echoHandlers, { compression: encoding });
    const client = rawClient(h.port);
    try {
      const request = frame(Echo.encode(Echo.create({ text })));
      const accepted = await client.call({ ":path": "/test.TestService/Unary", "grpc-accept-encoding": `identity,${encoding}` }, [request]);
      expect(accepted.headers["grpc-encoding"]).toBe(encoding);
      expect(accepted.data[0]).toBe(1);
      const inflated = encoding === "gzip" ? zlib.gunzipSync(accepted.data.subarray(5)) : zlib.inflateSync(accepted.data.subarray(5));
      expect(Echo.decode(inflated).text).toBe(text);

      // Not accepted (or no grpc-accept-encoding at all): identity.
      for (const accept of [{ "grpc-accept-encoding": "identity" }, {}]) {
        const plain = await client.call({ ":path": "/test.TestService/Unary", ...accept }, [request]);
        expect(plain.headers["grpc-encoding"]).toBeUndefined();
        expect(plain.data[0]).toBe(0);
      }
      // Our client accepts both, and decodes.
      expect((await within(h.channel.unary(TestService.methods.unary, { text }))).text).toBe(text);
      const streamed = await within(collect(h.channel.bidiStream(TestService.methods.bidi, [{ text }, { text: "b" }])));
      expect(streamed.map((r) => r.text)).toEqual([text, "b"]);
    } finally {
      client.close();
      await h.close();
    }
  });

  test("ctx.setCompression per call; a client that accepts only identity gets identity", async () => {
    const h = await startHarness({
      unary(req, ctx) {
        ctx.setCompression("gzip");
        return req;
      },
    });
    const identityOnly = createChannel(h.address, { acceptCompression: ["identity"] });
    try {
      expect((await within(h.channel.unary(TestService.methods.unary, { text }))).text).toBe(text);
      expect((await within(identityOnly.unary(TestService.methods.unary, { text }))).text).toBe(text);
      const client = rawClient(h.port);
      try {
        const res = await client.call({ ":path": "/test.TestService/Unary", "grpc-accept-encoding": "gzip" }, [
          frame(Echo.encode(Echo.create({ text }))),
        ]);
        expect(res.headers["grpc-encoding"]).toBe("gzip");
        const noGzip = await client.call({ ":path": "/test.TestService/Unary", "grpc-accept-encoding": "identity,deflate" }, [
          frame(Echo.encode(Echo.create({ text }))),
        ]);
        expect(noGzip.headers["grpc-encoding"]).toBeUndefined();
      } finally {
        client.close();
      }
    } finally {
      identityOnly.close();
      await h.close();
    }
  });
});
