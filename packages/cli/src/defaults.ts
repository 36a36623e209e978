import { readDevSecrets } from '@kyc/runtime/dev-secrets';
import { UsageError } from './api.ts';

const devSecrets = () => readDevSecrets(process.env.DATA_DIR ?? '.data');

/** Where `pnpm start` listens unless told otherwise. */
export const defaultUrl = () => `http://127.0.0.1:${process.env.PORT ?? 3000}`;

/** SUMSUB_WEBHOOK_SECRET (the first, when rotating), else the development secret `pnpm start` generated. */
export function defaultSecret(): string | undefined {
  return process.env.SUMSUB_WEBHOOK_SECRET?.split(',')[0]?.trim() || devSecrets().webhookSecret;
}

export function defaultToken(): string | undefined {
  return process.env.API_ADMIN_TOKEN ?? process.env.API_READ_TOKEN ?? devSecrets().adminToken;
}

/** The admin token: --token, else API_ADMIN_TOKEN (or the development one); none is an error. */
export function adminToken(given: string | undefined): string {
  const token = given ?? defaultToken();
  if (!token) throw new UsageError('no admin token: pass --token or set API_ADMIN_TOKEN');
  return token;
}
