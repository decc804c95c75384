// Files from main arrive as base64 (the renderer cannot write files): a download in the web
// shell, the save dialog in Electron (its default download handling), or a new tab to print.
import type { ExportFile } from '../../src-main/api/methods/export.ts';

function toBlob(file: Pick<ExportFile, 'base64' | 'mimeType'>): Blob {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: file.mimeType });
}

export function downloadFile(file: Pick<ExportFile, 'base64' | 'mimeType' | 'fileName'>): void {
  const url = URL.createObjectURL(toBlob(file));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: the browser reads the blob after this task.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens a PDF in a new tab, where the browser's viewer prints it. */
export function openForPrint(file: Pick<ExportFile, 'base64' | 'mimeType'>): void {
  const url = URL.createObjectURL(toBlob(file));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 5 * 60_000);
}
