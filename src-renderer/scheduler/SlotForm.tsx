// Ny enstaka tid: one slot outside the templates for the chosen clinician or room (slots.create).
// Times are the unit's wall clock; the end may be 24:00 (the next midnight). The night summer time
// ends, 02:00–02:59 comes twice: only then the form asks which one is meant (sommartid, the first
// time, or vintertid, the second), for the start (else for the end), and sends it as a UTC offset.
// An end reading earlier than the start in that hour (02:40–02:10) runs across the change: said, not asked.
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.ts';
import { Dialog, FormDialogFooter } from '../keyboard/Dialog.tsx';
import { formatDay } from '../i18n/format.ts';
import { todayIso, wallTimeOffsets } from '../calendar/wallclock.ts';
import { EndTimeField, END_OF_DAY } from './EndTimeField.tsx';
import { TypeChecks } from './TypeChecks.tsx';

const wallMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

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
  // The passes chosen, each for the time it was chosen for: another time asks again.
  const [pass, setPass] = useState<{ time: string; offset: string } | null>(null);
  const [endPass, setEndPass] = useState<{ time: string; offset: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fid = { date: useId(), start: useId(), pass: useId(), endPass: useId() };
  const changed =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setError(null);
      setter(v);
    };

  // Times the clock shows twice (02:00–02:59 the night summer time ends): the form asks which one.
  const offsetsOf = (time: string) =>
    date && /^\d\d:\d\d$/.test(time) && time !== END_OF_DAY ? wallTimeOffsets(date, time) : [];
  const startOffsets = offsetsOf(startTime);
  const endOffsets = offsetsOf(endTime);
  const startTwice = startOffsets.length === 2;
  const endTwice = endOffsets.length === 2;
  // 02:40–02:10 that night runs across the change: 02:40 sommartid to 02:10 vintertid, nothing to ask.
  const across = startTwice && endTwice && endTime <= startTime;
  const chosen = startTwice && !across && pass?.time === startTime ? pass.offset : null;
  // With the start in that hour the end is the first time the clock shows it after the start
  // (02:20 sommartid–02:50 is 30 minutes); the api takes another end's pass, the form does not ask.
  const askEnd = endTwice && !startTwice;
  const endChosen = askEnd && endPass?.time === endTime ? endPass.offset : null;
  const startOffset = across ? startOffsets[0] : chosen;
  const endOffset = across ? endOffsets[1] : endChosen;

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
        ...(startOffset ? { utcOffset: startOffset } : {}),
        ...(endOffset ? { endUtcOffset: endOffset } : {}),
        appointmentTypeIds: typeIds,
        webPublished: web,
      });
      const named = (time: string, offset: string | null | undefined, offsets: string[]) =>
        offset ? `${time} (${t(offset === offsets[0] ? 'slotForm.passSummerShort' : 'slotForm.passWinterShort')})` : time;
      onSaved(
        t('slotForm.created', {
          date: formatDay(date, i18n.language, true),
          start: named(startTime, startOffset, startOffsets),
          end: named(endTime, endOffset, endOffsets),
        }),
      );
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  const question = (
    time: string,
    offsets: string[],
    name: string,
    value: string | null,
    onPick: (v: { time: string; offset: string }) => void,
    hint: boolean,
  ) => (
    <fieldset className="tb-fieldset tb-pass" data-testid="slot-pass">
      <legend>{t('slotForm.pass', { time })}</legend>
      {hint && <p className="tb-hint tb-muted">{t('slotForm.passHint', { time })}</p>}
      {offsets.map((offset, i) => (
        <label key={offset} className="tb-check">
          <input
            type="radio"
            name={name}
            value={offset}
            checked={value === offset}
            onChange={() => changed(onPick)({ time, offset })}
            required
          />
          {t(i === 0 ? 'slotForm.passSummer' : 'slotForm.passWinter', { time })}
        </label>
      ))}
    </fieldset>
  );

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
        {across && (
          <p className="tb-hint" data-testid="slot-across">
            {t('slotForm.across', {
              start: startTime,
              end: endTime,
              minutes: wallMinutes(endTime) + 60 - wallMinutes(startTime),
            })}
          </p>
        )}
        {startTwice && !across && question(startTime, startOffsets, fid.pass, chosen, setPass, true)}
        {askEnd && question(endTime, endOffsets, fid.endPass, endChosen, setEndPass, true)}
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
