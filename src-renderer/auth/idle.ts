// Inactivity on a shared desk: after `ms` without keyboard, pointer or wheel input, `onIdle` runs.
import { useEffect, useRef } from 'react';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

export function useIdleTimer(ms: number | null, onIdle: () => void): void {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  useEffect(() => {
    if (ms === null) return;
    let timer = window.setTimeout(() => callback.current(), ms);
    let last = 0;
    const reset = () => {
      const now = performance.now();
      if (now - last < 1000) return; // pointermove fires often: one reset a second is plenty
      last = now;
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
