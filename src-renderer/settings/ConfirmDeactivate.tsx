// Deactivating a resource takes its future free slots and templates with it: said before it happens.
import { useTranslation } from 'react-i18next';
import type { Resource } from '../../src-main/api/types.ts';
import { Dialog } from '../keyboard/Dialog.tsx';

export function ConfirmDeactivate({
  resource,
  onClose,
  onConfirm,
}: {
  resource: Resource;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('settings.resources.confirmTitle', { name: resource.name })} onClose={onClose} testId="confirm-deactivate">
      <p className="tb-dialog-lead">{t('settings.resources.confirmLead')}</p>
      <div className="tb-dialog-actions">
        <button type="button" className="tb-button" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" className="tb-button tb-danger" onClick={onConfirm}>
          {t('settings.resources.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
