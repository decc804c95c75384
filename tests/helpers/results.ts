// The value of an api Result, or a test failure naming the method and the refusal; and the other
// way round for calls that must be refused. Shared by the tests that call dispatch directly.
import type { ApiError, Result } from '../../src-main/api/result.ts';

export function valueOf<T>(method: string, r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.details)}`);
  return r.value as T;
}

export function refusalOf(method: string, r: Result<unknown>): ApiError {
  if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
  return r.error;
}
