// Sync benchmark (issue 5), against the real stand-in central on loopback:
// - sync.pull_apply_10k.ms: a desk pulls 10k changed appointments of its unit (tagged, and their 200
//   web patients) from the change feed and applies them, page by page, each page in one SQLite transaction;
// - sync.push_1k.ms: a desk pushes 1k queued changes (a newly published schedule of 1k slots
//   and its unit, clinicians, types and patients) as conditional creates;
// - sync.claim_roundtrip.ms: median time from a desk booking to its confirmation by central
//   (informational);
// - sync.web_to_calendar.ms: worst of 5 web bookings made while the desk's engine idles, from the
//   booking on central to the change event the open calendar refreshes on (target < 5 s), polled
//   (notifications off);
// - sync.web_to_desk_notified.ms: the same with central's Subscription notifications on and the
//   poll set to minutes: worst of 5, from the booking on central until it is in the desk's SQLite
//   (the change event comes after the commit) (informational).
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Appointment, Patient, Slot } from '@medplum/fhirtypes';
import { webBook } from '../../src-main/demo/central/web-patient.ts';
import { SyncEngine } from '../../src-main/sync/engine.ts';
import { startCentral } from '../../src-main/demo/central/server.ts';
import { bookSlot } from '../../src-main/services/bookings.ts';
import { deskBookingStatus } from '../../src-main/services/sync-claims.ts';
import { EXT, PERSONNUMMER_SYSTEM, typeCoding, toFhirInstant, unitTag } from '../../src-main/sync/fhir/mapping.ts';
import { enqueueUnsent, pushOutbox } from '../../src-main/sync/push.ts';
import { pullChanges } from '../../src-main/sync/pull.ts';
import { api, configureCentral, desk, openLocal, patientNumber, seedSmallUnit, tempDir } from '../integration/sync/helpers.ts';
import { median, type Report } from './figures.ts';

export async function run(report: Report): Promise<void> {
  const dir = tempDir();
  const central = await startCentral({});
  try {
    // ---------------------------------------------------------------- push 1k
    const pusher = openLocal(dir, 'push');
    seedSmallUnit(pusher, { slots: 1000, patients: 10 });
    configureCentral(pusher, central.url);
    const queued = enqueueUnsent(pusher);
    let t = performance.now();
    const pushed = await pushOutbox(pusher, api(central.url, null, 30_000));
    const pushMs = performance.now() - t;
    if (pushed.error || pushed.pushed < 1000) throw new Error(`push bench: ${JSON.stringify(pushed)} of ${queued}`);
    report({ name: 'sync.push_1k.ms', value: pushMs, unit: 'ms', target: { op: '<', value: 2000 } });

    // ---------------------------------------------------------------- claim round trip
    const slots = pusher.db.prepare(`SELECT id FROM slots ORDER BY start_at LIMIT 20`).all() as { id: string }[];
    const patient = (pusher.db.prepare(`SELECT id FROM patients LIMIT 1`).get() as { id: string }).id;
    const type = (pusher.db.prepare(`SELECT id FROM appointment_types WHERE code = 'LAKBES'`).get() as { id: string }).id;
    const claims: number[] = [];
    for (const s of slots) {
      t = performance.now();
      bookSlot(pusher, desk, {
        slotId: s.id,
        patientId: patient,
        appointmentTypeId: type,
        channel: 'desk',
        note: '',
        status: deskBookingStatus(pusher),
      });
      await pushOutbox(pusher, api(central.url));
      claims.push(performance.now() - t);
    }
    report({ name: 'sync.claim_roundtrip.ms', value: median(claims), unit: 'ms', target: null });

    const lastTen = (
      pusher.db.prepare(`SELECT remote_id FROM slots WHERE remote_id IS NOT NULL ORDER BY start_at DESC LIMIT 10`).all() as {
        remote_id: string;
      }[]
    ).reverse();
    // From the booking on central until it is a web booking in the desk's SQLite (checked on each
    // change event: they come after the commit; a Slot page comes before its Appointment).
    const inDesk = pusher.db.prepare(
      `SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE s.remote_id = ? AND b.channel = 'web' AND b.status = 'booked'`,
    );
    const bookedInDesk = async (remoteSlotId: string, patient: number): Promise<number> => {
      const seen = new Promise<number>((done) => {
        const off = pusher.events.subscribe(() => {
          if (!inDesk.get(remoteSlotId)) return;
          off();
          done(performance.now());
        });
      });
      const slot = (await api(central.url).read<Slot>('Slot', remoteSlotId))!;
      const t0 = performance.now();
      await webBook(api(central.url), slot, 'LAKBES', {
        identityNumber: patientNumber(patient),
        givenName: 'W',
        familyName: 'B',
      });
      return (await seen) - t0;
    };
    // ---------------------------------------------------------------- web booking -> calendar
    const engine = new SyncEngine(pusher, api(central.url), { notifications: false });
    engine.start();
    await engine.settle();
    const lags: number[] = [];
    for (const s of lastTen.slice(5)) {
      await new Promise((r) => setTimeout(r, 3500)); // let the engine fall back to its idle poll
      lags.push(await bookedInDesk(s.remote_id, 900 + lags.length));
    }
    await engine.stop();
    report({ name: 'sync.web_to_calendar.ms', value: Math.max(...lags), unit: 'ms', target: { op: '<', value: 5000 } });

    // ---------------------------------------------------------------- web booking -> desk, notified
    const minutes = 10 * 60_000;
    const heard = new SyncEngine(pusher, api(central.url), { fastMs: minutes, idleMaxMs: minutes, safetyPollMs: minutes });
    heard.start();
    for (let i = 0; heard.status().notifications !== 'on'; i++) {
      if (i > 200) throw new Error(`notifications did not come on: ${heard.status().notifications}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const notified: number[] = [];
    for (const s of lastTen.slice(0, 5)) {
      await new Promise((r) => setTimeout(r, 500)); // the cycles of the previous booking are over
      notified.push(await bookedInDesk(s.remote_id, 950 + notified.length));
    }
    await heard.stop();
    report({ name: 'sync.web_to_desk_notified.ms', value: Math.max(...notified), unit: 'ms', target: null });

    // ---------------------------------------------------------------- pull 10k
    // A second desk of the same unit, installed before the web got busy.
    pusher.db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(join(dir, 'push.db'), join(dir, 'pull.db'));
    const puller = openLocal(dir, 'pull');
    const remoteSlots = pusher.db
      .prepare(`SELECT remote_id, start_at, end_at FROM slots WHERE remote_id IS NOT NULL ORDER BY start_at`)
      .all() as {
      remote_id: string;
      start_at: number;
      end_at: number;
    }[];
    const web: string[] = [];
    for (let i = 0; i < 200; i++) {
      const p = await central.repo.createResource<Patient>({
        resourceType: 'Patient',
        identifier: [{ system: PERSONNUMMER_SYSTEM, value: patientNumber(100 + i) }],
        name: [{ family: 'Webbsson', given: [`Patient${i}`] }],
      });
      web.push(p.id);
    }
    // 10k appointment changes: the later slots get one web booking each, the rest are earlier
    // bookings that were cancelled (they hold no slot), as a busy day of 1177 traffic leaves them.
    const free = remoteSlots.slice(slots.length, -10);
    // Each carries the unit's tag, as a 1177 client copies it from the Slot it books (the desk reads by it).
    const { hsa_id: hsa } = puller.db.prepare(`SELECT hsa_id FROM units`).get() as { hsa_id: string };
    for (let i = 0; i < 10_000; i++) {
      const s = free[i % free.length]!;
      await central.repo.createResource<Appointment>({
        resourceType: 'Appointment',
        meta: { tag: [unitTag(hsa)] },
        status: i < free.length ? 'booked' : 'cancelled',
        serviceType: [typeCoding('LAKBES')],
        slot: [{ reference: `Slot/${s.remote_id}` }],
        start: toFhirInstant(s.start_at, 'Europe/Stockholm'),
        end: toFhirInstant(s.end_at, 'Europe/Stockholm'),
        created: new Date().toISOString(),
        participant: [{ actor: { reference: `Patient/${web[i % web.length]}` }, status: 'accepted' }],
        extension: [{ url: EXT.channel, valueCode: 'web' }],
      });
    }
    t = performance.now();
    const pulled = await pullChanges(puller, api(central.url, null, 30_000), { pageSize: 1000 });
    const pullMs = performance.now() - t;
    if (pulled.applied < 10_000) throw new Error(`pull bench applied only ${pulled.applied}`);
    report({ name: 'sync.pull_apply_10k.ms', value: pullMs, unit: 'ms', target: { op: '<', value: 2000 } });
    puller.db.close();

    pusher.db.close();
  } finally {
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
