// README's "Testing without a network": its example is the first test below,
// verbatim (the last test checks that), so the README shows code that compiles and passes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInMemoryChannel, createServer, Status } from "@tsgrpc/runtime";
import { RouteGuide, RouteGuideClient } from "../src/gen/routeguide/route_guide_grpc.js";
import { routeGuideHandlers } from "../src/route-guide-server.js";

// README example begins
test("routeChat echoes earlier notes at the same place, and rejects a note without one", async () => {
  const server = createServer().add(RouteGuide, routeGuideHandlers); // no listen()
  const channel = createInMemoryChannel(server);
  const client = new RouteGuideClient(channel);
  try {
    const here = { latitude: 1, longitude: 2 };
    const echoed: string[] = [];
    for await (const note of client.routeChat([{ location: here, message: "a" }, { location: here, message: "b" }])) {
      echoed.push(note.message);
    }
    expect(echoed).toEqual(["a"]);

    const nowhere = client.routeChat([{ message: "nowhere" }])[Symbol.asyncIterator]();
    await expect(nowhere.next()).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT, details: "a note needs a location" });
  } finally {
    channel.close();
  }
});
// README example ends

test("README shows the example above", () => {
  const readme = readFileSync(join(__dirname, "../../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Testing without a network"), readme.indexOf("### Metadata"));
  const shown = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const spec = readFileSync(__filename, "utf8");
  const example = /\/\/ README example begins\n([\s\S]*?)\/\/ README example ends/.exec(spec)?.[1];
  expect(shown).toBeDefined();
  expect(example).toBeDefined();
  expect(shown).toContain(example!.trim());
});
