// Identity numbers and patient names never reach a log line, whether they arrive as known
// fields, inside error messages or in free text; the shells' logs go to rotating files.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createFileLogger, createLogger, maskIdentityNumbers } from '../../../src-main/log.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';

const PNR = makeIdentityNumber('1985-06-14', 981, false); // 12 digits, valid check digit
const SHORT = `${PNR.slice(2, 8)}-${PNR.slice(8)}`; // ÅÅMMDD-NNNN
const NAME = { given: 'Ingegerd', family: 'Sjöholm-Larsdotter' };

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination }), text: () => lines.join('') };
}

function expectClean(text: string): void {
  expect(text).not.toContain(PNR);
  expect(text).not.toContain(SHORT);
  expect(text).not.toContain(PNR.slice(2));
  expect(text).not.toContain(NAME.given);
  expect(text).not.toContain(NAME.family);
}

describe('log redaction', () => {
  it('redacts identity numbers and names in known fields', () => {
    const { log, text } = capture();
    log.info({ identityNumber: PNR, givenName: NAME.given, familyName: NAME.family }, 'patient created');
    log.info({ patient: { identityNumber: PNR, displayName: `${NAME.given} ${NAME.family}` } }, 'booking');
    log.info(
      { input: { identityNumber: SHORT, givenName: NAME.given, familyName: NAME.family, query: NAME.family } },
      'api call',
    );
    log.info({ row: { identity_number: PNR, given_name: NAME.given, family_name: NAME.family } }, 'row');
    log.info({ booking: { patient: { displayName: NAME.given } } }, 'nested');
    expectClean(text());
    expect(text()).toContain('[redacted]');
  });

  it('masks identity numbers inside messages, errors and free text', () => {
    const { log, text } = capture();
    log.warn(`lookup of ${PNR} failed`);
    log.error({ err: new Error(`UNIQUE constraint failed for ${SHORT}`) }, 'insert failed');
    log.info({ note: `Ring ${SHORT} tillbaka`, list: [PNR, SHORT.replace('-', '+')] }, 'free text');
    expectClean(text());
    expect(text()).toContain('[personnummer]');
  });

  it('keeps an error’s message, stack and cause (masked), not an empty object', () => {
    const { log, text } = capture();
    const cause = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    log.error({ err: new Error(`could not book ${SHORT}`, { cause }) }, 'booking failed');
    const line = JSON.parse(text().trim().split('\n').at(-1)!) as {
      err: { type: string; message: string; stack: string; cause: { message: string; code: string } };
    };
    expect(line.err.type).toBe('Error');
    expect(line.err.message).toBe('could not book [personnummer]');
    expect(line.err.cause).toMatchObject({ message: 'database or disk is full', code: 'SQLITE_FULL' });
    expect(line.err.stack).toContain('redaction.test.ts');
    expectClean(text());
  });

  it.each([PNR, SHORT, SHORT.replace('-', ''), SHORT.replace('-', '+'), `${PNR.slice(0, 8)}-${PNR.slice(8)}`])(
    'maskIdentityNumbers hides %s',
    (n) => {
      expect(maskIdentityNumbers(`x ${n} y`)).toBe('x [personnummer] y');
    },
  );
});

describe('file logs of the shells', () => {
  it('writes to a rotating file in the given folder, redacted, keeping a bounded number of files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidbok-logs-'));
    const log = await createFileLogger({ dir, size: '1k', keep: 2 });
    for (let i = 0; i < 120; i++) {
      log.info({ patient: { identityNumber: PNR, displayName: NAME.given }, i }, `line ${i} about ${SHORT}`);
      // pino-roll checks the size as writes are flushed: give it the chance, as a running app does.
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 20));
    }
    log.flush();
    await new Promise((r) => setTimeout(r, 100));
    const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(3); // the current one plus `keep`
    const all = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(all).toContain('"msg":"line 119 about [personnummer]"');
    expectClean(all);
  });
});
