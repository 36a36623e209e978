export function committedMigrations(dir: string): Promise<string[]>;
