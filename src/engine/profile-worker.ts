/**
 * The profile worker: the feature-profile service exposed with Comlink in a
 * worker of its own, so that the profile code is not inlined into the engine
 * worker (an `iife` worker bundle inlines every `import()` it can reach) and a
 * page that does not use profiles never downloads it. Pure TypeScript: the
 * numeric sketches run on the reference kernel (the same bytes as WASM).
 * Handshake as the engine worker's (worker-protocol.ts).
 */
import { ProfileService } from './profile-service.js';
import { serveWhenAsked } from './worker-endpoint.js';

serveWhenAsked(() => new ProfileService());
