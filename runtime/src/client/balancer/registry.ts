// Balancing policies by name, as `loadBalancingConfig` names them:
// pick_first and round_robin built in, users' own added with registerBalancer.
import type { BalancerFactory } from "./balancer.js";
import { createPickFirst } from "./pick-first.js";
import { createRoundRobin } from "./round-robin.js";

const policies = new Map<string, BalancerFactory>([
  ["pick_first", createPickFirst],
  ["round_robin", createRoundRobin],
]);

const NAME = /^[a-z0-9_.-]+$/i;

/** Makes `name` usable in a service config's `loadBalancingConfig`; replaces a policy of that name. */
export function registerBalancer(name: string, factory: BalancerFactory): void {
  if (!NAME.test(name)) throw new TypeError(`balancer name must be letters, digits, "_", "." or "-", got ${JSON.stringify(name)}`);
  if (typeof factory !== "function") throw new TypeError(`balancer factory for ${name} must be a function`);
  policies.set(name, factory);
}

export function unregisterBalancer(name: string): void {
  policies.delete(name);
}

export function getBalancer(name: string): BalancerFactory | undefined {
  return policies.get(name);
}

export function hasBalancer(name: string): boolean {
  return policies.has(name);
}
