import { parseArgs } from 'node:util';
import { callApi } from '../api.ts';
import { adminToken, defaultUrl } from '../defaults.ts';
import { progressBar } from '../progress.ts';

export const replayHelp = `Usage: pnpm cli replay [--event <eventId>] [filters] [options]

Re-runs events from the database (works after Redis dropped the job). Replaying an
event that was already applied changes nothing.

  --event <eventId>     one event
Filters (combined with AND):
  --status <s>          applied | failed | wrong_account
  --type <type>         event type, e.g. applicantReviewed
  --applicant <id>      applicantId
  --source <s>          webhook | reconcile
  --account <name>      the Sumsub account it came through (default, or a SUMSUB_ACCOUNTS name)
  --since <iso time>    received at or after
  --until <iso time>    received before
  --limit <n>           at most n events (default 1000)
  --dry-run             only say how many events match
Options:
  --url <url>           server base URL (default ${defaultUrl()})
  --token <token>       admin token (default API_ADMIN_TOKEN or .data/dev-secrets.json)
`;

type Page = { matched: number; replayed: number; alreadyQueued: number; nextCursor: string | null; message?: string };

const post = <T>(url: string, token: string, body?: unknown) => callApi<T>('POST', url, token, body ?? {});

export async function replay(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      event: { type: 'string' },
      status: { type: 'string' },
      type: { type: 'string' },
      applicant: { type: 'string' },
      source: { type: 'string' },
      account: { type: 'string' },
      'dry-run': { type: 'boolean' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
    },
  });
  const token = adminToken(values.token);
  const base = values.url ?? defaultUrl();
  if (values.event) {
    const { status, json } = await post<{ status?: string; message?: string }>(
      `${base}/admin/events/${encodeURIComponent(values.event)}/replay`,
      token,
    );
    process.stdout.write(status === 200 ? `${values.event} ${json.status}\n` : `${status}: ${json.message}\n`);
    return status === 200 ? 0 : 1;
  }
  const limit = Number(values.limit ?? 1000);
  if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit must be a positive integer');
  const filter = {
    status: values.status,
    type: values.type,
    applicantId: values.applicant,
    source: values.source,
    account: values.account,
    since: values.since,
    until: values.until,
  };
  if (values['dry-run']) {
    const { status, json } = await post<{ matched?: number; message?: string }>(`${base}/admin/replay`, token, { ...filter, dryRun: true });
    process.stdout.write(
      status === 200 ? `${json.matched ?? 0} events match (dry run: nothing replayed)\n` : `${status}: ${json.message ?? ''}\n`,
    );
    return status === 200 ? 0 : 1;
  }
  const bar = progressBar(limit, 'replay');
  const totals = { matched: 0, replayed: 0, alreadyQueued: 0 };
  let cursor: string | null = null;
  do {
    const pageSize = Math.min(100, limit - totals.matched);
    const { status, json }: { status: number; json: Page } = await post<Page>(`${base}/admin/replay`, token, {
      ...filter,
      limit: pageSize,
      ...(cursor ? { cursor } : {}),
    });
    if (status !== 200) {
      bar.finish();
      process.stderr.write(`${status}: ${json.message ?? 'error'}\n`);
      return 1;
    }
    totals.matched += json.matched;
    totals.replayed += json.replayed;
    totals.alreadyQueued += json.alreadyQueued;
    bar.update(totals.matched);
    cursor = json.nextCursor;
  } while (cursor && totals.matched < limit);
  bar.finish();
  process.stdout.write(`matched ${totals.matched}, replayed ${totals.replayed}, already queued ${totals.alreadyQueued}\n`);
  return 0;
}
