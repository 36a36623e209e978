export type SchemaEngine = {
  applyMigrations(input: {
    migrationsList: {
      baseDir: string;
      lockfile: { path: string; content: string | null };
      shadowDbInitScript: string;
      migrationDirectories: {
        path: string;
        migrationFile: { path: string; content: { tag: 'ok'; value: string } | { tag: 'error'; value: string } };
      }[];
    };
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
};

export function loadSchemaEngine(
  datamodels: [string, string][],
  adapterFactory: object,
  onLog: (line: string) => void,
  panics: { last: string | undefined },
): Promise<SchemaEngine>;
export const ENGINE_DIR: string;
export function exclusive<T>(work: () => Promise<T>): Promise<T>;
