// The protobuf conformance testee, started by conformance_test_runner (see
// conformance/scripts/runner.mjs). Reads length-prefixed ConformanceRequests
// from stdin, writes length-prefixed ConformanceResponses to stdout, and exits
// with 0 when stdin ends.
import { writeSync } from "node:fs";
import { FrameDecoder, encodeFrame } from "./frames.js";
import { respondToBytes } from "./respond.js";

const decoder = new FrameDecoder();

process.stdin.on("data", (chunk: Buffer) => {
  for (const request of decoder.push(chunk)) {
    writeAll(encodeFrame(respondToBytes(request)));
  }
});

process.stdin.on("end", () => {
  if (decoder.pending > 0) {
    process.stderr.write(`conformance testee: stdin ended inside a frame (${decoder.pending} bytes left)\n`);
    process.exitCode = 1;
  }
});

/** Writes synchronously so that each response is out before the next request is read. */
function writeAll(bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset, bytes.length - offset);
    } catch (e) {
      // A non-blocking pipe that is full: wait for the runner to read.
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
    }
  }
}
