// Writers wait for 'drain' when a write returned false (HTTP/2 flow control).
// A stream that closes or fails instead must not leave its writer waiting.

interface DrainableStream {
  readonly destroyed: boolean;
  once(event: "drain" | "close" | "error", listener: () => void): unknown;
  off(event: "drain" | "close" | "error", listener: () => void): unknown;
}

export function waitForDrain(stream: DrainableStream): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off("drain", done);
      stream.off("close", done);
      stream.off("error", done);
      resolve();
    };
    stream.once("drain", done);
    stream.once("close", done);
    stream.once("error", done);
  });
}
