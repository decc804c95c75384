// The stand-in central closes the gaps measured in Medplum's memory repository: a transaction
// that fails part-way leaves nothing behind, every write is validated, If-Match must be quoted,
// and the change feed pages stably while writes keep arriving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment, Bundle, Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';

let central: Central;
const h = { 'content-type': 'application/fhir+json', authorization: 'Bearer t' };

beforeAll(async () => {
  central = await startCentral({ token: 't' });
});
afterAll(async () => central.close());

async function req(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  const r = await fetch(`${central.url}/${path}`, {
    method,
    headers: { ...h, ...extra },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown>, etag: r.headers.get('etag') };
}

const slot = (n: number): Slot => ({
  resourceType: 'Slot',
  identifier: [{ system: 'urn:tidbok:id', value: `s${n}` }],
  schedule: { reference: 'Schedule/x' },
  status: 'free',
  start: `2026-12-0${1 + (n % 8)}T08:00:00+01:00`,
  end: `2026-12-0${1 + (n % 8)}T08:30:00+01:00`,
});

const appointment = (slotId: string, id: string): Appointment => ({
  resourceType: 'Appointment',
  identifier: [{ system: 'urn:tidbok:id', value: id }],
  status: 'booked',
  start: '2026-12-01T08:00:00+01:00',
  end: '2026-12-01T08:30:00+01:00',
  slot: [{ reference: `Slot/${slotId}` }],
  participant: [{ actor: { reference: 'Patient/p' }, status: 'accepted' }],
});

describe('stand-in central', () => {
  it('refuses a caller without the token', async () => {
    expect((await fetch(`${central.url}/Slot`)).status).toBe(401);
  });

  it('rolls a transaction back entirely when one entry fails (412)', async () => {
    const s = await req('POST', 'Slot', slot(1));
    const tx = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001',
          resource: appointment(String(s.body['id']), 'a1'),
          request: { method: 'POST', url: 'Appointment' },
        },
        {
          resource: { ...s.body, status: 'busy' },
          request: { method: 'PUT', url: `Slot/${String(s.body['id'])}`, ifMatch: 'W/"stale"' },
        },
      ],
    };
    expect((await req('POST', '', tx)).status).toBe(412);
    expect(((await req('GET', 'Appointment?identifier=urn:tidbok:id|a1')).body as unknown as Bundle).entry ?? []).toHaveLength(0);
    expect((await req('GET', `Slot/${String(s.body['id'])}`)).etag).toBe(s.etag);
  });

  it('validates every write and refuses an unquoted If-Match', async () => {
    const bad = await req('POST', 'Slot', { resourceType: 'Slot', status: 'free' });
    expect(bad.status).toBe(400);
    const s = await req('POST', 'Slot', slot(2));
    const version = s.etag!.replace(/^W\/"|"$/g, '');
    expect(
      (await req('PUT', `Slot/${String(s.body['id'])}`, { ...s.body, status: 'busy' }, { 'if-match': version })).status,
    ).toBe(400);
    expect(
      (await req('PUT', `Slot/${String(s.body['id'])}`, { ...s.body, status: 'busy' }, { 'if-match': s.etag! })).status,
    ).toBe(200);
    expect(
      (await req('PUT', `Slot/${String(s.body['id'])}`, { ...s.body, status: 'free' }, { 'if-match': s.etag! })).status,
    ).toBe(412);
  });

  it('keeps at most one active appointment per slot', async () => {
    const s = await req('POST', 'Slot', slot(3));
    expect((await req('POST', 'Appointment', appointment(String(s.body['id']), 'b1'))).status).toBe(201);
    expect((await req('POST', 'Appointment', appointment(String(s.body['id']), 'b2'))).status).toBe(409);
  });

  it('pages the change feed by next links without losing writes that arrive meanwhile', async () => {
    const since = new Date(Date.now() - 1).toISOString();
    for (let i = 10; i < 25; i++) await req('POST', 'Slot', slot(i));
    const seen = new Set<string>();
    let url: string | undefined = `${central.url}/Slot?_lastUpdated=ge${since}&_sort=_lastUpdated&_count=4`;
    let extra = 25;
    while (url) {
      const page = (await (await fetch(url, { headers: h })).json()) as Bundle<Slot>;
      for (const e of page.entry ?? []) seen.add(e.resource!.identifier![0]!.value!);
      if (extra < 28) await req('POST', 'Slot', slot(extra++)); // written while the reader pages
      url = page.link?.find((l) => l.relation === 'next')?.url;
    }
    for (let i = 10; i < 28; i++) expect(seen.has(`s${i}`), `s${i}`).toBe(true);
  });
});
