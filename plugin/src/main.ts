// Entry point of the protoc-gen-tsgrpc executable.
import { runNodeJs } from "@bufbuild/protoplugin";
import { tsgrpcPlugin } from "./plugin.js";
import { withDefaultParameters } from "./defaults.js";

runNodeJs(withDefaultParameters(tsgrpcPlugin));
