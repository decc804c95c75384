// Staff sign-in: accounts, sessions and the inactivity lock (shared reception desks).
// Session tokens are random and only their sha256 is stored, so a copied database file does not
// hold live credentials. Repeated wrong passwords lock the account with a growing back-off.
// Every sign-in, failed sign-in and sign-out is an audit event.
import { createHash, randomBytes } from 'node:crypto';
import { AppError, conflict, invalid, notFound } from '../api/result.ts';
import type { Role } from '../api/types.ts';
import type { Caller, ServiceContext } from './context.ts';
import { recordAudit } from './audit.ts';
import { DUMMY_HASH, hashPassword, verifyPasswordAsync } from './passwords.ts';
import { currentUnitId } from './unit.ts';

/** Wrong passwords allowed before the account is locked. */
export const LOCKOUT_THRESHOLD = 5;
const LOCKOUT_BASE_MS = 30_000;
const LOCKOUT_MAX_MS = 15 * 60_000;
export const MIN_PASSWORD_LENGTH = 10;
export const DEFAULT_LOCK_AFTER_MIN = 10;
/** A session ends after a working day however active it is: a desk is not signed in overnight. */
export const SESSION_MAX_MS = 12 * 3_600_000;

export interface UserRow {
  id: string;
  unit_id: string | null;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  active: number;
  failed_attempts: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  active: boolean;
  lockedUntil: number | null;
}

export const toStaffUser = (r: UserRow): StaffUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  roles: JSON.parse(r.roles) as Role[],
  active: r.active === 1,
  lockedUntil: r.locked_until,
});

/** 0 below the threshold, then 30 s doubling per further failure, at most 15 min. */
export function lockoutDelayMs(failedAttempts: number): number {
  if (failedAttempts < LOCKOUT_THRESHOLD) return 0;
  return Math.min(LOCKOUT_BASE_MS * 2 ** (failedAttempts - LOCKOUT_THRESHOLD), LOCKOUT_MAX_MS);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function userByName(ctx: ServiceContext, username: string): UserRow | undefined {
  return ctx.db.prepare(`SELECT * FROM users WHERE username = ?`).get(username) as UserRow | undefined;
}

function userById(ctx: ServiceContext, id: string): UserRow | undefined {
  return ctx.db.prepare(`SELECT * FROM users WHERE id = ?`).get(id) as UserRow | undefined;
}

export function callerFor(user: UserRow, workstation: string): Caller {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: JSON.parse(user.roles) as Role[],
    workstation,
  };
}

function anonymous(workstation: string, username = ''): Caller {
  return { userId: null, username, displayName: '', roles: [], workstation };
}

const WRONG = 'Fel användarnamn eller lösenord.';

function lockedMessage(until: number, now: number): AppError {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return new AppError(
    'unauthenticated',
    `Kontot är tillfälligt spärrat efter för många felaktiga försök. Försök igen om ${minutes} min.`,
    { reason: 'account_locked', lockedUntil: until },
  );
}

/**
 * Checks a password against the account's lockout, counting a failure (and locking with
 * back-off) when wrong. Runs its own short transactions: a failure must be remembered even
 * though the caller then answers with an error.
 */
async function checkPassword(ctx: ServiceContext, user: UserRow | undefined, password: string, workstation: string) {
  const now = ctx.now();
  if (user && user.locked_until !== null && user.locked_until > now) throw lockedMessage(user.locked_until, now);
  const ok = await verifyPasswordAsync(password, user?.password_hash ?? DUMMY_HASH);
  if (ok && user && user.active === 1) {
    ctx.db.prepare(`UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?`).run(user.id);
    return user;
  }
  ctx.db.transaction(() => {
    let lockedUntil: number | null = null;
    if (user) {
      const failed = user.failed_attempts + 1;
      const delay = lockoutDelayMs(failed);
      lockedUntil = delay > 0 ? ctx.now() + delay : null;
      ctx.db.prepare(`UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?`).run(failed, lockedUntil, user.id);
    }
    recordAudit(ctx, user ? callerFor(user, workstation) : anonymous(workstation), {
      action: 'login',
      entity: 'user',
      entityId: user?.id ?? null,
      detail: { result: 'failed', ...(lockedUntil ? { lockedUntil } : {}) },
    });
  })();
  throw new AppError('unauthenticated', WRONG, { reason: 'wrong_password' });
}

export interface SignedIn {
  token: string;
  sessionId: string;
  user: StaffUser;
}

function startSession(ctx: ServiceContext, user: UserRow, workstation: string, how: string): SignedIn {
  const token = randomBytes(32).toString('base64url');
  const sessionId = ctx.newId();
  ctx.db.transaction(() => {
    const now = ctx.now();
    ctx.db
      .prepare(`INSERT INTO sessions (id, user_id, token_hash, workstation, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(sessionId, user.id, hashToken(token), workstation, now, now);
    recordAudit(ctx, callerFor(user, workstation), {
      action: 'login',
      entity: 'session',
      entityId: sessionId,
      detail: { result: 'ok', how },
    });
  })();
  return { token, sessionId, user: toStaffUser(user) };
}

export async function signIn(
  ctx: ServiceContext,
  input: { username: string; password: string; workstation: string },
): Promise<SignedIn> {
  const user = userByName(ctx, input.username.trim());
  const ok = await checkPassword(ctx, user, input.password, input.workstation);
  return startSession(ctx, ok, input.workstation, 'password');
}

/** The demo's printed address signs in as this user without a password (demo database only). */
export function startDemoSession(ctx: ServiceContext, username: string, workstation: string): SignedIn {
  if (!isDemoDatabase(ctx)) throw new AppError('forbidden', 'Automatisk inloggning finns bara i demoläget.');
  const user = userByName(ctx, username);
  if (!user || user.active !== 1) throw notFound('Demoanvändaren');
  return startSession(ctx, user, workstation, 'demo');
}

export type SessionState = { state: 'none' } | { state: 'active' | 'locked'; sessionId: string; caller: Caller; user: StaffUser };

/**
 * The session behind a token. An active session that has seen no call for the inactivity limit
 * becomes locked here too (the renderer's idle timer locks earlier; this is the backstop).
 */
export function resolveSession(ctx: ServiceContext, token: string | null): SessionState {
  if (!token) return { state: 'none' };
  const row = ctx.db
    .prepare(
      `SELECT s.id AS session_id, s.workstation, s.created_at AS session_created_at, s.last_seen_at, s.locked_at, u.*
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ? AND s.ended_at IS NULL`,
    )
    .get(hashToken(token)) as
    | (UserRow & {
        session_id: string;
        workstation: string;
        session_created_at: number;
        last_seen_at: number;
        locked_at: number | null;
      })
    | undefined;
  if (!row || row.active !== 1) return { state: 'none' };
  const now = ctx.now();
  if (now - row.session_created_at > SESSION_MAX_MS) {
    ctx.db.prepare(`UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL`).run(now, row.session_id);
    return { state: 'none' };
  }
  let locked = row.locked_at !== null;
  if (!locked && now - row.last_seen_at > inactivityLockMinutes(ctx) * 60_000) {
    ctx.db.prepare(`UPDATE sessions SET locked_at = ? WHERE id = ?`).run(now, row.session_id);
    locked = true;
  } else if (!locked && now - row.last_seen_at > 5_000) {
    // Coarse: one write per few seconds is enough for an inactivity measured in minutes.
    ctx.db.prepare(`UPDATE sessions SET last_seen_at = ? WHERE id = ?`).run(now, row.session_id);
  }
  return {
    state: locked ? 'locked' : 'active',
    sessionId: row.session_id,
    caller: callerFor(row, row.workstation),
    user: toStaffUser(row),
  };
}

export function lockSession(ctx: ServiceContext, sessionId: string): void {
  ctx.db
    .prepare(`UPDATE sessions SET locked_at = coalesce(locked_at, ?) WHERE id = ? AND ended_at IS NULL`)
    .run(ctx.now(), sessionId);
}

/** Only the session's own user unlocks it; wrong passwords count towards the lockout. */
export async function unlockSession(ctx: ServiceContext, sessionId: string, password: string): Promise<void> {
  const row = ctx.db.prepare(`SELECT user_id, workstation FROM sessions WHERE id = ? AND ended_at IS NULL`).get(sessionId) as
    { user_id: string; workstation: string } | undefined;
  if (!row) throw new AppError('unauthenticated', 'Sessionen har avslutats. Logga in igen.', { reason: 'signed_out' });
  await checkPassword(ctx, userById(ctx, row.user_id), password, row.workstation);
  ctx.db.prepare(`UPDATE sessions SET locked_at = NULL, last_seen_at = ? WHERE id = ?`).run(ctx.now(), sessionId);
}

export function signOut(ctx: ServiceContext, caller: Caller, sessionId: string): void {
  ctx.db.transaction(() => {
    const ended = ctx.db.prepare(`UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL`).run(ctx.now(), sessionId);
    if (ended.changes > 0) recordAudit(ctx, caller, { action: 'logout', entity: 'session', entityId: sessionId });
  })();
}

// --- settings ---------------------------------------------------------------------------

function setting<T>(ctx: ServiceContext, key: string): T | undefined {
  const row = ctx.db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : undefined;
}

/** A database the demo seeded (settings.demo = true): the printed address signs in by itself. */
export function isDemoDatabase(ctx: ServiceContext): boolean {
  return setting<boolean>(ctx, 'demo') === true;
}

export function markDemoDatabase(ctx: ServiceContext): void {
  ctx.db
    .prepare(`INSERT INTO settings (key, value) VALUES ('demo', 'true') ON CONFLICT (key) DO UPDATE SET value = 'true'`)
    .run();
}

export function inactivityLockMinutes(ctx: ServiceContext): number {
  return setting<number>(ctx, 'inactivity_lock_min') ?? DEFAULT_LOCK_AFTER_MIN;
}

export function setInactivityLockMinutes(ctx: ServiceContext, caller: Caller, minutes: number): void {
  ctx.db.transaction(() => {
    if (setting<number>(ctx, 'inactivity_lock_min') === minutes) return; // saved again: nothing to log
    ctx.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('inactivity_lock_min', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(JSON.stringify(minutes));
    recordAudit(ctx, caller, { action: 'change', entity: 'setting', entityId: 'inactivity_lock_min', detail: { minutes } });
  })();
}

// --- staff accounts (admins) ------------------------------------------------------------

export function countUsers(ctx: ServiceContext): number {
  return (ctx.db.prepare(`SELECT count(*) AS n FROM users`).get() as { n: number }).n;
}

export function listUsers(ctx: ServiceContext): StaffUser[] {
  return (ctx.db.prepare(`SELECT * FROM users ORDER BY display_name COLLATE NOCASE`).all() as UserRow[]).map(toStaffUser);
}

function checkPasswordRule(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw invalid(`Lösenordet måste ha minst ${MIN_PASSWORD_LENGTH} tecken.`);
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
}

export function createUser(ctx: ServiceContext, caller: Caller, input: NewUser): StaffUser {
  checkPasswordRule(input.password);
  return ctx.db.transaction(() => {
    if (userByName(ctx, input.username)) throw conflict(`Användarnamnet ${input.username} finns redan.`);
    const now = ctx.now();
    const id = ctx.newId();
    ctx.db
      .prepare(
        `INSERT INTO users (id, unit_id, username, display_name, password_hash, roles, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        currentUnitId(ctx),
        input.username,
        input.displayName,
        hashPassword(input.password),
        JSON.stringify([...new Set(input.roles)]),
        now,
        now,
      );
    recordAudit(ctx, caller, { action: 'change', entity: 'user', entityId: id, detail: { op: 'create', roles: input.roles } });
    return toStaffUser(userById(ctx, id)!);
  })();
}

/** The first admin of an empty (non-demo) database: allowed only while no account exists. */
export function createFirstAdmin(ctx: ServiceContext, workstation: string, input: Omit<NewUser, 'roles'>): StaffUser {
  return ctx.db.transaction(() => {
    if (countUsers(ctx) > 0) throw new AppError('forbidden', 'Det finns redan användare; be en administratör om ett konto.');
    const setup: Caller = { userId: null, username: 'setup', displayName: '', roles: ['admin'], workstation };
    return createUser(ctx, setup, { ...input, roles: ['admin', 'scheduler', 'receptionist'] });
  })();
}

export interface UserPatch {
  id: string;
  displayName?: string | undefined;
  roles?: Role[] | undefined;
  active?: boolean | undefined;
  password?: string | undefined;
  /** Clears a lockout after failed sign-ins. */
  unlock?: boolean | undefined;
}

export function updateUser(ctx: ServiceContext, caller: Caller, patch: UserPatch): StaffUser {
  if (patch.password !== undefined) checkPasswordRule(patch.password);
  return ctx.db.transaction(() => {
    const user = userById(ctx, patch.id);
    if (!user) throw notFound('Användaren', patch.id);
    const roles = patch.roles ? [...new Set(patch.roles)] : (JSON.parse(user.roles) as Role[]);
    const active = patch.active ?? user.active === 1;
    if (user.active === 1 && JSON.parse(user.roles).includes('admin') && (!active || !roles.includes('admin'))) {
      const admins = (
        ctx.db
          .prepare(
            `SELECT count(*) AS n FROM users WHERE active = 1 AND id <> ? AND EXISTS (SELECT 1 FROM json_each(roles) WHERE value = 'admin')`,
          )
          .get(user.id) as { n: number }
      ).n;
      if (admins === 0) throw conflict('Det måste finnas minst en aktiv administratör.');
    }
    // The account as it is, saved again (no new password, nothing to unlock): nothing to write or log.
    const same =
      patch.password === undefined &&
      !(patch.unlock && (user.failed_attempts > 0 || user.locked_until !== null)) &&
      (patch.displayName ?? user.display_name) === user.display_name &&
      JSON.stringify(roles) === user.roles &&
      active === (user.active === 1);
    if (same) return toStaffUser(user);
    ctx.db
      .prepare(
        `UPDATE users SET display_name = ?, roles = ?, active = ?, password_hash = ?, failed_attempts = ?, locked_until = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        patch.displayName ?? user.display_name,
        JSON.stringify(roles),
        active ? 1 : 0,
        patch.password !== undefined ? hashPassword(patch.password) : user.password_hash,
        patch.unlock ? 0 : user.failed_attempts,
        patch.unlock ? null : user.locked_until,
        ctx.now(),
        user.id,
      );
    // A deactivated account or a new password ends the account's open sessions.
    if (!active || patch.password !== undefined) {
      ctx.db.prepare(`UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL`).run(ctx.now(), user.id);
    }
    const changed = Object.keys(patch).filter((k) => k !== 'id' && k !== 'password');
    recordAudit(ctx, caller, {
      action: 'change',
      entity: 'user',
      entityId: user.id,
      detail: { op: 'update', fields: changed, ...(patch.password !== undefined ? { password: 'changed' } : {}) },
    });
    return toStaffUser(userById(ctx, user.id)!);
  })();
}
