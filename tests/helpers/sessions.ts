// A session port that keeps the token in memory, as a browser tab (web shell) would.
import type { SessionPort } from '../../src-main/api/session.ts';

export function memoryPort(initial: string | null = null): SessionPort & { current: string | null } {
  const port = {
    current: initial,
    token: () => port.current,
    adopt: (token: string) => {
      port.current = token;
      return token;
    },
    forget: () => {
      port.current = null;
    },
  };
  return port;
}
