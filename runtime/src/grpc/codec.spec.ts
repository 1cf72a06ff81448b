// Compile-time contract: generated MessageTypes and minimal hand-written codecs
// both fit Codec, and method definitions built from them fit ServiceDefinition.
import type { MessageType } from "../message/types.js";
import type { Codec } from "./codec.js";
import type { MethodDefinition, ServiceDefinition } from "./service.js";

interface Child {
  name: string;
}
interface Msg {
  text: string;
  child?: Child;
  tags: string[];
  id: bigint;
}

declare const generated: MessageType<Msg>;
const handWritten = {
  typeName: "t.Msg",
  encode: (_: Msg) => new Uint8Array(0),
  decode: (_: Uint8Array): Msg => ({ text: "", tags: [], id: 0n }),
  create: (init?: Partial<Msg>): Msg => ({ text: "", tags: [], id: 0n, ...init }),
};

test("MessageType and hand-written codecs satisfy Codec", () => {
  const accept = (codec: Codec<Msg>): string => codec.typeName;
  if (false as boolean) accept(generated); // type-level only: `generated` is declared, not defined
  expect(accept(handWritten)).toBe("t.Msg");
  const method: MethodDefinition<Msg, Msg> = {
    name: "Do",
    localName: "do",
    path: "/t.S/Do",
    kind: "unary",
    input: handWritten,
    output: handWritten,
  };
  const service: ServiceDefinition = { typeName: "t.S", methods: { do: method } };
  expect(service.methods["do"]!.path).toBe("/t.S/Do");
});
