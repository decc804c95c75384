// One more desk for the adversarial concurrency tests: a child process with its own connection
// to a shared database file, driven by JSON lines on stdin and answering JSON lines on stdout.
//   {op: 'open', path, now, at?, migrationsDir?} -> {opened: version} or {openError: message}
//        opens (and migrates) the file, leaving the line at the instant `at` with the others
//   {op: 'run', at, calls}                        -> {results}: each call in order through dispatch
import { createInterface } from 'node:readline';
import { dispatch } from '../../src-main/api/dispatch.ts';
import type { Role } from '../../src-main/api/types.ts';
import { createContext, type ServiceContext } from '../../src-main/services/context.ts';
import { openDatabase, schemaVersion, type Db } from '../../src-main/store/database.ts';
import { testCaller } from './temp-db.ts';

export interface ContentionCall {
  method: string;
  input: unknown;
  roles?: Role[];
}

export type ContentionCommand =
  | { op: 'open'; path: string; now: number; at?: number; migrationsDir?: string }
  | { op: 'run'; at: number; calls: ContentionCall[] };

let db: Db | null = null;
let ctx: ServiceContext | null = null;
const reply = (msg: object) => process.stdout.write(`${JSON.stringify(msg)}\n`);
const waitUntil = (at: number | undefined) => {
  while (at !== undefined && Date.now() < at) {
    // Spin: every process leaves the line at the same millisecond.
  }
};

for await (const line of createInterface({ input: process.stdin })) {
  const cmd = JSON.parse(line) as ContentionCommand;
  if (cmd.op === 'open') {
    db?.close();
    waitUntil(cmd.at);
    try {
      db = openDatabase(cmd.path, cmd.migrationsDir === undefined ? {} : { migrationsDir: cmd.migrationsDir });
      ctx = createContext(db, { now: () => cmd.now });
      reply({ opened: schemaVersion(db) });
    } catch (err) {
      reply({ openError: (err as Error).message });
    }
  } else {
    waitUntil(cmd.at);
    const results = [];
    for (const c of cmd.calls) {
      results.push(await dispatch({ ctx: ctx!, caller: testCaller(c.roles), shell: 'web' }, c.method, c.input));
    }
    reply({ results });
  }
}
db?.close();
