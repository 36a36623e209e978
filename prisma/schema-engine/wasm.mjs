// Loads @prisma/schema-engine-wasm without --experimental-wasm-modules: the glue
// module is imported, the .wasm instantiated by hand and wired to the glue.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

// createRequire rather than import.meta.resolve: test runners' module loaders lack the latter.
export const ENGINE_DIR = path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg'));

/** @type {Promise<void> | undefined} */
let initialised;
/** @type {{ last: string | undefined }} */
let currentPanics = { last: undefined };

/**
 * Instantiates the wasm module once per process: wasm-bindgen's glue holds one
 * module, and starting a second one in the same process panics.
 */
function initialise() {
  initialised ??= (async () => {
    /** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY = {
      set_message(/** @type {string} */ message) {
        currentPanics.last = message;
      },
    };
    const bytes = await readFile(path.join(ENGINE_DIR, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    /** @type {any} */
    const exports = instance.exports;
    glue.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return initialised;
}

/**
 * @param {[string, string][]} datamodels  [path, contents] pairs
 * @param {object} adapterFactory  a bound migration-aware adapter factory
 * @param {(line: string) => void} onLog
 * @param {{ last: string | undefined }} panics  receives the message of a Rust panic
 */
export async function loadSchemaEngine(datamodels, adapterFactory, onLog, panics) {
  await initialise();
  currentPanics = panics;
  return /** @type {any} */ (await glue.SchemaEngine.new({ datamodels }, onLog, adapterFactory));
}
