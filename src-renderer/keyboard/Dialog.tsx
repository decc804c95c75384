// A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert
// (focus stays inside), Escape closes, Ctrl+Enter confirms its form from any field (a note's
// textarea too), and focus returns to where it was when the dialog opened. Mount it only while open.
// With `unsaved`, Escape and × first ask (a second Escape closes): a stray key must not throw away
// a patient chosen and a note typed while on the phone. Avbryt closes at once: that is a decision.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Wider layout for lists and wizards. */
  wide?: boolean;
  testId?: string;
  /** Something typed or chosen would be lost: Escape and × ask before closing. */
  unsaved?: boolean;
}

export function Dialog({ title, onClose, children, wide, testId, unsaved = false }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [asking, setAsking] = useState(false);
  const requestClose = () => {
    if (unsaved && !asking) setAsking(true);
    else onClose();
  };
  const requestCloseRef = useRef(requestClose);
  requestCloseRef.current = requestClose;
  // The question takes the focus once, on "keep editing" (the safe answer to a stray key).
  const focusOnce = useCallback((el: HTMLElement | null) => el?.focus(), []);

  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // React's autoFocus runs while the dialog is still closed (nothing can take focus then), and
    // showModal() then puts the focus elsewhere in the dialog (not the field): the control that should
    // take the first keystroke (the patient field, say) is marked data-autofocus and focused here.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // Back to the control that opened us; if the change removed it (a slot became a booking) or it
      // cannot take the focus (it was in a dialog that has closed: a booking opened from the patient
      // card), to the calendar's current tab stop, else the page's content, so keyboard users are
      // not dropped at the page top.
      const lost = () => document.activeElement === document.body || !document.activeElement;
      const toTabStop = () =>
        (document.querySelector<HTMLElement>('.tb-item[tabindex="0"]') ?? document.querySelector<HTMLElement>('#main'))?.focus();
      if (opener?.isConnected) opener.focus();
      if (lost()) toTabStop();
      // The change often removes the opener only in the render after this one (the booked slot is
      // redrawn as a booking): if that left the focus on the page, take it to the tab stop then.
      setTimeout(() => {
        if (lost()) toTabStop();
      }, 0);
    };
  }, []);

  useEffect(() => {
    const dialog = ref.current!;
    const onCancel = (e: Event) => {
      e.preventDefault();
      requestCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => dialog.removeEventListener('cancel', onCancel);
  }, []);

  return (
    <dialog
      ref={ref}
      className={`tb-dialog${wide ? ' tb-dialog-wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
        const form = ref.current?.querySelector('form');
        if (!form) return;
        e.preventDefault();
        form.requestSubmit();
      }}
    >
      <div className="tb-dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button
          type="button"
          className="tb-button tb-icon-button tb-dialog-close"
          onClick={requestClose}
          aria-label={t('common.close')}
        >
          ×
        </button>
      </div>
      {asking && (
        <div
          className="tb-dialog-discard"
          role="alertdialog"
          aria-label={t('common.discardQuestion')}
          data-testid="discard-question"
        >
          <span>{t('common.discardQuestion')}</span>
          <button type="button" className="tb-button tb-small" onClick={onClose}>
            {t('common.discard')}
          </button>
          <button type="button" className="tb-button tb-small tb-primary" ref={focusOnce} onClick={() => setAsking(false)}>
            {t('common.keepEditing')}
          </button>
        </div>
      )}
      <div className="tb-dialog-body">{children}</div>
    </dialog>
  );
}

/**
 * A form dialog's foot: the error (announced as an alert), anything that must sit just above the
 * buttons (e.g. an override reason), then Avbryt and the submit button.
 */
export function FormDialogFooter({
  error,
  busy,
  onCancel,
  submitLabel,
  aboveButtons,
  autoFocusSubmit,
}: {
  error: string | null;
  busy: boolean;
  onCancel: () => void;
  submitLabel: string;
  aboveButtons?: ReactNode;
  autoFocusSubmit?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {error && (
        <p role="alert" className="tb-form-error">
          {error}
        </p>
      )}
      {aboveButtons}
      <div className="tb-dialog-actions">
        <button type="button" className="tb-button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="submit"
          className="tb-button tb-primary"
          disabled={busy}
          data-autofocus={autoFocusSubmit || undefined}
          aria-keyshortcuts="Control+Enter"
        >
          {submitLabel}
        </button>
      </div>
    </>
  );
}

/** A labelled form field: the label points at the control `children` renders with the given id. */
export function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="tb-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <p className="tb-field-hint">{hint}</p>}
    </div>
  );
}
