// What the signed-in user's roles let the screens offer. The api decides (the role lists in
// src-main/api/define.ts and the methods); screens only leave out what it would refuse, so nobody
// fills in a form to be told "Din roll får inte göra detta".
import type { Role } from '../../src-main/api/types.ts';
import { useAuth } from './AuthGate.tsx';

export interface RoleView {
  isAdmin: boolean;
  /** Appointment types, templates, slots, absences and the unit's resources: SCHEDULING_ROLES. */
  canSchedule: boolean;
  /** False until the user is known (a fresh database, the sign-in screen). */
  known: boolean;
}

export function roleView(roles: readonly Role[]): RoleView {
  return {
    isAdmin: roles.includes('admin'),
    canSchedule: roles.some((r) => r === 'scheduler' || r === 'admin'),
    known: roles.length > 0,
  };
}

export function useRoles(): RoleView {
  return roleView(useAuth().status.user?.roles ?? []);
}
