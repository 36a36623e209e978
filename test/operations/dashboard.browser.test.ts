import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@kyc/db';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, READ_TOKEN, postWebhook, requireTool, withSystem, webhook, poisonApplicant } from '@kyc/test-support';

// Debian's chromium (CHROMIUM_PATH, else on PATH; scripts/install-system-packages
// installs it), driven by playwright-core; nothing is downloaded. Flags as this
// machine kind needs them (no outside network).
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const system = withSystem({ env: { JOB_ATTEMPTS: '1' }, workers: 1 });
// docs/operations.md shows these; the test makes them, so they stay true.
const SCREENSHOTS = path.join(REPO_ROOT, 'docs/images');
let browser: Browser;
let launched: Promise<Browser> | undefined;
beforeEach(async (context) => {
  const executablePath = requireTool(context, 'chromium');
  browser = await (launched ??= chromium.launch({ executablePath, args: FLAGS }));
});
afterAll(async () => {
  await (await launched)?.close();
});

/**
 * The actions a job's card offers, by name: bull-board draws them as icons and
 * names each only in the tooltip shown on hover.
 */
async function jobActions(page: Page, jobId: string): Promise<string[]> {
  const card = page
    .locator('div')
    .filter({ has: page.getByText(jobId, { exact: true }) })
    .filter({ has: page.locator('ul[class*="jobActions"]') })
    .last();
  const names: string[] = [];
  for (const button of await card.locator('ul[class*="jobActions"] button').all()) {
    await button.hover();
    // bull-board's tooltip (base-ui) has no ARIA role: its popup, alone on the page while hovering.
    const tooltip = page.locator('[class*="positioner-"] > [class*="popup-"]');
    await expect.poll(() => tooltip.isVisible(), { timeout: 5_000 }).toBe(true);
    names.push((await tooltip.textContent()) ?? '');
    await page.mouse.move(0, 0);
    await expect.poll(() => tooltip.count(), { timeout: 5_000 }).toBe(0);
  }
  return names;
}

describe('the Bull dashboard in a browser', () => {
  it('refuses a browser without the admin token', async () => {
    for (const credentials of [undefined, { username: 'ops', password: READ_TOKEN }]) {
      const context = await browser.newContext(credentials ? { httpCredentials: credentials } : {});
      // A navigation turns the 401 challenge into a browser error page; the
      // context's request API shows the answer itself, with the same credentials.
      const response = await context.request.get(`${system.url}/admin/queues`);
      expect(response.status()).toBe(credentials ? 403 : 401);
      expect(await response.text()).not.toContain('sumsub-events');
      await context.close();
    }
  });

  it('logs in with the admin token, shows the queue and a dead letter, and retries it', async () => {
    const payload = webhook({ type: 'applicantReviewed', reviewStatus: 'completed', reviewResult: { reviewAnswer: 'GREEN' } });
    const fault = await poisonApplicant(system.config.DATABASE_URL, String(payload.applicantId));
    const { json } = await postWebhook(system.url, JSON.stringify(payload));
    const eventId = String(json.eventId);
    await system.drained();
    expect(await (await system.queue.getJob(eventId))?.getState()).toBe('failed');
    await fault.cure();

    const context = await browser.newContext({ httpCredentials: { username: 'ops', password: ADMIN_TOKEN } });
    const page = await context.newPage();
    const home = await page.goto(`${system.url}/admin/queues`);
    expect(home?.status()).toBe(200);
    await expect.poll(() => page.getByText('sumsub-events').first().isVisible(), { timeout: 15_000 }).toBe(true);

    await page.goto(`${system.url}/admin/queues/queue/sumsub-events?status=failed`);
    await expect.poll(() => page.getByText(eventId).first().isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByText('poisoned applicant').first().isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: 'Retry all' }).click();
    const confirm = page.getByRole('button', { name: /^(Confirm|Yes|Retry)$/ });
    if (
      await confirm
        .first()
        .isVisible()
        .catch(() => false)
    )
      await confirm.first().click();

    await expect.poll(async () => (await system.queue.getJob(eventId))?.getState(), { timeout: 15_000 }).toBe('completed');
    expect(await system.db.event.findUnique({ where: { eventId } })).toMatchObject({ status: 'applied' });
    expect(await system.db.applicant.findUnique({ where: { applicantId: String(payload.applicantId) } })).toMatchObject({
      reviewAnswer: 'GREEN',
    });
    await context.close();
  });

  it('offers retry for a failed job, hides the refused actions bull-board can hide, and explains the refusal of the others', async () => {
    const failing = webhook({ type: 'applicantReviewed', reviewStatus: 'completed', reviewResult: { reviewAnswer: 'GREEN' } });
    const fault = await poisonApplicant(system.config.DATABASE_URL, String(failing.applicantId));
    const failedId = String((await postWebhook(system.url, JSON.stringify(failing))).json.eventId);
    const completedId = String((await postWebhook(system.url, JSON.stringify(webhook()))).json.eventId);
    await system.drained();
    await fault.cure();
    expect(await (await system.queue.getJob(failedId))?.getState()).toBe('failed');
    expect(await (await system.queue.getJob(completedId))?.getState()).toBe('completed');

    const context = await browser.newContext({ httpCredentials: { username: 'ops', password: ADMIN_TOKEN } });
    const page = await context.newPage();
    await page.goto(`${system.url}/admin/queues/queue/sumsub-events?status=failed`);
    await expect.poll(() => page.getByText(failedId).first().isVisible(), { timeout: 15_000 }).toBe(true);
    // Retry stays; bull-board 9 shows duplicate, edit and delete unless the queue is read-only, which would hide retry too.
    expect(await jobActions(page, failedId)).toEqual(['Retry', 'Duplicate', 'Update Data', 'Clean']);
    expect(await page.getByRole('button', { name: 'Retry all' }).isVisible()).toBe(true);
    await page.locator('button[aria-haspopup="menu"]').first().click();
    const menu = page.getByRole('menuitem');
    await expect.poll(() => menu.allTextContents(), { timeout: 5_000 }).toContain('Retry all 1 failed jobs');
    expect(await menu.allTextContents()).not.toContain('Set rate limit');
    await page.keyboard.press('Escape');

    // A refused action that is still shown says what the dashboard allows.
    const actions = page.locator('ul[class*="jobActions"] button');
    await actions.nth(3).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() => page.getByText('the dashboard is read-only but for retry, promote and cleaning failed or completed jobs').isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    expect(await (await system.queue.getJob(failedId))?.getState()).toBe('failed');
    // Its own retry button works (the cause is cured): the dead letter is applied.
    await actions.nth(0).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(async () => (await system.queue.getJob(failedId))?.getState(), { timeout: 15_000 }).toBe('completed');

    // A completed job is not retried from here (pnpm cli replay does that): no retry, alone or for all.
    await page.goto(`${system.url}/admin/queues/queue/sumsub-events?status=completed`);
    await expect.poll(() => page.getByText(completedId).first().isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await jobActions(page, completedId)).toEqual(['Duplicate', 'Clean']);
    expect(await page.getByRole('button', { name: 'Retry all' }).count()).toBe(0);
    await context.close();
  });

  it("shows a failed job's type, applicant and verdict without opening a tab; its data as readable fields, its cause in one line", async () => {
    const payload = webhook({
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      firstName: 'Jane',
      reviewResult: { reviewAnswer: 'RED', reviewRejectType: 'FINAL', rejectLabels: ['FORGERY'], clientComment: 'internal note' },
    });
    const applicantId = String(payload.applicantId);
    const fault = await poisonApplicant(system.config.DATABASE_URL, applicantId);
    const { json } = await postWebhook(system.url, JSON.stringify(payload));
    const eventId = String(json.eventId);
    await system.drained();
    await fault.cure();
    const title = `applicantReviewed · ${applicantId} · RED/FINAL`;

    // What bull-board serves the page: the formatted job.
    const api = await fetch(`${system.url}/admin/queues/api/queues?activeQueue=sumsub-events&status=failed&page=1&jobsPerPage=50`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const body = (await api.json()) as { queues: { name: string; description?: string; jobs: Record<string, unknown>[] }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['lifecycle', 'notifications', 'sumsub-events']);
    for (const queue of body.queues) expect(queue.description).toEqual(expect.any(String));
    const job = body.queues.find((q) => q.name === 'sumsub-events')?.jobs.find((j) => j.id === eventId);
    expect(job).toMatchObject({
      name: title,
      failedReason: 'poisoned applicant',
      stacktrace: [],
      data: {
        eventId,
        type: 'applicantReviewed',
        applicantId,
        reviewStatus: 'completed',
        reviewAnswer: 'RED',
        reviewRejectType: 'FINAL',
        rejectLabels: ['FORGERY'],
        eventAt: '2024-05-01T10:00:00.000Z',
        receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        source: 'webhook',
      },
    });
    expect(JSON.stringify(job)).not.toMatch(/rawBody|digest|Jane|internal note|node_modules/);

    const context = await browser.newContext({
      httpCredentials: { username: 'ops', password: ADMIN_TOKEN },
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(`${system.url}/admin/queues/queue/sumsub-events?status=failed`);
    await expect.poll(() => page.getByText(title).first().isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByText('poisoned applicant').first().isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.content()).not.toMatch(/rawBody|node_modules/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-failed-jobs.png') });
    await page.goto(`${system.url}/admin/queues/queue/sumsub-events/${eventId}`);
    await expect.poll(() => page.getByText(title).first().isVisible(), { timeout: 15_000 }).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-job.png') });
    await page.goto(`${system.url}/admin/queues`);
    await expect.poll(() => page.getByText('lifecycle').first().isVisible(), { timeout: 15_000 }).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-queues.png') });
    await context.close();
  });
});
