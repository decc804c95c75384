// The patient simulator: 1177 users booking, cancelling and rebooking web-published slots on
// the central side, respecting the web rules each appointment type carries (web-bookable,
// invitation-only, booking window, cancel/rebook cut-offs). Seeded, so a run can be repeated.
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { CentralError, type CentralApi } from '../../sync/central-api.ts';
import { makeIdentityNumber } from '../../domain/personnummer.ts';
import {
  mayChangeOnline,
  professionsBySchedule,
  webBook,
  webBookableType,
  webCancel,
  webRebook,
  webRulesByCode,
  type CentralTypeRules,
  type WebPatient,
} from './web-patient.ts';
import { seededRandom } from '../prng.ts';

export interface SimulatorStats {
  booked: number;
  cancelled: number;
  rebooked: number;
  /** Tried a slot someone else took first (409/412): the race the central side decides. */
  lostRaces: number;
  errors: number;
}

export type SimulatedAction = keyof Omit<SimulatorStats, 'lostRaces' | 'errors'> | 'lost' | 'nothing' | 'error';

const GIVEN = ['Alva', 'Bo', 'Cecilia', 'Dan', 'Ebba', 'Filip', 'Hanna', 'Ibrahim', 'Julia', 'Kalle', 'Linnea', 'Omar'];
const FAMILY = ['Ek', 'Lund', 'Berg', 'Holm', 'Strand', 'Sjöberg', 'Nordin', 'Haddad'];

export class PatientSimulator {
  readonly stats: SimulatorStats = { booked: 0, cancelled: 0, rebooked: 0, lostRaces: 0, errors: 0 };
  private readonly rand: () => number;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly api: CentralApi,
    private readonly options: { seed?: number; now?: () => number } = {},
  ) {
    this.rand = seededRandom(options.seed ?? 1177);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)]!;
  }

  private patient(): WebPatient {
    const birth = `${1940 + Math.floor(this.rand() * 65)}-${String(1 + Math.floor(this.rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(this.rand() * 28)).padStart(2, '0')}`;
    return {
      identityNumber: makeIdentityNumber(birth, 980 + Math.floor(this.rand() * 20)),
      givenName: this.pick(GIVEN),
      familyName: this.pick(FAMILY),
    };
  }

  /** One patient action: book (most often), cancel or rebook. */
  async step(): Promise<SimulatedAction> {
    try {
      // Read each time, as 1177 does: a type the unit changed or deactivated meanwhile is judged as it is now.
      const rules = await webRulesByCode(this.api);
      const professions = await professionsBySchedule(this.api);
      const r = this.rand();
      if (r < 0.6) return await this.book(rules, professions);
      const appts = (await this.api.searchAll<Appointment>('Appointment', { status: 'booked', _count: '500' })).filter((a) =>
        mayChangeOnline(a, rules, this.now(), r < 0.85 ? 'cancel' : 'rebook'),
      );
      if (appts.length === 0) return await this.book(rules, professions);
      const a = this.pick(appts);
      const from = (await this.api.read<Slot>('Slot', a.slot![0]!.reference!.split('/')[1]!))!;
      if (r < 0.85) {
        await webCancel(this.api, a, from);
        this.stats.cancelled++;
        return 'cancelled';
      }
      const code = a.serviceType![0]!.coding![0]!.code!;
      const candidates = (await this.freeSlots()).filter(
        (s) => s.id !== from.id && webBookableType(s, rules, this.now(), professions) === code,
      );
      if (candidates.length === 0) return 'nothing';
      await webRebook(this.api, a, from, this.pick(candidates), code);
      this.stats.rebooked++;
      return 'rebooked';
    } catch (err) {
      if (err instanceof CentralError && err.conflict) {
        this.stats.lostRaces++;
        return 'lost';
      }
      this.stats.errors++;
      return 'error';
    }
  }

  private async freeSlots(): Promise<Slot[]> {
    return this.api.searchAll<Slot>('Slot', { status: 'free', start: `ge${new Date(this.now()).toISOString()}`, _count: '1000' });
  }

  private async book(rules: Map<string, CentralTypeRules>, professions: Map<string, string | null>): Promise<SimulatedAction> {
    const open = (await this.freeSlots())
      .map((s) => ({ s, code: webBookableType(s, rules, this.now(), professions) }))
      .filter((x) => x.code);
    if (open.length === 0) return 'nothing';
    // People prefer the first free times.
    open.sort((a, b) => a.s.start.localeCompare(b.s.start));
    const { s, code } = open[Math.floor(this.rand() ** 2 * Math.min(open.length, 40))]!;
    await webBook(this.api, s, code!, this.patient());
    this.stats.booked++;
    return 'booked';
  }

  /** Acts `ratePerMinute` times a minute (jittered) until stopped. */
  start(ratePerMinute: number, onAction?: (a: SimulatedAction) => void): void {
    const every = 60_000 / ratePerMinute;
    const tick = () => {
      this.timer = setTimeout(
        () => {
          this.busy = this.step().then((a) => {
            onAction?.(a);
            if (this.timer) tick();
          });
        },
        every * (0.5 + this.rand()),
      );
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.busy;
  }
}
