// A server's graceful GOAWAY in two steps, as grpc-go sends it (RFC 9113
// §6.8): first GOAWAY with the largest stream id, which refuses nothing, and a
// PING; once the PING is answered, every stream the client sent before it saw
// that GOAWAY has arrived, and the final GOAWAY names the last of them. A
// single GOAWAY would refuse the streams still on the wire, and a client that
// retries a refused stream once may land it on another server that is also
// going away.
import * as http2 from "node:http2";

const { NGHTTP2_NO_ERROR } = http2.constants;
const MAX_STREAM_ID = 2 ** 31 - 1;
/** How long to wait for the PING's answer before the final GOAWAY anyway. */
const PING_WAIT_MS = 2_000;

/** Stops new streams and closes the session once the ones it accepted have ended. */
export function goAwayGracefully(session: http2.ServerHttp2Session, debugData?: Buffer): void {
  if (session.closed || session.destroyed) return;
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    // close() sends the final GOAWAY, naming the last stream node:http2 processed.
    if (!session.closed && !session.destroyed) session.close();
  };
  // Ref'd: a client that is gone may never answer, and its socket may not be noticed until close().
  const fallback = setTimeout(finish, PING_WAIT_MS);
  session.once("close", () => clearTimeout(fallback));
  try {
    session.goaway(NGHTTP2_NO_ERROR, MAX_STREAM_ID, debugData);
    if (!session.ping(() => finish())) finish();
  } catch {
    finish();
  }
}
