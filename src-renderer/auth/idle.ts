// Inactivity on a shared desk: after `ms` without keyboard, pointer or wheel input, `onIdle` runs.
// `onActive` runs at most once a minute while someone works, so main's own inactivity check
// (the backstop when the page is gone) does not lock a desk that is busy typing.
import { useEffect, useRef } from 'react';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

export function useIdleTimer(ms: number | null, onIdle: () => void, onActive?: () => void): void {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  const active = useRef(onActive);
  active.current = onActive;
  useEffect(() => {
    if (ms === null) return;
    let timer = window.setTimeout(() => callback.current(), ms);
    let last = 0;
    let told = performance.now();
    const reset = () => {
      const now = performance.now();
      if (now - last < 1000) return; // pointermove fires often: one reset a second is plenty
      last = now;
      if (now - told > 60_000) {
        told = now;
        active.current?.();
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(() => callback.current(), ms);
    };
    for (const e of ACTIVITY) window.addEventListener(e, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, reset);
    };
  }, [ms]);
}
