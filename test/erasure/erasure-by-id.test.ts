import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ADMIN_TOKEN, dumpDatabase, dumpRedis, REPO_ROOT_URL, webhook, withSystem, type TestSystem } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// Erasure finds an applicant's jobs by what they mean (the parsed applicant id,
// the erased events' ids), not by their text, and leaves the id in Redis in no
// encoding: not in a job, a job id, or BullMQ's event streams.
const run = promisify(execFile);
const at = (second: number) => `2024-05-01 10:00:${String(second).padStart(2, '0')}.000`;

/** The body of a webhook with its applicant id spelled with JSON escapes (what Sumsub may send; the same id to a parser). */
function escapedBody(payload: Record<string, unknown>): string {
  const id = payload.applicantId as string;
  const escaped = [...id].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const body = JSON.stringify(payload).replace(`"applicantId":"${id}"`, `"applicantId":"${escaped}"`);
  expect(body).not.toContain(id);
  expect((JSON.parse(body) as { applicantId: string }).applicantId).toBe(id);
  return body;
}

/** Every spelling of the id a Redis value could keep: plain, the encodings job ids used, JSON-escaped. */
function spellings(id: string): string[] {
  const bytes = Buffer.from(id);
  return [
    id,
    bytes.toString('base64url'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('hex'),
    `\\u00${id.charCodeAt(0).toString(16)}`,
  ];
}

async function redisTraces(system: TestSystem, id: string): Promise<string[]> {
  const found: string[] = [];
  for (const { key, value } of await dumpRedis(system.redis, system.config.QUEUE_PREFIX)) {
    for (const spelled of spellings(id)) if (key.includes(spelled) || value.includes(spelled)) found.push(`${key}: ${spelled}`);
  }
  return found;
}

describe('erasure by parsed id', () => {
  const system = withSystem({ workers: 1, ownDatabase: true });

  it('removes jobs whose body spells the applicant id with JSON escapes, applied or still waiting', async () => {
    const first = webhook({ type: 'applicantCreated', reviewStatus: 'init', createdAtMs: at(1) });
    const applicantId = first.applicantId as string;
    expect((await system.post(escapedBody(first))).status).toBe(200);
    await system.drained();
    expect((await system.admin('GET', `/applicants/${applicantId}`)).status).toBe(200);
    // One more, waiting: the database has not seen it.
    await system.stopWorkers();
    await system.post(escapedBody(webhook({ applicantId, createdAtMs: at(2) })));
    expect(await system.jobCount()).toBe(2);

    const erased = await system.admin('DELETE', `/admin/applicants/${applicantId}`);
    expect(erased.status).toBe(200);
    expect(erased.json).toEqual(expect.objectContaining({ applicantId, events: 1, jobs: 2 }));
    expect(await system.jobCount()).toBe(0);
    expect(await redisTraces(system, applicantId)).toEqual([]);
    system.addWorkers(1);
  });

  it('an id known only to a waiting job is erased without force', async () => {
    await system.stopWorkers();
    const payload = webhook({ createdAtMs: at(3) });
    const applicantId = payload.applicantId as string;
    await system.post(escapedBody(payload));
    const erased = await system.admin('DELETE', `/admin/applicants/${applicantId}`);
    expect(erased).toEqual(expect.objectContaining({ status: 200, json: expect.objectContaining({ events: 0, jobs: 1 }) }));
    expect(await redisTraces(system, applicantId)).toEqual([]);
    system.addWorkers(1);
  });
});

describe('erasing an id nobody has seen', () => {
  const system = withSystem({ workers: 1, ownDatabase: true });
  const tombstones = async () => (await dumpDatabase(system.config.DATABASE_URL)).filter(({ table }) => table === 'erasures').length;

  it('answers 404 and leaves no tombstone, so that person’s events are still recorded', async () => {
    const payload = webhook({ createdAtMs: at(1) });
    const applicantId = payload.applicantId as string;
    const before = await tombstones();
    const refused = await system.admin('DELETE', `/admin/applicants/${applicantId}`);
    expect(refused).toEqual(
      expect.objectContaining({ status: 404, json: { error: 'not_found', message: expect.stringMatching(/force=true/) } }),
    );
    expect(await tombstones()).toBe(before);
    await system.post(payload);
    await system.drained();
    expect((await system.admin('GET', `/applicants/${applicantId}`)).status).toBe(200);
  });

  it('?force=true erases it anyway: a deletion ordered before the first event arrives', async () => {
    const payload = webhook({ createdAtMs: at(1) });
    const applicantId = payload.applicantId as string;
    const forced = await system.admin('DELETE', `/admin/applicants/${applicantId}?force=true`);
    expect(forced).toEqual(expect.objectContaining({ status: 200, json: expect.objectContaining({ applicantId, events: 0, jobs: 0 }) }));
    await system.post(payload);
    await system.drained();
    expect((await system.admin('GET', `/applicants/${applicantId}`)).status).toBe(410);
    const audit = await system.admin('GET', '/admin/audit?action=erase');
    expect(audit.json.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: applicantId, outcome: expect.stringMatching(/^200 erased 0 events, 0 jobs \(forced\)/) }),
      ]),
    );
  });

  it('pnpm cli erase: refused without --force, done with it', async () => {
    const applicantId = webhook().applicantId as string;
    const cli = (...args: string[]) =>
      run(
        process.execPath,
        ['packages/cli/dist/main.js', 'erase', applicantId, '--yes', '--url', system.apiUrl, '--token', ADMIN_TOKEN, ...args],
        {
          cwd: new URL('.', REPO_ROOT_URL).pathname,
        },
      ).then(
        ({ stdout }) => ({ code: 0, out: stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: `${error.stdout}${error.stderr}` }),
      );
    const refused = await cli();
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/404|no record/);
    const forced = await cli('--force');
    expect(forced).toEqual({ code: 0, out: expect.stringMatching(new RegExp(`^erased ${applicantId} at `)) });
  });
});

describe('erasure Sumsub asked for (ERASE_ON_SUMSUB_DELETION=1)', () => {
  const system = withSystem({ workers: 1, ownDatabase: true, env: { ERASE_ON_SUMSUB_DELETION: '1' } });

  it('leaves no job id or stream entry that encodes the applicant id', async () => {
    const base = webhook({ createdAtMs: at(1) });
    const applicantId = base.applicantId as string;
    await system.post(base);
    await system.post(webhook({ applicantId, type: 'applicantDeleted', reviewStatus: 'init', createdAtMs: at(2) }));
    await expect
      .poll(async () => (await system.admin('GET', `/admin/audit?actor=sumsub:applicantDeleted`)).json.entries, { timeout: 15_000 })
      .toEqual([expect.objectContaining({ action: 'erase', target: applicantId })]);
    await system.drained();
    await expect.poll(() => redisTraces(system, applicantId), { timeout: 5_000 }).toEqual([]);
  });
});
