// Återbudslista: the patients who want an earlier time if someone cancels, highest priority first,
// then whoever has waited longest. A receptionist adds a patient (found with the patient search),
// offers a waiting patient one of the free times that fit her wish and holds it while she calls
// (Erbjud tid), puts an offered patient back to waiting (she said no or did not answer: her place,
// priority and wishes kept, the time released for the next one), changes or removes an entry.
// There is no "offered" without a time: such a mark held nothing and nothing ended it, so it
// said "Erbjuden" for good; an unanswered call is a time offered, then "Svarade inte". Booking from the list happens where the free time is: the booking
// dialog of a free slot shows who on the list fits.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../src-main/api/contract.ts';
import type { WaitlistEntry, WaitlistState } from '../../src-main/api/methods/waitlist.ts';
import { call } from '../api/client.ts';
import { ResourceOptions, useActiveResources } from '../api/resources.tsx';
import { NoticeProvider, useNotify } from '../booking/notices.tsx';
import { wallParts } from '../calendar/wallclock.ts';
import { formatDate } from '../i18n/format.ts';
import { PatientSearchDialog } from '../patients/PatientSearchDialog.tsx';
import { EntryDialog } from './EntryDialog.tsx';
import { OfferTimeDialog } from './OfferTimeDialog.tsx';
import {
  BackToWaiting,
  EntryPatient,
  OfferedTime,
  PriorityChip,
  backDoneText,
  daysWaiting,
  entryWho,
  periodText,
  wishText,
} from './shared.tsx';
import { displayPhone } from '../patients/phone.ts';

type StateChoice = 'open' | WaitlistState;
const STATE_CHOICES: readonly StateChoice[] = ['open', 'waiting', 'offered', 'booked', 'withdrawn'];

type Open =
  | { kind: 'search' }
  | { kind: 'add'; patientId: string }
  | { kind: 'edit'; entry: WaitlistEntry }
  | { kind: 'offer'; entry: WaitlistEntry }
  | null;

export function WaitlistPage() {
  return (
    <NoticeProvider>
      <WaitlistScreen />
    </NoticeProvider>
  );
}

function WaitlistScreen() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const client = useQueryClient();
  const notify = useNotify();
  const [typeId, setTypeId] = useState('');
  const [resourceId, setResourceId] = useState('');
  const [state, setState] = useState<StateChoice>('open');
  const [open, setOpen] = useState<Open>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const resources = useActiveResources();
  const types = useQuery({ queryKey: ['appointmentTypes.list'], queryFn: () => call('appointmentTypes.list', {}) });
  const input: InputOf<'waitlist.list'> = {
    ...(state === 'open' ? {} : { states: [state] }),
    ...(typeId ? { appointmentTypeId: typeId } : {}),
    ...(resourceId ? { resourceId } : {}),
  };
  const list = useQuery({ queryKey: ['waitlist.list', input], queryFn: () => call('waitlist.list', input) });
  // The list is limited (500): the count says when there are more than it shows.
  const total = useQuery({ queryKey: ['waitlist.list', 'count', input], queryFn: () => call('waitlist.count', input) });
  const rows = list.data ?? [];
  const hidden = total.data ? total.data.count - rows.length : 0;
  const filtered = typeId !== '' || resourceId !== '' || state !== 'open';

  async function act(entry: WaitlistEntry, run: () => Promise<WaitlistEntry>, done: string) {
    setBusyId(entry.id);
    try {
      await run();
      notify('ok', done);
      await client.invalidateQueries({ queryKey: ['waitlist.list'] });
    } catch (err) {
      notify('error', (err as Error).message);
    } finally {
      setBusyId(null);
    }
  }

  return (
    <section className="tb-page tb-waitlist" aria-labelledby="waitlist-heading">
      <div className="tb-page-head">
        <h1 id="waitlist-heading">{t('waitlist.title')}</h1>
        <p className="tb-muted tb-wl-count" role="status" data-testid="waitlist-count">
          {!list.data
            ? t('app.loading')
            : hidden > 0
              ? t('waitlist.countOf', { shown: rows.length, count: total.data!.count })
              : t('waitlist.count', { count: rows.length })}
        </p>
        <button type="button" className="tb-button tb-primary tb-wl-add" onClick={() => setOpen({ kind: 'search' })}>
          {t('waitlist.add')}
        </button>
      </div>
      <p className="tb-muted tb-wl-lead">{t('waitlist.lead')}</p>

      <div className="tb-filterbar tb-wl-filter" role="group" aria-label={t('waitlist.filters')}>
        <label>
          {t('waitlist.type')}
          <select value={typeId} onChange={(e) => setTypeId(e.target.value)}>
            <option value="">{t('waitlist.all')}</option>
            {types.data?.map((x) => (
              <option key={x.id} value={x.id}>
                {lang === 'en' ? x.nameEn : x.nameSv}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('waitlist.resource')}
          <select value={resourceId} onChange={(e) => setResourceId(e.target.value)}>
            <ResourceOptions allLabel={t('waitlist.all')} />
          </select>
        </label>
        <label>
          {t('waitlist.state')}
          <select value={state} onChange={(e) => setState(e.target.value as StateChoice)}>
            {STATE_CHOICES.map((s) => (
              <option key={s} value={s}>
                {t(`waitlist.states.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>

      {hidden > 0 && (
        <p className="tb-warning tb-wl-more" data-testid="waitlist-more">
          {t('waitlist.more', { count: hidden, shown: rows.length })}
        </p>
      )}

      {list.error && (
        <p className="tb-form-error" role="alert">
          {list.error.message}
        </p>
      )}

      <div className="tb-wl-body">
        {list.data && rows.length === 0 ? (
          <p className="tb-empty">{filtered ? t('waitlist.emptyFiltered') : t('waitlist.empty')}</p>
        ) : (
          <table className="tb-table tb-list tb-page-table tb-wl-table" data-testid="waitlist-table" aria-busy={list.isFetching}>
            <caption className="tb-visually-hidden">{t('waitlist.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('waitlist.col.priority')}</th>
                <th scope="col">{t('waitlist.col.patient')}</th>
                <th scope="col">{t('waitlist.col.phone')}</th>
                <th scope="col">{t('waitlist.col.type')}</th>
                <th scope="col">{t('waitlist.col.wish')}</th>
                <th scope="col">{t('waitlist.col.period')}</th>
                <th scope="col">{t('waitlist.col.since')}</th>
                <th scope="col">{t('waitlist.col.state')}</th>
                <th scope="col">{t('waitlist.col.note')}</th>
                <th scope="col">
                  <span className="tb-visually-hidden">{t('waitlist.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => {
                const who = entryWho(e, t);
                const isOpen = e.state === 'waiting' || e.state === 'offered';
                const days = daysWaiting(e.createdAt);
                const withdraw = (
                  <button
                    type="button"
                    className="tb-button tb-small tb-danger"
                    disabled={busyId === e.id}
                    aria-label={t('waitlist.withdrawLabel', { who })}
                    onClick={() =>
                      void act(e, () => call('waitlist.withdraw', { id: e.id }), t('waitlist.withdrawnDone', { who }))
                    }
                  >
                    {t('waitlist.withdraw')}
                  </button>
                );
                return (
                  <tr key={e.id} data-entry-id={e.id} className={isOpen ? undefined : 'tb-wl-closed'}>
                    <td>
                      <PriorityChip priority={e.priority} />
                    </td>
                    <td className="tb-wl-patientcell">
                      {isOpen ? (
                        <button
                          type="button"
                          className="tb-link tb-wl-open"
                          aria-label={t('waitlist.editLabel', { who })}
                          onClick={() => setOpen({ kind: 'edit', entry: e })}
                        >
                          <EntryPatient entry={e} />
                        </button>
                      ) : (
                        <EntryPatient entry={e} />
                      )}
                    </td>
                    <td className="tb-nowrap" data-testid="waitlist-phone">
                      {displayPhone(e.patient.phone) ?? ''}
                    </td>
                    <td className="tb-nowrap">
                      <span className="tb-swatch" style={{ background: e.appointmentTypeColour }} aria-hidden="true" />{' '}
                      {lang === 'en' ? e.appointmentTypeName.en : e.appointmentTypeName.sv}
                    </td>
                    {/* Wish and period may take two lines when the actions need the width (an offered row's time). */}
                    <td className="tb-wl-wrap">{wishText(e, t)}</td>
                    <td className="tb-wl-wrap">
                      {/* A period breaks only at its dash: "25 nov –" over "11 dec", never inside a date. */}
                      {periodText(e, t, lang)
                        .split(' – ')
                        .map((part, i, all) => (
                          <span key={i} className="tb-nowrap">
                            {part}
                            {i < all.length - 1 ? ' –' : ''}{' '}
                          </span>
                        ))}
                    </td>
                    <td className="tb-nowrap">
                      {formatDate(wallParts(e.createdAt).date, lang)}{' '}
                      {days > 0 && <span className="tb-muted">({t('waitlist.days', { count: days })})</span>}
                    </td>
                    <td className="tb-nowrap tb-wl-statecell">
                      <span className={`tb-status-chip tb-wl-state-${e.state}`}>{t(`waitlist.states.${e.state}`)}</span>
                      {/* Offered: the time held; waiting again after its time passed: that time, marked passed. */}
                      {e.offeredSlot && <OfferedTime offered={e.offeredSlot} lang={lang} />}
                    </td>
                    <td className="tb-wl-notecell">
                      <span className="tb-wl-note" title={e.note || undefined}>
                        {e.note}
                      </span>
                    </td>
                    <td className="tb-nowrap tb-wl-actions">
                      {e.state === 'waiting' && (
                        <>
                          <button
                            type="button"
                            className="tb-button tb-small"
                            disabled={busyId === e.id}
                            aria-label={t('waitlist.offerTime.openLabel', { who })}
                            onClick={() => setOpen({ kind: 'offer', entry: e })}
                          >
                            {t('waitlist.offerTime.open')}
                          </button>
                          {withdraw}
                        </>
                      )}
                      {e.state === 'offered' && (
                        <BackToWaiting
                          who={who}
                          busy={busyId === e.id}
                          onBack={(reason) =>
                            void act(e, () => call('waitlist.markWaiting', { id: e.id, reason }), backDoneText(e, t, lang))
                          }
                          besides={withdraw}
                          stacked
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>

      {open?.kind === 'search' && (
        <PatientSearchDialog onClose={() => setOpen(null)} onOpen={(patientId) => setOpen({ kind: 'add', patientId })} />
      )}
      {open?.kind === 'offer' && <OfferTimeDialog entry={open.entry} onClose={() => setOpen(null)} />}
      {(open?.kind === 'add' || open?.kind === 'edit') && (
        <EntryDialog
          target={open.kind === 'add' ? { patientId: open.patientId } : { entry: open.entry }}
          types={types.data ?? []}
          resources={resources.data ?? []}
          {...(typeId ? { presetTypeId: typeId } : {})}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
