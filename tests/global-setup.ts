// vitest's global setup: the run's temporary files go to one folder, removed at the end.
import { useScratchTmp } from './helpers/scratch-tmp.ts';

export default function setup(): () => void {
  return useScratchTmp('tidbok-vitest-');
}
