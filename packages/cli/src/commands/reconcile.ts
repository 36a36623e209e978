import { parseArgs } from 'node:util';
import { type ApiFailure, callApi, printFailure, UsageError, wholeNumber } from '../api.ts';
import { adminToken, defaultUrl } from '../defaults.ts';
import { progressBar } from '../progress.ts';

export const reconcileHelp = `Usage: pnpm cli reconcile (--applicant <id>... | --stale-after <duration>) [options]

Reads applicants' reviews back from Sumsub's API and records those newer than the
record holds (webhooks Sumsub gave up on). Running it twice changes nothing.
Needs SUMSUB_APP_TOKEN and SUMSUB_SECRET_KEY on the server.

  --applicant <id>          an applicant (repeat for more)
  --stale-after <duration>  every applicant not completed whose newest event is older, e.g. 1h, 30m, 2d
  --page <n>                applicants per request (default 100)
Options:
  --url <url>               server base URL (default ${defaultUrl()})
  --token <token>           admin token (default API_ADMIN_TOKEN or .data/dev-secrets.json)
`;

type Tally = { checked: number; updated: number; unchanged: number; notFound: number; failed: number; pending: number };
type Page = Tally & { nextCursor: string | null } & ApiFailure;

const ZERO: Tally = { checked: 0, updated: 0, unchanged: 0, notFound: 0, failed: 0, pending: 0 };
const add = (a: Tally, b: Tally): Tally => ({
  checked: a.checked + b.checked,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
  notFound: a.notFound + b.notFound,
  failed: a.failed + b.failed,
  pending: a.pending + b.pending,
});

export async function reconcile(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      applicant: { type: 'string', multiple: true },
      'stale-after': { type: 'string' },
      page: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
    },
  });
  const token = adminToken(values.token);
  const ids = values.applicant ?? [];
  const staleAfter = values['stale-after'];
  if (ids.length > 0 === (staleAfter !== undefined)) throw new UsageError('give --applicant or --stale-after (one of them)');
  const page = wholeNumber('page', values.page, 100, 1, 1000);
  const url = `${values.url ?? defaultUrl()}/admin/reconcile`;
  const bar = progressBar(ids.length > 0 ? ids.length : undefined, 'reconcile');
  let total = ZERO;
  const report = (json: Page) => {
    total = add(total, json);
    bar.update(total.checked + total.failed + total.pending);
  };
  const fail = (status: number, json: Page) => {
    bar.finish();
    return printFailure(status, json);
  };
  if (ids.length > 0) {
    for (let i = 0; i < ids.length; i += page) {
      const { status, json } = await callApi<Page>('POST', url, token, { applicantIds: ids.slice(i, i + page) });
      if (status !== 200) return fail(status, json);
      report(json);
    }
  } else {
    let cursor: string | null = null;
    do {
      const { status, json }: { status: number; json: Page } = await callApi<Page>('POST', url, token, {
        staleAfter,
        limit: page,
        ...(cursor ? { cursor } : {}),
      });
      if (status !== 200) return fail(status, json);
      report(json);
      cursor = json.nextCursor;
    } while (cursor);
  }
  bar.finish();
  process.stdout.write(
    `checked ${total.checked}, updated ${total.updated}, unchanged ${total.unchanged}, not found ${total.notFound}, failed ${total.failed}` +
      (total.pending ? `, still running ${total.pending}` : '') +
      '\n',
  );
  return total.failed > 0 ? 1 : 0;
}
