// The gRPC interop cases (grpc/grpc doc/interop-test-descriptions.md) in four
// directions — tsgrpc and @grpc/grpc-js, each as client and as server, the
// grpc-js pair being the control — with servers in this process on
// 127.0.0.1:0 and the case functions called directly; pick_first_unary also
// against a target listing two servers. Then a wire-level check
// of the servers' Compressed-Flags (which no client API here can show for
// grpc-js), one smoke test of the compiled command-line programs, and the
// client programs' pick_first_unary over --target lists of three server
// programs (with distinct --server_id), the first address live or dead.
//
// Where a peer lacks a feature, the expected outcome is written down below
// with the reason; a case that starts passing there fails the test too, so
// the table stays true.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import * as http2 from "node:http2";
import * as net from "node:net";
import { hostname } from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { createChannel } from "@tsgrpc/runtime";
import {
  SimpleRequest,
  SimpleResponse,
  StreamingInputCallRequest,
  StreamingOutputCallRequest,
  StreamingOutputCallResponse,
} from "./gen/grpc/testing/messages_pb.js";
import { tsgrpcCases } from "./src/cases.js";
import { ALL_CASES, CASE_NAMES, type CaseName, NOTE_FLAGS_NOT_OBSERVABLE } from "./src/descriptions.js";
import { connectGrpcJs, grpcJsCases } from "./src/grpcjs-cases.js";
import { loadInteropProtos } from "./src/grpcjs-protos.js";
import { bindGrpcJsServer, createGrpcJsInteropServer, shutdownGrpcJsServer } from "./src/grpcjs-service.js";
import { type CaseResult, runCase } from "./src/runner.js";
import { createInteropServer } from "./src/test-service.js";
import { TestServiceClient } from "./gen/grpc/testing/test_grpc.js";

const PROTO_ROOT = path.resolve("conformance/interop/proto");
const CASE_TIMEOUT_MS = 10_000;

type Impl = "tsgrpc" | "grpc-js";

interface StartedServer {
  readonly port: number;
  close(): Promise<void>;
}

async function startServer(impl: Impl): Promise<StartedServer> {
  if (impl === "tsgrpc") {
    const server = createInteropServer({ onError: () => {} });
    const port = await server.listen("127.0.0.1:0");
    return {
      port,
      async close() {
        server.forceShutdown();
        await server.shutdown();
      },
    };
  }
  const server = createGrpcJsInteropServer(PROTO_ROOT);
  const port = await bindGrpcJsServer(server, "127.0.0.1:0");
  return {
    port,
    async close() {
      server.forceShutdown();
      await shutdownGrpcJsServer(server);
    },
  };
}

interface StartedClient {
  run(name: CaseName): Promise<CaseResult>;
  close(): void;
}

/** A client of `target`: a port on 127.0.0.1, or a whole channel target. */
function startClient(impl: Impl, target: number | string): StartedClient {
  const address = typeof target === "number" ? `127.0.0.1:${target}` : target;
  if (impl === "tsgrpc") {
    const channel = createChannel(address);
    return { run: (name) => runCase(tsgrpcCases, name, { channel }, CASE_TIMEOUT_MS), close: () => channel.close() };
  }
  const { ctx, close } = connectGrpcJs(loadInteropProtos(PROTO_ROOT), address);
  return { run: (name) => runCase(grpcJsCases, name, ctx, CASE_TIMEOUT_MS), close };
}

/** A case whose outcome in a direction is set by a peer's missing feature, and why. */
interface Limit {
  readonly client?: Impl;
  readonly server?: Impl;
  readonly cases: readonly CaseName[];
  readonly outcome: { readonly fails: RegExp } | { readonly note: string };
  readonly reason: string;
}

const LIMITS: readonly Limit[] = [
  {
    client: "tsgrpc",
    server: "grpc-js",
    cases: ["server_compressed_unary", "server_compressed_streaming"],
    outcome: { fails: /\(compressed=true\): compressed flag: expected true, got false|response_compressed=true: response compressed flag: expected true, got false/ },
    reason: "grpc-js servers never compress responses (Compressed-Flag always 0), so the flag the case asserts never arrives",
  },
  {
    client: "grpc-js",
    cases: ["server_compressed_unary", "server_compressed_streaming"],
    outcome: { note: NOTE_FLAGS_NOT_OBSERVABLE },
    reason: "grpc-js clients cannot see a response's Compressed-Flag; the wire-level check below covers the servers' flags",
  },
];

function limitFor(client: Impl, server: Impl, name: CaseName): Limit | undefined {
  return LIMITS.find(
    (l) => (l.client === undefined || l.client === client) && (l.server === undefined || l.server === server) && l.cases.includes(name),
  );
}

const DIRECTIONS: readonly (readonly [Impl, Impl])[] = [
  ["tsgrpc", "tsgrpc"],
  ["tsgrpc", "grpc-js"],
  ["grpc-js", "tsgrpc"],
  ["grpc-js", "grpc-js"],
];

describe.each(DIRECTIONS)("%s client -> %s server", (clientImpl, serverImpl) => {
  let server: StartedServer;
  let client: StartedClient;

  beforeAll(async () => {
    server = await startServer(serverImpl);
    client = startClient(clientImpl, server.port);
  });

  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  test.each(CASE_NAMES.map((name) => [name, limitFor(clientImpl, serverImpl, name)] as const))("%s", async (name, limit) => {
    const result = await client.run(name);
    if (limit === undefined) {
      expect(result).toEqual({ name, passed: true });
    } else if ("fails" in limit.outcome) {
      // Expected to fail: limit.reason.
      expect({ passed: result.passed, detail: result.detail }).toEqual({ passed: false, detail: expect.stringMatching(limit.outcome.fails) });
    } else {
      // Passes without the part it cannot check: limit.reason.
      expect(result).toEqual({ name, passed: true, detail: limit.outcome.note });
    }
  });
});

describe("pick_first_unary against a target listing two servers", () => {
  let servers: StartedServer[];

  beforeAll(async () => {
    servers = [await startServer("tsgrpc"), await startServer("tsgrpc")];
  });

  afterAll(async () => {
    for (const server of servers ?? []) await server.close();
  });

  /** The server_id each server answers with, asked directly. */
  async function serverIds(): Promise<string[]> {
    return Promise.all(
      servers.map(async ({ port }) => {
        const channel = createChannel(`127.0.0.1:${port}`);
        try {
          const response = await new TestServiceClient(channel).unaryCall({ fillServerId: true });
          expect(response.hostname).toBe(hostname());
          return response.serverId;
        } finally {
          channel.close();
        }
      }),
    );
  }

  test("the two servers have server_ids of their own, and fill them (with the hostname) only when asked", async () => {
    const [first, second] = await serverIds();
    expect(first).toMatch(/^tsgrpc-\d+-[0-9a-f]{8}$/);
    expect(second).not.toBe(first);
    const channel = createChannel(`127.0.0.1:${servers[0]!.port}`);
    try {
      expect(await new TestServiceClient(channel).unaryCall({})).toMatchObject({ serverId: "", hostname: "" });
    } finally {
      channel.close();
    }
  });

  test.each(["tsgrpc", "grpc-js"] as const)("%s client: 100 calls, all answered by the first server", async (impl) => {
    const [first] = await serverIds();
    const target = `ipv4:${servers.map(({ port }) => `127.0.0.1:${port}`).join(",")}`;
    const client = startClient(impl, target);
    try {
      expect(await client.run("pick_first_unary")).toEqual({ name: "pick_first_unary", passed: true });
    } finally {
      client.close();
    }
    // pick_first: the first address of the list, while it is up.
    const channel = createChannel(target);
    try {
      expect((await new TestServiceClient(channel).unaryCall({ fillServerId: true })).serverId).toBe(first);
    } finally {
      channel.close();
    }
  });
});

// ---- wire-level check of the servers' compression behaviour ----

interface RawResponse {
  readonly status: string | undefined;
  /** Compressed-Flag of each response message. */
  readonly flags: number[];
  readonly messages: Uint8Array[];
}

function frame(payload: Uint8Array, compressed: boolean): Buffer {
  const body = compressed ? zlib.gzipSync(payload) : payload;
  const out = Buffer.alloc(5 + body.length);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(body.length, 1);
  out.set(body, 5);
  return out;
}

/** One call over plain node:http2; messages come back decompressed, with their flags. */
function rawCall(port: number, method: string, body: Buffer, encoding = "identity"): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", reject);
    const req = session.request({
      ":method": "POST",
      ":path": `/grpc.testing.TestService/${method}`,
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-encoding": encoding,
      "grpc-accept-encoding": "identity,gzip",
    });
    let status: string | undefined;
    let responseEncoding: string | undefined;
    const chunks: Buffer[] = [];
    req.on("response", (h) => {
      status = h["grpc-status"] as string | undefined;
      responseEncoding = h["grpc-encoding"] as string | undefined;
    });
    req.on("trailers", (h) => (status = h["grpc-status"] as string | undefined));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => {
      session.close();
      const data = Buffer.concat(chunks);
      const flags: number[] = [];
      const messages: Uint8Array[] = [];
      for (let pos = 0; pos < data.length; ) {
        const flag = data[pos]!;
        const length = data.readUInt32BE(pos + 1);
        const payload = data.subarray(pos + 5, pos + 5 + length);
        flags.push(flag);
        messages.push(flag === 1 && responseEncoding === "gzip" ? zlib.gunzipSync(payload) : payload);
        pos += 5 + length;
      }
      resolve({ status, flags, messages });
    });
    req.end(body);
  });
}

describe.each(["tsgrpc", "grpc-js"] as const)("%s server on the wire", (impl) => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await startServer(impl);
  });
  afterAll(async () => {
    await server?.close();
  });

  // CompressedResponse. grpc-js never compresses (documented in grpcjs-service.ts): its flags stay 0.
  const compresses = impl === "tsgrpc";

  test.each([true, false])("UnaryCall response_compressed=%s sets the Compressed-Flag accordingly", async (compressed) => {
    const request = SimpleRequest.encode({ responseSize: 1000, responseCompressed: { value: compressed } });
    const res = await rawCall(server.port, "UnaryCall", frame(request, false));
    expect(res.status).toBe("0");
    expect(res.flags).toEqual([compressed && compresses ? 1 : 0]);
    expect(SimpleResponse.decode(res.messages[0]!).payload?.body.length).toBe(1000);
  });

  test("StreamingOutputCall compresses per message", async () => {
    const request = StreamingOutputCallRequest.encode({
      responseParameters: [
        { size: 1000, compressed: { value: true } },
        { size: 2000, compressed: { value: false } },
      ],
    });
    const res = await rawCall(server.port, "StreamingOutputCall", frame(request, false));
    expect(res.status).toBe("0");
    expect(res.flags).toEqual(compresses ? [1, 0] : [0, 0]);
    expect(res.messages.map((m) => StreamingOutputCallResponse.decode(m).payload?.body.length)).toEqual([1000, 2000]);
  });

  // CompressedRequest goes by each message's flag, not by the call's grpc-encoding.
  const unary = (expect: boolean): Uint8Array => SimpleRequest.encode({ expectCompressed: { value: expect } });
  const streaming = (expect: boolean): Uint8Array => StreamingInputCallRequest.encode({ expectCompressed: { value: expect } });
  test.each([
    { method: "UnaryCall", what: "expect_compressed=true, flag 0 on a gzip call", message: unary(true), compressed: false, status: "3" },
    { method: "UnaryCall", what: "expect_compressed=false, flag 1", message: unary(false), compressed: true, status: "3" },
    { method: "UnaryCall", what: "expect_compressed=true, flag 1", message: unary(true), compressed: true, status: "0" },
    { method: "StreamingInputCall", what: "expect_compressed=true, flag 0 on a gzip call", message: streaming(true), compressed: false, status: "3" },
    { method: "StreamingInputCall", what: "expect_compressed=false, flag 1", message: streaming(false), compressed: true, status: "3" },
  ])("$method $what -> grpc-status $status", async ({ method, message, compressed, status }) => {
    const res = await rawCall(server.port, method, frame(message, compressed), "gzip");
    expect(res.status).toBe(status);
  });
});

// ---- the command-line programs ----

const ROOT = path.resolve(".");
const DIST = path.join(ROOT, "conformance/interop/dist/src");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/** Runs a program to its end (bounded); resolves with its exit code and output. */
function runProgram(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: timeoutMs, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a server program and resolves with the port it prints. */
function startServerProgram(script: string, ...flags: string[]): Promise<{ child: ChildProcess; port: number; out: () => string }> {
  const child = spawn(process.execPath, [path.join(DIST, script), "--port=0", ...flags], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${script} printed no port within 10 s: ${out}`)), 10_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const match = /listening on 0\.0\.0\.0:(\d+)/.exec(out);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), out: () => out });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before listening: ${out}`));
    });
  });
}

/** SIGTERM, then the exit code (bounded: SIGKILL after 10 s). */
function stopProgram(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill("SIGTERM");
  });
}

describe("command-line programs", () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) await stopProgram(child);
  });

  test("the compiled servers and clients run with the official flags", async () => {
    const build = await runProgram([TSC, "-b", "conformance/interop"], 30_000);
    expect(build).toMatchObject({ code: 0, stdout: "" });

    const tsServer = await startServerProgram("server.js", "--server_id=cli-tsgrpc");
    expect(tsServer.out()).toContain("(server_id cli-tsgrpc)");
    children.push(tsServer.child);
    const jsServer = await startServerProgram("grpcjs-server.js");
    children.push(jsServer.child);
    const flags = (port: number, testCase: string): string[] => [
      "--server_host=127.0.0.1",
      `--server_port=${port}`,
      `--test_case=${testCase}`,
      "--use_tls=false",
      "--server_host_override=foo.test.example",
    ];

    // Every case of `all`, tsgrpc client -> tsgrpc server: one PASS line each, exit 0.
    const all = await runProgram([path.join(DIST, "client.js"), ...flags(tsServer.port, "all")], 30_000);
    expect(all.stdout.trim().split("\n")).toEqual(ALL_CASES.map((name) => `PASS ${name}`));
    expect(all.code).toBe(0);

    // --target replaces --server_host and --server_port: pick_first_unary over both servers, from each client.
    const target = `--target=ipv4:127.0.0.1:${tsServer.port},127.0.0.1:${jsServer.port}`;
    for (const client of ["client.js", "grpcjs-client.js"]) {
      const picked = await runProgram([path.join(DIST, client), target, "--test_case=pick_first_unary", "--use_tls=false"], 30_000);
      expect(picked).toMatchObject({ code: 0, stdout: "PASS pick_first_unary\n" });
    }

    // The grpc-js client program against the tsgrpc server.
    const js = await runProgram([path.join(DIST, "grpcjs-client.js"), ...flags(tsServer.port, "large_unary")], 30_000);
    expect(js).toMatchObject({ code: 0, stdout: "PASS large_unary\n" });

    // A failing case prints FAIL with the reason and exits 1 (grpc-js servers do not compress responses).
    const failing = await runProgram([path.join(DIST, "client.js"), ...flags(jsServer.port, "server_compressed_unary")], 30_000);
    expect(failing.stdout).toMatch(/^FAIL server_compressed_unary: response_compressed=true: response compressed flag: expected true, got false\n$/);
    expect(failing.code).toBe(1);

    // Bad usage exits 2; TLS is refused with a reason.
    const tls = await runProgram([path.join(DIST, "client.js"), ...flags(tsServer.port, "all"), "--use_tls=true"], 10_000);
    expect(tls.code).toBe(2);
    expect(tls.stderr).toContain("--use_tls=true is not supported");

    // SIGTERM: graceful shutdown, exit 0.
    expect(await stopProgram(tsServer.child)).toBe(0);
    expect(await stopProgram(jsServer.child)).toBe(0);
  }, 55_000);
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("pick_first_unary from the client programs, --target listing three servers", () => {
  const servers: { child: ChildProcess; port: number }[] = [];

  beforeAll(async () => {
    const build = await runProgram([TSC, "-b", "conformance/interop"], 30_000);
    expect(build).toMatchObject({ code: 0, stdout: "" });
    for (const id of ["pf-1", "pf-2", "pf-3"]) {
      const server = await startServerProgram("server.js", `--server_id=${id}`);
      servers.push(server);
      expect(server.out()).toContain(`(server_id ${id})`);
    }
  }, 45_000);

  afterAll(async () => {
    for (const { child } of servers) await stopProgram(child);
  });

  /** The server_id a pick_first channel to `target` reaches (the first address that connects). */
  async function pickedServerId(target: string): Promise<string> {
    const channel = createChannel(target);
    try {
      return (await new TestServiceClient(channel).unaryCall({ fillServerId: true }, { timeout: 5_000 })).serverId;
    } finally {
      channel.close();
    }
  }

  const ipv4 = (ports: readonly number[]): string => `ipv4:${ports.map((p) => `127.0.0.1:${p}`).join(",")}`;

  test.each(["client.js", "grpcjs-client.js"])("%s passes against ipv4:P1,P2,P3, all calls on P1", async (client) => {
    const target = ipv4(servers.map((s) => s.port));
    const run = await runProgram([path.join(DIST, client), `--target=${target}`, "--test_case=pick_first_unary", "--use_tls=false"], 30_000);
    expect(run).toMatchObject({ code: 0, stdout: "PASS pick_first_unary\n" });
    expect(await pickedServerId(target)).toBe("pf-1");
  }, 35_000);

  test.each(["client.js", "grpcjs-client.js"])("%s passes when the first address is a dead port (calls go to P2)", async (client) => {
    const target = ipv4([await closedPort(), servers[1]!.port, servers[2]!.port]);
    const run = await runProgram([path.join(DIST, client), `--target=${target}`, "--test_case=pick_first_unary", "--use_tls=false"], 30_000);
    expect(run).toMatchObject({ code: 0, stdout: "PASS pick_first_unary\n" });
    expect(await pickedServerId(target)).toBe("pf-2");
  }, 35_000);
});
