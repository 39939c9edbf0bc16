// Preload for child processes: makes optional packages unresolvable, as after a plain install
// without them. Hides `better-sqlite3`, or the comma-separated names in EW_HIDE_MODULES.
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS */
const Module = require('node:module');
const hidden = new Set((process.env.EW_HIDE_MODULES || 'better-sqlite3').split(','));
const load = Module._load;
Module._load = function (request, ...rest) {
  if (hidden.has(request)) {
    const e = new Error(`Cannot find module '${request}'`);
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return load.call(this, request, ...rest);
};
