import { afterEach, describe, expect, it, vi } from 'vitest';
import { homedir } from 'node:os';
import { defaultDataDir } from '../../src/storage/data-dir.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('defaultDataDir', () => {
  it('is EDGEWATCH_DATA_DIR when set', () => {
    vi.stubEnv('EDGEWATCH_DATA_DIR', '/var/lib/robot/edgewatch');
    expect(defaultDataDir()).toBe('/var/lib/robot/edgewatch');
  });

  it('is ~/.edgewatch otherwise (an empty variable counts as unset)', () => {
    vi.stubEnv('EDGEWATCH_DATA_DIR', '');
    expect(defaultDataDir()).toBe(`${homedir()}/.edgewatch`);
    delete process.env.EDGEWATCH_DATA_DIR;
    expect(defaultDataDir()).toBe(`${homedir()}/.edgewatch`);
  });
});
