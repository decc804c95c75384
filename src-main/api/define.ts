// Building blocks of the contract: how one method is declared, and shared zod pieces.
// Pure: zod and types only (the renderer imports the contract).
import { z } from 'zod';
import { fieldLabel } from './field-labels.ts';
import { END_OF_DAY, isUtcOffset, START_AT_END_OF_DAY, UTC_OFFSET_FORM } from '../domain/time.ts';
import type { Role } from './types.ts';

export interface MethodDef<I extends z.ZodType, R> {
  input: I;
  /** Phantom: carries the result type, never read at run time. */
  result: R;
  /** Roles allowed to call the method. */
  roles: readonly Role[];
  /** 'read' methods change nothing; 'change' methods run in one transaction with outbox and audit rows. */
  kind: 'read' | 'change';
  /**
   * Set for methods that await the network (e.g. a claim confirmed by the central side): the
   * handler returns a Promise and runs its own transactions; dispatch does not wrap it.
   */
  async?: true;
  /**
   * Who may call without an active session: 'public' = anyone who reached the shell (sign-in,
   * status), 'locked' = also a locked session (unlock, sign-out). Default: an unlocked session.
   */
  access?: 'public' | 'locked';
}

/** `method<ResultType>()({ input, roles, kind })` declares one api method. */
export function method<R>() {
  // A keeps `async: true` in the type, so HandlersFor asks for a Promise from async handlers.
  return <I extends z.ZodType, A extends true | undefined = undefined>(def: {
    input: I;
    roles: readonly Role[];
    kind: 'read' | 'change';
    async?: A;
    access?: 'public' | 'locked';
  }): MethodDef<I, R> & (A extends true ? { async: true } : unknown) =>
    ({
      ...def,
      result: undefined as unknown as R,
    }) as MethodDef<I, R> & (A extends true ? { async: true } : unknown);
}

export const ALL_ROLES: readonly Role[] = ['receptionist', 'scheduler', 'admin'];
export const SCHEDULING_ROLES: readonly Role[] = ['scheduler', 'admin'];
export const ADMIN_ONLY: readonly Role[] = ['admin'];

export const empty = z.object({}).strict();

/** A message after the field's name in words where the input names it ("Från kl.: Tid ska …"). */
const named = (message: string) => ({
  error: (issue: { path?: PropertyKey[] | undefined }) => {
    const label = fieldLabel(issue.path);
    return label ? `${label}: ${message}` : message;
  },
});

/**
 * The dates Tidbok works with. The time arithmetic (domain/time.ts) and the searches that add a
 * year to a date need four-digit years well inside JavaScript's: year 0000 or 9999 is a slip,
 * refused by name rather than failing deep inside as 'internal' (found by an outside probe).
 */
export const FIRST_DATE = '1900-01-01';
export const LAST_DATE = '2199-12-31';
export const DATE_OUT_OF_RANGE = `Datumet ska ligga mellan ${FIRST_DATE} och ${LAST_DATE}.`;
/** An existing 'YYYY-MM-DD' between FIRST_DATE and LAST_DATE (the string order is the date order). */
export const isDateInRange = (s: string) => s >= FIRST_DATE && s <= LAST_DATE;

/** An existing date, any year: for a field whose service bounds it more narrowly (slots.create: today to the booking horizon). */
export const anyIsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, named('Datum ska skrivas ÅÅÅÅ-MM-DD.'))
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, named('Datumet finns inte.'));

export const isoDate = anyIsoDate.refine(isDateInRange, named(DATE_OUT_OF_RANGE));

export const wallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, named('Tid ska skrivas TT:MM.'));

/** A start time: as wallTime, and 24:00 (which only ends a day) refused by name. */
export const startWallTime = z
  .string()
  .refine((s) => s !== END_OF_DAY, { ...named(START_AT_END_OF_DAY), abort: true })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, named('Tid ska skrivas TT:MM.'));

/** An end time: 00:00–23:59, or 24:00 for the next local midnight (domain/time.ts). */
export const endWallTime = z
  .string()
  .regex(/^(?:([01]\d|2[0-3]):[0-5]\d|24:00)$/, named('Tid ska skrivas TT:MM (senast 24:00).'));

/**
 * A UTC offset ('+02:00'): which pass of a wall-clock time the autumn clock shows twice. The field's
 * label (field-labels.ts) says whether it is the start's or the end's.
 */
export const utcOffset = z.string().refine(isUtcOffset, named(`UTC-förskjutningen ${UTC_OFFSET_FORM}.`));

/** An id (UUID): either case is the same id (RFC 9562); the app stores and compares lower case. */
export const uuid = z.string().uuid(named('Ogiltigt id.')).toLowerCase();

/**
 * A person's given or family name as staff type it: any script, hyphens and apostrophes
 * (Öberg-Ängström, O'Brien), but at least one letter and no control characters, so that no
 * patient is saved with a name nobody can see or read out.
 */
export const personName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), named('Namnet får inte innehålla styrtecken.'))
  .refine((s) => s === '' || /\p{L}/u.test(s), named('Namnet måste innehålla bokstäver.'))
  // One form of å ä ö whatever the sending system used (a + ring is two characters otherwise).
  .transform((s) => s.normalize('NFC'));

/**
 * The name of a resource or an appointment type as lists, the calendar and screen readers show it:
 * one line with at least one letter, no control or invisible characters (a name of only a
 * zero-width space looks blank everywhere), å ä ö in one form. Callers add their length bounds.
 */
export const shownName = z
  .string()
  .trim()
  .normalize('NFC')
  .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), named('Namnet får inte innehålla styrtecken.'))
  .refine((s) => s === '' || /\p{L}/u.test(s), named('Namnet måste innehålla bokstäver.'));

/** A phone number to call: digits with the usual separators, 5–15 digits; empty clears it. */
export const phoneNumber = z
  .string()
  .trim()
  .max(40)
  .refine(
    (s) => s === '' || (/^\+?[\d\s().-]+$/.test(s) && /^(\D*\d){5,15}\D*$/.test(s)),
    named('Skriv ett telefonnummer med siffror, t.ex. 070-123 45 67.'),
  );

/** An e-mail address (name@domain.tld); empty clears it. */
export const emailAddress = z
  .string()
  .trim()
  .max(200)
  .refine((s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), named('Skriv en e-postadress, t.ex. namn@exempel.se.'));

/** The row version an edit form showed (optimistic concurrency: services/edit-versions.ts). */
export const expectedVersion = z.number().int().min(1);
