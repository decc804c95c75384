// Shared pieces of the scheduling integration tests: a real SQLite file with the demo unit, and
// typed calls through dispatch (the api boundary both shells use).
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import type { ApiError } from '../../../src-main/api/result.ts';
import type { ChangeEvent, Role } from '../../../src-main/api/types.ts';
import type { Caller, ServiceContext } from '../../../src-main/services/context.ts';
import { AppError } from '../../../src-main/api/result.ts';
import type { Booking } from '../../../src-main/api/types.ts';
import type { Rebooking } from '../../../src-main/api/methods/scheduling.ts';
import { bookSlot, cancelBooking, rebookBooking, type BookInput } from '../../../src-main/services/bookings.ts';
import { SYNC_CALLER } from '../../../src-main/sync/pull.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { localDate } from '../../../src-main/domain/time.ts';

export interface Api {
  ctx: ServiceContext;
  path: string;
  /** Change events delivered (after commit), in order. */
  events: ChangeEvent[];
  /** Calls as a caller with `roles` (default: every role); throws on an error result. */
  ok<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]): Promise<ResultOf<M>>;
  /** Calls and expects an error result; returns it. */
  err<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]): Promise<ApiError>;
  count(sql: string, ...params: unknown[]): number;
  /** Moves the service clock to an ISO instant (with offset). */
  setNow(iso: string): void;
}

/** Typed calls through dispatch over a fresh SQLite file, with the demo unit unless `demo: false`. */
export function demoApi(options: { now?: number; demo?: boolean } = {}): Api {
  const { ctx, path } = openTestDb({ demo: options.demo ?? true, ...(options.now === undefined ? {} : { now: options.now }) });
  const events: ChangeEvent[] = [];
  ctx.events.subscribe((e) => events.push(e));
  const call = (method: string, input: unknown, roles?: readonly Role[]) =>
    dispatch({ ctx, caller: testCaller(roles), shell: 'web' }, method, input);
  return {
    ctx,
    path,
    events,
    async ok(method, input, roles) {
      const r = await call(method, input, roles);
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
      return r.value as never;
    },
    async err(method, input, roles) {
      const r = await call(method, input, roles);
      if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
      return r.error;
    },
    count: (sql, ...params) => (ctx.db.prepare(sql).get(...params) as { n: number }).n,
    setNow: (iso) => {
      ctx.now = () => Date.parse(iso);
    },
  };
}

export const DAY = 86_400_000;

/** Who a patient's change on 1177 is recorded as when sync pulls it (bookings.created_by 'web'). */
const WEB_PATIENT: Caller = { ...SYNC_CALLER, username: 'web' };

interface WebInputs {
  book: Omit<BookInput, 'channel' | 'note' | 'status'> & { note?: string };
  cancel: Omit<Parameters<typeof cancelBooking>[2], 'channel'>;
  rebook: Omit<Parameters<typeof rebookBooking>[2], 'channel' | 'byUnit'>;
}
interface WebResults {
  book: Booking;
  cancel: Booking;
  rebook: Rebooking;
}

/**
 * A patient booking, cancelling or rebooking on 1177 (channel 'web'), for tests of the web rules.
 * The staff api refuses 'web': only sync's pull records the patient's own changes, judged by the
 * same rules the booking services apply to the web channel (no override passes them). So this
 * models the pull by calling those services directly, below the api, and answers in the api's
 * shapes (`call` gives a Result, `ok` throws on a refusal, `err` returns it).
 */
export function patientOnWeb(api: Pick<Api, 'ctx'>) {
  const run = <K extends keyof WebInputs>(what: K, input: WebInputs[K]): WebResults[K] => {
    const { ctx } = api;
    if (what === 'book') {
      const i = input as WebInputs['book'];
      return bookSlot(ctx, WEB_PATIENT, { ...i, note: i.note ?? '', channel: 'web' }) as WebResults[K];
    }
    if (what === 'cancel')
      return cancelBooking(ctx, WEB_PATIENT, { ...(input as WebInputs['cancel']), channel: 'web' }) as WebResults[K];
    return rebookBooking(ctx, WEB_PATIENT, { ...(input as WebInputs['rebook']), channel: 'web' }) as WebResults[K];
  };
  const call = async <K extends keyof WebInputs>(
    what: K,
    input: WebInputs[K],
  ): Promise<{ ok: true; value: WebResults[K] } | { ok: false; error: ApiError }> => {
    try {
      return { ok: true, value: run(what, input) };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return {
        ok: false,
        error: { code: e.code, message: e.messageSv, ...(e.details === undefined ? {} : { details: e.details }) },
      };
    }
  };
  return {
    call,
    async ok<K extends keyof WebInputs>(what: K, input: WebInputs[K]): Promise<WebResults[K]> {
      const r = await call(what, input);
      if (!r.ok) throw new Error(`web ${what} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    async err<K extends keyof WebInputs>(what: K, input: WebInputs[K]): Promise<ApiError> {
      const r = await call(what, input);
      if (r.ok) throw new Error(`web ${what} unexpectedly succeeded`);
      return r.error;
    },
  };
}

/**
 * A fresh unit (no demo) at a clock the test moves: physicians Dr Dag and Dr Natt (and, when
 * asked, nurse Syster Sol), one web-bookable type for physicians (`type` and `rules` override
 * it), one patient, and makers of Dr Dag's daily 08:00–12:00 templates and single slots. The
 * edge suites that work out their own expected times build on it.
 */
export async function clockUnit(
  nowIso: string,
  unit: { hsaId: string; name: string; nurse?: boolean },
  type: { code: string; nameSv: string; nameEn: string; durationMin: number },
  rules: Record<string, unknown> = {},
) {
  const api = demoApi({ now: Date.parse(nowIso), demo: false });
  await api.ok('unit.create', { hsaId: unit.hsaId, name: unit.name });
  const dag = await api.ok('resources.create', { kind: 'clinician', name: 'Dr Dag', profession: 'lakare' });
  const natt = await api.ok('resources.create', { kind: 'clinician', name: 'Dr Natt', profession: 'lakare' });
  const sol = unit.nurse
    ? await api.ok('resources.create', { kind: 'clinician', name: 'Syster Sol', profession: 'sjukskoterska' })
    : null;
  const made = await api.ok('appointmentTypes.create', {
    ...type,
    contactModes: ['physical'],
    professions: ['lakare'],
    webBookable: true,
    webCancellable: true,
    webRebookable: true,
    bookMaxDays: 400,
    ...rules,
  });
  const patient = await api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1958-10-29', 42),
    givenName: 'Höst',
    familyName: 'Klocksson',
  });
  const template = (over: Partial<InputOf<'templates.create'>['template']>) =>
    api.ok('templates.create', {
      template: {
        resourceId: dag.id,
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        validFrom: localDate(api.ctx.now()),
        startTime: '08:00',
        endTime: '12:00',
        slotMin: 30,
        appointmentTypeIds: [made.id],
        ...over,
      },
    });
  const slot = (date: string, startTime: string, endTime: string, resourceId = dag.id) =>
    api.ok('slots.create', { resourceId, date, startTime, endTime, appointmentTypeIds: [made.id], webPublished: true });
  // The patient on 1177: the web rules as the pull applies them (the staff api refuses 'web').
  return { api, web: patientOnWeb(api), dag, natt, sol, type: made, patient, template, slot };
}
