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
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  badRequest,
  isResourceType,
  matchesSearchRequest,
  OperationOutcomeError,
  parseSearchRequest,
  type SearchRequest,
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
}

export class SubscriptionHub implements WriteObserver {
  private readonly active = new Map<string, Active>();
  /** Sockets bound to each subscription id. */
  private readonly bound = new Map<string, Set<WebSocket>>();
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Pings sent since start, for tests and the demo console. */
  pings = 0;
  /** False: new connections are refused (503), as while a region's socket tier is down (tests). */
  accepting = true;

  accept<T extends Resource>(resource: T): T {
    if (resource.resourceType !== 'Subscription') return resource;
    const s = resource as Subscription;
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
      for (const [id, a] of this.active) {
        if (a.search.resourceType === r.resourceType && matches(r, a.search)) ping.add(id);
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
      this.active.set(s.id!, { search: criteriaSearch(s.criteria) });
    } else {
      // Turned off (or in error): its sockets hear no more.
      this.active.delete(s.id!);
    }
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
      if (!this.active.has(id)) return ws.send(`error ${id}: no active websocket Subscription with this id`);
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
