import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources in tests (their
  // `@kyc/source` export condition); processes the tests spawn run the build.
  resolve: { conditions: ['@kyc/source'] },
  ssr: { resolve: { conditions: ['@kyc/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['packages/test-support/src/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only make the real services contend.
    maxWorkers: 2,
  },
});
