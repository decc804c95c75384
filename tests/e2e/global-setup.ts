// Builds the renderer once before the e2e run, so parallel shells never race to build it.
import { ensureBuilt } from '../../src-main/cli/core.ts';

export default function globalSetup(): void {
  ensureBuilt();
}
