// Preload (sandboxed, CommonJS): exposes one narrow object, window.tidbok. No raw ipcRenderer,
// no channel names chosen by the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { TidbokBridge } from '../../api/bridge.ts';

const bridge: TidbokBridge = {
  call: (method, input) => ipcRenderer.invoke('tidbok:call', method, input),
  onChanged: (listener) => {
    const wrapped = (_e: IpcRendererEvent, change: Parameters<typeof listener>[0]) => listener(change);
    ipcRenderer.on('tidbok:changed', wrapped);
    return () => ipcRenderer.off('tidbok:changed', wrapped);
  },
  openExternal: (url) => ipcRenderer.send('tidbok:open-external', url),
  printDayList: (input) => ipcRenderer.invoke('tidbok:print-day-list', input),
};

contextBridge.exposeInMainWorld('tidbok', bridge);
