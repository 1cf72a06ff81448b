// Raw node:http2 peers for protocol tests: a client that sends exactly the
// bytes a test wants, and a server that answers however a test wants.
import * as http2 from "node:http2";
import { within } from "./fixtures.js";

export interface RawResponse {
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders | undefined;
  data: Buffer;
  rstCode: number | undefined;
}

export interface RawClient {
  /** Sends headers and body chunks; ends the request unless `end` is false. */
  call(headers: http2.OutgoingHttpHeaders, body?: Uint8Array[], end?: boolean): Promise<RawResponse>;
  close(): void;
  readonly session: http2.ClientHttp2Session;
}

export function rawClient(port: number): RawClient {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  return {
    session,
    call(headers, body = [], end = true) {
      const stream = session.request({
        ":method": "POST",
        "content-type": "application/grpc",
        te: "trailers",
        ...headers,
      });
      stream.on("error", () => {});
      for (const chunk of body) stream.write(chunk);
      if (end) stream.end();
      const result: RawResponse = { headers: {}, trailers: undefined, data: Buffer.alloc(0), rstCode: undefined };
      const chunks: Buffer[] = [];
      stream.on("response", (h) => {
        result.headers = h;
      });
      stream.on("trailers", (t) => {
        result.trailers = t;
      });
      stream.on("data", (c: Buffer) => chunks.push(c));
      return within(
        new Promise<RawResponse>((resolve) => {
          stream.on("close", () => {
            result.data = Buffer.concat(chunks);
            result.rstCode = stream.rstCode;
            resolve(result);
          });
          // A response that ends while our side is still open: close it ourselves, as a gRPC client would.
          stream.on("end", () => {
            if (!stream.closed) stream.close();
          });
        }),
        5_000,
        "raw call",
      );
    },
    close() {
      session.close();
    },
  };
}

/** The status of a raw response, whether Trailers-Only or in trailers. */
export function grpcStatusOf(response: RawResponse): string | undefined {
  return (response.trailers?.["grpc-status"] ?? response.headers["grpc-status"]) as string | undefined;
}

export interface RawServer {
  readonly port: number;
  /** Connections accepted so far. */
  sessionCount(): number;
  /** Calls `listener` with each session accepted from now on. */
  onSession(listener: (session: http2.ServerHttp2Session) => void): void;
  close(): Promise<void>;
}

/** An HTTP/2 server whose streams `handler` answers; every session is destroyed on close. */
export async function rawServer(
  handler: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void,
): Promise<RawServer> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  let accepted = 0;
  server.on("session", (s) => {
    accepted++;
    sessions.add(s);
    s.on("error", () => {});
    s.on("close", () => sessions.delete(s));
  });
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    handler(stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    sessionCount: () => accepted,
    onSession: (listener) => server.on("session", listener),
    close() {
      for (const s of sessions) s.destroy();
      return within(new Promise<void>((resolve) => server.close(() => resolve())), 5_000, "raw server close");
    },
  };
}

/** A Length-Prefixed-Message with an arbitrary flag byte. */
export function frame(payload: Uint8Array, flag = 0): Buffer {
  const out = Buffer.alloc(5 + payload.length);
  out[0] = flag;
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, 5);
  return out;
}
