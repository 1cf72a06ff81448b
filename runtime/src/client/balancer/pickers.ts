// The pickers the built-in policies publish. Each result object is made once
// per picker, so a pick allocates nothing.
import type { GrpcError } from "../../grpc/grpc-error.js";
import type { Address } from "../resolver/resolver.js";
import { type PickResult, type Picker, QUEUE, type Subchannel } from "./balancer.js";

/** Every call waits for the next picker. */
export const queuePicker: Picker = { pick: () => QUEUE };

/** Every call goes to one subchannel. */
export function subchannelPicker(subchannel: Subchannel): Picker {
  const result: PickResult = Object.freeze({ kind: "subchannel", subchannel });
  return { pick: () => result };
}

/** Fail-fast calls fail with `error`; waitForReady calls wait for the next picker. */
export function failingPicker(error: GrpcError): Picker {
  const result: PickResult = Object.freeze({ kind: "fail", error });
  return { pick: () => result };
}

/** Calls queue, and the first pick asks the balancer to leave IDLE (outside the pick, which must not re-enter it). */
export function idlePicker(exitIdle: () => void): Picker {
  let asked = false;
  return {
    pick: () => {
      if (!asked) {
        asked = true;
        queueMicrotask(exitIdle);
      }
      return QUEUE;
    },
  };
}

/** One key per endpoint: the same address in two updates is the same subchannel. */
export function addressKey(address: Address): string {
  return address.kind === "tcp" ? `tcp:${address.host}:${address.port}` : `unix:${address.path}`;
}
