import { parseArgs } from 'node:util';
import { type ApiFailure, callApi, isoTime, noMore, oneOf, printFailure, UsageError, wholeNumber } from '../api.ts';
import { adminToken, defaultUrl } from '../defaults.ts';
import { progressBar } from '../progress.ts';

export const replayHelp = `Usage: pnpm cli replay (--event <eventId> | <filters> | --all) [options]

Re-runs events from the database (works after Redis dropped the job). Replaying an
event that was already applied changes nothing. Without a filter, nothing is
replayed unless --all says so.

  --event <eventId>     one event
Filters (combined with AND):
  --status <s>          applied | failed | wrong_account
  --type <type>         event type, e.g. applicantReviewed
  --applicant <id>      applicantId
  --source <s>          webhook | reconcile
  --account <name>      the Sumsub account it came through (default, or a SUMSUB_ACCOUNTS name)
  --since <iso time>    received at or after
  --until <iso time>    received before
  --all                 every event (no filter)
  --limit <n>           at most n events (default 1000)
  --dry-run             only say how many events match
  --wait [seconds]      follow the replayed jobs and print each outcome (applied,
                        duplicate, stale, failed and why); give up after 60 s or
                        the seconds given
Options:
  --url <url>           server base URL (default ${defaultUrl()})
  --token <token>       admin token (default API_ADMIN_TOKEN or .data/dev-secrets.json)
`;

type Page = {
  matched: number;
  replayed: number;
  replayedEventIds?: string[];
  alreadyQueued: number;
  notReplayable?: number;
  nextCursor: string | null;
} & ApiFailure;
type JobState = {
  eventId: string;
  status: string;
  lastError: string | null;
  job: { state: string; attempts: number; outcome: string | null; failureCause: string | null } | null;
} & ApiFailure;
type Api = { base: string; token: string };

const post = <T>(api: Api, path: string, body?: unknown) => callApi<T>('POST', `${api.base}${path}`, api.token, body ?? {});

const OPTIONS = {
  event: { type: 'string' },
  status: { type: 'string' },
  type: { type: 'string' },
  applicant: { type: 'string' },
  source: { type: 'string' },
  account: { type: 'string' },
  all: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  wait: { type: 'boolean' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
} as const;

export async function replay(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  // --wait takes an optional number of seconds: `--wait 30`.
  const waitSeconds = values.wait ? wholeNumber('wait', positionals[0], 60, 1, 3600) : undefined;
  noMore(positionals, values.wait ? 1 : 0, 'replay takes options only; give --event for one event');
  const api = { base: values.url ?? defaultUrl(), token: adminToken(values.token) };
  if (values.event) return replayOne(api, values.event, waitSeconds);
  const filter = {
    status: oneOf('status', values.status, ['applied', 'failed'] as const),
    type: values.type,
    applicantId: values.applicant,
    source: oneOf('source', values.source, ['webhook', 'reconcile'] as const),
    account: values.account,
    since: isoTime('since', values.since),
    until: isoTime('until', values.until),
  };
  const filtered = Object.values(filter).some((v) => v !== undefined);
  if (!filtered && !values.all)
    throw new UsageError(
      'no filter: give --event, a filter (--status, --applicant, --type, --source, --account, --since, --until) or --all',
    );
  if (filtered && values.all) throw new UsageError('--all replays every event: leave out the filters, or --all');
  const limit = wholeNumber('limit', values.limit, 1000);
  const { status, json } = await post<{ matched?: number } & ApiFailure>(api, '/admin/replay', { ...filter, dryRun: true });
  if (status !== 200) return printFailure(status, json);
  const matched = Math.min(limit, json.matched ?? 0);
  if (values['dry-run']) {
    process.stdout.write(`${json.matched ?? 0} events match (dry run: nothing replayed)\n`);
    return 0;
  }
  return replayMany(api, filter, matched, waitSeconds);
}

async function replayOne(api: Api, eventId: string, waitSeconds: number | undefined): Promise<number> {
  const { status, json } = await post<{ status?: string } & ApiFailure>(api, `/admin/events/${encodeURIComponent(eventId)}/replay`);
  if (status !== 200) return printFailure(status, json);
  if (waitSeconds === undefined) {
    process.stdout.write(`${eventId} ${json.status === 'replayed' ? 're-queued (not run yet; --wait follows it)' : (json.status ?? '')}\n`);
    return 0;
  }
  const failed = await follow(api, json.status === 'replayed' || json.status === 'already_queued' ? [eventId] : [], waitSeconds);
  return failed > 0 ? 1 : 0;
}

async function replayMany(
  api: Api,
  filter: Record<string, string | undefined>,
  matched: number,
  waitSeconds: number | undefined,
): Promise<number> {
  const bar = progressBar(matched, 'replay');
  const totals = { matched: 0, replayed: 0, alreadyQueued: 0, notReplayable: 0 };
  const replayed: string[] = [];
  let cursor: string | null = null;
  while (totals.matched < matched) {
    const limit = Math.min(100, matched - totals.matched);
    const { status, json }: { status: number; json: Page } = await post<Page>(api, '/admin/replay', {
      ...filter,
      limit,
      ...(cursor ? { cursor } : {}),
    });
    if (status !== 200) {
      bar.finish();
      return printFailure(status, json);
    }
    totals.matched += json.matched;
    totals.replayed += json.replayed;
    totals.alreadyQueued += json.alreadyQueued;
    totals.notReplayable += json.notReplayable ?? 0;
    replayed.push(...(json.replayedEventIds ?? []));
    bar.update(totals.matched);
    cursor = json.nextCursor;
    if (!cursor) break;
  }
  bar.finish();
  process.stdout.write(
    `matched ${totals.matched}: re-queued ${totals.replayed}, already queued ${totals.alreadyQueued}` +
      (totals.notReplayable ? `, not replayable ${totals.notReplayable} (no stored body)` : '') +
      (waitSeconds === undefined && totals.replayed > 0 ? ' (not run yet; --wait follows them)' : '') +
      '\n',
  );
  if (waitSeconds === undefined) return 0;
  return (await follow(api, replayed, waitSeconds)) > 0 ? 1 : 0;
}

/** What a replayed event came to: the job's outcome, its failure, or still running. */
function outcomeOf(state: JobState): { done: boolean; failed: boolean; text: string } {
  const job = state.job;
  if (job?.state === 'completed') return { done: true, failed: false, text: job.outcome ?? 'completed' };
  if (job?.state === 'failed')
    return { done: true, failed: true, text: `failed after ${job.attempts} attempts: ${job.failureCause ?? ''}` };
  if (job) return { done: false, failed: false, text: job.state };
  // The job is gone (removed when its applicant was erased): the database says how it ended.
  return {
    done: true,
    failed: state.status === 'failed',
    text: state.status === 'failed' ? `failed: ${state.lastError ?? ''}` : state.status,
  };
}

/** Polls each replayed event's job until it finished or the wait ran out; prints each outcome and a tally. The number that failed or did not finish. */
async function follow(api: Api, eventIds: readonly string[], waitSeconds: number): Promise<number> {
  const deadline = Date.now() + waitSeconds * 1000;
  const pending = new Set(eventIds);
  const tally = new Map<string, number>();
  const bar = progressBar(eventIds.length, 'waiting');
  while (pending.size > 0 && Date.now() < deadline) {
    for (const eventId of [...pending]) {
      const { status, json } = await callApi<JobState>('GET', `${api.base}/admin/events/${encodeURIComponent(eventId)}/job`, api.token);
      if (status !== 200) return printFailure(status, json);
      const outcome = outcomeOf(json);
      if (!outcome.done) continue;
      pending.delete(eventId);
      const key = outcome.failed ? 'failed again' : outcome.text;
      tally.set(key, (tally.get(key) ?? 0) + 1);
      process.stdout.write(`${eventId} ${outcome.text}\n`);
    }
    bar.update(eventIds.length - pending.size);
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  bar.finish();
  for (const eventId of pending) process.stdout.write(`${eventId} still queued after ${waitSeconds} s\n`);
  const parts = [...tally].map(([what, n]) => `${what} ${n}`);
  if (pending.size > 0) parts.push(`still queued ${pending.size}`);
  process.stdout.write(`outcome: ${parts.join(', ') || 'nothing to follow'}\n`);
  return (tally.get('failed again') ?? 0) + pending.size;
}
