// The unit's active resources, as every page that picks or names one reads them: one query key,
// so TanStack Query fetches them once and a change in Inställningar refreshes every page.
import { useQuery } from '@tanstack/react-query';
import { call } from './client.ts';

export function useActiveResources() {
  return useQuery({ queryKey: ['resources.list'], queryFn: () => call('resources.list', {}) });
}

/** A resource <select>'s options; `allLabel` adds a first "all resources" option (value ''). */
export function ResourceOptions({ allLabel }: { allLabel?: string }) {
  const resources = useActiveResources();
  return (
    <>
      {allLabel !== undefined && <option value="">{allLabel}</option>}
      {resources.data?.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name}
        </option>
      ))}
    </>
  );
}
