// Who is calling, until staff sign-in lands (issue: roles and access logging): the person who
// started this workstation's Tidbok, with every role. Kept in one place so sign-in replaces it.
import { hostname } from 'node:os';
import type { Caller } from '../services/context.ts';
import { ROLES } from '../api/types.ts';

export function localCaller(): Caller {
  return { userId: null, username: 'lokal', displayName: 'Lokal användare', roles: ROLES, workstation: hostname() };
}
