// Channels through an HTTP CONNECT proxy (the `proxy` option and the
// environment), against a proxy written here that counts its tunnels.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import nodeProcess from "node:process";
import { createChannel, type Channel, type ChannelOptions } from "../../src/client/index.js";
import { createServer, type Server } from "../../src/server/index.js";
import { GrpcError } from "../../src/grpc/grpc-error.js";
import { Status } from "../../src/grpc/status.js";
import { startConnectProxy, type ConnectProxy } from "./connect-proxy.js";
import { collect, fromArray, rejection, type TestHandlers, TestService, within } from "./fixtures.js";

const handlers: TestHandlers = {
  unary: (req) => ({ text: `hello ${req.text}` }),
  async *serverStream(req) {
    for (let i = 0; i < req.count; i++) yield { count: i };
  },
  async clientStream(reqs) {
    let count = 0;
    for await (const req of reqs) count += req.count;
    return { count };
  },
  async *bidi(reqs) {
    for await (const req of reqs) yield { text: req.text.toUpperCase() };
  },
};

const certs = path.join(__dirname, "..", "certs");
const ca = fs.readFileSync(path.join(certs, "ca.pem"));
const serverCredentials = { key: fs.readFileSync(path.join(certs, "server.key")), cert: fs.readFileSync(path.join(certs, "server.pem")) };

const PROXY_VARIABLES = ["grpc_proxy", "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "no_grpc_proxy", "no_proxy", "NO_PROXY"];

let server: Server;
let port: number;
let proxy: ConnectProxy;
const channels: Channel[] = [];
let savedEnv: Record<string, string | undefined>;

function channel(target: string, options?: ChannelOptions): Channel {
  const created = createChannel(target, options);
  channels.push(created);
  return created;
}

async function allKinds(ch: Channel): Promise<void> {
  expect(await within(ch.unary(TestService.methods.unary, { text: "proxy" }))).toMatchObject({ text: "hello proxy" });
  expect((await within(collect(ch.serverStream(TestService.methods.serverStream, { count: 3 })))).map((m) => m.count)).toEqual([0, 1, 2]);
  expect(await within(ch.clientStream(TestService.methods.clientStream, fromArray([{ count: 2 }, { count: 5 }])))).toMatchObject({ count: 7 });
  expect((await within(collect(ch.bidiStream(TestService.methods.bidi, fromArray([{ text: "a" }, { text: "b" }]))))).map((m) => m.text)).toEqual(["A", "B"]);
}

beforeEach(async () => {
  savedEnv = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of PROXY_VARIABLES) delete process.env[name];
  server = createServer({ onError: () => {} });
  server.add(TestService, handlers);
  port = await server.listen("127.0.0.1:0");
  proxy = await startConnectProxy();
});

afterEach(async () => {
  for (const ch of channels.splice(0)) ch.close();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  server.forceShutdown();
  await within(server.shutdown(), 5_000, "server shutdown");
  await within(proxy.close(), 5_000, "proxy close");
});

test("every call kind goes through one tunnel to the target", async () => {
  const ch = channel(`127.0.0.1:${port}`, { proxy: proxy.url });
  await allKinds(ch);
  await allKinds(ch);
  expect(proxy.tunnels).toEqual([{ destination: `127.0.0.1:${port}`, host: `127.0.0.1:${port}`, authorization: undefined }]);
});

test("calls started together while the tunnel opens share it", async () => {
  const ch = channel(`127.0.0.1:${port}`, { proxy: proxy.url });
  const replies = await within(Promise.all(Array.from({ length: 20 }, (_, i) => ch.unary(TestService.methods.unary, { text: String(i) }))));
  expect(replies.map((r) => r.text)).toEqual(Array.from({ length: 20 }, (_, i) => `hello ${i}`));
  expect(proxy.tunnels).toHaveLength(1);
});

test("when the tunnel is cut, the next call opens a new one", async () => {
  const ch = channel(`127.0.0.1:${port}`, { proxy: proxy.url });
  await allKinds(ch);
  proxy.dropAll();
  await within(proxy.idle());
  // The channel may not have seen the drop yet: a call started on the dying connection fails UNAVAILABLE, the next one reconnects.
  const reply = await within(
    ch.unary(TestService.methods.unary, { text: "again" }).catch((e: unknown) => {
      expect(e).toMatchObject({ code: Status.UNAVAILABLE });
      return ch.unary(TestService.methods.unary, { text: "again" }, { waitForReady: true });
    }),
  );
  expect(reply.text).toBe("hello again");
  expect(proxy.tunnels).toHaveLength(2);
});

test("the target's host name is sent to the proxy, not resolved locally", async () => {
  const ch = channel(`dns:///localhost:${port}`, { proxy: proxy.url });
  await allKinds(ch);
  expect(proxy.tunnels.map((t) => t.destination)).toEqual([`localhost:${port}`]);
});

test("userinfo in the proxy URL becomes Basic Proxy-Authorization", async () => {
  const ch = channel(`127.0.0.1:${port}`, { proxy: `http://alice:p%40ss%3Aword@127.0.0.1:${proxy.port}/` });
  await allKinds(ch);
  expect(proxy.tunnels.map((t) => t.authorization)).toEqual([`Basic ${Buffer.from("alice:p@ss:word").toString("base64")}`]);
});

test.each(["coalesce", "trickle"] as const)("a %s proxy answer: the head is read whatever its chunks, and tunnel bytes after it are kept", async (behaviour) => {
  proxy.behaviour = behaviour;
  const ch = channel(`127.0.0.1:${port}`, { proxy: proxy.url });
  await allKinds(ch);
  expect(proxy.tunnels).toHaveLength(1);
});

describe("TLS inside the tunnel", () => {
  let tlsServer: Server;
  let tlsPort: number;

  beforeEach(async () => {
    tlsServer = createServer({ onError: () => {} });
    tlsServer.add(TestService, handlers);
    tlsPort = await tlsServer.listen("127.0.0.1:0", { tls: serverCredentials });
  });

  afterEach(async () => {
    tlsServer.forceShutdown();
    await within(tlsServer.shutdown(), 5_000, "TLS server shutdown");
  });

  test("verified against the target's host name", async () => {
    const ch = channel(`localhost:${tlsPort}`, { proxy: proxy.url, tls: { ca } });
    await allKinds(ch);
    expect(proxy.tunnels.map((t) => t.destination)).toEqual([`localhost:${tlsPort}`]);
  });

  test("verified against tls.servername when it overrides the name", async () => {
    // The certificate names localhost and *.test.example, not 127.0.0.1.
    const mismatched = channel(`127.0.0.1:${tlsPort}`, { proxy: proxy.url, tls: { ca } });
    const error = await within(rejection(mismatched.unary(TestService.methods.unary, {})));
    expect(error).toMatchObject({ code: Status.UNAVAILABLE });
    expect((error as GrpcError).message).toMatch(/127\.0\.0\.1/);

    const overridden = channel(`127.0.0.1:${tlsPort}`, { proxy: proxy.url, tls: { ca, servername: "foo.test.example" } });
    await allKinds(overridden);
    expect(proxy.tunnels.map((t) => t.destination)).toEqual([`127.0.0.1:${tlsPort}`, `127.0.0.1:${tlsPort}`]);
  });

  test("an untrusted certificate fails UNAVAILABLE", async () => {
    const ch = channel(`localhost:${tlsPort}`, { proxy: proxy.url, tls: true });
    expect(await within(rejection(ch.unary(TestService.methods.unary, {})))).toMatchObject({ code: Status.UNAVAILABLE });
  });
});

describe("environment", () => {
  test("grpc_proxy is used", async () => {
    process.env.grpc_proxy = proxy.url;
    await allKinds(channel(`127.0.0.1:${port}`));
    expect(proxy.tunnels).toHaveLength(1);
  });

  test("grpc_proxy wins over https_proxy and http_proxy", async () => {
    const other = await startConnectProxy();
    try {
      process.env.grpc_proxy = proxy.url;
      process.env.https_proxy = other.url;
      process.env.http_proxy = other.url;
      await allKinds(channel(`127.0.0.1:${port}`));
      delete process.env.grpc_proxy;
      await allKinds(channel(`127.0.0.1:${port}`));
      expect([proxy.tunnels.length, other.tunnels.length]).toEqual([1, 1]);
    } finally {
      await other.close();
    }
  });

  test("http_proxy, with credentials", async () => {
    process.env.http_proxy = `http://bob:secret@127.0.0.1:${proxy.port}`;
    await allKinds(channel(`localhost:${port}`));
    expect(proxy.tunnels).toEqual([
      { destination: `localhost:${port}`, host: `localhost:${port}`, authorization: `Basic ${Buffer.from("bob:secret").toString("base64")}` },
    ]);
  });

  test.each([
    ["no_proxy", "127.0.0.1"],
    ["no_proxy", "example.com, 127.0.0.0/8"],
    ["NO_PROXY", "*"],
    ["no_grpc_proxy", `127.0.0.1:${"PORT"}`],
  ])("%s=%s bypasses the proxy", async (name, value) => {
    process.env.grpc_proxy = proxy.url;
    process.env[name] = value.replace("PORT", String(port));
    await allKinds(channel(`127.0.0.1:${port}`));
    expect(proxy.tunnels).toHaveLength(0);
  });

  test("no_proxy with another port does not bypass", async () => {
    process.env.grpc_proxy = proxy.url;
    process.env.no_proxy = `127.0.0.1:${port === 1 ? 2 : port - 1}`;
    await allKinds(channel(`127.0.0.1:${port}`));
    expect(proxy.tunnels).toHaveLength(1);
  });

  test("proxy: false ignores the environment", async () => {
    process.env.grpc_proxy = proxy.url;
    await allKinds(channel(`127.0.0.1:${port}`, { proxy: false }));
    expect(proxy.tunnels).toHaveLength(0);
  });

  test("the proxy option is used even for hosts no_proxy lists", async () => {
    process.env.no_proxy = "*";
    await allKinds(channel(`127.0.0.1:${port}`, { proxy: proxy.url }));
    expect(proxy.tunnels).toHaveLength(1);
  });

  test("a bad grpc_proxy is ignored with one warning, not thrown", async () => {
    const emitWarning = jest.spyOn(nodeProcess, "emitWarning").mockImplementation(() => {});
    try {
      process.env.grpc_proxy = "socks5://user:hunter2@127.0.0.1:1080";
      await allKinds(channel(`127.0.0.1:${port}`));
      await allKinds(channel(`127.0.0.1:${port}`));
      const warnings = emitWarning.mock.calls.map((args) => String(args[0]));
      expect(warnings).toEqual([expect.stringMatching(/^ignoring grpc_proxy: invalid proxy URL "socks5:\/\/user:\*\*\*@127\.0\.0\.1:1080": uses socks5:\/\/ /)]);
    } finally {
      emitWarning.mockRestore();
    }
  });
});

test("a unix-socket target never uses the proxy", async () => {
  const socketPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tsgrpc-proxy-")), "s");
  const unixServer = createServer({ onError: () => {} });
  unixServer.add(TestService, handlers);
  await unixServer.listen(`unix:${socketPath}`);
  try {
    await allKinds(channel(`unix:${socketPath}`, { proxy: proxy.url }));
    expect(proxy.tunnels).toHaveLength(0);
  } finally {
    unixServer.forceShutdown();
    await within(unixServer.shutdown());
    fs.rmSync(path.dirname(socketPath), { recursive: true, force: true });
  }
});

test("a bad proxy option is a TypeError when the channel is created", () => {
  expect(() => createChannel(`127.0.0.1:${port}`, { proxy: "https://127.0.0.1:3128" })).toThrow(TypeError);
  expect(() => createChannel(`127.0.0.1:${port}`, { proxy: "http://u:pw@" })).toThrow(/invalid proxy URL/);
  expect(() => createChannel(`127.0.0.1:${port}`, { proxy: true as unknown as string })).toThrow(/invalid proxy option true/);
});

describe("a proxy that does not tunnel fails the call UNAVAILABLE, naming it", () => {
  test("407", async () => {
    proxy.behaviour = "refuse";
    const ch = channel(`127.0.0.1:${port}`, { proxy: proxy.url });
    const error = await within(rejection(ch.unary(TestService.methods.unary, {})));
    expect(error).toBeInstanceOf(GrpcError);
    expect(error).toMatchObject({ code: Status.UNAVAILABLE });
    expect((error as GrpcError).message).toContain(`proxy 127.0.0.1:${proxy.port} refused CONNECT 127.0.0.1:${port}: 407 Proxy Authentication Required`);
  });

  test("closing during the handshake", async () => {
    proxy.behaviour = "hang-up";
    const ch = channel(`127.0.0.1:${port}`, { proxy: proxy.url });
    const error = await within(rejection(ch.unary(TestService.methods.unary, {})));
    expect(error).toMatchObject({ code: Status.UNAVAILABLE });
    expect((error as GrpcError).message).toContain(`proxy 127.0.0.1:${proxy.port} closed the connection before answering CONNECT`);
  });

  test("a response that is not HTTP", async () => {
    proxy.behaviour = "garbage";
    const ch = channel(`127.0.0.1:${port}`, { proxy: proxy.url });
    const error = await within(rejection(ch.unary(TestService.methods.unary, {})));
    expect(error).toMatchObject({ code: Status.UNAVAILABLE });
    expect((error as GrpcError).message).toMatch(/malformed response: protocol error: not an HTTP\/1\.x status line/);
    await within(proxy.idle(), 5_000, "the proxy to see the connection closed");
  });

  test("no proxy listening", async () => {
    const closedPort = proxy.port;
    await proxy.close();
    const ch = channel(`127.0.0.1:${port}`, { proxy: `http://127.0.0.1:${closedPort}` });
    const error = await within(rejection(ch.unary(TestService.methods.unary, {})));
    expect(error).toMatchObject({ code: Status.UNAVAILABLE });
    expect((error as GrpcError).message).toContain(`cannot reach proxy 127.0.0.1:${closedPort}`);
  });
});

test("a silent proxy: the call ends at its deadline, and closing the channel closes the tunnel attempt", async () => {
  proxy.behaviour = "silent";
  const ch = channel(`127.0.0.1:${port}`, { proxy: proxy.url });
  const error = await within(rejection(ch.unary(TestService.methods.unary, {}, { timeout: 200 })));
  expect(error).toMatchObject({ code: Status.DEADLINE_EXCEEDED });
  expect(proxy.tunnels).toHaveLength(1);
  expect(proxy.openClientSockets).toBe(1);
  ch.close();
  await within(proxy.idle(), 5_000, "the proxy to see the tunnel attempt closed");
});
