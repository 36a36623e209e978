import { entryArgs } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';
import { WORKER_THREAD_HEAP } from '../src/thread/protocol.ts';

describe("pnpm start's worker thread", () => {
  it('has the heap `pnpm start:worker` gives a worker process', () => {
    const flag = (name: string) =>
      Number(
        entryArgs('worker')
          .find((arg) => arg.startsWith(`--${name}=`))
          ?.split('=')[1],
      );
    // V8's young generation is three semi-spaces (two, and as much again for large objects).
    expect(WORKER_THREAD_HEAP.maxYoungGenerationSizeMb).toBe(3 * flag('max-semi-space-size'));
    expect(WORKER_THREAD_HEAP.maxOldGenerationSizeMb).toBe(flag('max-old-space-size'));
  });
});
