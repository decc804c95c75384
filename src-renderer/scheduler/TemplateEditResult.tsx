// What a template edit did to the book: slots laid out, changed and removed, and the booked slots
// it left as they were. The scheduler acts on the last list (rebooks the patients whose time no
// longer fits the template), so it stays on screen until closed; each time opens its booking.
import { useTranslation } from 'react-i18next';
import type { TemplateChange } from '../../src-main/api/methods/scheduling.ts';
import { Dialog } from '../keyboard/Dialog.tsx';
import { formatSpan } from '../i18n/format.ts';

export function TemplateEditResult({
  change,
  onOpenBooking,
  onClose,
}: {
  change: TemplateChange;
  onOpenBooking: (bookingId: string) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const x = change.expansion;
  const booked = x.bookedUnchanged;
  return (
    <Dialog
      title={t('tpl.editedTitle', { name: change.template.name || `${change.template.startTime}–${change.template.endTime}` })}
      onClose={onClose}
      wide
      testId="template-edit-result"
    >
      <p className="tb-tpl-result-counts" data-testid="template-edit-counts">
        {[
          t('tpl.resultCreated', { count: x.created }),
          t('tpl.resultUpdated', { count: x.updated }),
          t('tpl.resultRemoved', { count: x.removed }),
        ].join(', ')}
      </p>
      {x.skippedOverlaps > 0 && <p className="tb-warning">{t('tpl.resultOverlaps', { count: x.skippedOverlaps })}</p>}
      {booked.length === 0 ? (
        <p className="tb-muted">{t('tpl.resultNoBooked')}</p>
      ) : (
        <section aria-labelledby="tpl-booked-heading" data-testid="template-booked-list">
          <h3 id="tpl-booked-heading" className="tb-tpl-result-heading">
            {t('tpl.resultBookedHeading', { count: booked.length })}
          </h3>
          <p className="tb-muted">{t('tpl.resultBookedFollow')}</p>
          <div className="tb-tpl-result-scroll">
            <table className="tb-table tb-compact">
              <thead>
                <tr>
                  <th scope="col">{t('tpl.time')}</th>
                  <th scope="col">{t('list.patient')}</th>
                </tr>
              </thead>
              <tbody>
                {booked.map((b) => (
                  <tr key={b.bookingId} data-booking-id={b.bookingId}>
                    <td className="tb-nowrap">
                      <button type="button" className="tb-link" onClick={() => onOpenBooking(b.bookingId)}>
                        {formatSpan(b.startAt, b.endAt, i18n.language, true)}
                      </button>
                    </td>
                    <td>
                      {b.protectedIdentity ? (
                        <span className="tb-protected-mark">{t('patients.protectedMark')}</span>
                      ) : (
                        b.patientName
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <div className="tb-dialog-actions">
        <button type="button" className="tb-button tb-primary" onClick={onClose}>
          {t('tpl.done')}
        </button>
      </div>
    </Dialog>
  );
}
