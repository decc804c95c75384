// Demo mode: a stand-in central in this process on a loopback port, the demo schedule pushed to
// it, and slow simulated 1177 patients, so a newcomer sees web bookings arrive in the calendar.
import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../services/context.ts';
import type { Logger } from '../../log.ts';
import { CENTRAL_URL_SETTING } from '../../services/sync-claims.ts';
import { FhirCentralApi } from '../../sync/central-api.ts';
import { SyncEngine } from '../../sync/engine.ts';
import { saveCentralUrl, startSyncIfConfigured } from '../../sync/config.ts';
import { isDemoDatabase } from '../../services/auth.ts';
import { startCentral, type Central } from './server.ts';
import { PatientSimulator } from './simulator.ts';

export interface DemoCentral {
  central: Central;
  engine: SyncEngine;
  simulator: PatientSimulator;
  stop(): Promise<void>;
}

/** The in-process central starts empty each time: forget what an earlier one knew. */
function forgetEarlierCentral(ctx: ServiceContext, url: string): void {
  ctx.db.transaction(() => {
    for (const t of [
      'units',
      'resources',
      'appointment_types',
      'schedule_templates',
      'absences',
      'slots',
      'patients',
      'bookings',
    ]) {
      ctx.db.prepare(`UPDATE ${t} SET remote_id = NULL, remote_version = NULL WHERE remote_id IS NOT NULL`).run();
    }
    ctx.db.prepare(`DELETE FROM sync_state`).run();
    ctx.db.prepare(`UPDATE outbox SET state = 'done' WHERE state = 'pending'`).run();
    ctx.db.prepare(`INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)`).run(CENTRAL_URL_SETTING, JSON.stringify(url));
  })();
}

export async function startDemoCentral(
  ctx: ServiceContext,
  options: { log?: Logger; ratePerMinute?: number } = {},
): Promise<DemoCentral> {
  const token = randomBytes(18).toString('base64url');
  const central = await startCentral({ token });
  forgetEarlierCentral(ctx, central.url);
  const api = new FhirCentralApi({ baseUrl: central.url, token });
  const engine = new SyncEngine(ctx, api, options.log ? { log: options.log } : {});
  engine.start();
  const simulator = new PatientSimulator(api);
  // Patients start once the schedule is on the central side.
  void engine.settle(50).then(() => {
    simulator.start(options.ratePerMinute ?? 3, (a) => options.log?.info({ action: a }, 'simulated 1177 patient'));
  });
  return {
    central,
    engine,
    simulator,
    stop: async () => {
      await simulator.stop();
      await engine.stop();
      await central.close();
    },
  };
}

/**
 * What the shells (web shell `serve` / `start`, and Electron) run beside the app: on the demo database a stand-in central in
 * this process with simulated 1177 patients (unless TIDBOK_DEMO_CENTRAL=0, or the clock is
 * pinned with TIDBOK_NOW for a test), otherwise the sync engine if a central is configured.
 */
export async function startShellSync(ctx: ServiceContext, log: Logger): Promise<{ stop(): Promise<void> } | null> {
  const flag = process.env['TIDBOK_DEMO_CENTRAL'];
  const demo = flag === '1' || (flag !== '0' && !process.env['TIDBOK_NOW']);
  if (isDemoDatabase(ctx) && demo && !process.env['TIDBOK_CENTRAL_URL']) {
    const rate = Number(process.env['TIDBOK_DEMO_PATIENT_RATE'] ?? 3); // simulated patient actions a minute
    const d = await startDemoCentral(ctx, { log, ratePerMinute: rate > 0 ? rate : 3 });
    process.stdout.write(`Demoläge: central tidbok (FHIR R4) på ${d.central.url}, simulerade 1177-patienter bokar ibland.\n`);
    return d;
  }
  try {
    // TIDBOK_CENTRAL_URL configures this database's central (as Settings would).
    const envUrl = process.env['TIDBOK_CENTRAL_URL'];
    if (envUrl) saveCentralUrl(ctx, envUrl);
    const engine = startSyncIfConfigured(ctx, { log });
    if (engine) process.stdout.write(`Synkar mot ${engine.api.baseUrl}.\n`);
    return engine;
  } catch (err) {
    log.error({ err }, 'sync not started');
    process.stdout.write(`Synkning startades inte: ${(err as Error).message}\n`);
    return null;
  }
}
