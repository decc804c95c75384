// Child process of crash-safety.test.ts: books patients through the booking service as fast as
// it can and reports each booking on stdout only after its transaction committed. The parent
// kills it with SIGKILL at a random moment.
import { writeSync } from 'node:fs';
import { openDatabase } from '../../../src-main/store/database.ts';
import { createContext } from '../../../src-main/services/context.ts';
import { bookSlot } from '../../../src-main/services/bookings.ts';
import { AppError } from '../../../src-main/api/result.ts';

const [dbPath, typeId] = process.argv.slice(2) as [string, string];
const db = openDatabase(dbPath);
const ctx = createContext(db);
const caller = {
  userId: null,
  username: 'crash-writer',
  displayName: 'Crash writer',
  roles: ['receptionist'] as const,
  workstation: 'crash',
};
const patients = (db.prepare(`SELECT id FROM patients`).all() as { id: string }[]).map((p) => p.id);
const freeSlot = db.prepare(
  `SELECT s.id FROM slots s
    WHERE s.template_id IS NULL AND s.state = 'open'
      AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ('preliminary','booked','arrived','completed','no_show'))
    ORDER BY random() LIMIT 1`,
);
writeSync(1, 'READY\n');
for (let i = 0; ; i++) {
  const slot = freeSlot.get() as { id: string } | undefined;
  if (!slot) break;
  let booking;
  try {
    booking = bookSlot(ctx, caller, {
      slotId: slot.id,
      patientId: patients[i % patients.length]!,
      appointmentTypeId: typeId,
      channel: 'desk',
      note: `crash ${i}`,
    });
  } catch (err) {
    // A patient already seen by another clinician at that time: the next patient takes a slot.
    if (err instanceof AppError && (err.details as { rule?: string } | undefined)?.rule === 'patient_busy') continue;
    throw err;
  }
  // Acknowledged = committed: only now may the desk tell the patient the time is booked.
  writeSync(1, `ACK ${booking.id}\n`);
}
writeSync(1, 'DONE\n');
