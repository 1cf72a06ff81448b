import { AGE_JITTER, jitteredAge, MIN_KEEPALIVE_TIME, resolveConnectionPolicy } from "./policy.js";

describe("resolveConnectionPolicy", () => {
  test("gRPC's defaults", () => {
    expect(resolveConnectionPolicy({})).toEqual({
      keepaliveTime: 2 * 60 * 60_000,
      keepaliveTimeout: 20_000,
      keepaliveMinTime: 5 * 60_000,
      keepalivePermitWithoutCalls: false,
      maxConnectionIdle: Infinity,
      maxConnectionAge: Infinity,
      maxConnectionAgeGrace: Infinity,
    });
  });

  test("keepaliveTime below one second is raised to one second, as grpc-go does", () => {
    expect(resolveConnectionPolicy({ keepaliveTime: 10 }).keepaliveTime).toBe(MIN_KEEPALIVE_TIME);
    expect(resolveConnectionPolicy({ keepaliveTime: Infinity }).keepaliveTime).toBe(Infinity);
  });

  test("zero is allowed where it means something: any ping rate, no grace", () => {
    const policy = resolveConnectionPolicy({ keepaliveMinTime: 0, maxConnectionAgeGrace: 0 });
    expect(policy.keepaliveMinTime).toBe(0);
    expect(policy.maxConnectionAgeGrace).toBe(0);
  });

  test.each([
    [{ keepaliveTime: -1 }, /keepaliveTime must be a number of milliseconds > 0/],
    [{ keepaliveTimeout: 0 }, /keepaliveTimeout must be a number of milliseconds > 0/],
    [{ maxConnectionIdle: 0 }, /maxConnectionIdle must be/],
    [{ maxConnectionAge: Number.NaN }, /maxConnectionAge must be/],
    [{ keepaliveMinTime: -5 }, /keepaliveMinTime must be a number of milliseconds >= 0/],
    [{ maxConnectionAgeGrace: "1s" as unknown as number }, /maxConnectionAgeGrace must be .* got 1s/],
  ])("%p is a RangeError", (options, message) => {
    expect(() => resolveConnectionPolicy(options)).toThrow(RangeError);
    expect(() => resolveConnectionPolicy(options)).toThrow(message);
  });

  test("keepalivePermitWithoutCalls must be a boolean", () => {
    expect(() => resolveConnectionPolicy({ keepalivePermitWithoutCalls: 1 as unknown as boolean })).toThrow(TypeError);
  });
});

describe("jitteredAge", () => {
  test.each([
    [0, 1_000 * (1 - AGE_JITTER)],
    [0.5, 1_000],
    [0.999999, 1_000 * (1 + AGE_JITTER)],
  ])("random %p gives %p ms of 1000", (random, expected) => {
    expect(jitteredAge(1_000, random)).toBeCloseTo(expected, 2);
  });
});
