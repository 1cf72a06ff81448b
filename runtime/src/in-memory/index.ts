// The in-memory channel: a server's handlers called in this process, for tests.
export { createInMemoryChannel, type InMemoryChannelOptions } from "./channel.js";
