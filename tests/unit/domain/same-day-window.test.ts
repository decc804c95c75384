// A type bookable "0 days ahead" is bookable today only ("dagens tider", akuttider released in the
// morning): the window's pure rules, the Swedish refusals and the lead a window allows. Instants
// are worked out by hand on Stockholm's wall clock (+01:00 in November). The api still refuses 0
// (the schema's CHECK on appointment_types.book_max_days is 1–1095); these rules are ready for it.
import { describe, expect, it } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import {
  bookingWindow,
  checkBookingWindow,
  leadWindowProblem,
  maxLeadForWindowH,
  windowSv,
} from '../../../src-main/domain/booking-rules.ts';
import { webBookableType, type CentralTypeRules } from '../../../src-main/demo/central/web-patient.ts';
import { EXT, TYPE_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-11-23T07:30:00+01:00');
const sameDay = { nameSv: 'Akuttid', bookMinLeadH: 1, bookMaxDays: 0 };

describe('a same-day type (bookMaxDays 0)', () => {
  it('opens from now plus the lead to the end of today', () => {
    expect(bookingWindow(sameDay, NOW)).toEqual({
      earliest: at('2026-11-23T08:30:00+01:00'),
      latest: at('2026-11-24T00:00:00+01:00') - 1,
    });
  });

  it('books today after the lead, refuses tomorrow as "bara samma dag" and too soon as before', () => {
    expect(checkBookingWindow(sameDay, at('2026-11-23T16:40:00+01:00'), NOW, false)).toBeNull();
    expect(checkBookingWindow(sameDay, at('2026-11-23T23:30:00+01:00'), NOW, false)).toBeNull();
    expect(checkBookingWindow(sameDay, at('2026-11-24T08:00:00+01:00'), NOW, false)).toMatchObject({
      kind: 'conflict',
      code: 'too_far',
      messageSv: 'Akuttid kan bara bokas samma dag: senast 2026-11-23.',
    });
    expect(checkBookingWindow(sameDay, at('2026-11-23T08:00:00+01:00'), NOW, false)).toMatchObject({
      code: 'too_soon',
      messageSv: 'Akuttid måste bokas minst 1 timme i förväg: tidigast 2026-11-23 kl. 08:30.',
    });
    // A longer window still reads as before.
    expect(checkBookingWindow({ ...sameDay, bookMaxDays: 1 }, at('2026-11-25T08:00:00+01:00'), NOW, false)).toMatchObject({
      messageSv: 'Akuttid kan bokas högst 1 dag framåt: senast 2026-11-24.',
    });
  });

  it('says its window in words', () => {
    expect([windowSv(0), windowSv(1), windowSv(30)]).toEqual([
      'kan bara bokas samma dag',
      'kan bokas högst 1 dag framåt',
      'kan bokas högst 30 dagar framåt',
    ]);
  });

  it('is offered on the stand-in 1177 today only', () => {
    const rules = new Map<string, CentralTypeRules>([
      [
        'AKUT',
        {
          webBookable: true,
          invitationOnly: false,
          webCancellable: true,
          webRebookable: false,
          cancelCutoffH: 0,
          rebookCutoffH: 0,
          bookMinLeadH: 1,
          bookMaxDays: 0,
          active: true,
          durationMin: 15,
          professions: [],
        },
      ],
    ]);
    const slot = (start: string): Slot => ({
      resourceType: 'Slot',
      schedule: { reference: 'Schedule/1' },
      status: 'free',
      start,
      end: new Date(at(start) + 15 * 60_000).toISOString(),
      serviceType: [{ coding: [{ system: TYPE_SYSTEM, code: 'AKUT' }] }],
      extension: [{ url: EXT.webPublished, valueBoolean: true }],
    });
    expect(webBookableType(slot('2026-11-23T15:00:00+01:00'), rules, NOW)).toBe('AKUT');
    expect(webBookableType(slot('2026-11-24T08:00:00+01:00'), rules, NOW)).toBeNull();
  });
});

describe('the lead a window allows: it must end before the last bookable day does, counted from the start of today', () => {
  it('is 23 hours for a same-day type, 71 for two days ahead', () => {
    expect([maxLeadForWindowH(0), maxLeadForWindowH(2), maxLeadForWindowH(1095)]).toEqual([23, 71, 26303]);
  });

  it('refuses a longer lead naming the limit, in Swedish', () => {
    expect(leadWindowProblem({ bookMinLeadH: 1, bookMaxDays: 0 })).toBeNull();
    expect(leadWindowProblem({ bookMinLeadH: 23, bookMaxDays: 0 })).toBeNull();
    expect(leadWindowProblem({ bookMinLeadH: 49, bookMaxDays: 2 })).toBeNull();
    expect(leadWindowProblem({ bookMinLeadH: 24, bookMaxDays: 0 })).toBe(
      'Minsta framförhållning (24 timmar) når förbi sista bokningsbara dagen: den måste ta slut innan den dagen gör, ' +
        'räknat från midnatt i dag. Med bokning bara samma dag får den vara högst 23 timmar.',
    );
    expect(leadWindowProblem({ bookMinLeadH: 72, bookMaxDays: 2 })).toMatch(
      /^Minsta framförhållning \(72 timmar\) når förbi sista bokningsbara dagen: .*Med bokning högst 2 dagar framåt får den vara högst 71 timmar\.$/,
    );
  });
});
