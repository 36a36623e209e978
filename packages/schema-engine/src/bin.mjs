#!/usr/bin/env node
// Prisma's schema engine, run from its published WebAssembly build, behind
// PRISMA_SCHEMA_ENGINE_BINARY. The Prisma CLI spawns this file exactly as it would
// spawn the native binary (which it would otherwise download from a host that
// air-gapped machines cannot reach) and speaks JSON-RPC 2.0 over stdin/stdout,
// one message per line. See this package's README.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { createAdapterFactory } from './adapter.mjs';
import { runCliCommand } from './cli-commands.mjs';
import { ENGINE_DIR, loadSchemaEngine } from './wasm.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    datamodels: { type: 'string', multiple: true },
    datasource: { type: 'string' },
    'enabled-preview-features': { type: 'string' },
    'extension-types': { type: 'string' },
    version: { type: 'boolean', short: 'V' },
  },
});

/** @param {string} level @param {string} message */
function log(level, message) {
  process.stderr.write(`${JSON.stringify({ level, fields: { message }, target: 'schema_engine_wasm_runner' })}\n`);
}

function send(/** @type {object} */ message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Converts an engine or adapter failure into the JSON-RPC error the CLI expects. */
function toRpcError(/** @type {any} */ error, /** @type {any} */ registry, /** @type {string | undefined} */ panic) {
  const registered = typeof error?.id === 'number' ? registry.consumeError(error.id)?.error : undefined;
  const source = registered ?? error;
  const message = panic ?? (source instanceof Error ? source.message : String(source?.message ?? source));
  const data = { is_panic: Boolean(panic), message };
  if (typeof source?.code === 'string' && /^P\d{4}$/.test(source.code)) Object.assign(data, { error_code: source.code, meta: source.meta });
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

const methodNames = { getDatabaseVersion: 'version' };

async function serve() {
  const datasource = values.datasource ? JSON.parse(values.datasource) : undefined;
  const datamodels = await Promise.all(
    (values.datamodels ?? []).map(
      async (/** @type {string} */ file) => /** @type {[string, string]} */ ([file, await readFile(file, 'utf8')]),
    ),
  );
  if (datamodels.length === 0) {
    // Commands such as `migrate diff` start the engine without a schema; the wasm
    // engine still needs one to know the provider.
    datamodels.push(['datasource.prisma', 'datasource db {\n  provider = "postgresql"\n}\n']);
  }
  if (!datasource?.url) throw new Error('no datasource url was passed (set DATABASE_URL)');
  const factory = bindMigrationAwareSqlAdapterFactory(createAdapterFactory(datasource));
  const panics = { last: /** @type {string | undefined} */ (undefined) };
  /** @type {Record<string, (params: unknown) => Promise<any>>} */
  const engine = /** @type {any} */ (
    await loadSchemaEngine(datamodels, factory, (/** @type {string} */ line) => process.stderr.write(`${line}\n`), panics)
  );

  let printId = 0;
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    if (request.method === undefined) continue; // the CLI's answer to our `print` request
    const method = methodNames[/** @type {keyof typeof methodNames} */ (request.method)] ?? request.method;
    try {
      if (typeof engine[method] !== 'function') throw new Error(`unknown method ${request.method}`);
      const result = await /** @type {(params: unknown) => Promise<any>} */ (engine[method])(request.params ?? {});
      if (method === 'diff' && result?.stdout) {
        send({ jsonrpc: '2.0', id: `print-${++printId}`, method: 'print', params: { content: result.stdout.replace(/\n$/, '') } });
      }
      send({ jsonrpc: '2.0', id: request.id, result: result ?? null });
    } catch (error) {
      send({ jsonrpc: '2.0', id: request.id, error: toRpcError(error, factory.errorRegistry, panics.last) });
      panics.last = undefined;
    }
  }
}

async function main() {
  if (values.version) {
    const { version } = JSON.parse(await readFile(`${ENGINE_DIR}/package.json`, 'utf8'));
    process.stdout.write(`schema-engine-cli ${version.split('.').pop()}\n`);
    return 0;
  }
  // The CLI drops the first stderr line of `cli` commands.
  log('INFO', 'schema engine (wasm) starting');
  if (positionals[0] === 'cli') {
    return runCliCommand(positionals[1] ?? '', JSON.parse(values.datasource ?? '{}'));
  }
  await serve();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log('ERROR', error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
