import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTALL_TOOLS_COMMAND, onPath, REPO_ROOT_URL, requireTool } from '@kyc/test-support';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

// `pnpm test` on a machine without chromium and promtool: scripts/test run for real
// with a PATH that hides them. Its pnpm is a stand-in that records each step (the
// type check, lint and build are not what is tested here, and cost minutes) and
// hands the test step to vitest on a small suite; its apt-get records what it was
// asked to install.

const REPO = fileURLToPath(REPO_ROOT_URL);
const HIDDEN = new Set(['chromium', 'promtool', 'pnpm', 'apt-get']);
const root = mkdtempSync(path.join(tmpdir(), 'kyc-fresh-machine-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A bin directory with everything on this PATH but the hidden programs, plus recording stand-ins. */
function freshBin(): string {
  const bin = path.join(root, 'bin');
  if (existsSync(bin)) return bin;
  mkdirSync(bin);
  const linked = new Set(HIDDEN);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const target = linked.has(name) ? undefined : onPath(path.join(dir, name));
      if (target) symlinkSync(target, path.join(bin, name));
      if (target) linked.add(name);
    }
  }
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\necho "${name} $*|\${KYC_TEST_MISSING_TOOLS-unset}" >> "$CALLS"\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  stub('pnpm', `if [ "$1 $2" = "exec vitest" ]; then shift 2; exec "${REPO}node_modules/.bin/vitest" "$@"; fi`);
  stub('apt-get', 'exit 0');
  return bin;
}

type Run = { code: number; stdout: string; stderr: string; calls: string[] };

/** `bash scripts/test <args>` on the hiding PATH; no environment of this test run leaks in. */
function scriptsTest(env: Record<string, string>, args: string[]): Promise<Run> {
  const calls = path.join(root, `calls-${Math.random().toString(36).slice(2)}`);
  writeFileSync(calls, '');
  const pass = Object.fromEntries(
    ['HOME', 'TEST_REDIS_URL', 'TEST_POSTGRES_URL'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
  );
  return new Promise((resolve) => {
    execFile(
      'bash',
      [path.join(REPO, 'scripts/test'), ...args],
      { cwd: REPO, env: { ...pass, NO_COLOR: '1', ...env, PATH: freshBin(), CALLS: calls } },
      (error, stdout, stderr) => {
        const code = error ? Number(error.code ?? 1) : 0;
        resolve({ code, stdout, stderr, calls: readFileSync(calls, 'utf8').split('\n').filter(Boolean) });
      },
    );
  });
}

const FIXTURE = ['--config', 'test/tooling/fixtures/vitest.config.ts', '--reporter', 'verbose'];

describe('pnpm test on a machine without chromium and promtool', () => {
  it('runs every other check, skips the tests that need them saying why, and fails naming the install command', async () => {
    const run = await scriptsTest({ KYC_TEST_NO_INSTALL: '1' }, FIXTURE);
    expect(run.calls.filter((c) => c.startsWith('apt-get'))).toEqual([]);
    const steps = run.calls.map((c) => c.split(' ').slice(0, 3).join(' '));
    expect(steps).toEqual([
      'pnpm exec turbo', // typecheck
      'pnpm exec tsc',
      'pnpm exec prettier',
      'pnpm exec eslint',
      'pnpm exec turbo', // build
      'pnpm exec vitest',
    ]);
    expect(run.calls.every((c) => c.endsWith('|chromium,promtool'))).toBe(true);
    // The test that needs nothing ran; the other two were skipped with the reason.
    expect(run.stdout).toMatch(/✓ .*needs nothing/);
    expect(run.stdout).toMatch(new RegExp(`↓ .*needs chromium.*chromium is missing .*${INSTALL_TOOLS_COMMAND}`));
    expect(run.stdout).toMatch(new RegExp(`↓ .*needs promtool.*promtool is missing .*${INSTALL_TOOLS_COMMAND}`));
    expect(run.stdout).toMatch(/1 passed.*2 skipped|2 skipped.*1 passed/);
    expect(run.stderr).toContain('missing for the tests: chromium, promtool');
    expect(run.stderr).toContain(`install the rest with: ${INSTALL_TOOLS_COMMAND}`);
    expect(run.code).toBe(1);
  });

  it('installs them first when it can (root and apt-get), as CI does', async (context) => {
    if (process.getuid?.() !== 0) context.skip('installing needs root');
    const run = await scriptsTest({}, FIXTURE);
    const aptGet = run.calls.filter((c) => c.startsWith('apt-get'));
    expect(aptGet.some((c) => /^apt-get install .*\bchromium\b.*\bprometheus\b/.test(c))).toBe(true);
    // The stand-in installed nothing: the run goes on without them and fails as above.
    expect(run.calls.at(-1)).toMatch(/^pnpm exec vitest .*\|chromium,promtool$/);
    expect(run.code).toBe(1);
  });
});

describe('a test that needs a missing tool', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  const skipped: string[] = [];
  const context = {
    skip(note: string): never {
      skipped.push(note);
      throw new Error('skipped');
    },
  };

  it('fails where scripts/test did not report it missing (CI never skips silently)', () => {
    vi.stubEnv('PATH', root);
    vi.stubEnv('KYC_TEST_MISSING_TOOLS', undefined);
    expect(() => requireTool(context, 'promtool')).toThrow(`promtool is missing (the alert rules' tests): ${INSTALL_TOOLS_COMMAND}`);
  });

  it('is skipped with the reason where scripts/test reported it', () => {
    vi.stubEnv('PATH', root);
    vi.stubEnv('CHROMIUM_PATH', undefined);
    vi.stubEnv('KYC_TEST_MISSING_TOOLS', 'chromium');
    expect(() => requireTool(context, 'chromium')).toThrow('skipped');
    expect(skipped).toEqual([`chromium is missing (the dashboard's browser test): ${INSTALL_TOOLS_COMMAND}`]);
  });
});
