import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { type ApiFailure, callApi, noMore, printFailure, UsageError, wholeNumber } from '../api.ts';
import { adminToken, defaultUrl } from '../defaults.ts';

export const eraseHelp = `Usage: pnpm cli erase <applicantId> [options]

Erases one person: the record, every event with its payload and raw body, document
results, notifications, and every Redis job of theirs. A tombstone (id, time, who,
counts) stays; later deliveries for the applicant are acknowledged, counted, not stored.
This cannot be undone: on a terminal it asks first; elsewhere it needs --yes. An id
with no record and no event is refused (404), so a mistyped id leaves no tombstone
that would drop that person's real events later.

Options:
  --yes              erase without asking
  --force            erase even an id nobody has seen (a deletion ordered before the
                     first event arrived; its later events are acknowledged, not stored)
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

export async function erase(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { yes: { type: 'boolean' }, force: { type: 'boolean' }, url: { type: 'string' }, token: { type: 'string' } },
  });
  const [applicantId] = positionals;
  if (!applicantId) throw new UsageError('give an applicantId');
  noMore(positionals, 1, 'erase takes one applicantId');
  const token = adminToken(values.token);
  if (!values.yes && !(await confirmed(applicantId))) return 1;
  const force = values.force === true ? '?force=true' : '';
  const url = `${values.url ?? defaultUrl()}/admin/applicants/${encodeURIComponent(applicantId)}${force}`;
  const { status, json } = await callApi<ApiFailure & { erasedAt?: string; events?: number; jobs?: number }>('DELETE', url, token);
  if (status !== 200) return printFailure(status, json);
  process.stdout.write(`erased ${applicantId} at ${json.erasedAt ?? ''}: ${json.events ?? 0} events, ${json.jobs ?? 0} jobs removed\n`);
  return 0;
}

/** Asks on a terminal (typing the id back); refuses without one, where only --yes can say so. */
async function confirmed(applicantId: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError(`erasing ${applicantId} cannot be undone: pass --yes to confirm (not asked: no terminal)`);
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`Erase ${applicantId} for good (record, events, jobs)? Type the applicant id to confirm: `);
    if (answer.trim() === applicantId) return true;
    process.stderr.write('not confirmed: nothing erased\n');
    return false;
  } finally {
    prompt.close();
  }
}

export async function purge(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'older-than': { type: 'string' }, url: { type: 'string' }, token: { type: 'string' } },
  });
  if (values['older-than'] === undefined) throw new UsageError('give --older-than <days>');
  const days = wholeNumber('older-than', values['older-than'], 0, 1);
  const url = `${values.url ?? defaultUrl()}/admin/purge`;
  const { status, json } = await callApi<ApiFailure & { events?: number; notifications?: number; jobs?: number; horizon?: string }>(
    'POST',
    url,
    adminToken(values.token),
    { olderThanDays: days },
  );
  if (status !== 200) return printFailure(status, json);
  process.stdout.write(
    `received before ${json.horizon ?? ''}: ${json.events ?? 0} events stripped, ${json.notifications ?? 0} notification bodies emptied, ${json.jobs ?? 0} finished jobs removed\n`,
  );
  return 0;
}
