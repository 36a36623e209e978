import { parseArgs } from 'node:util';
import { callApi, noMore, UsageError } from '../api.ts';
import { defaultToken, defaultUrl } from '../defaults.ts';

export const applicantHelp = `Usage: pnpm cli applicant <applicantId> [options]

Prints an applicant's record and event timeline.

Options:
  --url <url>        server base URL (default ${defaultUrl()})
  --token <token>    API token (default API_ADMIN_TOKEN, API_READ_TOKEN or .data/dev-secrets.json)
  --json             print the raw JSON
`;

type Review = {
  reviewAnswer: string | null;
  reviewRejectType: string | null;
  rejectLabels: string[];
  moderationComment: string | null;
  clientComment?: string | null;
};
type Label = { label: string; category: string | null; resubmittable: boolean | null; description: string | null; known: boolean };
type Button = { id: string; group: string | null; description: string | null; known: boolean };
type Rejection = { rejectType: string | null; labels: Label[]; buttons: Button[] };
type Clarification = { fetchedAt: string; applicant: Button[]; images: { imageId: string; buttons: Button[] }[] };
type Record_ = {
  applicantId: string;
  externalUserId: string | null;
  levelName: string | null;
  reviewStatus: string | null;
  decision: string;
  decisionChangedAt: string | null;
  version: number;
  review: Review | null;
  rejection?: Rejection | null;
  rejectionClarification?: Clarification | null;
  lastEventType: string;
  lastEventAt: string;
  createdAt: string;
  updatedAt: string;
};
type Event = { eventId: string; type: string; createdAt: string; status: string; reviewStatus: string | null; reviewAnswer: string | null };

async function get<T>(url: string, token: string): Promise<{ status: number; body: T }> {
  const { status, json } = await callApi<T>('GET', url, token);
  return { status, body: json };
}

const UNKNOWN = 'not in the catalogue (see docs/sumsub-events.md)';

const labelLine = (l: Label) =>
  l.known
    ? `  label       ${l.label}  ${l.category ?? ''}, ${l.resubmittable ? 'resubmission can fix it' : 'resubmission cannot fix it'}: ${l.description ?? ''}`
    : `  label       ${l.label}  ${UNKNOWN}`;

const buttonLine = (prefix: string, b: Button) => `${prefix}${b.id}  ${b.known ? `(${b.group ?? ''}) ${b.description ?? ''}` : UNKNOWN}`;

/** The rejection's labels and buttons with their categories and descriptions, then Sumsub's clarification. */
export function formatRejection(rejection: Rejection | null | undefined, clarification: Clarification | null | undefined): string[] {
  if (!rejection) return [];
  const lines = [`rejection     ${rejection.rejectType ?? '-'}`, ...rejection.labels.map(labelLine)];
  lines.push(...rejection.buttons.map((b) => buttonLine('  button      ', b)));
  if (clarification) {
    lines.push(`clarification fetched ${clarification.fetchedAt}`);
    lines.push(...clarification.applicant.map((b) => buttonLine('  applicant   ', b)));
    for (const image of clarification.images) lines.push(...image.buttons.map((b) => buttonLine(`  image ${image.imageId}  `, b)));
  }
  return lines;
}

export function formatApplicant(record: Record_, events: Event[]): string {
  const review = record.review;
  const lines = [
    `applicant     ${record.applicantId}`,
    `external id   ${record.externalUserId ?? '-'}`,
    `level         ${record.levelName ?? '-'}`,
    `decision      ${record.decision} (version ${record.version}, since ${record.decisionChangedAt ?? '-'})`,
    `status        ${record.reviewStatus ?? '-'}`,
    `review        ${review ? [review.reviewAnswer, review.reviewRejectType, review.rejectLabels.join(',')].filter(Boolean).join(' ') : '-'}`,
  ];
  if (review?.moderationComment) lines.push(`  for user    ${review.moderationComment}`);
  if (review?.clientComment) lines.push(`  internal    ${review.clientComment}`);
  lines.push(...formatRejection(record.rejection, record.rejectionClarification));
  lines.push(`last event    ${record.lastEventType} at ${record.lastEventAt}`, '', 'timeline (event time, oldest first)');
  for (const e of events) {
    lines.push(
      `  ${e.createdAt}  ${e.type.padEnd(30)} ${(e.reviewStatus ?? '').padEnd(10)} ${(e.reviewAnswer ?? '').padEnd(6)} ${e.status}`,
    );
  }
  return lines.join('\n');
}

export async function applicant(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } },
  });
  const id = positionals[0];
  if (!id) throw new UsageError('give an applicantId');
  noMore(positionals, 1, 'applicant takes one applicantId');
  const token = values.token ?? defaultToken();
  if (!token) throw new UsageError('no token: pass --token or set API_READ_TOKEN');
  const root = values.url ?? defaultUrl();
  const base = `${root}/applicants/${encodeURIComponent(id)}`;
  const record = await get<Record_ & { message?: string }>(base, token);
  if (record.status === 404) return noRecord(root, token, id, record.body.message);
  if (record.status !== 200) {
    process.stderr.write(`${record.status}: ${record.body.message ?? 'error'}\n`);
    return 1;
  }
  const events = await get<{ events: Event[] }>(`${base}/events`, token);
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ ...record.body, events: events.body.events }, null, 2)}\n`
      : `${formatApplicant(record.body, events.body.events)}\n`,
  );
  return 0;
}

/**
 * No record: say whether events for the applicant were stored anyway (all of them
 * failed, so none made a record) and how to see them.
 */
async function noRecord(root: string, token: string, id: string, message: string | undefined): Promise<number> {
  const query = new URLSearchParams({ applicantId: id, limit: '1000' });
  const { status, json } = await callApi<{ events?: { status: string }[] }>('GET', `${root}/admin/events?${query.toString()}`, token);
  const stored = status === 200 ? (json.events ?? []) : [];
  if (stored.length === 0) {
    process.stderr.write(`no applicant ${id}${status === 200 ? ': no record and no stored events' : ` (${message ?? '404'})`}\n`);
    return 1;
  }
  const failed = stored.filter((e) => e.status === 'failed').length;
  process.stderr.write(
    `no record for ${id} yet, but ${stored.length} stored event${stored.length === 1 ? '' : 's'} (${failed} failed).\n` +
      `  see them:   pnpm cli events --applicant ${id}\n` +
      `  their jobs: pnpm cli jobs ${id}\n` +
      (failed > 0 ? `  retry:      pnpm cli replay --status failed --applicant ${id} --wait\n` : ''),
  );
  return 1;
}
