// @grpc/grpc-js as its users write it: proto/rpc.proto loaded at run time
// with @grpc/proto-loader (protobufjs reflection codecs, the options of the
// grpc-node examples), callback-style unary handlers, streams as Node streams.
// Server streaming waits for 'drain', as correct grpc-js code must.
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { fileURLToPath } from "node:url";
import { bodyOf, HOST, pair, type Implementation, type Payload, readPair } from "../protocol.js";

const definition = protoLoader.loadSync(fileURLToPath(new URL("../../proto/rpc.proto", import.meta.url)), {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

type Callback = (error: grpc.ServiceError | null, response?: Payload) => void;
interface ServiceClient extends grpc.Client {
  Unary(request: Payload, callback: Callback): grpc.ClientUnaryCall;
  ServerStream(request: Payload): grpc.ClientReadableStream<Payload>;
  ClientStream(callback: Callback): grpc.ClientWritableStream<Payload>;
  Bidi(): grpc.ClientDuplexStream<Payload, Payload>;
}
const pkg = grpc.loadPackageDefinition(definition) as unknown as { tsgrpc: { bench: { rpc: { RpcBench: grpc.ServiceClientConstructor } } } };
const RpcBench = pkg.tsgrpc.bench.rpc.RpcBench;

const handlers: grpc.UntypedServiceImplementation = {
  Unary(call: grpc.ServerUnaryCall<Payload, Payload>, callback: grpc.sendUnaryData<Payload>) {
    callback(null, { body: call.request.body });
  },
  ServerStream(call: grpc.ServerWritableStream<Payload, Payload>) {
    const [count, size] = readPair(call.request.body);
    const body = bodyOf(size);
    let i = 0;
    const write = (): void => {
      while (i < count) {
        if (call.cancelled) return;
        i++;
        if (!call.write({ body })) {
          call.once("drain", write);
          return;
        }
      }
      call.end();
    };
    write();
  },
  ClientStream(call: grpc.ServerReadableStream<Payload, Payload>, callback: grpc.sendUnaryData<Payload>) {
    let count = 0;
    let bytes = 0;
    call.on("data", (r: Payload) => {
      count++;
      bytes += r.body.length;
    });
    call.on("end", () => callback(null, { body: pair(count, bytes) }));
  },
  Bidi(call: grpc.ServerDuplexStream<Payload, Payload>) {
    call.on("data", (r: Payload) => call.write({ body: r.body }));
    call.on("end", () => call.end());
  },
};

export const implementation: Implementation = {
  serve() {
    const server = new grpc.Server();
    server.addService(RpcBench.service, handlers);
    return new Promise((resolve, reject) => {
      server.bindAsync(`${HOST}:0`, grpc.ServerCredentials.createInsecure(), (error, port) => {
        if (error !== null) {
          reject(error);
          return;
        }
        resolve({
          port,
          close: () => {
            server.forceShutdown();
            return Promise.resolve();
          },
        });
      });
    });
  },

  connect(port) {
    const client = new RpcBench(`${HOST}:${port}`, grpc.credentials.createInsecure()) as unknown as ServiceClient;
    return Promise.resolve({
      unary(body) {
        return new Promise<Uint8Array>((resolve, reject) => {
          client.Unary({ body }, (error, response) => (error !== null ? reject(error) : resolve(response!.body)));
        });
      },
      serverStream(count, size, check) {
        return new Promise((resolve, reject) => {
          const tally = { messages: 0, bytes: 0 };
          const call = client.ServerStream({ body: pair(count, size) });
          call.on("data", (m: Payload) => {
            tally.messages++;
            tally.bytes += m.body.length;
            check?.(m.body);
          });
          call.on("error", reject);
          call.on("end", () => resolve(tally));
        });
      },
      clientStream(bodies) {
        return new Promise((resolve, reject) => {
          const call = client.ClientStream((error, response) => (error !== null ? reject(error) : resolve(response!.body)));
          for (const body of bodies) call.write({ body });
          call.end();
        });
      },
      bidi() {
        const call = client.Bidi();
        let waiter: { resolve(body: Uint8Array): void; reject(e: Error): void } | undefined;
        let failure: Error | undefined;
        const ended = new Promise<void>((resolve, reject) => {
          call.on("end", resolve);
          call.on("error", (e: Error) => {
            failure = e;
            waiter?.reject(e);
            waiter = undefined;
            reject(e);
          });
        });
        ended.catch(() => {});
        call.on("data", (m: Payload) => {
          const w = waiter;
          waiter = undefined;
          w?.resolve(m.body);
        });
        return {
          ping(body) {
            if (failure !== undefined) return Promise.reject(failure);
            return new Promise<Uint8Array>((resolve, reject) => {
              waiter = { resolve, reject };
              call.write({ body });
            });
          },
          close() {
            call.end();
            return ended;
          },
        };
      },
      close() {
        client.close();
        return Promise.resolve();
      },
    });
  },
};
