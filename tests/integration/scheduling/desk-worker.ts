// Child process for the acceptance concurrency tests: one more desk (or a long writer) with its
// own connection to the shared database file, driven by JSON lines on stdin, answering JSON
// lines on stdout:
//   {op: 'open', path, now}            -> {opened: true}
//   {op: 'run', at, calls}             -> {results}   spins until the instant `at`, then makes each
//                                                      call in order through dispatch
//   {op: 'hold', ms?}                  -> {locked: true}, later {released: true}: takes the write
//                                                      lock (a writer mid-transaction) and keeps it
//                                                      until {op: 'release'} or for `ms`
import { createInterface } from 'node:readline';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { Role } from '../../../src-main/api/types.ts';
import { createContext, type ServiceContext } from '../../../src-main/services/context.ts';
import { openDatabase, type Db } from '../../../src-main/store/database.ts';
import { testCaller } from '../../helpers/temp-db.ts';

export interface DeskCall {
  method: string;
  input: unknown;
  roles?: Role[];
}

export type DeskCommand =
  | { op: 'open'; path: string; now: number }
  | { op: 'run'; at: number; calls: DeskCall[] }
  | { op: 'hold'; ms?: number }
  | { op: 'release' };

let db: Db | null = null;
let ctx: ServiceContext | null = null;
const reply = (msg: object) => process.stdout.write(`${JSON.stringify(msg)}\n`);

function release(): void {
  if (db?.inTransaction) db.exec('COMMIT');
  reply({ released: true });
}

for await (const line of createInterface({ input: process.stdin })) {
  const cmd = JSON.parse(line) as DeskCommand;
  if (cmd.op === 'open') {
    db?.close();
    db = openDatabase(cmd.path);
    ctx = createContext(db, { now: () => cmd.now });
    reply({ opened: true });
  } else if (cmd.op === 'run') {
    while (Date.now() < cmd.at) {
      // Spin: every desk leaves the line at the same millisecond.
    }
    const results = [];
    for (const c of cmd.calls) {
      results.push(await dispatch({ ctx: ctx!, caller: testCaller(c.roles), shell: 'web' }, c.method, c.input));
    }
    reply({ results });
  } else if (cmd.op === 'hold') {
    // A real write, so readers that started before it see a stale snapshot afterwards.
    db!.exec('BEGIN IMMEDIATE');
    db!.prepare(`UPDATE units SET updated_at = updated_at + 1`).run();
    reply({ locked: true });
    if (cmd.ms !== undefined) setTimeout(release, cmd.ms);
  } else {
    release();
  }
}
db?.close();
