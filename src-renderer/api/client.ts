// One typed client over either transport: Electron IPC (window.tidbok from the preload) or the
// web shell's HTTP + server-sent events. The renderer never learns which one it talks to.
import type { InputOf, MethodName, ResultOf } from '../../src-main/api/contract.ts';
import type { ApiError, Result } from '../../src-main/api/result.ts';
import type { ChangeEvent } from '../../src-main/api/types.ts';
import type { TidbokBridge } from '../../src-main/api/bridge.ts';

declare global {
  interface Window {
    tidbok?: TidbokBridge;
  }
}

export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

interface Transport {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  onChanged(listener: (change: ChangeEvent) => void): () => void;
}

/** Main refused an edit because another desk saved first (services/edit-versions.ts). */
export function isStaleEdit(err: unknown): boolean {
  return err instanceof ApiCallError && (err.error.details as { rule?: unknown } | undefined)?.rule === 'stale_version';
}

const TOKEN_KEY = 'tidbok.token';
const SESSION_KEY = 'tidbok.session';

/** Web shell: keeps the signed-in session's token for this tab (Electron keeps it in main). */
export function keepSessionToken(token: string | null | undefined): void {
  if (token) sessionStorage.setItem(SESSION_KEY, token);
  else sessionStorage.removeItem(SESSION_KEY);
}

const authListeners = new Set<(error: ApiError) => void>();
/** Called when main says the session is gone or locked: the auth gate shows its screen. */
export function onAuthRequired(listener: (error: ApiError) => void): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

/** Takes the web shell's session token from the URL once, then keeps it out of the address bar. */
function webToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpTransport(): Transport {
  const token = webToken();
  const listeners = new Set<(change: ChangeEvent) => void>();
  let source: EventSource | null = null;
  return {
    async call(method, input) {
      try {
        const res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            ...(sessionStorage.getItem(SESSION_KEY) ? { 'x-tidbok-session': sessionStorage.getItem(SESSION_KEY)! } : {}),
          },
          body: JSON.stringify(input ?? {}),
        });
        return (await res.json()) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'Tidbok svarar inte. Kontrollera att programmet körs.' } };
      }
    },
    onChanged(listener) {
      listeners.add(listener);
      if (!source) {
        source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
        source.addEventListener('changed', (e) => {
          const change = JSON.parse((e as MessageEvent<string>).data) as ChangeEvent;
          for (const l of listeners) l(change);
        });
      }
      return () => listeners.delete(listener);
    },
  };
}

const transport: Transport = window.tidbok ?? httpTransport();

/** Calls an api method; resolves to its value or throws ApiCallError with the Swedish message. */
export async function call<M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>> {
  const result = await transport.call(method, input);
  if (!result.ok) {
    if (result.error.code === 'unauthenticated' && !method.startsWith('auth.')) for (const l of authListeners) l(result.error);
    throw new ApiCallError(result.error);
  }
  return result.value as ResultOf<M>;
}

export function onChanged(listener: (change: ChangeEvent) => void): () => void {
  return transport.onChanged(listener);
}
