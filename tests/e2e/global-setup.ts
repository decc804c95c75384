// Builds the renderer once before the e2e run, so parallel shells never race to build it; the
// run's temporary files go to one folder, removed at the end (helpers/scratch-tmp.ts).
import { ensureBuilt } from '../../src-main/cli/core.ts';
import { useScratchTmp } from '../helpers/scratch-tmp.ts';

export default function globalSetup(): () => void {
  ensureBuilt();
  return useScratchTmp('tidbok-e2e-run-');
}
