import { type Browser, chromium } from 'playwright-core';
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
let browser: Browser;
let launched: Promise<Browser> | undefined;
beforeEach(async (context) => {
  const executablePath = requireTool(context, 'chromium');
  browser = await (launched ??= chromium.launch({ executablePath, args: FLAGS }));
});
afterAll(async () => {
  await (await launched)?.close();
});

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
});
