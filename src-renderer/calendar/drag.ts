// Drag a booking onto another slot: pointer events on the calendar element, a ghost that follows
// the pointer, the target under it marked as acceptable or not. What is dropped where is decided
// by the element under the pointer (a free slot, a booking, a blocked or passed slot), so the
// rule "only onto a free slot" is the same one the eye sees.

export type DropTarget =
  { ok: true; slotId: string } | { ok: false; reason: 'taken' | 'blocked' | 'passed' | 'same' | 'nowhere' };

export interface DragOptions {
  /** May this booking be dragged at all (e.g. not completed, not in the past)? */
  canDrag(bookingId: string): boolean;
  onDrop(bookingId: string, target: DropTarget): void;
}

const THRESHOLD_PX = 5;

function targetAt(x: number, y: number, bookingId: string): { el: HTMLElement | null; target: DropTarget } {
  const hit = document.elementFromPoint(x, y);
  const item = hit instanceof Element ? hit.closest<HTMLElement>('[data-slot-id], [data-booking-id]') : null;
  if (!item) return { el: null, target: { ok: false, reason: 'nowhere' } };
  if (item.dataset['bookingId'] !== undefined) {
    return { el: item, target: { ok: false, reason: item.dataset['bookingId'] === bookingId ? 'same' : 'taken' } };
  }
  const state = item.dataset['state'];
  if (state === 'blocked') return { el: item, target: { ok: false, reason: 'blocked' } };
  // A time under way takes a walk-in from the booking dialog (with an override), not a moved booking.
  if (state === 'passed' || state === 'started') return { el: item, target: { ok: false, reason: 'passed' } };
  return { el: item, target: { ok: true, slotId: item.dataset['slotId']! } };
}

/** Installs drag-to-rebook on the calendar root; returns the uninstaller. */
export function installDrag(root: HTMLElement, options: DragOptions): () => void {
  let drag: {
    bookingId: string;
    source: HTMLElement;
    startX: number;
    startY: number;
    ghost: HTMLElement | null;
    over: HTMLElement | null;
    pointerId: number;
  } | null = null;

  const clearOver = () => {
    drag?.over?.classList.remove('tb-drop-ok', 'tb-drop-bad');
    if (drag) drag.over = null;
  };

  const onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const source = (e.target as Element).closest<HTMLElement>('[data-booking-id]');
    if (!source || !root.contains(source)) return;
    const bookingId = source.dataset['bookingId']!;
    if (!options.canDrag(bookingId)) return;
    drag = { bookingId, source, startX: e.clientX, startY: e.clientY, ghost: null, over: null, pointerId: e.pointerId };
  };

  const onMove = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    if (!drag.ghost) {
      if (Math.hypot(e.clientX - drag.startX, e.clientY - drag.startY) < THRESHOLD_PX) return;
      const rect = drag.source.getBoundingClientRect();
      const ghost = drag.source.cloneNode(true) as HTMLElement;
      ghost.removeAttribute('data-booking-id');
      ghost.setAttribute('aria-hidden', 'true');
      ghost.classList.add('tb-ghost');
      ghost.style.width = `${rect.width}px`;
      ghost.style.height = `${rect.height}px`;
      document.body.append(ghost);
      drag.ghost = ghost;
      drag.source.classList.add('tb-dragging');
      document.body.classList.add('tb-drag-active');
    }
    drag.ghost.style.transform = `translate(${e.clientX + 8}px, ${e.clientY - 6}px)`;
    const { el, target } = targetAt(e.clientX, e.clientY, drag.bookingId);
    if (el !== drag.over) {
      clearOver();
      if (el && !(target.ok === false && target.reason === 'same')) {
        el.classList.add(target.ok ? 'tb-drop-ok' : 'tb-drop-bad');
        drag.over = el;
      }
    }
    e.preventDefault();
  };

  const end = (e: PointerEvent, cancelled: boolean) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const d = drag;
    clearOver();
    drag = null;
    if (!d.ghost) return; // a click, not a drag: the click handler opens the booking
    d.ghost.remove();
    d.source.classList.remove('tb-dragging');
    document.body.classList.remove('tb-drag-active');
    // Swallow the click that follows a drag.
    const swallow = (c: MouseEvent) => c.stopPropagation();
    window.addEventListener('click', swallow, { capture: true, once: true });
    setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
    if (cancelled) return;
    const { target } = targetAt(e.clientX, e.clientY, d.bookingId);
    if (target.ok === false && target.reason === 'same') return;
    options.onDrop(d.bookingId, target);
  };
  const onUp = (e: PointerEvent) => end(e, false);
  const onCancel = (e: PointerEvent) => end(e, true);

  // Native drag-and-drop (of a text selection) would swallow our pointer events.
  const onNativeDrag = (e: DragEvent) => e.preventDefault();
  root.addEventListener('dragstart', onNativeDrag);
  root.addEventListener('pointerdown', onDown);
  window.addEventListener('pointermove', onMove);
  window.addEventListener('pointerup', onUp);
  window.addEventListener('pointercancel', onCancel);
  return () => {
    root.removeEventListener('dragstart', onNativeDrag);
    root.removeEventListener('pointerdown', onDown);
    window.removeEventListener('pointermove', onMove);
    window.removeEventListener('pointerup', onUp);
    window.removeEventListener('pointercancel', onCancel);
  };
}
