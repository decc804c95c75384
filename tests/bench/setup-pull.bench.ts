// Pulling the unit's set-up (appointment types, clinicians, rooms) between desks, against the real
// stand-in central on loopback (informational, no DESIGN target):
// - sync.setup_pull_first.ms: a desk that knows none of them pulls 100 types and 60 clinicians
//   another desk created (each clinician's Schedule read with its role, and its slots caught up);
// - sync.idle_pull.ms / sync.idle_pull_slots_only.ms: median of 20 pulls with nothing new, all
//   five feeds against only Slot and Appointment (what an idle poll cost before types and
//   resources were pulled): the price of the three extra searches per cycle.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCentral } from '../../src-main/demo/central/server.ts';
import { createAppointmentType } from '../../src-main/services/appointment-types.ts';
import { bookSlot } from '../../src-main/services/bookings.ts';
import { createResource } from '../../src-main/services/resources.ts';
import { enqueueUnsent, pushOutbox } from '../../src-main/sync/push.ts';
import { pullChanges } from '../../src-main/sync/pull.ts';
import { api, configureCentral, desk, openLocal, seedSmallUnit, tempDir } from '../integration/sync/helpers.ts';
import { median, type Report } from './figures.ts';

export async function run(report: Report): Promise<void> {
  const dir = tempDir();
  const central = await startCentral({});
  const scheduler = { ...desk, roles: ['scheduler' as const] };
  try {
    const a = openLocal(dir, 'a');
    const small = seedSmallUnit(a, { slots: 20, patients: 1 });
    // A booking, so the Slot and Appointment feeds each hand back their boundary entry as on a real desk.
    bookSlot(a, desk, {
      slotId: small.slotIds[0]!,
      patientId: small.patientIds[0]!,
      appointmentTypeId: small.typeIds.lakbes,
      channel: 'desk',
      note: '',
    });
    configureCentral(a, central.url);
    enqueueUnsent(a);
    await pushOutbox(a, api(central.url, null, 30_000));
    a.db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(join(dir, 'a.db'), join(dir, 'b.db'));
    const b = openLocal(dir, 'b');
    for (let i = 0; i < 100; i++) {
      createAppointmentType(a, scheduler, {
        code: `T${i}`,
        nameSv: `Typ ${i}`,
        nameEn: `Type ${i}`,
        durationMin: 30,
        contactModes: ['physical'],
        professions: [],
        webBookable: i % 2 === 0,
        invitationOnly: false,
        webCancellable: true,
        webRebookable: true,
        cancelCutoffH: 24,
        rebookCutoffH: 24,
        reasonNew: 'optional',
        reasonCancel: 'optional',
        reasonRebook: 'optional',
        reasonCodes: [],
        bookMinLeadH: 0,
        bookMaxDays: 180,
        colour: '#4a78b5',
      });
    }
    for (let i = 0; i < 60; i++) {
      createResource(a, scheduler, { kind: 'clinician', name: `Läkare ${i}`, profession: 'lakare', title: null, hsaId: null });
    }
    const pushed = await pushOutbox(a, api(central.url, null, 30_000));
    if (pushed.error) throw pushed.error;

    let t = performance.now();
    const pulled = await pullChanges(b, api(central.url, null, 30_000));
    report({ name: 'sync.setup_pull_first.ms', value: performance.now() - t, unit: 'ms', target: null });
    if (pulled.applied < 160) throw new Error(`setup pull bench: applied ${pulled.applied} of 160`);

    const idle = async (feeds?: ('Slot' | 'Appointment')[]) => {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        t = performance.now();
        await pullChanges(b, api(central.url), feeds ? { feeds } : {});
        times.push(performance.now() - t);
      }
      return median(times);
    };
    report({ name: 'sync.idle_pull.ms', value: await idle(), unit: 'ms', target: null });
    report({ name: 'sync.idle_pull_slots_only.ms', value: await idle(['Slot', 'Appointment']), unit: 'ms', target: null });
    a.db.close();
    b.db.close();
  } finally {
    await central.close();
  }
}
