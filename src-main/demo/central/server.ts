// The stand-in central booking API: FHIR R4 over HTTP on 127.0.0.1, Medplum's FhirRouter on our
// CentralRepository. One request at a time (a queue), so a transaction Bundle is isolated and,
// with the repository's undo log, atomic. Base URL: http://127.0.0.1:<port>/fhir/R4
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { badRequest, getStatus, isOk, normalizeOperationOutcome, unauthorized } from '@medplum/core';
import { FhirRouter, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { CentralRepository } from './repository.ts';
import { SubscriptionHub, WEBSOCKET_EXTENSION, WEBSOCKET_PATH } from './subscriptions.ts';

export const FHIR_BASE_PATH = '/fhir/R4';

export interface CentralOptions {
  port?: number;
  /** Bearer token clients must send; null = no authentication (tests of the protocol only). */
  token?: string | null;
  clock?: () => number;
  /** Offer FHIR R4 Subscriptions over websocket (subscriptions.ts); false = a server without them. */
  websocket?: boolean;
}

export interface Central {
  /** Base URL of the FHIR API, e.g. http://127.0.0.1:41234/fhir/R4 */
  url: string;
  port: number;
  repo: CentralRepository;
  /** The websocket Subscriptions, unless started with `websocket: false`. */
  subscriptions: SubscriptionHub | null;
  close(): Promise<void>;
}

const MAX_BODY = 8 * 1024 * 1024;
// A quoted weak or strong ETag. Medplum silently ignores an unquoted If-Match: we refuse it.
const QUOTED_ETAG = /^(W\/)?"[^"]+"$/;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        fail(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** Runs tasks one after another. */
function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

function unquotedIfMatch(body: unknown): boolean {
  const b = body as Bundle | undefined;
  if (b?.resourceType !== 'Bundle') return false;
  return (b.entry ?? []).some((e) => e.request?.ifMatch !== undefined && !QUOTED_ETAG.test(e.request.ifMatch));
}

/** Adds self/next links: keyset (`_lastUpdated=gt`) for change-feed searches, `_offset` otherwise. */
function addPaging(bundle: Bundle, base: string, path: string, query: URLSearchParams): void {
  const count = Math.min(Number(query.get('_count') ?? 100) || 100, 1000);
  const offset = Number(query.get('_offset') ?? 0) || 0;
  const shown = bundle.entry?.length ?? 0;
  const links = [{ relation: 'self', url: `${base}/${path}?${query.toString()}` }];
  // No total means the server stopped at the page: there is more.
  const more = shown === count && (bundle.total === undefined || offset + shown < bundle.total);
  if (more) {
    const next = new URLSearchParams(query);
    const sort = query.get('_sort');
    if ((sort === null || sort === '_lastUpdated') && query.has('_lastUpdated')) {
      // Keyset paging over the feed: stable while writes arrive (every write gets its own instant).
      const last = bundle.entry![shown - 1]!.resource!.meta!.lastUpdated!;
      const bounds = next.getAll('_lastUpdated').filter((v) => !/^(ge|gt)/.test(v));
      next.delete('_lastUpdated');
      for (const b of bounds) next.append('_lastUpdated', b);
      next.append('_lastUpdated', `gt${last}`);
      next.delete('_offset');
    } else {
      next.set('_offset', String(offset + shown));
    }
    links.push({ relation: 'next', url: `${base}/${path}?${next.toString()}` });
  }
  bundle.link = links;
}

export function startCentral(options: CentralOptions = {}): Promise<Central> {
  const repo = new CentralRepository(options.clock);
  const router = new FhirRouter();
  const queue = serialQueue();
  const token = options.token ?? null;
  const hub = options.websocket === false ? null : new SubscriptionHub(repo, options.clock);
  repo.observer = hub;
  let base = '';

  function send(res: ServerResponse, status: number, body: Resource, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  }

  function authorised(req: IncomingMessage): boolean {
    if (token === null) return true;
    const h = req.headers['authorization'];
    if (typeof h !== 'string' || !h.startsWith('Bearer ')) return false;
    const a = Buffer.from(h.slice(7));
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith(FHIR_BASE_PATH)) return send(res, 404, badRequest('Not a FHIR path'));
    if (!authorised(req)) return send(res, 401, unauthorized);
    const path = url.pathname.slice(FHIR_BASE_PATH.length).replace(/^\/+/, '');
    const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
    if (path === 'metadata') {
      return send(res, 200, {
        resourceType: 'CapabilityStatement',
        status: 'active',
        date: new Date().toISOString(),
        kind: 'instance',
        fhirVersion: '4.0.1',
        format: ['json'],
        ...(hub
          ? {
              rest: [
                {
                  mode: 'server',
                  extension: [{ url: WEBSOCKET_EXTENSION, valueUri: `${base.replace(/^http/, 'ws')}/${WEBSOCKET_PATH}` }],
                },
              ],
            }
          : {}),
      } as Resource);
    }
    let body: unknown;
    const text = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return send(res, 400, badRequest('Body is not JSON'));
    }
    const ifMatch = req.headers['if-match'];
    if ((typeof ifMatch === 'string' && !QUOTED_ETAG.test(ifMatch)) || unquotedIfMatch(body)) {
      return send(res, 400, badRequest('If-Match must be a quoted ETag, e.g. W/"<versionId>"'));
    }
    // Real servers ignore a client id on create; Medplum's MemoryRepository would keep it.
    if (method === 'POST' && body && typeof body === 'object' && /^[A-Z][A-Za-z]+$/.test(path)) delete (body as Resource).id;
    const fhirReq: FhirRequest = {
      method,
      url: path + url.search,
      pathname: '',
      body,
      params: {},
      query: {},
      headers: req.headers,
      config: { transactions: true },
    };
    const [outcome, resource] = await queue(async () => {
      try {
        await hub?.expireLapsed(); // Subscriptions whose end passed are off before anything reads or pings
        return await router.handleRequest(fhirReq, repo);
      } catch (err) {
        return [normalizeOperationOutcome(err)] as [OperationOutcome];
      }
    });
    const status = getStatus(outcome);
    if (!isOk(outcome) || !resource) return send(res, status, outcome);
    const headers: Record<string, string> = {};
    if (resource.meta?.versionId) headers['etag'] = `W/"${resource.meta.versionId}"`;
    if (resource.meta?.lastUpdated) headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (status === 201 && resource.id)
      headers['location'] = `${base}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? ''}`;
    if (resource.resourceType === 'Bundle' && (resource as Bundle).type === 'searchset') {
      addPaging(resource as Bundle, base, path, url.searchParams);
    }
    send(res, status, resource, headers);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, normalizeOperationOutcome(err));
      else res.end();
    });
  });
  hub?.attach(server, `${FHIR_BASE_PATH}/${WEBSOCKET_PATH}`, authorised);

  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      base = `http://127.0.0.1:${port}${FHIR_BASE_PATH}`;
      done({
        url: base,
        port,
        repo,
        subscriptions: hub,
        close: () =>
          new Promise<void>((closed) => {
            hub?.close();
            server.close(() => closed());
            server.closeAllConnections();
          }),
      });
    });
  });
}
