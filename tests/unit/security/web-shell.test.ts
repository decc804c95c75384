// The web shell refuses what does not come from the person who started it: requests without the
// token, with a foreign Host (DNS rebinding) or Origin (another site in the same browser), from
// another machine, and simple cross-site form posts. A real server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type AddressInfo } from 'node:net';
import { BIND_ADDRESS, isLoopback, SESSION_HEADER, startWebShell, type WebShell } from '../../../src-main/shells/web/server.ts';
import { startDemoSession } from '../../../src-main/services/auth.ts';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/shells/csp.ts';
import { openTestDb } from '../../helpers/temp-db.ts';

let shell: WebShell;
let launch: string;

beforeAll(async () => {
  const { ctx } = openTestDb({ demo: true });
  const staticDir = mkdtempSync(join(tmpdir(), 'tidbok-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tidbok</title>');
  launch = startDemoSession(ctx, 'reception', 'test').token;
  shell = await startWebShell({ ctx, staticDir, workstation: 'test', launchSessionToken: launch });
});
afterAll(() => shell.close());

/** A raw request, so Host and Origin can be anything a hostile page or process would send. */
function send(options: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: shell.port,
        path: options.path,
        method: options.method ?? 'POST',
        headers: options.headers,
        setHost: false,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', fail);
    req.end(options.body);
  });
}

const host = () => `127.0.0.1:${shell.port}`;
const api = (headers: Record<string, string>, method = 'unit.get') =>
  send({ path: `/api/${method}`, headers: { 'content-type': 'application/json', host: host(), ...headers }, body: '{}' });

describe('web shell', () => {
  it('answers the owner: right token, own Host and Origin', async () => {
    const r = await api({ authorization: `Bearer ${shell.token}`, origin: `http://${host()}` });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { name: 'Vårdcentralen Solbacken' } });
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['a session token instead of the shell token', { authorization: 'Bearer ', [SESSION_HEADER]: 'whatever' }],
  ])('refuses a request with %s (401)', async (_name, headers) => {
    const r = await api(headers as Record<string, string>);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('refuses the token altered in its last character', async () => {
    const last = shell.token.at(-1) === 'A' ? 'B' : 'A';
    const r = await api({ authorization: `Bearer ${shell.token.slice(0, -1)}${last}` });
    expect(r.status).toBe(401);
  });

  it.each([
    ['a foreign Host on our port (DNS rebinding)', () => ({ host: `evil.example:${shell.port}` })],
    ['a foreign Host', () => ({ host: 'evil.example' })],
    ['our address on another port as Host', () => ({ host: '127.0.0.1:1' })],
    ['a foreign Origin (another site)', () => ({ origin: 'https://evil.example' })],
    ['a null Origin (sandboxed frame)', () => ({ origin: 'null' })],
    ['our host but another port as Origin', () => ({ origin: 'http://127.0.0.1:1' })],
  ])('refuses %s even with the token (403)', async (_name, headers) => {
    const r = await api({ authorization: `Bearer ${shell.token}`, ...headers() });
    expect(r.status).toBe(403);
  });

  it('refuses a cross-site form post (not JSON) and GET on the api', async () => {
    const form = await send({
      path: `/api/unit.get?token=${shell.token}`,
      headers: { host: host(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const get = await send({ path: `/api/unit.get?token=${shell.token}`, method: 'GET', headers: { host: host() } });
    expect(get.status).toBe(405);
  });

  it('gives each refusal the status of its error code, with the same {ok: false} body the renderer reads', async () => {
    const call = async (method: string, input: unknown) => {
      const r = await send({
        path: `/api/${method}`,
        headers: { 'content-type': 'application/json', host: host(), authorization: `Bearer ${shell.token}` },
        body: JSON.stringify(input),
      });
      return { status: r.status, body: JSON.parse(r.body) as { ok: boolean; error?: { code: string } } };
    };
    const patient = { identityNumber: '19121212-1212', givenName: 'Tolvan', familyName: 'Tolvansson' };
    const created = await call('patients.create', patient);
    expect(created).toMatchObject({ status: 200, body: { ok: true } });
    const cases = [
      [await call('patients.create', patient), 409, 'conflict'],
      [await call('patients.create', { ...patient, identityNumber: '19121212-1213' }), 400, 'validation'],
      [await call('patients.get', { id: '018f0000-0000-7000-8000-000000000000' }), 404, 'not_found'],
      [
        await call('users.create', { username: 'x', displayName: 'X', roles: ['admin'], password: 'a-long-password-1' }),
        403,
        'forbidden',
      ],
      [await call('no.suchMethod', {}), 404, 'not_found'],
    ] as const;
    for (const [answer, status, code] of cases) {
      expect(answer.body.ok).toBe(false);
      expect(answer.body.error?.code).toBe(code);
      expect(answer.status).toBe(status);
    }
  });

  it('serves the page with its CSP and no framing', async () => {
    const r = await send({ path: '/', method: 'GET', headers: { host: host() } });
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('does not serve files outside its folder', async () => {
    const r = await send({ path: '/..%2f..%2fetc%2fpasswd', method: 'GET', headers: { host: host() } });
    expect(r.status).toBe(404);
  });
});

describe('loopback only', () => {
  it('listens on 127.0.0.1 and nowhere else', () => {
    expect(BIND_ADDRESS).toBe('127.0.0.1');
    expect((shell.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.168.1.20', false],
    ['10.0.0.5', false],
    ['::ffff:192.168.1.20', false],
    ['fe80::1', false],
    ['127.0.0.1.evil', false],
    [undefined, false],
  ])('a peer at %s counts as local: %s', (address, local) => {
    expect(isLoopback(address)).toBe(local);
  });

  it("is not reachable on this machine's network addresses", async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    // Loopback is always there; when the machine has a network address, it must refuse us.
    const targets = [...external, '127.0.0.2'];
    for (const address of targets) {
      const refused = await new Promise<boolean>((done) => {
        const socket = connect({ host: address, port: shell.port });
        socket.once('connect', () => (socket.destroy(), done(false)));
        socket.once('error', () => done(true));
      });
      expect(refused, address).toBe(true);
    }
  });
});
