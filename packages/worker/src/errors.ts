import { UnrecoverableError } from 'bullmq';

/** The job's data or payload breaks the contract: retrying cannot help. */
export class ContractViolation extends UnrecoverableError {
  constructor(message: string) {
    super(`payload violates the contract: ${message}`);
    this.name = 'ContractViolation';
  }
}

/**
 * The job's body does not carry a valid signature from any configured secret:
 * it did not come from Sumsub through intake (a job added through Redis or the
 * dashboard), or it was signed with a secret no longer configured.
 */
export class VerificationFailed extends UnrecoverableError {
  constructor(message: string) {
    super(`signature verification failed: ${message}`);
    this.name = 'VerificationFailed';
  }
}

/** An endpoint did not take a notification (non-2xx, no answer): retried with backoff. */
export class DeliveryFailed extends Error {
  constructor(message: string) {
    super(`notification not delivered: ${message}`);
    this.name = 'DeliveryFailed';
  }
}

/** The last attempt failed too: the delivery is recorded as given up (a dead letter, replayable). */
export class DeliveryGivenUp extends UnrecoverableError {
  constructor(message: string) {
    super(`notification given up after its last attempt: ${message}`);
    this.name = 'DeliveryGivenUp';
  }
}

// Classifies processing errors for logs and metrics. Retrying is decided by
// BullMQ: everything but an UnrecoverableError is retried with backoff, because
// a transient database fault must never lose an event.
const TRANSIENT_SQLSTATES: Record<string, string> = {
  '40001': 'serialization_failure',
  '40P01': 'deadlock',
  '57P01': 'database_shutdown',
  '57P03': 'database_starting',
  '53300': 'too_many_connections',
};

const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Can't reach database|connection terminated|Connection terminated|DatabaseNotReachable|P1001|P1017/i;

export function errorKind(error: unknown): string {
  if (error instanceof VerificationFailed) return 'verification_failed';
  if (error instanceof ContractViolation) return 'contract_violation';
  if (error instanceof DeliveryFailed || error instanceof DeliveryGivenUp) return 'endpoint';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TRANSIENT_SQLSTATES[code]) return TRANSIENT_SQLSTATES[code];
  const text = error instanceof Error ? error.message : String(error);
  if (UNREACHABLE.test(text)) return 'database_unreachable';
  if (/timeout|timed out/i.test(text)) return 'timeout';
  return 'unknown';
}

/** Kinds that count as database errors in kyc_database_errors_total. */
export const DATABASE_KINDS: ReadonlySet<string> = new Set([
  'database_unreachable',
  'database_shutdown',
  'database_starting',
  'deadlock',
  'serialization_failure',
  'too_many_connections',
]);
