// The booking's note ("Tolk: arabiska", "ta med remiss"), shown in the booking dialog and edited
// in place. The save carries the version the dialog showed: when another desk changed the booking
// in between, main refuses, the note shown becomes the saved one and the desk is asked again.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookingDetail } from '../../src-main/api/methods/scheduling.ts';
import type { Booking } from '../../src-main/api/types.ts';
import { call, isStaleEdit } from '../api/client.ts';

export function BookingNote({
  booking,
  editable,
  onSaved,
  onStale,
  onDirty,
}: {
  booking: BookingDetail;
  editable: boolean;
  onSaved: (b: Booking) => void;
  /** Another desk saved first: the caller reloads the booking (this editor then shows it). */
  onStale: () => Promise<BookingDetail | undefined>;
  onDirty: (dirty: boolean) => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [opened, setOpened] = useState(booking);
  const [text, setText] = useState(booking.note);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (editing) area.current?.focus();
  }, [editing]);

  const close = () => {
    setEditing(false);
    setError(null);
    onDirty(false);
    requestAnimationFrame(() => opener.current?.focus());
  };
  async function save() {
    if (text.trim() === opened.note.trim()) return close();
    setBusy(true);
    setError(null);
    try {
      onSaved(await call('bookings.setNote', { id: opened.id, note: text.trim(), expectedVersion: opened.version }));
      // One write, one version: the next edit starts from it even before the dialog's refetch lands.
      setOpened({ ...opened, note: text.trim(), version: opened.version + 1 });
      close();
    } catch (err) {
      if (isStaleEdit(err)) {
        const fresh = await onStale();
        if (fresh) {
          setOpened(fresh);
          setText(fresh.note);
          onDirty(false);
        }
        setError(t('booking.noteStale'));
      } else setError((err as Error).message);
    }
    setBusy(false);
  }

  if (!editing)
    return (
      <>
        <dt>{t('booking.note')}</dt>
        <dd className="tb-note-line">
          <span data-testid="booking-note">{booking.note || '–'}</span>
          {editable && (
            <button
              ref={opener}
              type="button"
              className="tb-link"
              onClick={() => {
                const latest = booking.version >= opened.version ? booking : opened;
                setOpened(latest);
                setText(latest.note);
                setEditing(true);
              }}
            >
              {booking.note ? t('booking.noteEdit') : t('booking.noteAdd')}
            </button>
          )}
        </dd>
      </>
    );
  return (
    <>
      <dt>
        <label htmlFor={id}>{t('booking.note')}</label>
      </dt>
      <dd>
        <textarea
          ref={area}
          id={id}
          rows={2}
          maxLength={2000}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            onDirty(e.target.value.trim() !== opened.note.trim());
          }}
          onKeyDown={(e) => {
            // The dialog's Escape would close the booking; here it only leaves the note.
            if (e.key === 'Escape') {
              e.stopPropagation();
              e.preventDefault();
              close();
            }
            if (e.key === 'Enter' && e.ctrlKey) {
              e.preventDefault();
              void save();
            }
          }}
        />
        {error && (
          <p role="alert" className="tb-form-error">
            {error}
          </p>
        )}
        <div className="tb-dialog-actions tb-actions-left">
          <button type="button" className="tb-button tb-primary" disabled={busy} onClick={() => void save()}>
            {t('booking.noteSave')}
          </button>
          <button type="button" className="tb-button" onClick={close}>
            {t('common.cancel')}
          </button>
        </div>
      </dd>
    </>
  );
}
