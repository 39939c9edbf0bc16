// Preload for child processes: makes `better-sqlite3` unresolvable, as after a plain install without it.
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS */
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'better-sqlite3') {
    const e = new Error("Cannot find module 'better-sqlite3'");
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return load.call(this, request, ...rest);
};
