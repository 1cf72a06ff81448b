export type {
  Balancer,
  BalancerFactory,
  BalancerHelper,
  BalancerUpdate,
  Picker,
  PickInfo,
  PickResult,
  Subchannel,
} from "./balancer.js";
export { QUEUE } from "./balancer.js";
export { registerBalancer, unregisterBalancer } from "./registry.js";
