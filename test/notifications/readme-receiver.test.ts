import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '@kyc/standalone';
import { REPO_ROOT_URL, webhook, withSystem } from '@kyc/test-support';
import { afterAll, describe, expect, it } from 'vitest';

// The integrator's receiving snippet (docs/integrating.md), run as written: extracted
// from the page, started with node, registered as an endpoint. If the page drifts
// from what the service sends, this fails.
const system = withSystem({ workers: 1, ownDatabase: true, env: { NOTIFY_ALLOW_PRIVATE: '1', NOTIFY_RELAY_INTERVAL_MS: '20' } });
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
});

function readmeSnippet(): string {
  const readme = readFileSync(new URL('docs/integrating.md', REPO_ROOT_URL), 'utf8');
  const marker = readme.indexOf('<!-- readme-receiver:');
  const match = /```js\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (marker < 0 || !match?.[1]) throw new Error('docs/integrating.md has no receiving snippet after its readme-receiver marker');
  return match[1];
}

describe('the README receiver', () => {
  it('verifies real notifications with the standardwebhooks library and acts on each version once', async () => {
    // Where `standardwebhooks` resolves from (a dependency of the test support package).
    const dir = path.join(new URL('packages/test-support/node_modules/.cache/readme', REPO_ROOT_URL).pathname);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'receiver.mjs');
    writeFileSync(file, readmeSnippet());
    const port = await freePort();
    const created = await system.admin('POST', '/admin/endpoints', { url: `http://127.0.0.1:${port}/kyc` });
    const output: string[] = [];
    child = spawn(process.execPath, [file], {
      env: { ...process.env, PORT: String(port), KYC_WEBHOOK_SECRET: created.json.secret as string },
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await expect
      .poll(() =>
        fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).then(
          (r) => r.status,
          () => 0,
        ),
      )
      .toBe(401);

    const base = webhook({ type: 'applicantPending', reviewStatus: 'pending', createdAtMs: '2024-05-01 10:00:01.000' });
    const id = base.applicantId as string;
    await system.post(base);
    // Version 1 first: applied the other way round (the worker may), the older event is stale and there is no version 2.
    await expect.poll(() => output.join(''), { timeout: 15_000 }).toContain(`${id} is now pending (version 1)`);
    await system.post({
      ...base,
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'GREEN' },
      createdAtMs: '2024-05-01 10:00:02.000',
    });
    await expect.poll(() => output.join(''), { timeout: 15_000 }).toContain(`${id} is now approved (version 2)`);
  });
});
