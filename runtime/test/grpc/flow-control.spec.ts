// The HTTP/2 receive windows tsgrpc advertises: 1 MiB per stream and per
// connection by default (node:http2's own 64 KiB caps a stream at one window
// per round trip), or what flowControlWindow says; checked from the peer's side.
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { createChannel } from "../../src/client/index.js";
import { DEFAULT_FLOW_CONTROL_WINDOW } from "../../src/grpc/flow-control.js";
import { createServer, type ServerOptions } from "../../src/server/index.js";
import { collect, deferred, startHarness, TestService, within } from "./fixtures.js";

/** The windows a server gives a plain node:http2 client: its initialWindowSize setting and the connection's window. */
async function serverWindows(options: ServerOptions): Promise<{ stream: number; connection: number }> {
  const server = createServer(options).add(TestService, {});
  const port = await server.listen("127.0.0.1:0");
  const client = http2.connect(`http://127.0.0.1:${port}`);
  try {
    await within(new Promise<void>((resolve) => client.once("remoteSettings", () => resolve())), 5_000, "server settings");
    // The server opened its connection window when the session began, so its
    // WINDOW_UPDATE is ahead of the PING's acknowledgement.
    await within(new Promise<void>((resolve, reject) => client.ping((e) => (e ? reject(e) : resolve()))), 5_000, "ping");
    return { stream: client.remoteSettings.initialWindowSize!, connection: client.state.remoteWindowSize! };
  } finally {
    client.destroy();
    server.forceShutdown();
    await within(server.shutdown(), 5_000, "server shutdown");
  }
}

test("a server advertises a 1 MiB window per stream and per connection by default", async () => {
  expect(DEFAULT_FLOW_CONTROL_WINDOW).toBe(1024 * 1024);
  expect(await serverWindows({})).toEqual({ stream: 1024 * 1024, connection: 1024 * 1024 });
});

test("a server advertises the window its flowControlWindow option asks for", async () => {
  expect(await serverWindows({ flowControlWindow: 256 * 1024 })).toEqual({ stream: 256 * 1024, connection: 256 * 1024 });
  expect(await serverWindows({ flowControlWindow: 65_535 })).toEqual({ stream: 65_535, connection: 65_535 });
});

test("a channel advertises its window to the server before its first request", async () => {
  for (const [option, expected] of [
    [undefined, 1024 * 1024],
    [512 * 1024, 512 * 1024],
  ] as const) {
    const seen = deferred<{ stream: number; connection: number }>();
    const raw = http2.createServer();
    raw.on("stream", (stream) => {
      const session = stream.session!;
      seen.resolve({ stream: session.remoteSettings.initialWindowSize!, connection: session.state.remoteWindowSize! });
      stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "0" }, { endStream: true });
    });
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    const channel = createChannel(`127.0.0.1:${(raw.address() as AddressInfo).port}`, option === undefined ? {} : { flowControlWindow: option });
    try {
      await within(collect(channel.serverStream(TestService.methods.serverStream, {})));
      expect(await within(seen.promise)).toEqual({ stream: expected, connection: expected });
    } finally {
      channel.close();
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  }
});

test("a window HTTP/2 cannot advertise is refused up front", () => {
  for (const bad of [0, 65_534, 2 ** 31, 1.5, Number.NaN]) {
    expect(() => createServer({ flowControlWindow: bad })).toThrow(RangeError);
    expect(() => createChannel("127.0.0.1:1", { flowControlWindow: bad })).toThrow(RangeError);
  }
});

test("streams bigger than a small window still arrive whole and in order", async () => {
  const data = new Uint8Array(4096).fill(3);
  const count = 200; // 800 KiB through 64 KiB windows on both sides
  const h = await startHarness(
    {
      async *serverStream(req) {
        for (let i = 0; i < req.count; i++) yield { text: "", count: i, data };
      },
    },
    { flowControlWindow: 65_535 },
    { flowControlWindow: 65_535 },
  );
  try {
    const replies = await within(collect(h.channel.serverStream(TestService.methods.serverStream, { count })), 10_000);
    expect(replies.map((r) => r.count)).toEqual([...Array(count).keys()]);
    expect(replies.every((r) => r.data.length === 4096)).toBe(true);
  } finally {
    await h.close();
  }
});
