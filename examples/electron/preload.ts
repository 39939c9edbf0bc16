/**
 * Electron preload script: exposes the one bridge function to the page
 * (context isolation on, no Node in the renderer).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { DELIVER_CHANNEL, type EdgewatchBridge } from './bridge.js';

const bridge: EdgewatchBridge = {
  deliver: (body) => ipcRenderer.invoke(DELIVER_CHANNEL, body),
};
contextBridge.exposeInMainWorld('edgewatchBridge', bridge);
