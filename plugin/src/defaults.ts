// protoplugin defaults to emitting .js + .d.ts with extensionless imports. We
// emit TypeScript whose imports end in .js, which Node ESM needs; users can
// still override both options, since later keys win.
import type { Plugin } from "@bufbuild/protoplugin";

export const defaultParameters = "target=ts,import_extension=js";

export function withDefaultParameters(plugin: Plugin): Plugin {
  return {
    name: plugin.name,
    version: plugin.version,
    run(request) {
      request.parameter = request.parameter ? `${defaultParameters},${request.parameter}` : defaultParameters;
      return plugin.run(request);
    },
  };
}
