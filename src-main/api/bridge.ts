// The shape of window.tidbok (Electron preload). Types only; shared with the renderer.
import type { Result } from './result.ts';
import type { ChangeEvent } from './types.ts';

export interface TidbokBridge {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  onChanged(listener: (change: ChangeEvent) => void): () => void;
  openExternal(url: string): void;
}
