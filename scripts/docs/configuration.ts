import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_MEANINGS, ConfigSchema } from '@kyc/runtime';

// docs/configuration.md, from the configuration schema (what the services read
// and validate at start) and, for the variables only the tests and tools read,
// from TOOLING_VARIABLES below.

export const REPO = path.resolve(import.meta.dirname, '../..');

/** JSON Schema as TypeBox builds it; only what the table shows. */
type Schema = {
  type?: string;
  const?: string | number;
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  default?: unknown;
  description?: string;
};

/**
 * Variables the services read outside ConfigSchema: the per-account Sumsub settings
 * (their names are made from SUMSUB_ACCOUNTS, docs/accounts.md) and OpenTelemetry's
 * own standard variables (docs/deploy.md, Tracing).
 */
export const SERVICE_VARIABLES: Record<string, string> = {
  SUMSUB_ACCOUNTS:
    'more Sumsub accounts, comma-separated names (`a-z`, `0-9`, `-`); each reads `SUMSUB_ACCOUNT_<NAME>_WEBHOOK_SECRET`, `…_WEBHOOK_SECRETS_RETIRED`, `…_WEBHOOK_ALGORITHMS`, `…_APP_TOKEN`, `…_SECRET_KEY`, `…_API_URL` (docs/accounts.md); the unprefixed `SUMSUB_*` variables are the account `default`',
  OTEL_EXPORTER_OTLP_ENDPOINT:
    'tracing on: the OTLP/HTTP collector (unset, with `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` unset: tracing off, nothing loaded)',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'tracing on: the collector for traces only (OpenTelemetry standard)',
  OTEL_EXPORTER_OTLP_PROTOCOL: '`http/protobuf` (default) or `http/json`',
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'the same, for traces only',
  OTEL_SDK_DISABLED:
    '`true`: tracing off even with an endpoint set (OpenTelemetry standard; `OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_RESOURCE_ATTRIBUTES` are read by the SDK as documented there)',
};

/** Variables the tests, benchmarks and scripts read (never the services). */
export const TOOLING_VARIABLES: Record<string, string> = {
  TEST_REDIS_URL: 'the Redis the tests use (default `redis://127.0.0.1:6379`)',
  TEST_POSTGRES_URL: 'the PostgreSQL server the tests create their databases on (default `postgresql://postgres@127.0.0.1:5432/postgres`)',
  CHROMIUM_PATH: "the browser binary of the dashboard's browser test (default: `chromium` on PATH)",
  KYC_TEST_NO_INSTALL: '`1`: `pnpm test` never installs missing programs, even as root',
  KYC_TEST_MISSING_TOOLS: 'set by `pnpm test`: the programs it could not install; the tests that need them skip instead of failing',
  BENCH_LOG_LEVEL: "the benchmarked ingest's `LOG_LEVEL` (`pnpm bench`)",
  KYC_CPU_PROF: 'a directory: processes the tests spawn write a CPU profile there (`pnpm bench`)',
  PG_BIN:
    'where the PostgreSQL server programs are (`initdb`, `pg_basebackup`) for the read-replica test (default: the newest under /usr/lib/postgresql)',
  CONTAINER_ENGINE:
    '`docker` or `podman`: the engine `pnpm container:build` and the container tests use (default: docker when its daemon answers, else podman)',
};

/** The operating system's own, read to find programs. */
const SYSTEM_VARIABLES = new Set(['PATH', 'HOME']);

const code = (value: unknown) => `\`${String(value)}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function range(schema: Schema): string {
  if (schema.minimum === undefined || schema.maximum === undefined) return '';
  return ` ${schema.minimum}–${schema.maximum}`;
}

/** A schema as a reader needs it: `integer 1–100`, `` `0` | `1` ``, `URL (redis, rediss)`... */
export function typeOf(schema: Schema): string {
  if (schema.anyOf) return schema.anyOf.map((s) => code(s.const)).join(' | ');
  if (schema.type === 'integer') return `integer${range(schema)}`;
  const protocols = /^\^\(([a-z|]+)\):\/\/$/.exec(schema.pattern ?? '');
  if (protocols) return `URL (${(protocols[1] ?? '').split('|').join(', ')})`;
  if (schema.pattern) return `string matching ${code(schema.pattern)}`;
  if (schema.minLength !== undefined && schema.minLength > 1) return `string, ${schema.minLength}+ characters`;
  return 'string';
}

export function renderConfiguration(): string {
  const properties = ConfigSchema.properties as Record<string, Schema>;
  const required = new Set<string>(ConfigSchema.required ?? []);
  const rows = Object.entries(properties).map(([name, schema]) => {
    const entry = CONFIG_MEANINGS[name as keyof typeof CONFIG_MEANINGS];
    const meaning = entry?.meaning ?? schema.description;
    if (!meaning) throw new Error(`${name}: no meaning; add an entry in CONFIG_MEANINGS (or a description in the schema)`);
    const shown = entry?.shownDefault ?? (required.has(name) && schema.default !== undefined ? code(schema.default) : 'unset');
    return `| ${code(name)} | ${cell(typeOf(schema))} | ${cell(shown)} | ${cell(meaning)} |`;
  });
  const tooling = Object.entries(TOOLING_VARIABLES).map(([name, meaning]) => `| ${code(name)} | ${cell(meaning)} |`);
  return [
    '# Configuration',
    '',
    '<!-- Generated by `pnpm docs:generate` from packages/runtime/src/config (schema.ts, meanings.ts);',
    '     test/docs/generated.test.ts fails when this file and the code differ. Do not edit by hand. -->',
    '',
    'Every service (`pnpm start`, `start:ingest`, `start:api`, `start:worker`) reads its',
    'configuration from these environment variables, checks every one at start and exits',
    'with a message naming each bad value. An empty value counts as unset. Outside',
    '`NODE_ENV=production`, missing development secrets are generated into `DATA_DIR`.',
    '',
    '| Variable | Type | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '## Read by the services outside the schema',
    '',
    '| Variable | Meaning |',
    '| --- | --- |',
    ...Object.entries(SERVICE_VARIABLES).map(([name, meaning]) => `| ${code(name)} | ${cell(meaning)} |`),
    '',
    '## Read by the tests and tools only',
    '',
    '| Variable | Meaning |',
    '| --- | --- |',
    ...tooling,
    '',
  ].join('\n');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist', 'generated'].includes(entry.name) ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every environment variable the TypeScript code reads by name (process.env.X, env.X, env['X']), with a file that reads it. */
export function variablesReadInCode(): Map<string, string> {
  const roots = [
    ...readdirSync(path.join(REPO, 'packages')).map((p) => path.join(REPO, 'packages', p, 'src')),
    path.join(REPO, 'bench'),
    path.join(REPO, 'scripts'),
    path.join(REPO, 'test'),
  ];
  const found = new Map<string, string>();
  for (const file of roots.flatMap((root) => {
    try {
      return sourceFiles(root);
    } catch {
      return [];
    }
  })) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) {
      const name = match[1] ?? match[2] ?? '';
      if (!found.has(name) && !SYSTEM_VARIABLES.has(name)) found.set(name, path.relative(REPO, file));
    }
  }
  return found;
}
