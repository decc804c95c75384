// The `?` overlay: every shortcut and what it does.
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog.tsx';
import { CALENDAR_SHORTCUTS } from './shortcuts.ts';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('keys.title')} onClose={onClose} testId="help-overlay">
      <table className="tb-table tb-keys">
        <thead>
          <tr>
            <th scope="col">{t('keys.key')}</th>
            <th scope="col">{t('keys.action')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.values(CALENDAR_SHORTCUTS).map((s) => (
            <tr key={s.label}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ` ${t('keys.or')} `}
                    <kbd>{k.toUpperCase()}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(s.label)}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>↑</kbd> <kbd>↓</kbd> <kbd>←</kbd> <kbd>→</kbd>
            </td>
            <td>{t('keys.arrows')}</td>
          </tr>
          <tr>
            <td>
              <kbd>Enter</kbd>
            </td>
            <td>{t('keys.enter')}</td>
          </tr>
          <tr>
            <td className="tb-nowrap">
              <kbd>Ctrl</kbd> + <kbd>Enter</kbd>
            </td>
            <td>{t('keys.submit')}</td>
          </tr>
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>{t('keys.escape')}</td>
          </tr>
        </tbody>
      </table>
    </Dialog>
  );
}
