/**
 * The few Electron APIs this example uses, declared so that the repository
 * type-checks without installing Electron (its install downloads a binary).
 * In an app, `npm install -D electron` provides the real declarations; delete this file.
 */
declare module 'electron' {
  export const app: {
    whenReady(): Promise<void>;
    getPath(name: 'userData'): string;
    on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): void;
    quit(): void;
  };
  export class BrowserWindow {
    constructor(options: {
      webPreferences: { preload: string; contextIsolation: boolean; sandbox: boolean };
    });
    loadFile(path: string): Promise<void>;
  }
  export const ipcMain: {
    handle(channel: string, listener: (event: unknown, ...args: never[]) => unknown): void;
  };
  export const ipcRenderer: {
    invoke<T = unknown>(channel: string, ...args: unknown[]): Promise<T>;
  };
  export const contextBridge: {
    exposeInMainWorld(key: string, api: unknown): void;
  };
}
