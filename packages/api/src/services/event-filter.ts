import type { EventFilter } from '@kyc/db/plain';

type FilterFields = Omit<EventFilter, 'since' | 'until'> & { since?: string | undefined; until?: string | undefined };

/** The shared event filter as the query takes it: times parsed, absent fields left out. */
export function eventFilter({ since, until, ...rest }: FilterFields): EventFilter {
  const filter: EventFilter = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) Object.assign(filter, { [key]: value });
  if (since) filter.since = new Date(since);
  if (until) filter.until = new Date(until);
  return filter;
}
