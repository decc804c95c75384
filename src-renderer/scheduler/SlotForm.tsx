// Ny enstaka tid: one slot outside the templates for the chosen clinician or room (slots.create).
// Times are the unit's wall clock; the end may be 24:00 (the next midnight). The night summer time
// ends, 02:00–02:59 comes twice: only then the form asks which one is meant (sommartid, the first
// time, or vintertid, the second), and sends that as the slot's UTC offset.
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.ts';
import { Dialog, FormDialogFooter } from '../keyboard/Dialog.tsx';
import { formatDay } from '../booking/format.ts';
import { todayIso, wallTimeOffsets } from '../calendar/wallclock.ts';
import { EndTimeField, END_OF_DAY } from './EndTimeField.tsx';
import { TypeChecks } from './TypeChecks.tsx';

export function SlotForm({
  resourceId,
  resourceName,
  onClose,
  onSaved,
}: {
  resourceId: string;
  resourceName: string;
  onClose: () => void;
  /** Called with the notice to show once the slot is laid. */
  onSaved: (message: string) => void;
}) {
  const { t, i18n } = useTranslation();
  // Only the active types this resource's profession may perform (as the template form offers).
  const types = useQuery({
    queryKey: ['appointmentTypes.list', { forResourceId: resourceId }],
    queryFn: () => call('appointmentTypes.list', { forResourceId: resourceId }),
  });
  const [date, setDate] = useState(todayIso());
  const [startTime, setStartTime] = useState('08:00');
  const [endTime, setEndTime] = useState('08:30');
  const [typeIds, setTypeIds] = useState<string[]>([]);
  const [web, setWeb] = useState(false);
  // The pass chosen, for the time it was chosen for: another time asks again.
  const [pass, setPass] = useState<{ time: string; offset: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fid = { date: useId(), start: useId(), pass: useId() };
  const changed =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setError(null);
      setter(v);
    };

  // The time the clock shows twice: the start's, else the end's (the API names the same one).
  const twice = (time: string) => /^\d\d:\d\d$/.test(time) && time !== END_OF_DAY && wallTimeOffsets(date, time).length === 2;
  const doubled = date && twice(startTime) ? startTime : date && twice(endTime) ? endTime : null;
  const offsets = doubled ? wallTimeOffsets(date, doubled) : [];
  const chosen = doubled && pass?.time === doubled ? pass.offset : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('slots.create', {
        resourceId,
        date,
        startTime,
        endTime,
        ...(chosen ? { utcOffset: chosen } : {}),
        appointmentTypeIds: typeIds,
        webPublished: web,
      });
      const day = formatDay(date, i18n.language, true);
      const passName = chosen && t(chosen === offsets[0] ? 'slotForm.passSummerShort' : 'slotForm.passWinterShort');
      onSaved(
        passName && doubled === startTime
          ? t('slotForm.createdPass', { date: day, start: startTime, end: endTime, pass: passName })
          : t('slotForm.created', { date: day, start: startTime, end: endTime }),
      );
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('slotForm.title', { name: resourceName })} onClose={onClose} testId="slot-form">
      <form className="tb-form" onSubmit={(e) => void submit(e)}>
        <div className="tb-row">
          <div className="tb-field">
            <label htmlFor={fid.date}>{t('slotForm.date')}</label>
            <input
              id={fid.date}
              type="date"
              value={date}
              min={todayIso()}
              onChange={(e) => changed(setDate)(e.target.value)}
              required
            />
          </div>
          <div className="tb-field">
            <label htmlFor={fid.start}>{t('tpl.start')}</label>
            <input
              id={fid.start}
              type="time"
              value={startTime}
              onChange={(e) => changed(setStartTime)(e.target.value)}
              required
            />
          </div>
          <EndTimeField value={endTime} onChange={changed(setEndTime)} />
        </div>
        {doubled && offsets.length === 2 && (
          <fieldset className="tb-fieldset tb-pass" data-testid="slot-pass">
            <legend>{t('slotForm.pass', { time: doubled })}</legend>
            <p className="tb-hint tb-muted">{t('slotForm.passHint', { time: doubled })}</p>
            {offsets.map((offset, i) => (
              <label key={offset} className="tb-check">
                <input
                  type="radio"
                  name={fid.pass}
                  value={offset}
                  checked={chosen === offset}
                  onChange={() => changed(setPass)({ time: doubled, offset })}
                  required
                />
                {t(i === 0 ? 'slotForm.passSummer' : 'slotForm.passWinter', { time: doubled })}
              </label>
            ))}
          </fieldset>
        )}
        <TypeChecks types={types.data ?? []} chosen={typeIds} onChange={changed(setTypeIds)} />
        <label className="tb-check">
          <input type="checkbox" checked={web} onChange={(e) => changed(setWeb)(e.target.checked)} />
          {t('slotForm.web')}
        </label>
        <FormDialogFooter error={error} busy={busy} onCancel={onClose} submitLabel={t('slotForm.save')} />
      </form>
    </Dialog>
  );
}
