// Shared pieces of the setup tests: the typed api over a real SQLite file (the scheduling tests'
// helper), empty unless asked for the demo unit.
import { demoApi, type Api } from '../scheduling/helpers.ts';

export type SetupApi = Api;

export function setupApi(options: { demo?: boolean } = {}): SetupApi {
  return demoApi({ demo: options.demo ?? false });
}
