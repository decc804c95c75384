// The desk from a script: `tidbok bookings book|cancel|rebook|mark|show|list`, `tidbok patients add`
// and `tidbok slots add|block|unblock|remove`. An admin uses them to move a list of patients, to
// register what a phone line booked, or to check a case the way an outside reviewer would. Every
// call goes through the api's `dispatch` as the command-line admin (cli/catalog.ts withApi), so the
// booking rules, Swedish refusals, logged overrides, outbox rows and audit events are the app's.
// Two processes booking one slot at once: SQLite serialises them and the second is refused
// ("Tiden är redan bokad.", exit 2), exactly as at two desks.
import type { Command } from 'commander';
import type { BookingDetail, OnlinePermission } from '../api/methods/scheduling.ts';
import type { BookingListRow } from '../api/methods/bookings-search.ts';
import type { Booking, BookingStatus, ContactMode, Resource, Slot } from '../api/types.ts';
import { formatIdentityNumber, reserveNumberForms } from '../domain/personnummer.ts';
import { localDate, localTime } from '../domain/time.ts';
import { CHANNEL_SV, MODE_SV, STATUS_SV } from '../export/columns.ts';
import { print, printTable, withApi } from './catalog.ts';
import {
  checkDateRange,
  EXIT,
  parseDateOption,
  parseUtcOffsetOption,
  parseWallTimeOption,
  pickResource,
  span,
  UsageError,
} from './common.ts';

type Api = Parameters<Parameters<typeof withApi>[1]>[0];

const EXIT_HELP = `
Exit codes: ${EXIT.ok} ok; ${EXIT.failure} failure (database, no unit); ${EXIT.usage} bad usage or refused (the message says which rule).`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MODES: Record<string, ContactMode> = { physical: 'physical', video: 'video', phone: 'phone' };
const MARKS: Record<string, 'booked' | 'arrived' | 'no_show' | 'completed'> = {
  arrived: 'arrived',
  'no-show': 'no_show',
  completed: 'completed',
  booked: 'booked',
};

const at = (ms: number) => `${localDate(ms)} ${localTime(ms)}`;
const json = (value: unknown) => print(JSON.stringify(value, null, 2));
/** A patient as the caller may see them: a protected identity never by name. */
const who = (p: { displayName: string | null; identityNumber: string | null; protectedIdentity: boolean }) =>
  p.protectedIdentity ? 'Skyddad identitet' : `${p.displayName ?? ''} ${formatIdentityNumber(p.identityNumber ?? '')}`.trim();

function uuidArgument(name: string, value: string): string {
  if (!UUID.test(value)) throw new UsageError(`${name} ska vara ett id (uuid), inte "${value}".`);
  return value.toLowerCase();
}

function contactMode(value: string | undefined): ContactMode | undefined {
  if (value === undefined) return undefined;
  const mode = MODES[value];
  if (!mode) throw new UsageError(`--mode ska vara physical, video eller phone, inte "${value}".`);
  return mode;
}

/** How the booking, cancellation or rebooking came in: the web channel is the central booking API's (sync). */
function deskChannel(value: string): 'desk' | 'phone' {
  if (value !== 'desk' && value !== 'phone') {
    throw new UsageError(`--channel ska vara desk eller phone, inte "${value}" (webbokningar kommer via synk).`);
  }
  return value;
}
const CHANNEL_OPTION = ['--channel <desk|phone>', 'how it came in: at the desk or by phone', 'desk'] as const;

/** Reason and override flags, as the api names them (absent flags are left out, not sent empty). */
function reasonAndOverride(o: { reasonCode?: string; reasonText?: string; override?: string }) {
  return {
    ...(o.reasonCode === undefined ? {} : { reasonCode: o.reasonCode }),
    ...(o.reasonText === undefined ? {} : { reasonText: o.reasonText }),
    ...(o.override === undefined ? {} : { override: { reason: o.override } }),
  };
}

/**
 * A patient by id or identity number in any accepted form (10 or 12 digits, - or +), or the reserve
 * number she was registered with. A number that cannot be anyone's is refused with Skatteverket's
 * reason; a valid one (or a reserve number) nobody has is "not found".
 */
async function pickPatient(api: Api, key: string): Promise<string> {
  if (UUID.test(key)) return key.toLowerCase();
  const check = await api('patients.checkIdentityNumber', { value: key });
  // No personnummer: it may still be the reserve number of someone not yet identified.
  const reserve = check.ok ? null : await api('patients.checkIdentityNumber', { value: key, reserve: true });
  const number = check.normalised ?? reserve?.normalised ?? null;
  // A personnummer as typed, so the search's reading applies (a centenarian's 10 digits typed
  // without '+' find her when nobody holds them this century); a reserve number as normalised.
  const found = number === null ? [] : await api('patients.search', { query: check.ok ? key : number, limit: 5 });
  // A personnummer-shaped reserve number may be registered with or without its century.
  // A reserve number's dashes only separate: RES20260001 names RES-2026-0001 (patient-match.ts).
  const undashed = (n: string) => n.replace(/-/g, '');
  const same = (number === null ? [] : check.ok ? [number] : reserveNumberForms(number)).map(undashed);
  // Else a centenarian typed without her '+': the same ten digits in another century, never
  // someone whose 12-digit number merely begins with what was typed.
  const centuryApart = found.filter((p) => check.ok && p.identityNumber.slice(2) === number?.slice(2));
  const hit =
    found.find((p) => same.includes(undashed(p.identityNumber))) ?? (centuryApart.length === 1 ? centuryApart[0] : undefined);
  if (hit) return hit.id;
  // Digits only were meant as a personnummer: say what is wrong with it.
  if (!check.ok && !/[A-Za-z]/.test(key)) throw new UsageError(check.message ?? `"${key}" är inget giltigt personnummer.`);
  throw new UsageError(
    `Ingen patient har nummer ${formatIdentityNumber(number ?? key.trim())} (lägg till med tidbok patients add).`,
  );
}

/** An appointment type by code (case-insensitive) or id. */
async function pickType(api: Api, key: string): Promise<string> {
  const types = await api('appointmentTypes.list', { includeInactive: true });
  const type = types.find((t) => t.id === key || t.code.toLowerCase() === key.toLowerCase());
  if (!type) throw new UsageError(`Det finns ingen besökstyp "${key}" (tidbok types list visar dem).`);
  return type.id;
}

function printBooking(b: Booking, label: string): void {
  print(
    `${label} ${b.id}: ${span(b.startAt, b.endAt)}  ${who(b.patient)}  ${STATUS_SV[b.status]}, ` +
      `${MODE_SV[b.contactMode].toLowerCase()}, ${CHANNEL_SV[b.channel].toLowerCase()}`,
  );
}

const reasonOf = (code: string | null, text: string | null) => [code, text].filter(Boolean).join(' – ');

/** Why the patient booked and, once cancelled or moved, why that was: one cell of the list. */
function reasonsInBrief(b: BookingListRow): string {
  const ended = b.status === 'cancelled' || b.status === 'rebooked';
  const why = ended ? reasonOf(b.cancelReasonCode, b.cancelReasonText) : '';
  return [reasonOf(b.reasonCode, b.reasonText), why && `${b.status === 'rebooked' ? 'ombokning' : 'avbokning'}: ${why}`]
    .filter(Boolean)
    .join('; ');
}

function permission(p: OnlinePermission): string {
  if (p.allowed) return `ja, till och med ${p.deadline === null ? '–' : at(p.deadline)}`;
  const why: Record<NonNullable<OnlinePermission['reason']>, string> = {
    type_disallows: 'besökstypen tillåter det inte',
    deadline_passed: `sista tidpunkt ${p.deadline === null ? '' : at(p.deadline)} har passerat`,
    not_active: 'bokningen är inte aktiv',
    started: 'besöket har börjat',
  };
  return `nej, ${p.reason ? why[p.reason] : 'inte tillåtet'}`;
}

function printSlot(s: Slot, label: string): void {
  const state = { open: 'ledig', blocked: `spärrad${s.blockReason ? ` (${s.blockReason})` : ''}`, removed: 'borttagen' }[s.state];
  print(`${label} ${s.id}: ${span(s.startAt, s.endAt)}  ${state}${s.webPublished ? ', publicerad på webben' : ''}`);
}

interface BookOptions {
  slot: string;
  patient: string;
  type: string;
  mode?: string;
  channel: string;
  note?: string;
  reasonCode?: string;
  reasonText?: string;
  override?: string;
  json?: boolean;
}

export function registerBookingCommands(program: Command): void {
  const bookings = program.command('bookings').description('Book, cancel, rebook and mark patients as at the desk');

  bookings
    .command('book')
    .description('Book a patient into a slot (the booking rules apply; --override passes the desk rules, logged)')
    .requiredOption('--slot <id>', 'the slot (tidbok slots free --json shows ids)')
    .requiredOption('--patient <personnummer|id>', 'the patient: identity number in any form, or id')
    .requiredOption('--type <code|id>', 'appointment type, e.g. LAKBES')
    .option('--mode <physical|video|phone>', "contact mode (default: the type's first)")
    .option(...CHANNEL_OPTION)
    .option('--note <text>', 'a note for the staff')
    .option('--reason-code <code>', 'reason code (when the type asks for one)')
    .option('--reason-text <text>', 'reason in words')
    .option('--override <why>', 'pass the booking window, a time under way (walk-in) or a desk rule; the reason is logged')
    .option('--json', 'print the booking as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (o: BookOptions, cmd: Command) => {
      const slotId = uuidArgument('--slot', o.slot);
      const mode = contactMode(o.mode);
      const channel = deskChannel(o.channel);
      await withApi(cmd, async (api) => {
        const booking = await api('bookings.book', {
          slotId,
          patientId: await pickPatient(api, o.patient),
          appointmentTypeId: await pickType(api, o.type),
          channel,
          note: o.note ?? '',
          ...(mode === undefined ? {} : { contactMode: mode }),
          ...reasonAndOverride(o),
        });
        if (o.json) return json(booking);
        printBooking(booking, 'Bokad');
      });
    });

  bookings
    .command('cancel <booking-id>')
    .description("Cancel a booking with the type's reason rules; past the cut-off only with --override (logged)")
    .option('--reason-code <code>', 'reason code')
    .option('--reason-text <text>', 'reason in words')
    .option('--override <why>', 'cancel past the cut-off; the reason is logged')
    .option(...CHANNEL_OPTION)
    .option('--json', 'print the booking as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(
      async (
        id: string,
        o: { reasonCode?: string; reasonText?: string; override?: string; channel: string; json?: boolean },
        cmd: Command,
      ) => {
        const bookingId = uuidArgument('booking-id', id);
        const channel = deskChannel(o.channel);
        await withApi(cmd, async (api) => {
          const booking = await api('bookings.cancel', { id: bookingId, channel, ...reasonAndOverride(o) });
          if (o.json) return json(booking);
          printBooking(booking, 'Avbokad');
        });
      },
    );

  bookings
    .command('rebook <booking-id>')
    .description('Move a booking to another slot in one transaction (the old one becomes rebooked and points at the new)')
    .requiredOption('--slot <id>', 'the new slot')
    .option('--mode <physical|video|phone>', 'contact mode of the new time (default: as before)')
    .option('--reason-code <code>', 'reason code')
    .option('--reason-text <text>', 'reason in words')
    .option('--override <why>', 'rebook past the cut-off or outside the window; the reason is logged')
    .option(...CHANNEL_OPTION)
    .option('--json', 'print the old and the new booking as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(
      async (
        id: string,
        o: {
          slot: string;
          mode?: string;
          reasonCode?: string;
          reasonText?: string;
          override?: string;
          channel: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const bookingId = uuidArgument('booking-id', id);
        const slotId = uuidArgument('--slot', o.slot);
        const mode = contactMode(o.mode);
        const channel = deskChannel(o.channel);
        await withApi(cmd, async (api) => {
          const moved = await api('bookings.rebook', {
            id: bookingId,
            slotId,
            channel,
            ...(mode === undefined ? {} : { contactMode: mode }),
            ...reasonAndOverride(o),
          });
          if (o.json) return json(moved);
          printBooking(moved.old, 'Ombokad från');
          printBooking(moved.new, 'Ny tid');
        });
      },
    );

  bookings
    .command('mark <booking-id> <status>')
    .description('Mark a booking arrived, no-show or completed (booked undoes a mistaken mark)')
    .option('--json', 'print the booking as JSON')
    .addHelpText('after', `\nstatus: arrived, no-show, completed or booked.${EXIT_HELP}`)
    .action(async (id: string, status: string, o: { json?: boolean }, cmd: Command) => {
      const bookingId = uuidArgument('booking-id', id);
      const to = MARKS[status];
      if (!to) throw new UsageError(`status ska vara arrived, no-show, completed eller booked, inte "${status}".`);
      await withApi(cmd, async (api) => {
        const booking = await api('bookings.mark', { id: bookingId, status: to });
        if (o.json) return json(booking);
        printBooking(booking, 'Markerad');
      });
    });

  bookings
    .command('show <booking-id>')
    .description('One booking, and whether the patient may still cancel or rebook it online (1177)')
    .option('--json', 'print as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const bookingId = uuidArgument('booking-id', id);
      await withApi(cmd, async (api) => {
        const b: BookingDetail = await api('bookings.get', { id: bookingId });
        if (o.json) return json(b);
        printBooking(b, 'Bokning');
        print(`  ${b.appointmentType.code} ${b.appointmentType.nameSv} hos ${b.resourceName}`);
        if (b.reasonCode || b.reasonText) print(`  Orsak till besöket: ${reasonOf(b.reasonCode, b.reasonText)}`);
        if (b.cancelReasonCode || b.cancelReasonText) {
          const what = b.status === 'rebooked' ? 'ombokning' : 'avbokning';
          print(`  Orsak till ${what}: ${reasonOf(b.cancelReasonCode, b.cancelReasonText)}`);
        }
        if (b.rebookedFrom) print(`  Ombokad från ${b.rebookedFrom}`);
        if (b.rebookedTo) print(`  Ombokad till ${b.rebookedTo}`);
        print(`  Avboka på webben: ${permission(b.onlineCancel)}`);
        print(`  Omboka på webben: ${permission(b.onlineRebook)}`);
      });
    });

  bookings
    .command('list')
    .description('Bookings of a period (to is included), by resource, patient or status')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: the first day)')
    .option('--resource <name|id|hsa>', 'one resource only')
    .option('--patient <number|name>', 'identity number (any form, or its start) or name')
    .option('--status <list>', 'comma-separated: preliminary,booked,arrived,completed,no_show,cancelled,rebooked')
    .option('--limit <n>', 'at most this many rows (1–500)', '100')
    .option('--json', 'print as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(
      async (
        o: { from: string; to?: string; resource?: string; patient?: string; status?: string; limit: string; json?: boolean },
        cmd: Command,
      ) => {
        const from = parseDateOption('--from', o.from);
        const to = o.to === undefined ? from : parseDateOption('--to', o.to);
        checkDateRange(from, to);
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
          throw new UsageError(`--limit ska vara ett heltal 1–500, inte "${o.limit}".`);
        }
        const statuses = o.status?.split(',').map((s) => s.trim()) as BookingStatus[] | undefined;
        for (const s of statuses ?? []) {
          if (!(s in STATUS_SV)) throw new UsageError(`okänd status "${s}" (${Object.keys(STATUS_SV).join(', ')}).`);
        }
        await withApi(cmd, async (api) => {
          const list = await api('bookings.search', {
            from,
            to,
            limit,
            sort: 'start',
            offset: 0,
            ...(o.resource === undefined ? {} : { resourceIds: [pickResource(await api('resources.list', {}), o.resource).id] }),
            ...(o.patient === undefined ? {} : { patient: o.patient }),
            ...(statuses === undefined ? {} : { statuses }),
          });
          if (list.patientHint) throw new UsageError(list.patientHint);
          if (o.json) return json(list);
          if (list.rows.length === 0) return print('Inga bokningar.');
          printTable(
            ['Tid', 'Resurs', 'Patient', 'Status', 'Kanal', 'Orsak', 'Id'],
            list.rows.map((b) => [
              span(b.startAt, b.endAt),
              b.resourceName,
              who(b.patient),
              STATUS_SV[b.status],
              CHANNEL_SV[b.channel],
              reasonsInBrief(b),
              b.id,
            ]),
          );
          if (list.total > list.rows.length) print(`(${list.rows.length} av ${list.total}: öka --limit eller korta perioden)`);
        });
      },
    );

  registerPatientAdd(program);
  registerSlotCommands(program);
}

/** `tidbok patients add`: the patients group itself lives in cli/scheduling.ts. */
function registerPatientAdd(program: Command): void {
  const patients = program.commands.find((c) => c.name() === 'patients');
  if (!patients) throw new Error('cli: register the patients group (cli/scheduling.ts) before cli/bookings.ts');
  patients
    .command('add')
    .description('Register a patient (identity number checked, stored as 12 digits)')
    .requiredOption('--number <personnummer>', 'personnummer or samordningsnummer, 10 or 12 digits, with or without - or +')
    .requiredOption('--given <name>', 'given name(s)')
    .requiredOption('--family <name>', 'family name')
    .option('--phone <number>', 'phone number')
    .option('--email <address>', 'e-mail address')
    .option('--protected', 'protected identity (skyddad identitet): never shown by name in lists')
    .option('--reserve', 'the number is a reserve number (fails the checksum by design)')
    .option('--json', 'print the patient as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(
      async (
        o: {
          number: string;
          given: string;
          family: string;
          phone?: string;
          email?: string;
          protected?: boolean;
          reserve?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        await withApi(cmd, async (api) => {
          if (!o.reserve) {
            // Refused either way (a reserve number needs the flag), but say what would make it pass.
            const check = await api('patients.checkIdentityNumber', { value: o.number });
            if (!check.ok && (await api('patients.checkIdentityNumber', { value: o.number, reserve: true })).ok) {
              throw new UsageError(`${check.message ?? ''} Är det ett reservnummer? Lägg till --reserve.`.trim());
            }
          }
          const p = await api('patients.create', {
            identityNumber: o.number,
            givenName: o.given,
            familyName: o.family,
            ...(o.phone === undefined ? {} : { phone: o.phone }),
            ...(o.email === undefined ? {} : { email: o.email }),
            ...(o.protected ? { protectedIdentity: true } : {}),
            ...(o.reserve ? { reserve: true } : {}),
          });
          if (o.json) return json(p);
          print(`Patient ${p.id}: ${formatIdentityNumber(p.identityNumber)}  ${p.familyName}, ${p.givenName}`);
        });
      },
    );
}

/** `tidbok slots add|block|unblock|remove` beside `slots free` (cli/scheduling.ts). */
function registerSlotCommands(program: Command): void {
  const slots = program.commands.find((c) => c.name() === 'slots');
  if (!slots) throw new Error('cli: register the slots group (cli/scheduling.ts) before cli/bookings.ts');
  const wall = parseWallTimeOption;
  slots
    .command('add')
    .description('Add one slot outside the templates (today or later; wall-clock times of the unit)')
    .requiredOption('--resource <name|id|hsa>', 'the resource')
    .requiredOption('--date <date>', 'YYYY-MM-DD')
    .requiredOption('--start <HH:MM>', 'start time')
    .requiredOption('--end <HH:MM>', 'end time (24:00: the next midnight)')
    .requiredOption('--types <codes>', 'comma-separated appointment type codes offered in the slot')
    .option(
      '--utc-offset <+HH:MM>',
      'which pass of a time the clock shows twice (02:00–02:59 the night summer time ends): +02:00 the first (sommartid), +01:00 the second (vintertid, the default)',
    )
    .option(
      '--end-utc-offset <+HH:MM>',
      "the end's pass when the end is in that hour (default: the first time the clock shows it after the start; 02:40–02:10 runs across the change, 30 minutes)",
    )
    .option('--web', 'publish for web booking (1177)')
    .option('--json', 'print the slot as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(
      async (
        o: {
          resource: string;
          date: string;
          start: string;
          end: string;
          types: string;
          utcOffset?: string;
          endUtcOffset?: string;
          web?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const date = parseDateOption('--date', o.date);
        const startTime = wall('--start', o.start);
        const endTime = wall('--end', o.end, true);
        const utcOffset = o.utcOffset === undefined ? undefined : parseUtcOffsetOption('--utc-offset', 'utcOffset', o.utcOffset);
        const endUtcOffset =
          o.endUtcOffset === undefined ? undefined : parseUtcOffsetOption('--end-utc-offset', 'endUtcOffset', o.endUtcOffset);
        await withApi(cmd, async (api) => {
          // An active resource first; else an inactive one of that name, so that the api says it is
          // inactive rather than the command saying no resource is named so.
          const all = await api('resources.list', { includeInactive: true });
          let resource: Resource;
          try {
            resource = pickResource(
              all.filter((r) => r.active),
              o.resource,
            );
          } catch {
            resource = pickResource(all, o.resource);
          }
          const typeIds: string[] = [];
          for (const code of o.types
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean))
            typeIds.push(await pickType(api, code));
          const slot = await api('slots.create', {
            resourceId: resource.id,
            date,
            startTime,
            endTime,
            ...(utcOffset === undefined ? {} : { utcOffset }),
            ...(endUtcOffset === undefined ? {} : { endUtcOffset }),
            appointmentTypeIds: typeIds,
            webPublished: o.web === true,
            withinCareGuarantee: true,
          });
          if (o.json) return json(slot);
          printSlot(slot, `Tid för ${resource.name}`);
        });
      },
    );
  for (const [name, description] of [
    ['block', 'Block a slot (it stays in the schedule, nobody can book it)'],
    ['unblock', 'Open a blocked slot again'],
    ['remove', 'Take an unbooked slot out of the schedule'],
  ] as const) {
    const command = slots
      .command(`${name} <slot-id>`)
      .description(description)
      .option('--json', 'print the slot as JSON')
      .addHelpText('after', EXIT_HELP);
    if (name === 'block') command.option('--reason <text>', 'why (shown on the slot)', '');
    command.action(async (id: string, o: { reason?: string; json?: boolean }, cmd: Command) => {
      const slotId = uuidArgument('slot-id', id);
      await withApi(cmd, async (api) => {
        const slot =
          name === 'block'
            ? await api('slots.block', { id: slotId, reason: o.reason ?? '' })
            : await api(name === 'unblock' ? 'slots.unblock' : 'slots.remove', { id: slotId });
        if (o.json) return json(slot);
        printSlot(slot, { block: 'Spärrad', unblock: 'Öppnad', remove: 'Borttagen' }[name]);
      });
    });
  }
}
