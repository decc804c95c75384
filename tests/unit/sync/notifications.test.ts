// The pure parts of the desk's notifications: which writes keep one Subscription per feed at
// central (reuse, update, create, turn spares off), and the server's messages.
import { describe, expect, it } from 'vitest';
import type { Subscription } from '@medplum/fhirtypes';
import { parseNotification, SUBSCRIPTION_TAG_SYSTEM, subscriptionPlan } from '../../../src-main/sync/notifications.ts';

const DESK = 'desk-1';
const sub = (id: string, criteria: string, status: Subscription['status'] = 'active'): Subscription => ({
  resourceType: 'Subscription',
  id,
  meta: { versionId: `v-${id}`, tag: [{ system: SUBSCRIPTION_TAG_SYSTEM, code: DESK }] },
  status,
  reason: 'test',
  criteria,
  channel: { type: 'websocket' },
});

describe('subscriptionPlan', () => {
  const wanted = new Map([
    ['Slot', 'Slot?schedule=Schedule/a,Schedule/b'],
    ['Appointment', 'Appointment'],
  ]);

  it('reuses active Subscriptions whose criteria are as wanted, writing nothing', () => {
    const plan = subscriptionPlan([sub('s', 'Slot?schedule=Schedule/a,Schedule/b'), sub('a', 'Appointment')], wanted, DESK);
    expect(plan.writes).toEqual([]);
    expect([...plan.keep]).toEqual([
      ['Slot', 's'],
      ['Appointment', 'a'],
    ]);
  });

  it('creates a missing one, tagged with the desk, as a requested websocket Subscription', () => {
    const plan = subscriptionPlan([sub('a', 'Appointment')], wanted, DESK);
    expect(plan.writes).toHaveLength(1);
    const { feed, entry } = plan.writes[0]!;
    expect(feed).toBe('Slot');
    expect(entry.request).toEqual({ method: 'POST', url: 'Subscription' });
    expect(entry.resource).toMatchObject({
      status: 'requested',
      criteria: 'Slot?schedule=Schedule/a,Schedule/b',
      channel: { type: 'websocket' },
      meta: { tag: [{ system: SUBSCRIPTION_TAG_SYSTEM, code: DESK }] },
    });
  });

  it('updates, on its version, one whose criteria changed (a new schedule) or that is no longer active', () => {
    const plan = subscriptionPlan([sub('s', 'Slot?schedule=Schedule/a'), sub('a', 'Appointment', 'off')], wanted, DESK);
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
    );
    expect(plan.keep.get('Appointment')).toBe('a');
    expect(plan.writes.map((w) => [w.entry.request?.url, (w.entry.resource as Subscription).status])).toEqual([
      ['Subscription/b', 'off'],
    ]);
  });
});

describe('parseNotification', () => {
  it('reads bound, ping and error messages', () => {
    expect(parseNotification('bound abc-1')).toEqual({ verb: 'bound', id: 'abc-1' });
    expect(parseNotification('ping abc-1\n')).toEqual({ verb: 'ping', id: 'abc-1' });
    expect(parseNotification('error abc-1: no such subscription').verb).toBe('error');
    expect(parseNotification('{"resourceType":"Bundle"}').verb).toBe('other');
  });
});
