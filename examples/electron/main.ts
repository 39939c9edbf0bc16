/**
 * Electron main process: the app's durable outbox and its flusher
 * (outbox-host.ts), the IPC handler for the renderer's batches, and the window.
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { fileURLToPath } from 'node:url';
import { DELIVER_CHANNEL } from './bridge.js';
import { startOutboxHost } from './outbox-host.js';

await app.whenReady();
const host = await startOutboxHost({
  endpoint: process.env.EDGEWATCH_ENDPOINT ?? 'http://127.0.0.1:9464/v1/windows',
  dataDir: process.env.EDGEWATCH_DATA_DIR ?? app.getPath('userData'),
});
ipcMain.handle(DELIVER_CHANNEL, (_event, body: string) => host.receive(body));

const win = new BrowserWindow({
  webPreferences: {
    preload: fileURLToPath(new URL('./preload.js', import.meta.url)),
    contextIsolation: true,
    sandbox: false,
  },
});
await win.loadFile(fileURLToPath(new URL('./index.html', import.meta.url)));

let closing = false;
app.on('before-quit', (event) => {
  if (closing) return;
  closing = true;
  event.preventDefault(); // deliver what is queued first
  void host.close().finally(() => app.quit());
});
