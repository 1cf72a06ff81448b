// Where the text format looks up the type an Any names when the caller gave
// no registry: the message types reachable from the printed or parsed
// message's own fields (itself included). C++ TextFormat does the same
// through the descriptor pool of the message's own type.
import type { MessageType } from "../message/types.js";
import { createRegistry } from "../registry/registry.js";
import type { TextRegistry } from "./registry.js";

const reachable = new WeakMap<MessageType<object>, TextRegistry>();

export function reachableTypes(root: MessageType<object>): TextRegistry {
  let registry = reachable.get(root);
  if (registry === undefined) {
    registry = createRegistry(root);
    reachable.set(root, registry);
  }
  return registry;
}
