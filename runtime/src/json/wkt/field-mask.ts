// google.protobuf.FieldMask as one string: the paths in lowerCamelCase, joined
// by commas ("user.displayName,photo"). A path that would not come back the
// same (upper case letters, or an underscore not followed by a lower case
// letter) cannot be written; a path with an underscore cannot be read.
import { JsonError } from "../json-error.js";
import { describeJson } from "../scalar.js";
import type { WktCodec } from "./codec.js";

interface FieldMaskShape {
  paths: string[];
}

export const fieldMaskJson: WktCodec = {
  toJson(_type, message) {
    return (message as FieldMaskShape).paths.map(pathToJson).join(",");
  },
  fromJson(type, json) {
    if (typeof json !== "string") throw new JsonError(`expected a string for google.protobuf.FieldMask, got ${describeJson(json)}`);
    const message = type.create() as FieldMaskShape;
    message.paths = json === "" ? [] : json.split(",").map(pathFromJson);
    return message;
  },
};

function pathToJson(path: string): string {
  if (/[A-Z]/.test(path) || /_(?![a-z])/.test(path)) {
    throw new JsonError(`field mask path ${JSON.stringify(path)} has no JSON form that converts back to it`);
  }
  return path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function pathFromJson(path: string): string {
  if (path.includes("_")) throw new JsonError(`invalid field mask path ${JSON.stringify(path)}: JSON paths are lowerCamelCase`);
  return path.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}
