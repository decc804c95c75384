// A large export must not hold the shared connection: between pages, while the writer waits
// for a slow reader, other work on the same better-sqlite3 connection (a booking at the desk, an
// access-log row) must run. Were an .iterate() left open across an await, any transaction or
// write would throw "This database connection is busy executing a query".
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { ExportQuery, PatientTally } from '../../../src-main/export/query.ts';
import { writeCsv } from '../../../src-main/export/csv.ts';
import { writeXlsx } from '../../../src-main/export/xlsx.ts';
import { addDays, wallClockToInstant } from '../../../src-main/domain/time.ts';
import { openTestDb } from '../../helpers/temp-db.ts';
import { seedExportFixture, TZ } from '../../helpers/export-fixture.ts';

const SLOTS = 5_000;

/** What a desk does meanwhile: a write in a transaction. */
function deskWrite(db: ReturnType<typeof openTestDb>['db'], n: number): void {
  db.transaction(() =>
    db
      .prepare(`INSERT INTO settings (key, value) VALUES ('poke', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
      .run(String(n)),
  )();
}

/** Writes at every turn of the event loop until stopped; returns the stop and the count. */
function pokeEveryTurn(db: ReturnType<typeof openTestDb>['db']): { stop(): number } {
  let n = 0;
  let stopped = false;
  const loop = () => {
    if (stopped) return;
    deskWrite(db, ++n);
    setImmediate(loop);
  };
  setImmediate(loop);
  return {
    stop: () => {
      stopped = true;
      return n;
    },
  };
}

function setup() {
  const { ctx, db } = openTestDb();
  const fx = seedExportFixture(ctx);
  const ins = db.prepare(
    `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, updated_at) VALUES (?, ?, ?, ?, ?, 0)`,
  );
  db.transaction(() => {
    for (let i = 0; i < SLOTS; i++) {
      const start = wallClockToInstant(addDays('2027-01-04', Math.floor(i / 40)), 7 * 60 + (i % 40) * 15, TZ);
      ins.run(ctx.newId(), fx.nurseId, start, start + 15 * 60_000, JSON.stringify([fx.typeIds.vacc]));
    }
  })();
  const query = new ExportQuery(ctx, {
    unitId: fx.unitId,
    timeZone: TZ,
    from: '2027-01-01',
    to: '2027-12-31',
    content: 'slots',
    patientData: 'none',
  });
  return { db, query };
}

/** A reader that takes its time, so the writer has to wait for 'drain' between pages. */
function slowSink(chunks: Buffer[]): Writable {
  return new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      setTimeout(done, 1);
    },
  });
}

describe('streaming exports', () => {
  it('CSV: desk writes on the same connection run while the export waits, and every row arrives', async () => {
    const { db, query } = setup();
    const chunks: Buffer[] = [];
    const poke = pokeEveryTurn(db);
    let interleaved: number;
    try {
      await writeCsv(query, slowSink(chunks), new PatientTally());
    } finally {
      interleaved = poke.stop();
    }
    expect(interleaved).toBeGreaterThan(2);
    const rows = parse(Buffer.concat(chunks), { bom: true, delimiter: ';', columns: true }) as unknown[];
    expect(rows).toHaveLength(SLOTS);
  });

  it('XLSX: the same, with exceljs committing rows as they are read', async () => {
    const { db, query } = setup();
    const chunks: Buffer[] = [];
    const poke = pokeEveryTurn(db);
    let interleaved: number;
    try {
      await writeXlsx(query, slowSink(chunks), new PatientTally());
    } finally {
      interleaved = poke.stop();
    }
    expect(interleaved).toBeGreaterThan(2);
    expect(Buffer.concat(chunks).subarray(0, 2).toString()).toBe('PK');
  });
});
