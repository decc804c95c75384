// What a saved appointment type no longer fits, and what Tidbok did about it: free slots are
// counted (left in the schedule, no longer bookable for the type), booked times are listed (left
// booked as they were, for the desk to check), as a template edit reports its booked slots. Stays
// until closed, unlike a notice: the scheduler has templates to change and bookings to check.
// A deactivation's templates left with no active type are shown the same way (TemplatesLeftEmpty).
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentTypeActivation, AppointmentTypeChange } from '../../src-main/api/methods/scheduling.ts';
import { formatSpan } from '../i18n/format.ts';
import './type-impact.css';

/** Whether a save left anything the scheduler must hear about. */
export function hasTypeImpact(change: AppointmentTypeChange): boolean {
  return change.unfitFreeSlots.tooShort + change.unfitFreeSlots.wrongProfession + change.unfitBooked.length > 0;
}

/** The warning panel both reports share: its heading takes the focus, a button closes it. */
function ReportPanel(props: { id: string; title: string; shown: object; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  // The form or row action is done: the focus goes to what it left to do (read from its heading).
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), [props.shown]);
  return (
    <section className="tb-warning tb-type-impact" aria-labelledby={`${props.id}-title`} data-testid={props.id}>
      <h2 id={`${props.id}-title`} className="tb-type-impact-title" tabIndex={-1} ref={title}>
        {props.title}
      </h2>
      {props.children}
      <button type="button" className="tb-button tb-small" onClick={props.onClose}>
        {t('common.close')}
      </button>
    </section>
  );
}

export function TypeImpact({ impact, onClose }: { impact: AppointmentTypeChange; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const name = lang === 'en' ? impact.nameEn : impact.nameSv;
  const booked = impact.unfitBooked;
  return (
    <ReportPanel id="type-impact" title={t('typeImpact.title', { name })} shown={impact} onClose={onClose}>
      {(['tooShort', 'wrongProfession'] as const)
        .filter((k) => impact.unfitFreeSlots[k] > 0)
        .map((k) => (
          <p key={k} data-testid={`type-impact-free-${k}`}>
            {t(`typeImpact.${k}`, { count: impact.unfitFreeSlots[k], name, minutes: impact.durationMin })}
          </p>
        ))}
      {booked.length === 0 ? (
        <p className="tb-muted">{t('typeImpact.noneBooked')}</p>
      ) : (
        <>
          <h3 id="type-impact-booked" className="tb-type-impact-heading">
            {t('typeImpact.bookedHeading', { count: booked.length, name })}
          </h3>
          <p>{t('typeImpact.bookedKept')}</p>
          {/* Scrolls on its own, so it takes the focus to scroll by keyboard. */}
          <div className="tb-type-impact-scroll" role="region" aria-labelledby="type-impact-booked" tabIndex={0}>
            <table className="tb-table tb-compact" data-testid="type-impact-booked">
              <thead>
                <tr>
                  <th scope="col">{t('typeImpact.time')}</th>
                  <th scope="col">{t('typeImpact.patient')}</th>
                  <th scope="col">{t('typeImpact.why')}</th>
                </tr>
              </thead>
              <tbody>
                {booked.map((b) => (
                  <tr key={b.bookingId} data-booking-id={b.bookingId}>
                    <td className="tb-nowrap">{formatSpan(b.startAt, b.endAt, lang, true)}</td>
                    <td>
                      {b.protectedIdentity ? (
                        <span className="tb-protected-mark">{t('patients.protectedMark')}</span>
                      ) : (
                        b.patientName
                      )}
                    </td>
                    <td>
                      {b.reason === 'tooShort'
                        ? t('typeImpact.whyTooShort', {
                            minutes: Math.round((b.endAt - b.startAt) / 60_000),
                            typeMinutes: impact.durationMin,
                          })
                        : b.reason === 'contactMode'
                          ? t('typeImpact.whyContactMode', { mode: t(`mode.${b.contactMode}`).toLocaleLowerCase(lang) })
                          : t('typeImpact.whyWrongProfession')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ReportPanel>
  );
}

/** The templates a deactivation left with no active type: they lay out nothing more until fixed. */
export function TemplatesLeftEmpty({ change, onClose }: { change: AppointmentTypeActivation; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const name = i18n.language === 'en' ? change.nameEn : change.nameSv;
  const empty = change.templatesLeftEmpty;
  return (
    <ReportPanel
      id="type-templates-empty"
      title={t('typeImpact.emptyTitle', { count: empty.length, name })}
      shown={change}
      onClose={onClose}
    >
      <p>{t('typeImpact.emptyText', { name })}</p>
      <div className="tb-type-impact-scroll" role="region" aria-labelledby="type-templates-empty-title" tabIndex={0}>
        <table className="tb-table tb-compact">
          <thead>
            <tr>
              <th scope="col">{t('typeImpact.resource')}</th>
              <th scope="col">{t('typeImpact.template')}</th>
            </tr>
          </thead>
          <tbody>
            {empty.map((x) => (
              <tr key={x.templateId} data-template-id={x.templateId}>
                <td>{x.resourceName}</td>
                <td>{x.templateName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ReportPanel>
  );
}
