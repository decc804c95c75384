// The central booking API as the sync engine sees it, and its FHIR R4 REST implementation:
// bearer token, a timeout on every request (AbortSignal), paging through Bundle.link "next",
// transaction Bundles. Errors are typed so push and the engine can tell "try again later"
// (network, timeout, 5xx, 429) from "the server said no" (4xx) and from a version conflict.
import type { Bundle, BundleEntry, CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes';

export type CentralErrorKind = 'network' | 'timeout' | 'http';

export class CentralError extends Error {
  override name = 'CentralError';
  constructor(
    readonly kind: CentralErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly outcome: OperationOutcome | null = null,
  ) {
    super(message);
  }

  /** Worth retrying later: the network, a timeout, an overloaded or failing server. */
  get transient(): boolean {
    return this.kind !== 'http' || this.status === null || this.status >= 500 || this.status === 429 || this.status === 408;
  }

  /** The server refused because of the state of a resource (stale If-Match, slot taken). */
  get conflict(): boolean {
    return this.status === 409 || this.status === 412;
  }
}

export interface CentralApi {
  readonly baseUrl: string;
  /** POSTs a transaction Bundle; all entries commit or none. Throws CentralError. */
  transaction(entries: BundleEntry[]): Promise<BundleEntry[]>;
  /** POSTs a batch Bundle: each entry succeeds or fails on its own (entry.response.status). */
  batch(entries: BundleEntry[]): Promise<BundleEntry[]>;
  /** One page of a search; `next` is the server's link to the following page. */
  searchPage<T extends Resource>(url: string): Promise<{ resources: T[]; next: string | null }>;
  /** Every page of a search (follows Bundle.link next). */
  searchAll<T extends Resource>(resourceType: string, params: Record<string, string>): Promise<T[]>;
  read<T extends Resource>(resourceType: string, id: string): Promise<T | null>;
  /** One version of a resource (`vread`); null when central no longer has it. */
  readVersion<T extends Resource>(resourceType: string, id: string, versionId: string): Promise<T | null>;
  byIdentifier<T extends Resource>(resourceType: string, system: string, value: string): Promise<T | null>;
  /** Cheap reachability check (GET metadata). */
  ping(): Promise<void>;
  /**
   * The websocket for R4 Subscriptions, as the CapabilityStatement advertises it, with the headers
   * to open it (the bearer token); null when central offers none (notifications.ts).
   */
  notificationChannel?(): Promise<{ url: string; headers: Record<string, string> } | null>;
}

/** The standard CapabilityStatement extension naming a server's Subscription websocket. */
export const WEBSOCKET_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket';

export interface FhirCentralOptions {
  baseUrl: string;
  /** Bearer token, or a function that reads it when needed (it may be rotated). */
  token?: string | (() => string | null) | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function searchUrl(baseUrl: string, resourceType: string, params: Record<string, string>): string {
  return `${baseUrl}/${resourceType}?${new URLSearchParams(params).toString()}`;
}

export class FhirCentralApi implements CentralApi {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: FhirCentralOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  private token(): string | null {
    const t = this.options.token;
    return typeof t === 'function' ? t() : (t ?? null);
  }

  private async request<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    try {
      return await this.requestOnce<T>(method, url, body, headers);
    } catch (err) {
      // A kept-alive connection the server closed meanwhile fails at once: a read is safe to repeat.
      if (method === 'GET' && err instanceof CentralError && err.kind === 'network')
        return this.requestOnce<T>(method, url, body, headers);
      throw err;
    }
  }

  private async requestOnce<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const token = this.token();
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers: {
          accept: 'application/fhir+json',
          ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        throw new CentralError('timeout', `${method} ${url}: no answer in ${this.timeoutMs} ms`);
      throw new CentralError('network', `${method} ${url}: ${e.message}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      // The connection broke while the answer was on its way: the server may have committed.
      throw new CentralError('network', `${method} ${url}: response lost (${(err as Error).message})`);
    }
    let json: unknown = undefined;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        throw new CentralError(
          res.ok ? 'network' : 'http',
          `${method} ${url}: answer is not JSON (HTTP ${res.status})`,
          res.ok ? null : res.status,
        );
      }
    }
    if (!res.ok) {
      const outcome = (json as Resource | undefined)?.resourceType === 'OperationOutcome' ? (json as OperationOutcome) : null;
      const detail = outcome?.issue?.map((i) => i.details?.text ?? i.diagnostics ?? i.code).join('; ') ?? res.statusText;
      throw new CentralError('http', `${method} ${url}: HTTP ${res.status} ${detail}`, res.status, outcome);
    }
    return json as T;
  }

  transaction(entries: BundleEntry[]): Promise<BundleEntry[]> {
    return this.bundle('transaction', entries);
  }

  batch(entries: BundleEntry[]): Promise<BundleEntry[]> {
    return this.bundle('batch', entries);
  }

  private async bundle(type: 'transaction' | 'batch', entries: BundleEntry[]): Promise<BundleEntry[]> {
    const out = await this.request<Bundle>('POST', this.baseUrl, {
      resourceType: 'Bundle',
      type,
      entry: entries,
    } satisfies Bundle);
    if (out?.resourceType !== 'Bundle' || (out.entry?.length ?? 0) !== entries.length) {
      throw new CentralError('network', `${type}: malformed ${type}-response`);
    }
    return out.entry!;
  }

  async searchPage<T extends Resource>(url: string): Promise<{ resources: T[]; next: string | null }> {
    const b = await this.request<Bundle<T>>('GET', url);
    return {
      resources: (b.entry ?? []).map((e) => e.resource).filter((r): r is T => r !== undefined),
      next: b.link?.find((l) => l.relation === 'next')?.url ?? null,
    };
  }

  async searchAll<T extends Resource>(resourceType: string, params: Record<string, string>): Promise<T[]> {
    const out: T[] = [];
    let url: string | null = searchUrl(this.baseUrl, resourceType, params);
    for (let pages = 0; url && pages < 10_000; pages++) {
      const page: { resources: T[]; next: string | null } = await this.searchPage<T>(url);
      out.push(...page.resources);
      url = page.next;
    }
    return out;
  }

  async read<T extends Resource>(resourceType: string, id: string): Promise<T | null> {
    try {
      return await this.request<T>('GET', `${this.baseUrl}/${resourceType}/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof CentralError && (err.status === 404 || err.status === 410)) return null;
      throw err;
    }
  }

  async readVersion<T extends Resource>(resourceType: string, id: string, versionId: string): Promise<T | null> {
    try {
      const url = `${this.baseUrl}/${resourceType}/${encodeURIComponent(id)}/_history/${encodeURIComponent(versionId)}`;
      return await this.request<T>('GET', url);
    } catch (err) {
      if (err instanceof CentralError && (err.status === 404 || err.status === 410)) return null;
      throw err;
    }
  }

  async byIdentifier<T extends Resource>(resourceType: string, system: string, value: string): Promise<T | null> {
    const page = await this.searchPage<T>(
      searchUrl(this.baseUrl, resourceType, { identifier: `${system}|${value}`, _count: '2' }),
    );
    return page.resources[0] ?? null;
  }

  async ping(): Promise<void> {
    await this.request('GET', `${this.baseUrl}/metadata`);
  }

  async notificationChannel(): Promise<{ url: string; headers: Record<string, string> } | null> {
    const cs = await this.request<CapabilityStatement>('GET', `${this.baseUrl}/metadata`);
    const uri = (cs?.rest ?? []).flatMap((r) => r.extension ?? []).find((e) => e.url === WEBSOCKET_EXTENSION)?.valueUri;
    if (!uri) return null;
    const token = this.token();
    return { url: new URL(uri, `${this.baseUrl}/`).toString(), headers: token ? { authorization: `Bearer ${token}` } : {} };
  }
}

/** The quoted weak ETag FHIR wants in If-Match (an unquoted one is ignored by some servers). */
export function ifMatch(versionId: string): string {
  return `W/"${versionId}"`;
}
