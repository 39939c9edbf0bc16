/**
 * What `edgewatch/collector` resolves to outside Node (the `browser` and
 * `worker` export conditions): the collector is a Node server, so a browser
 * bundle that imports it gets this one clear error instead of `node:http`,
 * SQLite and the server code.
 */
import { ConfigError } from '../errors.js';

throw new ConfigError(
  'expected a Node.js runtime for edgewatch/collector, got a browser or worker build; import it from Node only',
);
