// Classifies processing errors for logs and metrics. Retrying is decided by BullMQ:
// everything but an UnrecoverableError (a contract violation) is retried with
// backoff, because a transient database fault must never lose an event.
const TRANSIENT_SQLSTATES: Record<string, string> = {
  '40001': 'serialization_failure',
  '40P01': 'deadlock',
  '57P01': 'database_shutdown',
  '57P03': 'database_starting',
  '53300': 'too_many_connections',
};

export function errorKind(error: unknown): string {
  const text = String((error as { message?: unknown })?.message ?? error);
  const code = (error as { code?: unknown })?.code;
  if ((error as { name?: unknown })?.name === 'ContractViolation') return 'contract_violation';
  if (typeof code === 'string' && TRANSIENT_SQLSTATES[code]) return TRANSIENT_SQLSTATES[code];
  if (
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Can't reach database|connection terminated|Connection terminated|DatabaseNotReachable|P1001|P1017/i.test(
      text,
    )
  )
    return 'database_unreachable';
  if (/timeout|timed out/i.test(text)) return 'timeout';
  return 'unknown';
}
