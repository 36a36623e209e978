import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** What installs every optional program the tests use (root and apt-get). */
export const INSTALL_TOOLS_COMMAND = 'sudo bash scripts/install-system-packages';

/** Programs some tests need beyond the services; scripts/check-tools lists the same names. */
export type ToolName = 'chromium' | 'promtool' | 'podman' | 'podman-compose' | 'mmdebstrap';

const USED_BY: Record<ToolName, string> = {
  chromium: "the dashboard's browser test",
  promtool: "the alert rules' tests",
  podman: 'the container tests',
  'podman-compose': "the container tests' compose file",
  mmdebstrap: "the container tests' base image",
};

/** The executable's path when `name` is a path, or the first match on PATH. */
export function onPath(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/') ? [name] : searchPath.split(path.delimiter).map((dir) => path.join(dir || '.', name));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Where the tool is: CHROMIUM_PATH for the browser, else PATH (as scripts/check-tools looks). */
export function findTool(name: ToolName): string | undefined {
  return onPath(name === 'chromium' ? (process.env.CHROMIUM_PATH ?? name) : name);
}

/** The tools scripts/test found missing and could not install (KYC_TEST_MISSING_TOOLS, comma-separated). */
export function reportedMissing(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set((env.KYC_TEST_MISSING_TOOLS ?? '').split(',').filter(Boolean));
}

/**
 * The tool's path, for a test that needs it. When scripts/test reported it
 * missing the test is skipped, saying why and what installs it (that run still
 * fails at its end); missing anywhere else, the test fails, so a run that skips
 * nothing stays the only green one.
 */
export function requireTool(context: { skip(note: string): never }, name: ToolName): string {
  const found = findTool(name);
  if (found) return found;
  const reason = `${name} is missing (${USED_BY[name]}): ${INSTALL_TOOLS_COMMAND}`;
  if (reportedMissing().has(name)) context.skip(reason);
  throw new Error(reason);
}
