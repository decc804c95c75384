// The shape of window.tidbok (Electron preload). Types only; shared with the renderer.
import type { InputOf } from './contract.ts';
import type { Result } from './result.ts';
import type { ChangeEvent } from './types.ts';

/** What the desktop's print of a day list came to: the system dialog's outcome and the file's counts. */
export type DayListPrint = ({ printed: true } | { printed: false; reason: string }) & {
  fileName: string;
  rows: number;
  patients: number;
};

/** The day list to print: the input of `export.dayList`. */
export type DayListPrintInput = InputOf<'export.dayList'>;

export interface TidbokBridge {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  onChanged(listener: (change: ChangeEvent) => void): () => void;
  openExternal(url: string): void;
  /** Makes the day list (as `export.dayList`, logged as a print) and shows the system print dialog. */
  printDayList(input: DayListPrintInput): Promise<Result<DayListPrint>>;
}
