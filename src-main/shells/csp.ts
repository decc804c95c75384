// The renderer's Content-Security-Policy, one definition for both shells.
// FullCalendar v6 injects its CSS at run time, hence style-src 'unsafe-inline'; nothing else
// is loosened: no remote origins, no eval, no inline scripts.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
