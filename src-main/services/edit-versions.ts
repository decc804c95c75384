// Optimistic concurrency for edit forms. Two desks may open the same patient, booking note or
// template; the form sends the version it showed (`expectedVersion`) and a save over a newer
// version is refused, so one desk's edit never silently overwrites another's. Scripts and the CLI
// may leave it out (last writer wins, as before).
import { conflict } from '../api/result.ts';

/**
 * Refuses the edit when the row changed since the form read it. `whatSv` names the thing as the
 * message's subject ("Patientens uppgifter"), `openedSv` how the user opened it ("öppnade dem").
 */
export function refuseStaleEdit(
  expectedVersion: number | undefined,
  currentVersion: number,
  whatSv: string,
  openedSv: string,
): void {
  if (expectedVersion === undefined || expectedVersion === currentVersion) return;
  throw conflict(`${whatSv} har ändrats av någon annan sedan du ${openedSv}. Läs in på nytt och gör om din ändring.`, {
    rule: 'stale_version',
    expectedVersion,
    currentVersion,
  });
}
