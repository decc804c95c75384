// The demo's in-process central starts empty each time the app starts: the desk forgets what the
// earlier central knew and sends it all again, templates and absences (FHIR Basic) included, so a
// demo started a second time shows the same unit at its central as the first time.
import { afterEach, describe, expect, it } from 'vitest';
import type { Basic } from '@medplum/fhirtypes';
import { startDemoCentral, type DemoCentral } from '../../../src-main/demo/central/demo.ts';
import { openTestDb } from '../../helpers/temp-db.ts';

let demo: DemoCentral | undefined;
afterEach(async () => {
  await demo?.stop();
  demo = undefined;
});

/** The Basic resources (templates, absences) the running demo central holds, by code. */
async function planningAtCentral(d: DemoCentral): Promise<Record<string, number>> {
  const all = await d.engine.api.searchAll<Basic>('Basic', { _count: '200' });
  const byCode: Record<string, number> = {};
  for (const b of all) {
    const code = b.code.coding?.[0]?.code ?? '?';
    byCode[code] = (byCode[code] ?? 0) + 1;
  }
  return byCode;
}

describe('the demo central started again', () => {
  it('holds the demo’s templates and its absence again, as the first one did', async () => {
    const { ctx, db } = openTestDb({ demo: true });
    const templates = db.prepare(`SELECT count(*) FROM schedule_templates WHERE active = 1`).pluck().get() as number;
    expect(db.prepare(`SELECT count(*) FROM absences`).pluck().get()).toBe(1);

    demo = await startDemoCentral(ctx, { ratePerMinute: 0.001 });
    expect((await demo.engine.settle()).error).toBeNull();
    const first = await planningAtCentral(demo);
    expect(first).toEqual({ 'schedule-template': templates, absence: 1 });
    await demo.stop();

    demo = await startDemoCentral(ctx, { ratePerMinute: 0.001 });
    expect((await demo.engine.settle()).error).toBeNull();
    expect(await planningAtCentral(demo)).toEqual(first);
  }, 60_000);
});
