// The AuthContext of a connection: computed once per session, on first use,
// since most handlers never ask.
import type * as http2 from "node:http2";
import type * as tls from "node:tls";
import type { AuthContext, PeerCertificate } from "./context.js";

const INSECURE: AuthContext = Object.freeze({ transportSecurity: "insecure", peerCertificate: undefined });
const contexts = new WeakMap<http2.Http2Session, AuthContext>();

export function authContextOf(session: http2.Http2Session | undefined): AuthContext {
  if (session === undefined || !session.encrypted) return INSECURE;
  let context = contexts.get(session);
  if (context === undefined) {
    context = Object.freeze({ transportSecurity: "tls", peerCertificate: verifiedPeerCertificate(session.socket as tls.TLSSocket) });
    contexts.set(session, context);
  }
  return context;
}

/** The client's certificate, only when the TLS handshake verified it against the server's CAs. */
function verifiedPeerCertificate(socket: tls.TLSSocket): PeerCertificate | undefined {
  if (socket === undefined || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (cert === undefined || cert === null || cert.raw === undefined) return undefined;
  return Object.freeze({
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    subjectAltNames: Object.freeze(cert.subjectaltname === undefined ? [] : cert.subjectaltname.split(", ")),
    fingerprint256: cert.fingerprint256,
    raw: new Uint8Array(cert.raw),
  });
}

function distinguishedName(name: tls.Certificate | undefined): string {
  if (name === undefined || name === null) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(name)) {
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${key}=${String(v)}`);
  }
  return parts.join(",");
}
