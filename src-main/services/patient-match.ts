// Which patients a typed query names, as one WHERE clause over `patients`: shared by the patient
// search and the booking list's patient filter, so both read a number or a name the same way.
//
// - A whole valid identity number: that patient. Typed with 10 digits and nobody holds it, the
//   same 10 digits in another century (18, 19, 20): staff often leave out the '+' of someone
//   who turns 100 this year (the list shows the full number). With a '+' typed in, only an
//   earlier century: '+' means 100 or older.
// - Other digits (the start of a number): prefix of the 12-digit form or of the 10-digit form.
// - Words: each must start a word of the given or family name, in any case, å ä ö included.
//   A word with a digit may also be the start of a reserve number.
import { cleanIdentityInput, parseIdentityNumber, reserveNumberForms } from '../domain/personnummer.ts';
import { ensureNameFunctions, nameHasFoldedCharacters, nameWords } from '../store/name-fold.ts';
import type { ServiceContext } from './context.ts';

export interface PatientMatch {
  /** A condition over the columns of `patients` (no alias). */
  where: string;
  params: unknown[];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Null for an empty query. `today` is the unit's date (the century of a 10-digit number). */
export function patientMatch(ctx: ServiceContext, query: string, today: string): PatientMatch | null {
  const q = query.trim();
  if (q === '') return null;
  ensureNameFunctions(ctx.db); // for the name words here and the Swedish order of the caller
  const cleaned = cleanIdentityInput(q);
  const digits = cleaned.replace(/[-+]/g, '');
  if (/^[\d+-]+$/.test(cleaned) && digits !== '') {
    const full = parseIdentityNumber(q, today);
    if (full.ok && digits.length === 10) {
      const tail = full.normalised.slice(2);
      // Ten digits without a sign that begin with a century may also be the start of a 12-digit
      // number still being typed (2010050315 of 201005031453): those patients too, when nobody
      // holds the number they spell (an exact hit stays alone, first for Enter).
      const typing = cleaned === digits && /^(18|19|20)/.test(digits);
      const forms = [full.normalised, `18${tail}`, `19${tail}`, `20${tail}`];
      // A '+' typed in says 100 or older: only an earlier century may be meant, never the child
      // with the same ten digits (the exact form stands in for the centuries left out).
      const century = full.normalised.slice(0, 2);
      const apart = cleaned.includes('+') ? forms.map((f) => (f.slice(0, 2) < century ? f : full.normalised)) : forms;
      return {
        where: `(identity_number = ? OR (identity_number IN (?, ?, ?)
                  AND NOT EXISTS (SELECT 1 FROM patients x WHERE x.identity_number = ?))
                  OR (? AND identity_number LIKE ? ESCAPE '\\'
                      AND NOT EXISTS (SELECT 1 FROM patients x WHERE x.identity_number IN (?, ?, ?, ?))))`,
        params: [...apart, full.normalised, typing ? 1 : 0, `${digits}%`, ...forms],
      };
    }
    if (full.ok) return { where: `identity_number = ?`, params: [full.normalised] };
    const like = `${escapeLike(digits)}%`;
    // A personnummer-shaped reserve number kept as ten digits is found by its 12-digit form too.
    const [, ...sameReserve] = reserveNumberForms(digits);
    return {
      where: `(identity_number LIKE ? ESCAPE '\\' OR substr(identity_number, 3) LIKE ? ESCAPE '\\'
               OR identity_number IN (SELECT value FROM json_each(?)))`,
      params: [like, like, JSON.stringify(digits.length === 12 ? sameReserve : [])],
    };
  }
  const words = nameWords(q.normalize('NFKC')).trim().split(' ').filter(Boolean).slice(0, 4);
  // Only dashes or spaces: no word to look for, so nobody (not everybody).
  if (words.length === 0) return { where: '0', params: [] };
  // SQLite's own LIKE first, as a cheap sieve (ASCII letters in any case, the rest as '%'), so
  // that the JavaScript folding runs only on rows that may match (a surname among 20,000
  // patients: ~6 ms instead of ~25 ms). Names with a character the folding drops or changes
  // (Müller, O'Brien, Søren) pass the sieve whatever is typed: the folding decides.
  const full = `given_name || ' ' || family_name`;
  const name = words.map(
    () => `((${full} LIKE ? ESCAPE '\\' OR ${nameHasFoldedCharacters(full)}) AND tidbok_name_words(${full}) LIKE ? ESCAPE '\\')`,
  );
  const params: unknown[] = words.flatMap((w) => [`%${escapeLike(w).replace(/[^ -~]+/g, '%')}%`, `% ${escapeLike(w)}%`]);
  let where = name.join(' AND ');
  // A reserve number is stored upper case, as typed; its dashes only separate (RES-2026-0001 is
  // RES20260001 read off a wristband), so both sides are compared without them.
  if (/\d/.test(cleaned) && /^[0-9A-Za-z-]+$/.test(cleaned)) {
    where = `(${where} OR replace(identity_number, '-', '') LIKE ? ESCAPE '\\')`;
    params.push(`${escapeLike(cleaned.replace(/-/g, '').toUpperCase())}%`);
  }
  return { where, params };
}
