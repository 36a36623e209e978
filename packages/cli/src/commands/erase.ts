import { parseArgs } from 'node:util';
import { callApi } from '../api.ts';
import { defaultToken, defaultUrl } from '../defaults.ts';

export const eraseHelp = `Usage: pnpm cli erase <applicantId> [options]

Erases one person: the record, every event with its payload and raw body, document
results, notifications, and every Redis job of theirs. A tombstone (id, time, who,
counts) stays; later deliveries for the applicant are acknowledged, counted, not stored.
This cannot be undone.

Options:
  --url <url>        server base URL (default ${defaultUrl()})
  --token <token>    admin token (default API_ADMIN_TOKEN or .data/dev-secrets.json)
`;

export const purgeHelp = `Usage: pnpm cli purge --older-than <days> [options]

Runs the retention pass now (what PAYLOAD_RETENTION_DAYS schedules): strips the payload
and raw body of events received more than <days> days ago (ids, type, times, status and
review answer stay), empties old notification bodies, removes finished Redis jobs older
than that, and reports what it removed.

Options:
  --url <url>        server base URL (default ${defaultUrl()})
  --token <token>    admin token (default API_ADMIN_TOKEN or .data/dev-secrets.json)
`;

type Failure = { error?: string; message?: string };

function tokenOf(given: string | undefined): string {
  const token = given ?? process.env.API_ADMIN_TOKEN ?? defaultToken();
  if (!token) throw new Error('no admin token: pass --token or set API_ADMIN_TOKEN');
  return token;
}

function failed(status: number, json: Failure): number {
  process.stderr.write(`${status} ${json.error ?? ''}: ${json.message ?? ''}\n`);
  return 1;
}

export async function erase(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: 'string' }, token: { type: 'string' } },
  });
  const [applicantId] = positionals;
  if (!applicantId) throw new Error('erase: give an applicantId (see --help)');
  const url = `${values.url ?? defaultUrl()}/admin/applicants/${encodeURIComponent(applicantId)}`;
  const { status, json } = await callApi<Failure & { erasedAt?: string; events?: number; jobs?: number }>(
    'DELETE',
    url,
    tokenOf(values.token),
  );
  if (status !== 200) return failed(status, json);
  process.stdout.write(`erased ${applicantId} at ${json.erasedAt ?? ''}: ${json.events ?? 0} events, ${json.jobs ?? 0} jobs removed\n`);
  return 0;
}

export async function purge(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'older-than': { type: 'string' }, url: { type: 'string' }, token: { type: 'string' } },
  });
  const days = Number(values['older-than']);
  if (!Number.isInteger(days) || days < 1) throw new Error('purge: --older-than must be a whole number of days, 1 or more');
  const url = `${values.url ?? defaultUrl()}/admin/purge`;
  const { status, json } = await callApi<Failure & { events?: number; notifications?: number; jobs?: number; horizon?: string }>(
    'POST',
    url,
    tokenOf(values.token),
    { olderThanDays: days },
  );
  if (status !== 200) return failed(status, json);
  process.stdout.write(
    `received before ${json.horizon ?? ''}: ${json.events ?? 0} events stripped, ${json.notifications ?? 0} notification bodies emptied, ${json.jobs ?? 0} finished jobs removed\n`,
  );
  return 0;
}
