// FHIR R4 Subscriptions over websocket for the stand-in central (R4 spec, Subscription page):
// a client creates a Subscription (`channel.type = 'websocket'`, a search as `criteria`), opens
// the websocket the CapabilityStatement advertises, sends `bind <id>`, gets `bound <id>`, and then
// `ping <id>` whenever a resource matching the criteria is created or updated.
// - A Subscription written as `requested` is checked (criteria must parse as a search of a known
//   type; only the websocket channel is offered) and stored `active`.
// - The repository tells the hub of writes once they commit (`committed`); a rolled-back
//   transaction tells nothing, so it pings nobody. Matching is Medplum's own search matcher, the
//   same one the REST searches use, so a ping means "your search would now find this".
// - The socket takes the REST API's bearer token rule; a connection without it is refused (401).
// - `Subscription.end` is a lease: once it has passed (by the stand-in's clock) the Subscription
//   pings nobody, and the next request to the server turns it `off` (stored, so a search shows it)
//   and tells its bound sockets `error <id>: …ended…`. One swept per request, not a timer each:
//   the hub knows the earliest end and looks only once it has passed. A Subscription written
//   `requested` or `active` with an `end` already passed is refused (400), so no client believes
//   it holds one that central will never honour.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  badRequest,
  isResourceType,
  matchesSearchRequest,
  OperationOutcomeError,
  parseSearchRequest,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import type { Resource, Subscription } from '@medplum/fhirtypes';
import { WebSocketServer, type WebSocket } from 'ws';

/** The standard CapabilityStatement extension that names the server's Subscription websocket. */
export { WEBSOCKET_EXTENSION } from '../../sync/central-api.ts';
/** Where the websocket listens, under the FHIR base path. */
export const WEBSOCKET_PATH = 'websocket';

/** What the repository calls around writes (repository.ts `observer`). */
export interface WriteObserver {
  /** Before a write is stored: may adjust it (a requested Subscription becomes active) or refuse it. */
  accept<T extends Resource>(resource: T): T;
  /** After a write, or a whole transaction, committed: the resources as stored. */
  committed(resources: Resource[]): void;
}

interface Active {
  search: SearchRequest;
  /** Subscription.end in ms (Infinity: none). */
  end: number;
}

/** Where the hub turns a lapsed Subscription off: the central repository. */
export interface SubscriptionStore {
  readResource(resourceType: 'Subscription', id: string): Promise<WithId<Subscription>>;
  updateResource(resource: Subscription): Promise<WithId<Subscription>>;
}

export class SubscriptionHub implements WriteObserver {
  private readonly active = new Map<string, Active>();
  /** The earliest end among the active ones: the sweep looks no closer before it. */
  private nextEnd = Infinity;
  /** Sockets bound to each subscription id. */
  private readonly bound = new Map<string, Set<WebSocket>>();
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Pings sent since start, and Subscriptions turned off because their end passed (tests, demo console). */
  pings = 0;
  lapsed = 0;
  /** False: new connections are refused (503), as while a region's socket tier is down (tests). */
  accepting = true;

  constructor(
    private readonly store: SubscriptionStore,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  accept<T extends Resource>(resource: T): T {
    if (resource.resourceType !== 'Subscription') return resource;
    const s = resource as Subscription;
    if ((s.status === 'requested' || s.status === 'active') && endOf(s) <= this.clock()) {
      throw new OperationOutcomeError(badRequest(`Subscription.end has passed: ${s.end}`));
    }
    if (s.status !== 'requested') return resource;
    if (s.channel?.type !== 'websocket') {
      throw new OperationOutcomeError(badRequest('Only websocket Subscription channels are offered here.'));
    }
    criteriaSearch(s.criteria);
    return { ...s, status: 'active' } as T;
  }

  committed(resources: Resource[]): void {
    const ping = new Set<string>();
    for (const r of resources) {
      if (r.resourceType === 'Subscription') this.track(r as Subscription);
      const now = this.clock();
      for (const [id, a] of this.active) {
        // Lapsed but not swept yet (the sweep runs before the next request): pings nobody.
        if (a.end > now && a.search.resourceType === r.resourceType && matches(r, a.search)) ping.add(id);
      }
    }
    for (const id of ping) {
      for (const ws of this.bound.get(id) ?? []) {
        ws.send(`ping ${id}`);
        this.pings++;
      }
    }
  }

  private track(s: Subscription): void {
    if (s.status === 'active' && s.channel?.type === 'websocket') {
      const end = endOf(s);
      this.active.set(s.id!, { search: criteriaSearch(s.criteria), end });
      this.nextEnd = Math.min(this.nextEnd, end);
    } else {
      // Turned off (or in error): its sockets hear no more.
      this.active.delete(s.id!);
    }
  }

  /**
   * Turns off every active Subscription whose end has passed, and tells its sockets. The server
   * calls it before each request (inside its queue, so no transaction is open): cheap until the
   * earliest end has passed.
   */
  async expireLapsed(): Promise<void> {
    const now = this.clock();
    if (now < this.nextEnd) return;
    const lapsed = [...this.active].filter(([, a]) => a.end <= now).map(([id]) => id);
    for (const id of lapsed) {
      this.active.delete(id);
      for (const ws of this.bound.get(id) ?? []) ws.send(`error ${id}: Subscription ended (its end has passed)`);
      this.bound.delete(id);
      const s = await this.store.readResource('Subscription', id);
      await this.store.updateResource({ ...s, status: 'off' });
      this.lapsed++;
    }
    this.nextEnd = Math.min(Infinity, ...[...this.active.values()].map((a) => a.end));
  }

  /**
   * Serves the websocket on `path` of the HTTP server: `authorised` is the REST API's token check.
   * An upgrade anywhere else, or without the token, is refused.
   */
  attach(server: Server, path: string, authorised: (req: IncomingMessage) => boolean): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (pathname !== path) return refuse(socket, 404, 'Not Found');
      if (!authorised(req)) return refuse(socket, 401, 'Unauthorized');
      if (!this.accepting) return refuse(socket, 503, 'Service Unavailable');
      this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws));
    });
  }

  private serve(ws: WebSocket): void {
    const mine = new Set<string>();
    ws.on('message', (data) => {
      const [verb, id] = String(data).trim().split(/\s+/);
      if (verb !== 'bind' || !id) return ws.send(`error ${String(data).slice(0, 80)}: expected "bind <subscription id>"`);
      if (!((this.active.get(id)?.end ?? 0) > this.clock())) {
        return ws.send(`error ${id}: no active websocket Subscription with this id`);
      }
      let set = this.bound.get(id);
      if (!set) this.bound.set(id, (set = new Set()));
      set.add(ws);
      mine.add(id);
      ws.send(`bound ${id}`);
    });
    ws.on('close', () => {
      for (const id of mine) this.bound.get(id)?.delete(ws);
    });
  }

  /** Open sockets (tests count them and drop them from the server's side). */
  get sockets(): ReadonlySet<WebSocket> {
    return this.wss.clients;
  }

  /** Closes every socket from the server's side, as a restart or a load balancer would. */
  dropSockets(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  close(): void {
    this.dropSockets();
    this.wss.close();
  }
}

/** A Subscription's criteria as a search, or a 400 naming what is wrong with it. */
function criteriaSearch(criteria: string | undefined): SearchRequest {
  const search = criteria ? parseSearchRequest(criteria) : null;
  if (!search || !isResourceType(search.resourceType)) {
    throw new OperationOutcomeError(badRequest(`Subscription.criteria is not a search: ${criteria ?? '(none)'}`));
  }
  return search;
}

const endOf = (s: Subscription): number => (s.end ? Date.parse(s.end) : Infinity);

/** Medplum's matcher; a criteria it cannot apply (a malformed date) matches nothing rather than failing the write. */
function matches(r: Resource, search: SearchRequest): boolean {
  try {
    return matchesSearchRequest(r, search);
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
