// Short confirmations and refusals ("Bokad", "Tiden är upptagen") in one polite live region,
// so a screen reader hears them and the eye finds them in the same place.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export interface Notice {
  id: number;
  kind: 'ok' | 'error';
  text: string;
}

const NoticeContext = createContext<(kind: Notice['kind'], text: string) => void>(() => undefined);

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(1);
  const notify = useCallback((kind: Notice['kind'], text: string) => {
    const id = next.current++;
    setNotices((list) => [...list.slice(-2), { id, kind, text }]);
    setTimeout(() => setNotices((list) => list.filter((n) => n.id !== id)), kind === 'error' ? 8000 : 5000);
  }, []);
  const value = useMemo(() => notify, [notify]);
  return (
    <NoticeContext.Provider value={value}>
      {children}
      <div className="tb-notices" role="status" aria-live="polite" data-testid="notices">
        {notices.map((n) => (
          <p key={n.id} className={`tb-notice tb-notice-${n.kind}`}>
            {n.text}
          </p>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

export function useNotify(): (kind: Notice['kind'], text: string) => void {
  return useContext(NoticeContext);
}
