// Demo mode: a stand-in central in this process on a loopback port, the demo schedule pushed to
// it, and slow simulated 1177 patients, so a newcomer sees web bookings arrive in the calendar.
import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../services/context.ts';
import type { Logger } from '../../log.ts';
import { CENTRAL_URL_SETTING } from '../../services/sync-claims.ts';
import { FhirCentralApi } from '../../sync/central-api.ts';
import { SyncEngine } from '../../sync/engine.ts';
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
    for (const t of ['units', 'resources', 'appointment_types', 'slots', 'patients', 'bookings']) {
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
