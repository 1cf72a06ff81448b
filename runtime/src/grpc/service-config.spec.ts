import { Status } from "./status.js";
import { findMethodConfig, parseServiceConfig, selectLoadBalancingConfig, ServiceConfigError, type ServiceConfigJson } from "./service-config.js";

const full = `{
  "loadBalancingConfig": [{ "weighted_round_robin": { "enableOobLoadReport": true } }, { "round_robin": {} }, { "pick_first": {} }],
  "methodConfig": [
    { "name": [{ "service": "echo.Echo", "method": "Say" }], "timeout": "1.5s", "waitForReady": true,
      "maxRequestMessageBytes": 1024, "maxResponseMessageBytes": "2048",
      "retryPolicy": { "maxAttempts": 4, "initialBackoff": "0.1s", "maxBackoff": "1s", "backoffMultiplier": 2,
                       "retryableStatusCodes": ["UNAVAILABLE", 4] } },
    { "name": [{ "service": "echo.Echo" }, { "service": "other.Svc", "method": "" }], "timeout": "0.000000001s",
      "hedgingPolicy": { "maxAttempts": 9, "hedgingDelay": "0.25s", "nonFatalStatusCodes": ["ABORTED"] } },
    { "name": [{}], "timeout": "30s" }
  ],
  "retryThrottling": { "maxTokens": 10, "tokenRatio": 0.12345 }
}`;

test("a complete config becomes typed objects: ms durations, Status codes, capped attempts", () => {
  const config = parseServiceConfig(full);
  expect(config.loadBalancingConfig).toEqual([
    { name: "weighted_round_robin", config: { enableOobLoadReport: true } },
    { name: "round_robin", config: {} },
    { name: "pick_first", config: {} },
  ]);
  expect(config.methodConfig[0]).toEqual({
    names: [{ service: "echo.Echo", method: "Say" }],
    timeout: 1500,
    waitForReady: true,
    maxRequestMessageBytes: 1024,
    maxResponseMessageBytes: 2048,
    retryPolicy: { maxAttempts: 4, initialBackoff: 100, maxBackoff: 1000, backoffMultiplier: 2, retryableStatusCodes: [Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED] },
  });
  expect(config.methodConfig[1]).toEqual({
    names: [{ service: "echo.Echo" }, { service: "other.Svc" }],
    timeout: 0.000001,
    hedgingPolicy: { maxAttempts: 5, hedgingDelay: 250, nonFatalStatusCodes: [Status.ABORTED] },
  });
  expect(config.retryThrottling).toEqual({ maxTokens: 10, tokenRatio: 0.123 });
  // Text and parsed JSON give the same result.
  expect(parseServiceConfig(JSON.parse(full) as ServiceConfigJson)).toEqual(config);
});

test("method lookup: exact method, then the service, then the default", () => {
  const config = parseServiceConfig(full);
  expect(findMethodConfig(config, "/echo.Echo/Say")?.timeout).toBe(1500);
  expect(findMethodConfig(config, "/echo.Echo/Other")?.timeout).toBe(0.000001);
  expect(findMethodConfig(config, "/other.Svc/Any")?.timeout).toBe(0.000001);
  expect(findMethodConfig(config, "/unknown.Svc/Say")?.timeout).toBe(30_000);
  const noDefault = parseServiceConfig({ methodConfig: [{ name: [{ service: "a.A" }] }] });
  expect(findMethodConfig(noDefault, "/b.B/M")).toBeUndefined();
  expect(findMethodConfig(noDefault, "/a.A/M")).toEqual({ names: [{ service: "a.A" }] });
});

test('{"service": ""} is the default too', () => {
  const config = parseServiceConfig({ methodConfig: [{ name: [{ service: "" }], waitForReady: false }] });
  expect(findMethodConfig(config, "/x.X/Y")).toEqual({ names: [{ service: "" }], waitForReady: false });
});

test("an empty config has no policies and no method configs", () => {
  const config = parseServiceConfig("{}");
  expect(config).toMatchObject({ loadBalancingConfig: [], methodConfig: [] });
  expect(config.retryThrottling).toBeUndefined();
  expect(selectLoadBalancingConfig(config, () => true)).toBeUndefined();
});

test("the first supported load-balancing policy is chosen; none supported is an error", () => {
  const config = parseServiceConfig(full);
  const supported = new Set(["pick_first", "round_robin"]);
  expect(selectLoadBalancingConfig(config, (n) => supported.has(n))).toEqual({ name: "round_robin", config: {} });
  expect(() => selectLoadBalancingConfig(config, () => false)).toThrow(
    new ServiceConfigError("loadBalancingConfig", "no supported policy among weighted_round_robin, round_robin, pick_first"),
  );
});

const retry = { maxAttempts: 2, initialBackoff: "1s", maxBackoff: "2s", backoffMultiplier: 1.5, retryableStatusCodes: ["UNAVAILABLE"] };
const invalid: Array<[string, unknown, string]> = [
  ["not JSON", "{", "invalid service config: not JSON"],
  ["not an object", "[]", "invalid service config: must be a JSON object"],
  ["lb list", { loadBalancingConfig: {} }, "loadBalancingConfig: must be a JSON array"],
  ["lb entry with two keys", { loadBalancingConfig: [{ a: {}, b: {} }] }, "loadBalancingConfig[0]: needs exactly one policy name as its key, has 2"],
  ["lb config not an object", { loadBalancingConfig: [{ round_robin: [] }] }, "loadBalancingConfig[0].round_robin: must be a JSON object"],
  ["method without service", { methodConfig: [{ name: [{ method: "M" }] }] }, "methodConfig[0].name[0]: a method needs its service"],
  ["duplicate name", { methodConfig: [{ name: [{ service: "a" }] }, { name: [{ service: "a" }] }] }, 'methodConfig[1].name[0]: duplicate name {"service":"a"}'],
  ["two defaults", { methodConfig: [{ name: [{}] }, { name: [{ service: "" }] }] }, "methodConfig[1].name[0]: duplicate name"],
  ["timeout unit", { methodConfig: [{ timeout: "1500ms" }] }, 'methodConfig[0].timeout: "1500ms" is not a duration like "1.5s"'],
  ["negative timeout", { methodConfig: [{ timeout: "-1s" }] }, "is not a duration"],
  ["too many fraction digits", { methodConfig: [{ timeout: "1.0000000001s" }] }, "is not a duration"],
  ["timeout as a number", { methodConfig: [{ timeout: 1.5 }] }, "methodConfig[0].timeout: must be a string"],
  ["waitForReady", { methodConfig: [{ waitForReady: "yes" }] }, "methodConfig[0].waitForReady: must be true or false"],
  ["byte count", { methodConfig: [{ maxRequestMessageBytes: -1 }] }, "methodConfig[0].maxRequestMessageBytes: -1 is not a byte count"],
  ["retry and hedging", { methodConfig: [{ retryPolicy: retry, hedgingPolicy: { maxAttempts: 2 } }] }, "methodConfig[0]: retryPolicy and hedgingPolicy cannot both be set"],
  ["maxAttempts 1", { methodConfig: [{ retryPolicy: { ...retry, maxAttempts: 1 } }] }, "methodConfig[0].retryPolicy.maxAttempts: must be an integer of at least 2"],
  ["maxAttempts missing", { methodConfig: [{ retryPolicy: { ...retry, maxAttempts: undefined } }] }, "methodConfig[0].retryPolicy.maxAttempts: is required"],
  ["initialBackoff 0", { methodConfig: [{ retryPolicy: { ...retry, initialBackoff: "0s" } }] }, "methodConfig[0].retryPolicy.initialBackoff: must be greater than 0"],
  ["maxBackoff missing", { methodConfig: [{ retryPolicy: { ...retry, maxBackoff: undefined } }] }, "methodConfig[0].retryPolicy.maxBackoff: is required"],
  ["multiplier 0", { methodConfig: [{ retryPolicy: { ...retry, backoffMultiplier: 0 } }] }, "methodConfig[0].retryPolicy.backoffMultiplier: must be greater than 0"],
  ["no retryable codes", { methodConfig: [{ retryPolicy: { ...retry, retryableStatusCodes: [] } }] }, "retryableStatusCodes: must list at least one status code"],
  ["OK is not retryable", { methodConfig: [{ retryPolicy: { ...retry, retryableStatusCodes: ["OK"] } }] }, 'retryableStatusCodes[0]: "OK" is not a status code other than OK'],
  ["unknown code name", { methodConfig: [{ retryPolicy: { ...retry, retryableStatusCodes: ["UNAVAILABLE", "NOPE"] } }] }, 'retryableStatusCodes[1]: "NOPE" is not a status code'],
  ["code out of range", { methodConfig: [{ retryPolicy: { ...retry, retryableStatusCodes: [17] } }] }, "retryableStatusCodes[0]: 17 is not a status code"],
  ["hedging maxAttempts", { methodConfig: [{ hedgingPolicy: { maxAttempts: 1.5 } }] }, "methodConfig[0].hedgingPolicy.maxAttempts: must be an integer of at least 2"],
  ["hedging delay", { methodConfig: [{ hedgingPolicy: { maxAttempts: 2, hedgingDelay: "x" } }] }, "hedgingPolicy.hedgingDelay:"],
  ["throttling maxTokens", { retryThrottling: { maxTokens: 1001, tokenRatio: 1 } }, "retryThrottling.maxTokens: must be in (0, 1000]"],
  ["throttling tokenRatio", { retryThrottling: { maxTokens: 1, tokenRatio: 0 } }, "retryThrottling.tokenRatio: must be greater than 0"],
  ["throttling missing field", { retryThrottling: { maxTokens: 1 } }, "retryThrottling.tokenRatio: is required"],
];
test.each(invalid)("%s is a ServiceConfigError", (_, json, message) => {
  let error: unknown;
  try {
    parseServiceConfig(json as ServiceConfigJson);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ServiceConfigError);
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toContain(message);
});
