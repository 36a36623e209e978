import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigSchema } from '@kyc/runtime';
import { describe, expect, it } from 'vitest';
import { REPO, renderConfiguration, SERVICE_VARIABLES, TOOLING_VARIABLES, variablesReadInCode } from '../../scripts/docs/configuration.ts';
import { renderOpenApi } from '../../scripts/docs/openapi.ts';

// The reference docs are generated from the code (`pnpm docs:generate`); these fail
// while a committed one says something else than the code it describes.
const committed = (file: string) => readFileSync(path.join(REPO, file), 'utf8');
const STALE = 'is stale: run `pnpm docs:generate` and commit the result';

describe('docs/configuration.md', () => {
  it('is what the configuration schema generates', () => {
    expect(committed('docs/configuration.md'), `docs/configuration.md ${STALE}`).toBe(renderConfiguration());
  });

  it('lists every variable the code reads', () => {
    const documented = new Set([
      ...Object.keys(ConfigSchema.properties),
      ...Object.keys(SERVICE_VARIABLES),
      ...Object.keys(TOOLING_VARIABLES),
    ]);
    const undocumented = [...variablesReadInCode()].filter(([name]) => !documented.has(name)).map(([name, file]) => `${name} (${file})`);
    expect(undocumented, 'add them to the schema, SERVICE_VARIABLES or TOOLING_VARIABLES').toEqual([]);
  });
});

describe('docs/openapi.json', () => {
  it('is the OpenAPI document the app serves', async () => {
    const fresh = await renderOpenApi();
    // Compared as JSON first, so a difference names the path that changed.
    expect(JSON.parse(committed('docs/openapi.json')), `docs/openapi.json ${STALE}`).toEqual(JSON.parse(fresh));
    expect(committed('docs/openapi.json'), `docs/openapi.json ${STALE}`).toBe(fresh);
  });
});
