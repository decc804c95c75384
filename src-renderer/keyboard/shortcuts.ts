// Keyboard-first: single-key shortcuts for the receptionist's frequent actions. They never fire
// while typing in a field, with a modifier held, or while a dialog is open (the dialog owns the keys).
import { useEffect, useRef } from 'react';

export interface ShortcutDef {
  /** e.key values that trigger it (lower case for letters). */
  keys: readonly string[];
  /** i18n key of what it does, shown in the help overlay. */
  label: string;
}

/** The calendar's shortcuts, in the order the help overlay lists them. */
export const CALENDAR_SHORTCUTS = {
  today: { keys: ['t'], label: 'keys.today' },
  next: { keys: ['n', 'j'], label: 'keys.next' },
  prev: { keys: ['p', 'k'], label: 'keys.prev' },
  day: { keys: ['d'], label: 'keys.day' },
  week: { keys: ['v'], label: 'keys.week' },
  list: { keys: ['l'], label: 'keys.list' },
  nextFree: { keys: ['f'], label: 'keys.nextFree' },
  newBooking: { keys: ['b'], label: 'keys.newBooking' },
  searchPatient: { keys: ['s', '/'], label: 'keys.searchPatient' },
  help: { keys: ['?'], label: 'keys.help' },
} as const satisfies Record<string, ShortcutDef>;

export type CalendarAction = keyof typeof CALENDAR_SHORTCUTS;

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/** Calls `run(action)` for the calendar's shortcuts while the component is mounted. */
export function useCalendarShortcuts(run: (action: CalendarAction) => void): void {
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const byKey = new Map<string, CalendarAction>();
    for (const [action, def] of Object.entries(CALENDAR_SHORTCUTS))
      for (const k of def.keys) byKey.set(k, action as CalendarAction);
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const action = byKey.get(e.key.length === 1 ? e.key.toLowerCase() : e.key);
      if (!action) return;
      e.preventDefault();
      runRef.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
