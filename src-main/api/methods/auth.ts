// Sign-in, lock, staff accounts and the access log. The roles here are the single source of
// who may call what; `access` marks the few methods that run without an unlocked session.
import { z } from 'zod';
import { ADMIN_ONLY, ALL_ROLES, empty, isoDate, method, uuid } from '../define.ts';
import type { Role } from '../types.ts';

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  active: boolean;
  /** Set while the account is locked after repeated wrong passwords. */
  lockedUntil: number | null;
}

export interface AuthStatus {
  /** setup = no account exists yet (first start): the first admin must be created. */
  state: 'setup' | 'signedOut' | 'locked' | 'active';
  user: StaffUser | null;
  /** The demo unit: the printed address signs in as the demo receptionist. */
  demo: boolean;
  /** Minutes without use before the screen locks. */
  lockAfterMin: number;
}

export interface SignInResult {
  user: StaffUser;
  /** Web shell only: the session token the browser keeps (Electron keeps it in main). */
  token?: string;
}

export type AuditAction = 'read' | 'change' | 'print' | 'export' | 'login' | 'logout';

export interface AuditEntry {
  seq: number;
  at: number;
  action: AuditAction;
  unitHsaId: string | null;
  unitName: string | null;
  userId: string | null;
  username: string | null;
  userDisplayName: string | null;
  workstation: string;
  patientId: string | null;
  patientName: string | null;
  patientIdentityNumber: string | null;
  entity: string | null;
  entityId: string | null;
  detail: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** More rows matched than `limit`. */
  truncated: boolean;
}

export interface PatientLogExtract {
  patient: { id: string; name: string; identityNumber: string };
  from: string | null;
  to: string | null;
  entries: {
    at: number;
    action: AuditAction;
    unitHsaId: string | null;
    unitName: string | null;
    user: string | null;
    workstation: string;
  }[];
}

const username = z
  .string()
  .trim()
  .min(1, 'Ange användarnamn.')
  .max(64, 'Högst 64 tecken.')
  .regex(/^[A-Za-z0-9._@-]+$/, 'Användarnamnet får bara innehålla a–z, 0–9 och . _ @ -');
const password = z.string().min(1, 'Ange lösenord.').max(200, 'Högst 200 tecken.');
const displayName = z.string().trim().min(1, 'Ange namn.').max(200, 'Högst 200 tecken.');
const roles = z
  .array(z.enum(['receptionist', 'scheduler', 'admin']))
  .min(1, 'Välj minst en roll.')
  .max(3);
export const auditFilter = z
  .object({
    patientId: uuid.optional(),
    identityNumber: z.string().trim().min(10, 'Ange hela personnumret.').max(20).optional(),
    userId: uuid.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    action: z.enum(['read', 'change', 'print', 'export', 'login', 'logout']).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'Slutdatum före startdatum.', path: ['to'] });

export const authMethods = {
  'auth.status': method<AuthStatus>()({ input: empty, roles: ALL_ROLES, kind: 'read', access: 'public' }),
  'auth.signIn': method<SignInResult>()({
    input: z.object({ username, password }).strict(),
    roles: ALL_ROLES,
    kind: 'change',
    async: true,
    access: 'public',
  }),
  /** First start of an empty, non-demo database: creates the admin and signs in. */
  'auth.setupAdmin': method<SignInResult>()({
    input: z.object({ username, displayName, password }).strict(),
    roles: ALL_ROLES,
    kind: 'change',
    async: true,
    access: 'public',
  }),
  'auth.lock': method<{ locked: true }>()({ input: empty, roles: ALL_ROLES, kind: 'change', access: 'locked' }),
  'auth.unlock': method<{ user: StaffUser }>()({
    input: z.object({ password }).strict(),
    roles: ALL_ROLES,
    kind: 'change',
    async: true,
    access: 'locked',
  }),
  'auth.signOut': method<{ signedOut: true }>()({ input: empty, roles: ALL_ROLES, kind: 'change', access: 'locked' }),
  'auth.setInactivityLock': method<{ lockAfterMin: number }>()({
    input: z.object({ minutes: z.number().int().min(1, 'Minst 1 minut.').max(240, 'Högst 240 minuter.') }).strict(),
    roles: ADMIN_ONLY,
    kind: 'change',
  }),

  'users.list': method<StaffUser[]>()({ input: empty, roles: ADMIN_ONLY, kind: 'read' }),
  'users.create': method<StaffUser>()({
    input: z.object({ username, displayName, password, roles }).strict(),
    roles: ADMIN_ONLY,
    kind: 'change',
  }),
  'users.update': method<StaffUser>()({
    input: z
      .object({
        id: uuid,
        displayName: displayName.optional(),
        roles: roles.optional(),
        active: z.boolean().optional(),
        password: password.optional(),
        unlock: z.boolean().optional(),
      })
      .strict(),
    roles: ADMIN_ONLY,
    kind: 'change',
  }),

  'audit.search': method<AuditPage>()({ input: auditFilter, roles: ADMIN_ONLY, kind: 'read' }),
  /** The same search as CSV (written as an export event). */
  'audit.export': method<{ filename: string; csv: string; rows: number }>()({
    input: auditFilter,
    roles: ADMIN_ONLY,
    kind: 'read',
  }),
  /** Which units, users and times accessed one patient (the extract a patient may request). */
  'audit.patientExtract': method<PatientLogExtract>()({
    input: z
      .object({
        patientId: uuid.optional(),
        identityNumber: z.string().trim().min(10, 'Ange hela personnumret.').max(20).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
      })
      .strict()
      .refine((v) => (v.patientId === undefined) !== (v.identityNumber === undefined), {
        message: 'Ange patientens id eller personnummer.',
        path: ['identityNumber'],
      }),
    roles: ADMIN_ONLY,
    kind: 'read',
  }),
  /** The desk's chain, and (when a central is configured) the desk's log against central's copy. */
  'audit.verify': method<AuditVerification>()({
    input: empty,
    roles: ADMIN_ONLY,
    kind: 'read',
    async: true, // reads central's copy over the network
  }),
} as const;

export interface AuditVerification {
  intact: boolean;
  events: number;
  broken: { seq: number; reason: string } | null;
  /** null without a central; `unreachable` when central could not be read (the check then says nothing). */
  central: {
    /** The last row central holds of this desk's chain (0: none yet). */
    upTo: number;
    unsent: number;
    /** This desk's chain starts after this row (a desk copy, a restore): the rows before are another chain's. */
    chainStartsAfter: number;
    problem: { seq: number; reason: string } | null;
    unreachable: string | null;
  } | null;
}
