"use strict";
// A stand-in for a module that cdktf requires when it loads but uses only in rare paths (see
// ../load-hooks.ts). The real module, resolved from the cdktf file that asked for it exactly as
// that file would resolve it, is loaded the first time the stand-in is called or read.
const { createRequire } = require("node:module");

function defer(specifier, requiredFrom) {
  let real;
  const load = () => {
    if (real === undefined) real = createRequire(require.resolve(requiredFrom))(specifier);
    return real;
  };
  // A function target, so the stand-in can be called (archiver("zip")) as well as read (semver.satisfies).
  return new Proxy(function deferred() {}, {
    apply: (_target, thisArg, args) => Reflect.apply(load(), thisArg, args),
    get: (_target, key) => Reflect.get(load(), key),
  });
}

module.exports = { defer };
