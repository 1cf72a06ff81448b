// Runs interop cases and reports them one line each: `PASS name`,
// `PASS name (note)` or `FAIL name: reason`. Shared by the tsgrpc and grpc-js
// clients, which differ only in their case tables and how they connect.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Flags, rejectTls, UsageError } from "./flags.js";
import { ALL_CASES, CASE_NAMES, type CaseName, isCaseName } from "./descriptions.js";

/** One case: resolves (optionally with a note for the PASS line) or throws why it failed. */
export type CaseFn<C> = (ctx: C) => Promise<string | void>;
export type CaseTable<C> = Readonly<Record<CaseName, CaseFn<C>>>;

export interface CaseResult {
  readonly name: CaseName;
  readonly passed: boolean;
  /** The failure reason, or the note of a pass. */
  readonly detail?: string;
}

/** Upper bound of one case; each case's own waits are far shorter. */
export const CASE_TIMEOUT_MS = 20_000;

export async function runCase<C>(table: CaseTable<C>, name: CaseName, ctx: C, timeoutMs = CASE_TIMEOUT_MS): Promise<CaseResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const note = await Promise.race([table[name](ctx), timeout]);
    return note ? { name, passed: true, detail: note } : { name, passed: true };
  } catch (e) {
    return { name, passed: false, detail: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

export function formatResult(result: CaseResult): string {
  if (!result.passed) return `FAIL ${result.name}: ${oneLine(result.detail ?? "failed")}`;
  return result.detail === undefined ? `PASS ${result.name}` : `PASS ${result.name} (${oneLine(result.detail)})`;
}

/** `all` or one case name. */
export function selectCases(testCase: string): CaseName[] {
  if (testCase === "all") return [...ALL_CASES];
  if (isCaseName(testCase)) return [testCase];
  throw new UsageError(`unknown --test_case=${testCase}; known: all, ${CASE_NAMES.join(", ")}`);
}

export interface ClientTarget {
  /** A whole channel target (`--target`, e.g. `ipv4:127.0.0.1:P1,127.0.0.1:P2`), or `host:port` made from --server_host and --server_port. */
  readonly target: string;
  /** `--server_host_override`: the `:authority` to claim. */
  readonly authority: string | undefined;
}

export interface Connection<C> {
  readonly ctx: C;
  close(): void;
}

const CLIENT_FLAGS = [
  "server_host",
  "server_port",
  // Ours: a channel target naming several servers, for pick_first_unary.
  "target",
  "server_host_override",
  "test_case",
  "use_tls",
  "use_test_ca",
  // Flags of the cloud-to-prod auth cases, which these clients do not implement; accepted so shared runners work.
  "default_service_account",
  "oauth_scope",
  "service_account_key_file",
];

export const CLIENT_USAGE =
  "usage: (--server_host=HOST --server_port=PORT | --target=TARGET) --test_case=NAME|all [--use_tls=false] [--server_host_override=HOST]";

/** `--target` as given, else `host:port` from --server_host (default localhost) and --server_port. */
function clientTarget(flags: Flags): string {
  const target = flags.string("target");
  if (target !== undefined) {
    if (target === "") throw new UsageError("--target needs a channel target, e.g. ipv4:127.0.0.1:10000,127.0.0.1:10001");
    return target;
  }
  const host = flags.string("server_host") ?? "localhost";
  const port = flags.port("server_port");
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The client CLI: parse flags, run the cases in order, print a line each; exit status 1 if any failed, 2 on bad usage. */
export async function runClientCli<C>(
  argv: readonly string[],
  table: CaseTable<C>,
  connect: (target: ClientTarget) => Connection<C>,
): Promise<void> {
  let names: CaseName[];
  let target: ClientTarget;
  try {
    const flags = Flags.parse(argv, CLIENT_FLAGS);
    rejectTls(flags);
    names = selectCases(flags.requiredString("test_case"));
    target = { target: clientTarget(flags), authority: flags.string("server_host_override") };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${CLIENT_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const connection = connect(target);
  let failed = 0;
  for (const name of names) {
    const result = await runCase(table, name, connection.ctx);
    if (!result.passed) failed++;
    console.log(formatResult(result));
  }
  connection.close();
  const code = failed > 0 ? 1 : 0;
  process.exitCode = code;
  // A case that timed out may leave a call open; do not let it keep the process alive.
  setTimeout(() => process.exit(code), 2_000).unref();
}

/** A running server, as the server CLI drives it. */
export interface RunningServer {
  readonly port: number;
  /** Graceful: stop accepting, let calls in flight finish. */
  shutdown(): Promise<void>;
  forceShutdown(): void;
}

export const SERVER_USAGE = "usage: --port=PORT [--use_tls=false] [--server_id=ID]";

/** What a server answers in SimpleResponse when a request asks (fill_server_id, fill_server_hostname). */
export interface ServerIdentity {
  readonly serverId: string;
  readonly hostname: string;
}

/** This process's identity, with `serverId` unless given: the implementation's name, the pid and random bits, so that two servers never share one. */
export function serverIdentity(implementation: string, serverId?: string): ServerIdentity {
  return { serverId: serverId ?? `${implementation}-${process.pid}-${randomBytes(4).toString("hex")}`, hostname: hostname() };
}

/**
 * The server CLI: listen on 0.0.0.0:PORT, print the port, serve until
 * SIGINT/SIGTERM, then shut down gracefully (a second signal, or 5 s, forces it).
 */
export async function runServerCli(
  argv: readonly string[],
  name: string,
  start: (port: number, identity: ServerIdentity) => Promise<RunningServer>,
): Promise<void> {
  let port: number;
  let identity: ServerIdentity;
  try {
    const flags = Flags.parse(argv, ["port", "use_tls", "server_id"]);
    rejectTls(flags);
    port = flags.port("port");
    const serverId = flags.string("server_id");
    if (serverId === "") throw new UsageError("--server_id needs a value");
    identity = serverIdentity(name, serverId);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${SERVER_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const server = await start(port, identity);
  console.log(`${name} interop server listening on 0.0.0.0:${server.port} (server_id ${identity.serverId})`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      server.forceShutdown();
      return;
    }
    stopping = true;
    console.log(`${signal}: shutting down`);
    const force = setTimeout(() => server.forceShutdown(), 5_000);
    force.unref();
    void server.shutdown().then(() => {
      clearTimeout(force);
      process.exit(0);
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}
