// The in-memory specs run each scenario over both transports: a server on
// 127.0.0.1:0 with an HTTP/2 channel, and the same server's handlers through
// createInMemoryChannel. Same outcome on both is the in-memory channel's promise.
import type { Channel, ChannelOptions } from "../../src/client/index.js";
import { createInMemoryChannel } from "../../src/in-memory/index.js";
import { createServer, type Server, type ServerOptions } from "../../src/server/index.js";
import { startHarness, type TestHandlers, TestService, within } from "./fixtures.js";

export type Transport = "http2" | "in-memory";
export const TRANSPORTS: readonly Transport[] = ["http2", "in-memory"];

export interface Connected {
  readonly server: Server;
  readonly channel: Channel;
  close(): Promise<void>;
}

/** The options both channels understand. */
export type SharedChannelOptions = Pick<
  ChannelOptions,
  "maxReceiveMessageSize" | "maxSendMessageSize" | "compression" | "acceptCompression" | "userAgent" | "interceptors"
>;

export async function connect(
  transport: Transport,
  handlers: TestHandlers,
  serverOptions?: ServerOptions,
  channelOptions?: SharedChannelOptions,
): Promise<Connected> {
  if (transport === "http2") return startHarness(handlers, serverOptions, channelOptions);
  const server = createServer({ onError: () => {}, ...serverOptions }).add(TestService, handlers);
  const channel = createInMemoryChannel(server, channelOptions);
  return {
    server,
    channel,
    async close() {
      channel.close();
      server.forceShutdown();
      await within(server.shutdown(), 5_000, "server shutdown");
    },
  };
}

/** Runs `scenario` against a fresh server and channel of each transport; the results, keyed by transport. */
export async function onBoth<R>(
  handlers: TestHandlers,
  scenario: (channel: Channel, transport: Transport) => Promise<R>,
  serverOptions?: ServerOptions,
  channelOptions?: SharedChannelOptions,
): Promise<Record<Transport, R>> {
  const results: Partial<Record<Transport, R>> = {};
  for (const transport of TRANSPORTS) {
    const connected = await connect(transport, handlers, serverOptions, channelOptions);
    try {
      results[transport] = await within(scenario(connected.channel, transport), 10_000, `${transport} scenario`);
    } finally {
      await connected.close();
    }
  }
  return results as Record<Transport, R>;
}
