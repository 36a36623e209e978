import { parseArgs } from 'node:util';
import { type ApiFailure, callApi, noMore, printFailure, UsageError } from '../api.ts';
import { adminToken, defaultUrl } from '../defaults.ts';

export const jobsHelp = `Usage: pnpm cli jobs <applicantId> [options]

Lists the applicant's jobs in every queue (events, notifications, Sumsub API,
lifecycle) and every state, failed first: what each is about, its attempts, why
it failed, and its page in the Bull dashboard.

Options:
  --json             print the raw JSON
  --url <url>        server base URL (default ${defaultUrl()})
  --token <token>    admin token (default API_ADMIN_TOKEN or .data/dev-secrets.json)
`;

type Job = {
  queue: string;
  state: string;
  jobId: string;
  name: string;
  attempts: number;
  failureCause: string | null;
  dashboardUrl: string;
};

export function formatJob(job: Job, root: string): string {
  const head = `${job.state.padEnd(9)} ${job.queue.padEnd(24)} ${job.name}  (${job.attempts} attempt${job.attempts === 1 ? '' : 's'})`;
  return [head, ...(job.failureCause ? [`          cause: ${job.failureCause}`] : []), `          ${root}${job.dashboardUrl}`].join('\n');
}

export async function jobs(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, url: { type: 'string' }, token: { type: 'string' } },
  });
  const [applicantId] = positionals;
  if (!applicantId) throw new UsageError('give an applicantId');
  noMore(positionals, 1, 'jobs takes one applicantId');
  const root = values.url ?? defaultUrl();
  const { status, json } = await callApi<{ jobs?: Job[] } & ApiFailure>(
    'GET',
    `${root}/admin/applicants/${encodeURIComponent(applicantId)}/jobs`,
    adminToken(values.token),
  );
  if (status !== 200) return printFailure(status, json);
  const list = json.jobs ?? [];
  if (values.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else if (list.length === 0) process.stdout.write(`no jobs of ${applicantId} in any queue\n`);
  else process.stdout.write(`${list.map((job) => formatJob(job, root)).join('\n')}\n`);
  return 0;
}
