// The interop services for @grpc/grpc-js, loaded from this repo's .proto
// files with @grpc/proto-loader, and the plain-object shapes of the messages
// as proto-loader (de)serializes them (camelCase fields, enums as names,
// defaults filled in: scalars 0/""/empty Buffer, messages null).
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

export interface JsBoolValue {
  value?: boolean;
}
export interface JsPayload {
  type?: string;
  body?: Uint8Array;
}
export interface JsEchoStatus {
  code?: number;
  message?: string;
}
export interface JsSimpleRequest {
  responseType?: string;
  responseSize?: number;
  payload?: JsPayload | null;
  responseCompressed?: JsBoolValue | null;
  responseStatus?: JsEchoStatus | null;
  expectCompressed?: JsBoolValue | null;
  fillServerId?: boolean;
}
export interface JsSimpleResponse {
  payload?: JsPayload | null;
  serverId?: string;
  hostname?: string;
}
export interface JsStreamingInputCallRequest {
  payload?: JsPayload | null;
  expectCompressed?: JsBoolValue | null;
}
export interface JsStreamingInputCallResponse {
  aggregatedPayloadSize?: number;
}
export interface JsResponseParameters {
  size?: number;
  intervalUs?: number;
  compressed?: JsBoolValue | null;
}
export interface JsStreamingOutputCallRequest {
  responseType?: string;
  responseParameters?: JsResponseParameters[];
  payload?: JsPayload | null;
  responseStatus?: JsEchoStatus | null;
}
export interface JsStreamingOutputCallResponse {
  payload?: JsPayload | null;
}
export type JsEmpty = Record<string, never>;

type Callback<T> = grpc.requestCallback<T>;

/** The TestService client methods the cases use, as grpc-js generates them. */
export interface JsTestServiceClient extends grpc.Client {
  emptyCall(request: JsEmpty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback<JsEmpty>): grpc.ClientUnaryCall;
  unaryCall(
    request: JsSimpleRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: Callback<JsSimpleResponse>,
  ): grpc.ClientUnaryCall;
  streamingOutputCall(
    request: JsStreamingOutputCallRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<JsStreamingOutputCallResponse>;
  streamingInputCall(
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: Callback<JsStreamingInputCallResponse>,
  ): grpc.ClientWritableStream<JsStreamingInputCallRequest>;
  fullDuplexCall(
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientDuplexStream<JsStreamingOutputCallRequest, JsStreamingOutputCallResponse>;
  unimplementedCall(request: JsEmpty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback<JsEmpty>): grpc.ClientUnaryCall;
}

export interface JsUnimplementedServiceClient extends grpc.Client {
  unimplementedCall(request: JsEmpty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback<JsEmpty>): grpc.ClientUnaryCall;
}

export interface InteropProtos {
  readonly TestService: grpc.ServiceClientConstructor;
  readonly UnimplementedService: grpc.ServiceClientConstructor;
}

/** Loads grpc/testing/test.proto from `protoRoot` (conformance/interop/proto). */
export function loadInteropProtos(protoRoot: string): InteropProtos {
  const definition = protoLoader.loadSync("grpc/testing/test.proto", {
    includeDirs: [protoRoot],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { grpc: { testing: InteropProtos } };
  return loaded.grpc.testing;
}
