import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderConfiguration, REPO } from './docs/configuration.ts';
import { renderOpenApi } from './docs/openapi.ts';

// `pnpm docs:generate`: rewrites the reference docs generated from the code
// (test/docs/generated.test.ts fails while the committed ones differ).
const outputs: Record<string, () => string | Promise<string>> = {
  'docs/configuration.md': renderConfiguration,
  'docs/openapi.json': renderOpenApi,
};
for (const [file, render] of Object.entries(outputs)) {
  writeFileSync(path.join(REPO, file), await render());
  process.stdout.write(`wrote ${file}\n`);
}
