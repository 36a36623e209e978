import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@kyc/db';
import { ADMIN_TOKEN, poisonApplicant, postWebhook, READ_TOKEN, TEST_SECRET, webhook, withSystem } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// `pnpm cli` as an operator runs it: the built CLI in its own process, against
// a running system; no token or secret from the environment unless given.
const system = withSystem({ env: { JOB_ATTEMPTS: '1' }, workers: 1 });
const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'kyc-cli-'));

type Run = { code: number; stdout: string; stderr: string };

function cli(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, DATA_DIR };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'packages/cli/dist/main.js'), ...args],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const admin = () => ['--url', system.url, '--token', ADMIN_TOKEN];

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An applicant whose review failed in the worker (a dead letter), with the fault still in place. */
async function deadLetter() {
  const payload = webhook({
    type: 'applicantReviewed',
    reviewStatus: 'completed',
    reviewResult: { reviewAnswer: 'RED', reviewRejectType: 'FINAL' },
  });
  const applicantId = String(payload.applicantId);
  const fault = await poisonApplicant(system.config.DATABASE_URL, applicantId);
  const { json } = await postWebhook(system.url, JSON.stringify(payload));
  const eventId = String(json.eventId);
  await system.drained();
  await expect.poll(async () => (await system.db.event.findUnique({ where: { eventId } }))?.status).toBe('failed');
  return { applicantId, eventId, fault };
}

// Each case spawns the CLI several times: slower than in-process on a loaded machine.
describe('pnpm cli explains itself', { timeout: 180_000 }, () => {
  it('names an unknown command, exits 0 for help and -h, and prints its version', async () => {
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^unknown command: frobnicate\n/);
    expect(unknown.stderr).toContain('Usage: pnpm cli <command>');
    for (const args of [['help'], ['-h'], ['--help']]) {
      const help = await cli(...args);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: pnpm cli <command>');
    }
    expect(await cli('help', 'replay')).toMatchObject({ code: 0, stdout: expect.stringContaining('--wait') });
    expect(await cli('replay', '-h')).toMatchObject({ code: 0 });
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^kyc-webhooks cli \d+\.\d+\.\d+\n$/);
  });

  it('names an unreachable service with its URL, the cause and what to do, once, and sends nothing', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const expected = `cannot reach ${url} (ECONNREFUSED): is pnpm start running? set PORT or --url\n`;
    for (const args of [
      ['applicant', 'someone', '--url', url, '--token', READ_TOKEN],
      ['events', '--url', url, '--token', ADMIN_TOKEN],
      ['jobs', 'someone', '--url', url, '--token', ADMIN_TOKEN],
      ['replay', '--status', 'failed', '--url', url, '--token', ADMIN_TOKEN],
      ['send', 'green', '--url', url, '--secret', TEST_SECRET],
    ]) {
      const run = await cli(...args);
      expect(run, args[0]).toEqual({ code: 1, stdout: '', stderr: expected });
    }
  });

  it('says option errors in plain words and refuses unexpected arguments', async () => {
    const weird = await cli('replay', '--status', 'weird', ...admin());
    expect(weird).toMatchObject({ code: 2, stdout: '' });
    expect(weird.stderr).toBe('replay: --status must be one of applied, failed (got "weird")\nsee: pnpm cli replay --help\n');
    expect((await cli('events', '--since', 'yesterday', ...admin())).stderr).toMatch(/--since must be an ISO time/);
    expect(await cli('applicant', 'one', 'two', ...admin())).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unexpected argument: two/),
    });
    expect(await cli('events', 'stray', ...admin())).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unexpected argument 'stray'/),
    });
    expect(await cli('events', '--frob', ...admin())).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown option '--frob'/) });
  });

  it('refuses a replay without a filter unless --all, and an erase without confirmation', async () => {
    const bare = await cli('replay', ...admin());
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/no filter: give --event, a filter .* or --all/);
    expect(await cli('replay', '--all', '--dry-run', ...admin())).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^\d+ events match \(dry run/),
    });

    const payload = webhook();
    await postWebhook(system.url, JSON.stringify(payload));
    await system.drained();
    const erase = await cli('erase', String(payload.applicantId), ...admin());
    expect(erase.code).toBe(2);
    expect(erase.stderr).toMatch(/cannot be undone: pass --yes to confirm/);
    expect(await system.db.applicant.findUnique({ where: { applicantId: String(payload.applicantId) } })).not.toBeNull();
    expect(await cli('erase', String(payload.applicantId), '--yes', ...admin())).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^erased /),
    });
    expect(await system.db.applicant.findUnique({ where: { applicantId: String(payload.applicantId) } })).toBeNull();
  });

  it("shows an applicant's decision, version and decisionChangedAt", async () => {
    const payload = webhook({ type: 'applicantReviewed', reviewStatus: 'completed', reviewResult: { reviewAnswer: 'GREEN' } });
    await postWebhook(system.url, JSON.stringify(payload));
    await system.drained();
    const record = await system.db.applicant.findUniqueOrThrow({ where: { applicantId: String(payload.applicantId) } });
    const shown = await cli('applicant', String(payload.applicantId), ...admin());
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`decision      approved (version ${record.version}, since ${record.decisionChangedAt?.toISOString()})`);
  });

  it('finds an applicant whose events all failed: applicant says so, events and jobs list them, replay --wait reports each outcome', async () => {
    const { applicantId, eventId, fault } = await deadLetter();
    try {
      const none = await cli('applicant', applicantId, ...admin());
      expect(none.code).toBe(1);
      expect(none.stderr).toContain(`no record for ${applicantId} yet, but 1 stored event (1 failed).`);
      expect(none.stderr).toContain(`pnpm cli events --applicant ${applicantId}`);

      const listed = await cli('events', '--applicant', applicantId, '--status', 'failed', ...admin());
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(new RegExp(`${eventId}\\s+applicantReviewed .* failed after 1 attempts: .*poisoned applicant`));

      const jobs = await cli('jobs', applicantId, ...admin());
      expect(jobs.code).toBe(0);
      expect(jobs.stdout).toContain(`failed    sumsub-events`);
      expect(jobs.stdout).toContain(`applicantReviewed · ${applicantId} · RED/FINAL`);
      expect(jobs.stdout).toContain('cause: poisoned applicant');
      expect(jobs.stdout).toContain(`${system.url}/admin/queues/queue/sumsub-events/${eventId}`);

      // Still poisoned: the replay fails again, and says so (not "replayed 1").
      const again = await cli('replay', '--status', 'failed', '--applicant', applicantId, '--wait', '30', ...admin());
      expect(again.code).toBe(1);
      expect(again.stdout).toContain('matched 1: re-queued 1, already queued 0');
      // BullMQ counts a retried job's attempts on from the first run's.
      expect(again.stdout).toMatch(new RegExp(`${eventId} failed after \\d+ attempts: poisoned applicant\n`));
      expect(again.stdout).toContain('outcome: failed again 1');
      // The database and the failed set agree.
      expect(await (await system.queue.getJob(eventId))?.getState()).toBe('failed');
      await expect.poll(async () => (await system.db.event.findUnique({ where: { eventId } }))?.status).toBe('failed');
    } finally {
      await fault.cure();
    }
    const healed = await cli('replay', '--status', 'failed', '--applicant', applicantId, '--wait', ...admin());
    expect(healed).toMatchObject({ code: 0 });
    expect(healed.stdout).toContain(`${eventId} applied`);
    expect(healed.stdout).toContain('outcome: applied 1');
    const replayedAgain = await cli('replay', '--event', eventId, '--wait', ...admin());
    expect(replayedAgain.stdout).toContain(`${eventId} duplicate`);
  });

  it('says when the service refuses the signature', async () => {
    const refused = await cli('send', 'green', '--url', system.url, '--secret', 'not-the-secret');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused the signature \(401\)/);
    expect(refused.stdout).not.toMatch(/applicant/);
  });
});

describe('GET /admin/applicants/:applicantId/jobs', () => {
  it("lists the applicant's jobs with queue, state, name, attempts, cause and dashboard link; admin token only", async () => {
    const { applicantId, eventId, fault } = await deadLetter();
    await fault.cure();
    const { status, json } = await system.admin('GET', `/admin/applicants/${applicantId}/jobs`);
    expect(status).toBe(200);
    expect(json).toEqual({
      applicantId,
      jobs: [
        {
          queue: 'sumsub-events',
          state: 'failed',
          jobId: eventId,
          eventId,
          name: `applicantReviewed · ${applicantId} · RED/FINAL`,
          jobName: 'sumsub.apply-event',
          attempts: 1,
          failureCause: 'poisoned applicant',
          addedAt: expect.any(String),
          finishedAt: expect.any(String),
          dashboardUrl: `/admin/queues/queue/sumsub-events/${eventId}`,
        },
      ],
    });
    expect((await system.admin('GET', '/admin/applicants/nobody-here/jobs')).json).toEqual({ applicantId: 'nobody-here', jobs: [] });
    expect((await system.get(`/admin/applicants/${applicantId}/jobs`, READ_TOKEN)).status).toBe(403);
    const job = await system.admin('GET', `/admin/events/${eventId}/job`);
    expect(job.json).toEqual({
      eventId,
      status: 'failed',
      lastError: expect.stringMatching(/poisoned applicant/),
      job: { state: 'failed', attempts: 1, outcome: null, failureCause: 'poisoned applicant' },
    });
  });
});
