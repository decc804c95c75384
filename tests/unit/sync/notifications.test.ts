// The pure parts of the desk's notifications: which writes keep one Subscription per feed at
// central (reuse, update, create, turn spares off, renew a lease half spent), and the server's messages.
import { describe, expect, it } from 'vitest';
import type { Subscription } from '@medplum/fhirtypes';
import { parseNotification, SUBSCRIPTION_TAG_SYSTEM, subscriptionPlan } from '../../../src-main/sync/notifications.ts';

const DESK = 'desk-1';
const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-23T08:00:00Z');
/** A day's lease, read at NOW. */
const LEASE = { now: NOW, leaseMs: 24 * HOUR };
const at = (ms: number): string => new Date(ms).toISOString();
/** Subscriptions end 20 h from NOW unless told (null: no end): most of the lease left. */
const sub = (
  id: string,
  criteria: string,
  status: Subscription['status'] = 'active',
  end: string | null = at(NOW + 20 * HOUR),
): Subscription => ({
  resourceType: 'Subscription',
  id,
  meta: { versionId: `v-${id}`, tag: [{ system: SUBSCRIPTION_TAG_SYSTEM, code: DESK }] },
  status,
  reason: 'test',
  criteria,
  ...(end ? { end } : {}),
  channel: { type: 'websocket' },
});

describe('subscriptionPlan', () => {
  const wanted = new Map([
    ['Slot', 'Slot?schedule=Schedule/a,Schedule/b'],
    ['Appointment', 'Appointment'],
  ]);

  it('reuses active Subscriptions whose criteria are as wanted, writing nothing', () => {
    const plan = subscriptionPlan(
      [sub('s', 'Slot?schedule=Schedule/a,Schedule/b'), sub('a', 'Appointment')],
      wanted,
      DESK,
      LEASE,
    );
    expect(plan.writes).toEqual([]);
    expect([...plan.keep]).toEqual([
      ['Slot', 's'],
      ['Appointment', 'a'],
    ]);
  });

  it('creates a missing one, tagged with the desk, as a requested websocket Subscription', () => {
    const plan = subscriptionPlan([sub('a', 'Appointment')], wanted, DESK, LEASE);
    expect(plan.writes).toHaveLength(1);
    const { feed, entry } = plan.writes[0]!;
    expect(feed).toBe('Slot');
    expect(entry.request).toEqual({ method: 'POST', url: 'Subscription' });
    expect(entry.resource).toMatchObject({
      status: 'requested',
      criteria: 'Slot?schedule=Schedule/a,Schedule/b',
      end: at(NOW + 24 * HOUR),
      channel: { type: 'websocket' },
      meta: { tag: [{ system: SUBSCRIPTION_TAG_SYSTEM, code: DESK }] },
    });
  });

  it('updates, on its version, one whose criteria changed (a new schedule) or that is no longer active', () => {
    const plan = subscriptionPlan([sub('s', 'Slot?schedule=Schedule/a'), sub('a', 'Appointment', 'off')], wanted, DESK, LEASE);
    expect(plan.writes.map((w) => [w.feed, w.entry.request])).toEqual([
      ['Slot', { method: 'PUT', url: 'Subscription/s', ifMatch: 'W/"v-s"' }],
      ['Appointment', { method: 'PUT', url: 'Subscription/a', ifMatch: 'W/"v-a"' }],
    ]);
    expect(plan.writes[0]!.entry.resource).toMatchObject({ id: 's', status: 'requested', criteria: wanted.get('Slot') });
    expect(plan.keep.size).toBe(0);
  });

  it('keeps the active one of two for a feed and turns the spare off', () => {
    const plan = subscriptionPlan(
      [sub('old', 'Appointment', 'off'), sub('a', 'Appointment'), sub('s', wanted.get('Slot')!), sub('b', 'Appointment')],
      wanted,
      DESK,
      LEASE,
    );
    expect(plan.keep.get('Appointment')).toBe('a');
    expect(plan.writes.map((w) => [w.entry.request?.url, (w.entry.resource as Subscription).status])).toEqual([
      ['Subscription/b', 'off'],
    ]);
  });
});

describe('subscriptionPlan: the lease', () => {
  const wanted = new Map([
    ['Slot', 'Slot'],
    ['Appointment', 'Appointment'],
  ]);
  const renewal = (id: string) => ({
    method: 'PUT',
    url: `Subscription/${id}`,
    ifMatch: `W/"v-${id}"`,
  });

  it('renews, on its version, one with less than half its lease left, and keeps one with more', () => {
    const near = sub('s', 'Slot', 'active', at(NOW + 11 * HOUR));
    const far = sub('a', 'Appointment', 'active', at(NOW + 13 * HOUR));
    const plan = subscriptionPlan([near, far], wanted, DESK, LEASE);
    expect([...plan.keep]).toEqual([['Appointment', 'a']]);
    expect(plan.writes.map((w) => [w.feed, w.entry.request])).toEqual([['Slot', renewal('s')]]);
    // Same id, same criteria, a whole lease from now.
    expect(plan.writes[0]!.entry.resource).toMatchObject({
      id: 's',
      status: 'requested',
      criteria: 'Slot',
      end: at(NOW + 24 * HOUR),
    });
  });

  it('reactivates one whose lease passed, whether central has turned it off yet or not', () => {
    const offAtCentral = sub('s', 'Slot', 'off', at(NOW - HOUR));
    const notSweptYet = sub('a', 'Appointment', 'active', at(NOW - 1));
    const plan = subscriptionPlan([offAtCentral, notSweptYet], wanted, DESK, LEASE);
    expect(plan.keep.size).toBe(0);
    expect(plan.writes.map((w) => [w.feed, w.entry.request])).toEqual([
      ['Slot', renewal('s')],
      ['Appointment', renewal('a')],
    ]);
    for (const w of plan.writes) expect(w.entry.resource).toMatchObject({ status: 'requested', end: at(NOW + 24 * HOUR) });
  });

  it('gives one written before leases (no end) an end, and the shorter lease a test asks for', () => {
    const plan = subscriptionPlan(
      [sub('s', 'Slot', 'active', null), sub('a', 'Appointment', 'active', at(NOW + 1500))],
      wanted,
      DESK,
      { now: NOW, leaseMs: 2000 },
    );
    // 1.5 s of a 2 s lease left: more than half, kept; the one without an end is renewed.
    expect([...plan.keep]).toEqual([['Appointment', 'a']]);
    expect(plan.writes.map((w) => (w.entry.resource as Subscription).end)).toEqual([at(NOW + 2000)]);
  });
  it('renews one central granted a shorter lease at half that lease, not on every cycle', () => {
    // Asked for 24 h, central granted 2 h (written 30 min ago): 1.5 h left is more than half of 2 h.
    const granted = (id: string, criteria: string, writtenAgo: number, endIn: number): Subscription => ({
      ...sub(id, criteria, 'active', at(NOW + endIn)),
      meta: { versionId: `v-${id}`, lastUpdated: at(NOW - writtenAgo) },
    });
    const plan = subscriptionPlan(
      [granted('s', 'Slot', HOUR / 2, 1.5 * HOUR), granted('a', 'Appointment', 1.25 * HOUR, 0.75 * HOUR)],
      wanted,
      DESK,
      LEASE,
    );
    expect([...plan.keep]).toEqual([['Slot', 's']]);
    expect(plan.writes.map((w) => [w.feed, w.entry.request])).toEqual([['Appointment', renewal('a')]]);
  });
});

describe('parseNotification', () => {
  it('reads bound, ping and error messages', () => {
    expect(parseNotification('bound abc-1')).toEqual({ verb: 'bound', id: 'abc-1' });
    expect(parseNotification('ping abc-1\n')).toEqual({ verb: 'ping', id: 'abc-1' });
    expect(parseNotification('error abc-1: no such subscription')).toEqual({ verb: 'error', id: 'abc-1' });
    expect(parseNotification('{"resourceType":"Bundle"}').verb).toBe('other');
  });
});
