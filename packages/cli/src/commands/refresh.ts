import { parseArgs } from 'node:util';
import { type ApiFailure, callApi, noMore, printFailure, UsageError, wholeNumber } from '../api.ts';
import { adminToken, defaultUrl } from '../defaults.ts';

export const refreshHelp = `Usage: pnpm cli refresh <applicantId> [options]

Fetches the applicant's document-level results from Sumsub's API now (for the
review the record holds) and prints them once stored. Needs SUMSUB_APP_TOKEN and
SUMSUB_SECRET_KEY on the server.

Options:
  --wait <seconds>   how long to wait for the results (default 30)
  --url <url>        server base URL (default ${defaultUrl()})
  --token <token>    admin token (default API_ADMIN_TOKEN or .data/dev-secrets.json)
`;

type Document = {
  step: string;
  imageId: string | null;
  idDocType: string | null;
  reviewAnswer: string | null;
  rejectLabels: string[];
  moderationComment: string | null;
};
type Detail = { documents?: Document[]; documentsFetchedAt?: string | null } & ApiFailure;

const line = (d: Document) =>
  [
    d.step,
    d.imageId ? `image ${d.imageId}` : '(step)',
    d.idDocType ?? '',
    d.reviewAnswer ?? '-',
    d.rejectLabels.join(','),
    d.moderationComment ?? '',
  ]
    .filter(Boolean)
    .join('  ');

export async function refresh(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { wait: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' } },
  });
  const [applicantId] = positionals;
  if (!applicantId) throw new UsageError('give an applicantId');
  noMore(positionals, 1, 'refresh takes one applicantId');
  const waitSeconds = wholeNumber('wait', values.wait, 30);
  const token = adminToken(values.token);
  const base = values.url ?? defaultUrl();
  const record = `${base}/applicants/${encodeURIComponent(applicantId)}`;
  const before = (await callApi<Detail>('GET', record, token)).json.documentsFetchedAt ?? null;
  const queued = await callApi<Detail>('POST', `${base}/admin/applicants/${encodeURIComponent(applicantId)}/refresh`, token);
  if (queued.status !== 202) return printFailure(queued.status, queued.json);
  const deadline = Date.now() + waitSeconds * 1000;
  while (Date.now() < deadline) {
    const { json } = await callApi<Detail>('GET', record, token);
    if ((json.documentsFetchedAt ?? null) !== before) {
      const documents = json.documents ?? [];
      process.stdout.write(`fetched ${json.documentsFetchedAt ?? ''}: ${documents.length} results\n${documents.map(line).join('\n')}\n`);
      return 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.stderr.write('queued, but no new results were stored in time (see the worker log; a review must be visible on the record)\n');
  return 1;
}
