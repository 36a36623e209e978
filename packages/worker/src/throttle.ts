/**
 * Wraps a logging function so that each kind is logged at most once a second;
 * the next line for a kind says how many were suppressed meanwhile. A Redis
 * outage makes the client report an error per reconnect attempt and per
 * command: this keeps the log readable and cheap.
 */
export function everySecondPerKind<A>(log: (kind: string, arg: A, suppressed: number) => void, intervalMs = 1000) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (kind: string, arg: A): void => {
    const now = Date.now();
    const entry = last.get(kind);
    if (entry && now - entry.at < intervalMs) {
      entry.suppressed++;
      return;
    }
    log(kind, arg, entry?.suppressed ?? 0);
    last.set(kind, { at: now, suppressed: 0 });
  };
}
