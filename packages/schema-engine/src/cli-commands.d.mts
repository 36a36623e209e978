export function runCliCommand(command: string, datasource: { url: string }): Promise<number>;
export function ensureDatabase(url: string): Promise<boolean>;
