// What the global setup hands every test file (see global-setup.ts).
declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    runId: string;
    /** A migrated database no one connects to: CREATE DATABASE … TEMPLATE it. */
    templateDatabase: string;
  }
}

export {};
