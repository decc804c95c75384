// The renderer's "Skriv ut" on the desktop: with the preload's bridge present it prints through
// main (one call, no api round trip of the PDF through the page) and reports the dialog's
// outcome; an error from main arrives as the api's Swedish message. The web shell's path (a new
// tab for the browser to print) is covered by tests/e2e/export.spec.ts.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DayListPrint, TidbokBridge } from '../../../src-main/api/bridge.ts';
import type { Result } from '../../../src-main/api/result.ts';
import type * as PrintModule from '../../../src-renderer/export/print.ts';

const outcomes: Result<DayListPrint>[] = [];
const bridge = {
  call: vi.fn(),
  onChanged: () => () => {},
  openExternal: vi.fn(),
  printDayList: vi.fn(() => Promise.resolve(outcomes.shift()!)),
} satisfies TidbokBridge;

let print: typeof PrintModule;
beforeAll(async () => {
  // The renderer modules read window.tidbok when they load, as in the Electron page.
  vi.stubGlobal('window', { tidbok: bridge });
  print = await import('../../../src-renderer/export/print.ts');
});

describe('printDayList on the desktop', () => {
  const file = { fileName: 'dagslista.pdf', rows: 12, patients: 9 };

  it('prints through main and says whether the dialog printed or was cancelled', async () => {
    expect(print.printsOnDesktop()).toBe(true);
    outcomes.push(
      { ok: true, value: { printed: true, ...file } },
      { ok: true, value: { printed: false, reason: 'cancelled', ...file } },
    );
    const input = { date: '2026-11-24', includeFree: true, pseudonymise: false };
    expect(await print.printDayList(input)).toBe('printed');
    expect(await print.printDayList(input)).toBe('cancelled');
    expect(bridge.printDayList).toHaveBeenCalledWith(input);
    expect(bridge.call).not.toHaveBeenCalled();
  });

  it("throws main's Swedish message when the day list cannot be made", async () => {
    outcomes.push({ ok: false, error: { code: 'forbidden', message: 'Din roll får inte exportera.' } });
    await expect(print.printDayList({ date: '2026-11-24' })).rejects.toThrow('Din roll får inte exportera.');
  });
});
