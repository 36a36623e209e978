import { parseArgs } from 'node:util';
import { oneLineCause } from '@kyc/jobs';
import { type ApiFailure, callApi, isoTime, oneOf, printFailure, wholeNumber } from '../api.ts';
import { adminToken, defaultUrl } from '../defaults.ts';

export const eventsHelp = `Usage: pnpm cli events [filters] [options]

Lists stored events, oldest first (by the time they were received): the failed
ones with their last error. Never prints payloads.

Filters (combined with AND):
  --applicant <id>      applicantId
  --status <s>          applied | failed
  --type <type>         event type, e.g. applicantReviewed
  --since <iso time>    received at or after
  --until <iso time>    received before
  --limit <n>           at most n events (default 100)
Options:
  --json                one JSON object per line
  --url <url>           server base URL (default ${defaultUrl()})
  --token <token>       admin token (default API_ADMIN_TOKEN or .data/dev-secrets.json)
`;

export type StoredEvent = {
  eventId: string;
  type: string;
  applicantId: string | null;
  status: string;
  reviewStatus: string | null;
  reviewAnswer: string | null;
  createdAt: string;
  receivedAt: string;
  attempts: number;
  lastError: string | null;
  source: string;
};
type Page = { events: (StoredEvent & { payload?: unknown })[]; nextCursor: string | null } & ApiFailure;

export function formatEvent(e: StoredEvent): string {
  const verdict = [e.reviewStatus, e.reviewAnswer].filter(Boolean).join(' ');
  const line = `${e.receivedAt}  ${e.eventId}  ${e.type.padEnd(26)} ${(e.applicantId ?? '-').padEnd(26)} ${verdict.padEnd(16)} ${e.status}`;
  return e.status === 'failed' ? `${line} after ${e.attempts} attempts: ${oneLineCause(e.lastError)}` : line;
}

/** What an event listing prints: no payload (it holds names and clientComment). */
const summary = ({ payload: _payload, ...event }: StoredEvent & { payload?: unknown }): StoredEvent => event;

export async function events(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      applicant: { type: 'string' },
      status: { type: 'string' },
      type: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      url: { type: 'string' },
      token: { type: 'string' },
    },
  });
  const limit = wholeNumber('limit', values.limit, 100, 1, 100_000);
  const filter: Record<string, string | undefined> = {
    applicantId: values.applicant,
    status: oneOf('status', values.status, ['applied', 'failed'] as const),
    type: values.type,
    since: isoTime('since', values.since),
    until: isoTime('until', values.until),
  };
  const token = adminToken(values.token);
  const base = `${values.url ?? defaultUrl()}/admin/events`;
  let shown = 0;
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(Math.min(1000, limit - shown)) });
    for (const [key, value] of Object.entries(filter)) if (value !== undefined) query.set(key, value);
    if (cursor) query.set('cursor', cursor);
    const { status, json }: { status: number; json: Page } = await callApi<Page>('GET', `${base}?${query.toString()}`, token);
    if (status !== 200) return printFailure(status, json);
    for (const event of json.events.map(summary)) process.stdout.write(`${values.json ? JSON.stringify(event) : formatEvent(event)}\n`);
    shown += json.events.length;
    cursor = json.nextCursor;
  } while (cursor && shown < limit);
  if (!values.json) process.stderr.write(`${shown} event${shown === 1 ? '' : 's'}${cursor ? ` (more: raise --limit)` : ''}\n`);
  return 0;
}
