import type { RedisClient } from '@kyc/runtime';
import type { Queue } from 'bullmq';

// BullMQ keeps a stream of each queue's job events (added, completed with the
// job's return value, failed with its reason, removed...) for QueueEvents
// listeners, up to ~10,000 entries. Those entries can name an applicant after
// their jobs are gone; erasure deletes them.

const PAGE = 1_000;

/** The ways a value can spell the id: as is, and in the encodings job ids used to carry it. */
function spellings(applicantId: string): string[] {
  const bytes = Buffer.from(applicantId, 'utf8');
  return [applicantId, bytes.toString('base64url'), bytes.toString('base64').replace(/=+$/, '')];
}

/** Whether a stream value names the applicant: in its text, or in its JSON once parsed (escapes undone). */
function mentions(value: string, spelled: readonly string[]): boolean {
  if (spelled.some((s) => value.includes(s))) return true;
  if (!value.includes('\\')) return false;
  try {
    const normalised = JSON.stringify(JSON.parse(value) as unknown);
    return spelled.some((s) => normalised.includes(s));
  } catch {
    return false;
  }
}

/** Whether a stream entry (field, value, field, value...) is about one of the jobs. */
function aboutJob(fields: readonly string[], jobIds: ReadonlySet<string>): boolean {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'jobId' && jobIds.has(fields[i + 1] as string)) return true;
  return false;
}

/** Deletes the queue's event-stream entries about the given jobs or naming the applicant; returns how many. */
export async function scrubEventStream(
  client: RedisClient,
  queue: Queue,
  applicantId: string,
  jobIds: ReadonlySet<string>,
): Promise<number> {
  const key = queue.toKey('events');
  const spelled = spellings(applicantId);
  let deleted = 0;
  for (let start = '-'; ;) {
    const page = await client.xrange(key, start, '+', 'COUNT', PAGE);
    const doomed = page.filter(([, fields]) => aboutJob(fields, jobIds) || fields.some((f) => mentions(f, spelled))).map(([id]) => id);
    if (doomed.length > 0) deleted += await client.xdel(key, ...doomed);
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return deleted;
    start = `(${last[0]}`;
  }
}
