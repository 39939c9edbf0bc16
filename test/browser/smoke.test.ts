import { expect, it } from 'vitest';

it('runs in chromium with a module worker', async () => {
  const src = `self.onmessage = (e) => self.postMessage(e.data * 2);`;
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  const w = new Worker(url, { type: 'module' });
  const r = await new Promise((res) => { w.onmessage = (e) => res(e.data); w.postMessage(21); });
  expect(r).toBe(42);
  expect(typeof indexedDB).toBe('object');
});
