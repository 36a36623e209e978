// Loads @prisma/schema-engine-wasm without --experimental-wasm-modules: the glue
// module is imported, the .wasm instantiated by hand and wired to the glue.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

// createRequire rather than import.meta.resolve: test runners' module loaders lack the latter.
export const ENGINE_DIR = path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg'));

/**
 * The one wasm instance of this process. wasm-bindgen's glue holds a single
 * module (a second instantiation panics), and a panic is reported through one
 * global registry; so the instance, and the engine that currently owns the panic
 * slot, are process state by nature. `exclusive` lets one engine run at a time,
 * so a panic is always reported to the engine that caused it.
 */
const runtime = {
  /** @type {Promise<void> | undefined} */
  initialised: undefined,
  /** @type {{ last: string | undefined }} */
  panics: { last: undefined },
  /** @type {Promise<unknown>} */
  queue: Promise.resolve(),
};

function initialise() {
  runtime.initialised ??= (async () => {
    /** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY = {
      set_message(/** @type {string} */ message) {
        runtime.panics.last = message;
      },
    };
    const bytes = await readFile(path.join(ENGINE_DIR, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    /** @type {any} */
    const exports = instance.exports;
    glue.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return runtime.initialised;
}

/**
 * @param {[string, string][]} datamodels  [path, contents] pairs
 * @param {object} adapterFactory  a bound migration-aware adapter factory
 * @param {(line: string) => void} onLog
 * @param {{ last: string | undefined }} panics  receives the message of a Rust panic
 */
export async function loadSchemaEngine(datamodels, adapterFactory, onLog, panics) {
  await initialise();
  runtime.panics = panics;
  return /** @type {any} */ (await glue.SchemaEngine.new({ datamodels }, onLog, adapterFactory));
}

/**
 * Runs `work` when no other engine of this process is running (see `runtime`).
 * @template T @param {() => Promise<T>} work @returns {Promise<T>}
 */
export function exclusive(work) {
  const result = runtime.queue.then(work, work);
  runtime.queue = result.catch(() => undefined);
  return result;
}
