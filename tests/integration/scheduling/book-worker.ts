// Child process for the concurrency test: opens the same database file, waits for the agreed
// instant, books each slot (comma-separated) through dispatch and prints the results as JSON.
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { createContext } from '../../../src-main/services/context.ts';
import { testCaller } from '../../helpers/temp-db.ts';

const [path, slotIds, patientId, typeId, startAt, now] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const db = openDatabase(path);
const ctx = createContext(db, { now: () => Number(now) });
while (Date.now() < Number(startAt)) {
  // Spin: both processes leave the line at the same millisecond.
}
const results = [];
for (const slotId of slotIds.split(',')) {
  results.push(
    await dispatch({ ctx, caller: testCaller(['receptionist']), shell: 'web' }, 'bookings.book', {
      slotId,
      patientId,
      appointmentTypeId: typeId,
    }),
  );
}
process.stdout.write(`${JSON.stringify(results)}\n`);
db.close();
