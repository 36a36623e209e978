// A migration-aware driver adapter factory for the wasm schema engine, built on
// @prisma/adapter-pg with the traps it has when the *schema engine* (not the query
// client) drives it:
//  1. It refuses catalog column types the engine reads ("char", name[], reg*):
//     they are reported as text / text[] instead, by the engine's own pg client
//     class (the application's pg.Client is left as it is).
//  2. Its executeScript() splits on ';', which breaks function bodies and string
//     literals in migrations: scripts are sent whole (simple query protocol).
//  3. Its shadow database can be the main database (see pg-config.mjs), and it
//     drops the shadow database while its own pool still holds connections. The
//     shadow database is created and dropped (WITH (FORCE)) here instead.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { pgConfigFromUrl, quoteIdent, withClient } from './pg-config.mjs';

const TEXT = 25;
const TEXT_ARRAY = 1009;
const AS_TEXT = new Set([18, 19, 24, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096, 4191]);
const AS_TEXT_ARRAY = new Set([1002, 1003, 1008, 2207, 2208, 2209, 2210, 2211, 3735, 3770, 4090, 4097, 4192]);

/** @param {any} res */
function retypeFields(res) {
  for (const field of res?.fields ?? []) {
    if (AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT;
    else if (AS_TEXT_ARRAY.has(field.dataTypeID)) field.dataTypeID = TEXT_ARRAY;
  }
  return res;
}

/**
 * The schema engine's own pg client: it rewrites the result field types the
 * adapter cannot map. A subclass handed to pg.Pool as `Client`, so the fix stays
 * inside the engine's connections and the application's `pg` is never touched.
 */
class CatalogTypesClient extends pg.Client {
  /** @param {any[]} args */
  query(...args) {
    const [config] = args;
    if (config && typeof config === 'object' && config.types?.getTypeParser) {
      const inner = config.types.getTypeParser;
      config.types = {
        getTypeParser: (/** @type {number} */ oid, /** @type {string} */ format) =>
          AS_TEXT_ARRAY.has(oid) ? inner(TEXT_ARRAY, format) : AS_TEXT.has(oid) ? inner(TEXT, format) : inner(oid, format),
      };
    }
    // pg.Pool calls client.query(text, values, callback); the adapter awaits a promise.
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last];
      args[last] = (/** @type {unknown} */ error, /** @type {any} */ res) => callback(error, error ? res : retypeFields(res));
    }
    const result = /** @type {any} */ (super.query)(...args);
    return result && typeof result.then === 'function' ? result.then(retypeFields) : result;
  }
}

/** A pg pool config that uses the engine's client. @param {import('pg').ClientConfig} config */
const withCatalogTypes = (config) => ({ ...config, Client: CatalogTypesClient });

/** Sends a migration script in one round trip instead of splitting it on ';'. */
function sendScriptsWhole(/** @type {any} */ adapter) {
  adapter.executeScript = async (/** @type {string} */ script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

/**
 * @param {{ url: string, shadowDatabaseUrl?: string }} datasource
 */
export function createAdapterFactory(datasource) {
  const { schema, ...main } = pgConfigFromUrl(datasource.url);
  const options = schema ? { schema } : undefined;
  const mainFactory = new PrismaPg(withCatalogTypes(main), options);
  return {
    provider: mainFactory.provider,
    adapterName: mainFactory.adapterName,
    async connect() {
      return sendScriptsWhole(await mainFactory.connect());
    },
    async connectToShadowDb() {
      if (datasource.shadowDatabaseUrl) {
        const { schema: shadowSchema, ...shadow } = pgConfigFromUrl(datasource.shadowDatabaseUrl);
        if (shadow.database === main.database && shadow.host === main.host && shadow.port === main.port) {
          throw new Error('shadowDatabaseUrl points at the main database; refusing to use it as a shadow database');
        }
        return sendScriptsWhole(
          await new PrismaPg(withCatalogTypes(shadow), shadowSchema ? { schema: shadowSchema } : undefined).connect(),
        );
      }
      const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
      const maintenance = { ...main, database: 'postgres' };
      await withClient(maintenance, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
      const adapter = sendScriptsWhole(await new PrismaPg(withCatalogTypes({ ...main, database: name })).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await withClient(maintenance, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
      };
      return adapter;
    },
  };
}
