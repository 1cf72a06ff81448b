// Loads one implementation, and only that one: a server process must not
// carry the other libraries in its heap (its peak RSS is measured).
import type { Implementation, ImplName } from "./protocol.js";

export async function loadImplementation(name: ImplName): Promise<Implementation> {
  const mod = (await import(`./impl/${name}.js`)) as { implementation: Implementation };
  return mod.implementation;
}
