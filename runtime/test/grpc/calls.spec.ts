// The four call kinds end to end, metadata both ways, and the transports
// (TCP, unix socket, TLS).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createChannel, createClient } from "../../src/client/index.js";
import { Metadata } from "../../src/grpc/index.js";
import { createServer, type ServerContext } from "../../src/server/index.js";
import {
  collect,
  deferred,
  type Echo,
  fromArray,
  type Harness,
  startHarness,
  TestService,
  within,
} from "./fixtures.js";

const empty = new Uint8Array(0);
const echo = (text: string, count = 0): Echo => ({ text, data: empty, count });

const handlers = {
  unary: (req: Echo): Echo => echo(`hello ${req.text}`, req.count),
  async *serverStream(req: Echo): AsyncGenerator<Echo> {
    for (let i = 0; i < req.count; i++) yield echo(`${req.text}#${i}`, i);
  },
  async clientStream(reqs: AsyncIterable<Echo>): Promise<Echo> {
    const texts: string[] = [];
    for await (const r of reqs) texts.push(r.text);
    return echo(texts.join(","), texts.length);
  },
  async *bidi(reqs: AsyncIterable<Echo>): AsyncGenerator<Echo> {
    for await (const r of reqs) yield echo(r.text.toUpperCase(), r.count);
  },
};

describe("four call kinds over TCP", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(handlers);
  });
  afterAll(() => h.close());

  test("unary, with a partial request", async () => {
    const reply = await within(h.channel.unary(TestService.methods.unary, { text: "world" }));
    expect(reply).toEqual(echo("hello world"));
  });

  test("unary with an empty request and binary data", async () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 255);
    const reply = await within(h.channel.unary(TestService.methods.unary, { data }));
    expect(reply.text).toBe("hello ");
  });

  test("server streaming", async () => {
    const replies = await within(collect(h.channel.serverStream(TestService.methods.serverStream, { text: "s", count: 5 })));
    expect(replies.map((r) => r.text)).toEqual(["s#0", "s#1", "s#2", "s#3", "s#4"]);
  });

  test("server streaming with no messages (Trailers-Only OK)", async () => {
    expect(await within(collect(h.channel.serverStream(TestService.methods.serverStream, { count: 0 })))).toEqual([]);
  });

  test("client streaming from an async generator and from an array", async () => {
    const a = await within(h.channel.clientStream(TestService.methods.clientStream, fromArray([{ text: "a" }, { text: "b" }])));
    expect(a).toEqual(echo("a,b", 2));
    const b = await within(h.channel.clientStream(TestService.methods.clientStream, [{ text: "x" }]));
    expect(b).toEqual(echo("x", 1));
    const none = await within(h.channel.clientStream(TestService.methods.clientStream, []));
    expect(none).toEqual(echo("", 0));
  });

  test("bidi streaming, ping-pong: each request waits for the previous reply", async () => {
    const replies: string[] = [];
    let gotReply = deferred();
    async function* requests(): AsyncGenerator<Partial<Echo>> {
      for (const text of ["one", "two", "three"]) {
        yield { text };
        await within(gotReply.promise, 5_000, "reply");
        gotReply = deferred();
      }
    }
    for await (const reply of h.channel.bidiStream(TestService.methods.bidi, requests())) {
      replies.push(reply.text);
      gotReply.resolve();
    }
    expect(replies).toEqual(["ONE", "TWO", "THREE"]);
  });

  test("createClient builds typed methods and applies defaults", async () => {
    const seen: string[] = [];
    const client = createClient(TestService, h.channel, {
      metadata: { "x-default": "d" },
      onHeader: () => seen.push("header"),
    });
    expect(await within(client.unary({ text: "c" }))).toEqual(echo("hello c"));
    expect((await within(collect(client.serverStream({ count: 2 })))).length).toBe(2);
    expect((await within(client.clientStream([{ text: "q" }]))).text).toBe("q");
    expect((await within(collect(client.bidi([{ text: "z" }])))).map((r) => r.text)).toEqual(["Z"]);
    expect(seen).toEqual(["header", "header", "header", "header"]);
  });

  test("many concurrent calls share one connection", async () => {
    const replies = await within(
      Promise.all(Array.from({ length: 200 }, (_, i) => h.channel.unary(TestService.methods.unary, { text: String(i) }))),
    );
    expect(replies.map((r) => r.text)).toEqual(Array.from({ length: 200 }, (_, i) => `hello ${i}`));
  });
});

test("handlers may answer with partial messages; the server completes them", async () => {
  const h = await startHarness({
    unary: () => ({ text: "partial" }),
    async *serverStream() {
      yield {};
      yield { count: 2 };
    },
  });
  try {
    expect(await within(h.channel.unary(TestService.methods.unary, {}))).toEqual(echo("partial"));
    const streamed = await within(collect(h.channel.serverStream(TestService.methods.serverStream, {})));
    expect(streamed).toEqual([echo(""), echo("", 2)]);
  } finally {
    await h.close();
  }
});

describe("metadata", () => {
  test("request metadata, response headers and trailers travel both ways", async () => {
    let seen: ServerContext | undefined;
    const h = await startHarness({
      unary(req, ctx) {
        seen = ctx;
        ctx.sendHeader({ "x-header": ctx.metadata.get("x-user") as string, "x-header-bin": Uint8Array.of(1, 2, 3) });
        ctx.setTrailer({ "x-trailer": "t1" });
        ctx.setTrailer(new Metadata().append("x-trailer", "t2").set("x-trailer-bin", Uint8Array.of(0xff)));
        return echo(req.text);
      },
    });
    try {
      const request = new Metadata()
        .set("x-user", "alice")
        .set("x-key-bin", Uint8Array.of(0, 1, 2, 254, 255))
        .append("x-multi", "a")
        .append("x-multi", "b")
        .set("grpc-reserved", "dropped")
        .set("connection", "dropped")
        .set("te", "dropped");
      const headers = deferred<Metadata>();
      const trailers = deferred<Metadata>();
      await within(
        h.channel.unary(TestService.methods.unary, { text: "m" }, {
          metadata: request,
          onHeader: (md) => headers.resolve(md),
          onTrailer: (md) => trailers.resolve(md),
        }),
      );
      const md = seen!.metadata;
      expect(md.get("x-user")).toBe("alice");
      expect(md.get("x-key-bin")).toEqual(Uint8Array.of(0, 1, 2, 254, 255));
      expect(md.get("x-multi")).toBe("a, b"); // node:http2 joins repeated ASCII headers; the spec deems it equivalent
      expect(md.get("user-agent")).toMatch(/^grpc-node-tsgrpc\/\d+\.\d+\.\d+$/);
      expect(md.has("grpc-reserved")).toBe(false);
      expect(md.has("connection")).toBe(false);
      expect(md.has("grpc-timeout")).toBe(false);
      expect(seen!.peer).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(seen!.method).toBe(TestService.methods.unary);
      expect(seen!.deadline).toBeUndefined();
      const hd = await within(headers.promise);
      expect(hd.get("x-header")).toBe("alice");
      expect(hd.get("x-header-bin")).toEqual(Uint8Array.of(1, 2, 3));
      const tr = await within(trailers.promise);
      expect(tr.getAll("x-trailer")).toEqual(["t1, t2"]);
      expect(tr.get("x-trailer-bin")).toEqual(Uint8Array.of(0xff));
      expect(tr.has("grpc-status")).toBe(false);
    } finally {
      await h.close();
    }
  });

  test("bad request metadata is a TypeError thrown by the client method, for all four kinds; nothing is sent", async () => {
    let calls = 0;
    const h = await startHarness({
      unary: (req) => {
        calls++;
        return echo(req.text);
      },
    });
    try {
      const client = createClient(TestService, h.channel);
      const bad: Array<[Record<string, string | Uint8Array>, RegExp]> = [
        [{ "bad key": "v" }, /^invalid metadata key "bad key": allowed are 0-9 a-z _ - \.$/],
        [{ "x-id": "line\nbreak" }, /^metadata key "x-id" needs a printable ASCII string value/],
        [{ "x-id-bin": "text" }, /^metadata key "x-id-bin" ends in -bin and needs a Uint8Array value$/],
        [{ "x-id": Uint8Array.of(1) }, /^metadata key "x-id" needs a printable ASCII string value/],
      ];
      for (const [metadata, message] of bad) {
        expect(() => client.unary({ text: "x" }, { metadata })).toThrow(message);
        expect(() => client.serverStream({ text: "x" }, { metadata })).toThrow(TypeError);
        expect(() => client.clientStream([], { metadata })).toThrow(TypeError);
        expect(() => client.bidi([], { metadata })).toThrow(TypeError);
      }
      // Client-wide defaults are checked the same way, per call.
      const withDefaults = createClient(TestService, h.channel, { metadata: { "Bad/Key": "v" } });
      expect(() => withDefaults.unary({})).toThrow(TypeError);
      // The channel is untouched: a good call still works, and no bad one reached the server.
      expect(await within(client.unary({ text: "ok" }, { metadata: { "x-id": "1" } }))).toEqual(echo("ok"));
      expect(calls).toBe(1);
    } finally {
      await h.close();
    }
  });

  test("bad metadata passed to sendHeader or setTrailer is a TypeError in the handler", async () => {
    const thrown = deferred<unknown[]>();
    const h = await startHarness({
      unary(req, ctx) {
        const errors: unknown[] = [];
        for (const act of [
          () => ctx.sendHeader({ "bad key": "v" }),
          () => ctx.setTrailer({ "x-a": "new\nline" }),
          () => ctx.setTrailer({ "x-a-bin": "not bytes" }),
        ]) {
          try {
            act();
          } catch (e) {
            errors.push(e);
          }
        }
        thrown.resolve(errors);
        ctx.setTrailer({ "x-ok": "1" });
        return echo(req.text);
      },
    });
    try {
      const trailers = deferred<Metadata>();
      expect(await within(h.channel.unary(TestService.methods.unary, { text: "t" }, { onTrailer: (md) => trailers.resolve(md) }))).toEqual(echo("t"));
      const errors = await within(thrown.promise);
      expect(errors).toHaveLength(3);
      for (const e of errors) expect(e).toBeInstanceOf(TypeError);
      expect((await within(trailers.promise)).get("x-ok")).toBe("1");
    } finally {
      await h.close();
    }
  });

  test("sendHeader twice throws; a throwing onHeader cancels the call", async () => {
    const secondSend = deferred<unknown>();
    const h = await startHarness({
      unary(req, ctx) {
        ctx.sendHeader({ "x-a": "1" });
        try {
          ctx.sendHeader({ "x-a": "2" });
          secondSend.resolve("no error");
        } catch (e) {
          secondSend.resolve(e);
        }
        return echo(req.text);
      },
    });
    try {
      const error = await within(
        h.channel
          .unary(TestService.methods.unary, {}, {
            onHeader: () => {
              throw new Error("header rejected");
            },
          })
          .catch((e: unknown) => e),
      );
      expect(error).toMatchObject({ code: 1, details: "header rejected" });
      expect(await within(secondSend.promise)).toBeInstanceOf(Error);
    } finally {
      await h.close();
    }
  });
});

test("a unix socket server and channel", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrpc-"));
  const socket = path.join(dir, "grpc.sock");
  const server = createServer();
  let peer = "";
  server.add(TestService, {
    ...handlers,
    unary: (req, ctx) => {
      peer = ctx.peer;
      return handlers.unary(req);
    },
  });
  expect(await server.listen(`unix:${socket}`)).toBe(0);
  const channel = createChannel(`unix://${socket}`);
  try {
    expect(await within(channel.unary(TestService.methods.unary, { text: "unix" }))).toEqual(echo("hello unix"));
    expect(peer).toBe("unix:");
    const replies = await within(collect(channel.bidiStream(TestService.methods.bidi, [{ text: "a" }, { text: "b" }])));
    expect(replies.map((r) => r.text)).toEqual(["A", "B"]);
  } finally {
    channel.close();
    await within(server.shutdown());
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The abstract socket namespace is Linux's.
(process.platform === "linux" ? test : test.skip)("a unix-abstract server and channel", async () => {
  const name = `tsgrpc-test-${process.pid}-${Date.now()}`;
  const server = createServer();
  server.add(TestService, handlers);
  expect(await server.listen(`unix-abstract:${name}`)).toBe(0);
  const channel = createChannel(`unix-abstract:${name}`);
  try {
    expect(await within(channel.unary(TestService.methods.unary, { text: "abstract" }))).toEqual(echo("hello abstract"));
  } finally {
    channel.close();
    await within(server.shutdown());
  }
});

/** The checked-in test CA and a certificate for localhost it signed (runtime/test/certs/generate.sh). */
function testCertificates(): { ca: Buffer; key: Buffer; cert: Buffer } {
  const dir = path.join(__dirname, "../certs");
  return {
    ca: fs.readFileSync(path.join(dir, "ca.pem")),
    key: fs.readFileSync(path.join(dir, "server.key")),
    cert: fs.readFileSync(path.join(dir, "server.pem")),
  };
}

test("TLS server and channel", async () => {
  const { ca, ...credentials } = testCertificates();
  const server = createServer();
  server.add(TestService, handlers);
  const port = await server.listen("127.0.0.1:0", { tls: credentials });
  const trusted = createChannel(`localhost:${port}`, { tls: { ca } });
  const untrusted = createChannel(`localhost:${port}`, { tls: true });
  try {
    expect(await within(trusted.unary(TestService.methods.unary, { text: "tls" }))).toEqual(echo("hello tls"));
    expect((await within(collect(trusted.serverStream(TestService.methods.serverStream, { count: 3 })))).length).toBe(3);
    const error = await within(untrusted.unary(TestService.methods.unary, {}).catch((e: unknown) => e));
    expect(error).toMatchObject({ code: 14 }); // UNAVAILABLE: certificate not trusted
  } finally {
    trusted.close();
    untrusted.close();
    await within(server.shutdown());
  }
});
