// "Skriv ut" for the day list. The desktop prints through main (window.tidbok.printDayList: the
// PDF is made and logged as a print there, and the system print dialog opens); the web shell
// gets the same PDF through the api and opens it in a new tab, where the browser prints it.
import type { DayListPrintInput } from '../../src-main/api/bridge.ts';
import { ApiCallError, call } from '../api/client.ts';
import { openForPrint } from './download.ts';

/** What became of a print: sent to the printer, dialog cancelled, or opened in the browser to print. */
export type PrintOutcome = 'printed' | 'cancelled' | 'opened';

export function printsOnDesktop(): boolean {
  return typeof window.tidbok?.printDayList === 'function';
}

export async function printDayList(input: DayListPrintInput): Promise<PrintOutcome> {
  const bridge = window.tidbok;
  if (bridge && printsOnDesktop()) {
    const r = await bridge.printDayList(input);
    if (!r.ok) throw new ApiCallError(r.error);
    return r.value.printed ? 'printed' : 'cancelled';
  }
  openForPrint(await call('export.dayList', input));
  return 'opened';
}
