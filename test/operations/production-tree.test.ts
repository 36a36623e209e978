import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { REPO_ROOT_URL } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// What a production install (pnpm install --prod) puts on disk: every workspace
// project's production dependencies. Test tooling is development-only.
const run = promisify(execFile);
type Tree = { name: string; dependencies?: Record<string, Node> };
type Node = { version: string; dependencies?: Record<string, Node> };

const TOOLING = (name: string) => name === 'vitest' || name.startsWith('@vitest/') || name === '@kyc/test-support' || name === 'fast-check';

/** Every path from a project to a test tool among its production dependencies. */
function toolPaths(dependencies: Record<string, Node> | undefined, path: string[]): string[][] {
  return Object.entries(dependencies ?? {}).flatMap(([name, node]) => {
    const here = [...path, `${name}@${node.version}`];
    return [...(TOOLING(name) ? [here] : []), ...toolPaths(node.dependencies, here)];
  });
}

describe('production dependency trees', () => {
  it('no workspace package lists test tooling among its production dependencies', () => {
    const manifests = ['package.json', ...readdirSync(new URL('packages/', REPO_ROOT_URL)).map((dir) => `packages/${dir}/package.json`)];
    const listed = manifests.flatMap((file) => {
      const manifest = JSON.parse(readFileSync(new URL(file, REPO_ROOT_URL), 'utf8')) as { dependencies?: Record<string, string> };
      return Object.keys(manifest.dependencies ?? {})
        .filter(TOOLING)
        .map((name) => `${file}: ${name}`);
    });
    expect(listed).toEqual([]);
  });

  it('hold no test runner, property-testing library or @kyc/test-support', async () => {
    const { stdout } = await run('pnpm', ['list', '-r', '--prod', '--depth', 'Infinity', '--json'], {
      cwd: new URL('.', REPO_ROOT_URL).pathname,
      maxBuffer: 64 * 1024 * 1024,
    });
    const projects = JSON.parse(stdout) as Tree[];
    expect(projects.map((p) => p.name)).toEqual(expect.arrayContaining(['@kyc/api', '@kyc/ingest', '@kyc/worker', '@kyc/test-support']));
    const found = projects.flatMap((p) => toolPaths(p.dependencies, [p.name]));
    // Prisma's configuration loader (effect) uses fast-check 3 at run time: a dependency of prisma, not test tooling of ours.
    const ours = found.filter((path) => !path.some((step) => step.startsWith('effect@')));
    expect(ours.map((path) => path.join(' > '))).toEqual([]);
  });
});
