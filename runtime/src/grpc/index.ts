// What applications and generated code use from the gRPC core layer.
export type { Codec } from "./codec.js";
export type { MethodDefinition, MethodKind, ServiceDefinition } from "./service.js";
export { Status, statusName } from "./status.js";
export { GrpcError, type GrpcErrorOptions } from "./grpc-error.js";
export type { StatusDetail } from "./status-details.js";
export { Metadata, type MetadataInit, type MetadataValue, type MetadataValueOf } from "./metadata.js";
export type { Compression } from "./compression.js";
export { sendUncompressed, wasCompressed } from "./message-compression.js";
export { VERSION } from "./version.js";
export { DEFAULT_FLOW_CONTROL_WINDOW } from "./flow-control.js";
export {
  findMethodConfig,
  type HedgingPolicy,
  type LoadBalancingConfig,
  type MethodConfig,
  type MethodName,
  parseServiceConfig,
  type RetryPolicy,
  type RetryThrottling,
  type ServiceConfig,
  ServiceConfigError,
  type ServiceConfigJson,
} from "./service-config.js";
