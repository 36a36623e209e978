import { describe, expect, it, vi } from 'vitest';
import { everySecondPerKind } from '../src/throttle.ts';

describe('everySecondPerKind', () => {
  it('logs each kind at most once a second and says how many were suppressed meanwhile', () => {
    vi.useFakeTimers();
    try {
      const lines: [string, number][] = [];
      const log = everySecondPerKind<Error>((kind, _error, suppressed) => lines.push([kind, suppressed]));
      for (let i = 0; i < 5000; i++) log('ECONNREFUSED', new Error('x')); // a tight reconnect loop
      log('MOVED', new Error('y'));
      vi.advanceTimersByTime(1000);
      log('ECONNREFUSED', new Error('x'));
      expect(lines).toEqual([
        ['ECONNREFUSED', 0],
        ['MOVED', 0],
        ['ECONNREFUSED', 4999],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
