import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startProcessSystem } from '@kyc/test-support';
import { hammer } from './support/autocannon.ts';
import { signedRequests } from './support/bodies.ts';
import { type Budget, budgetOf, onlyProfile } from './support/cpu-profile.ts';
import { PRODUCTION_DEFAULTS } from './support/servers.ts';
import { profileProcessing } from './processing.ts';

export type Profiles = { intake: Budget; intakeRequests: number; processing: Budget; processingEvents: number };

async function inTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kyc-cpu-prof-'));
  try {
    return await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Where each path's CPU goes: `node --cpu-prof` of the production ingest under
 * 50 connections of distinct signed events, and of one worker process draining a
 * pre-filled queue; self time by category, per request or per event (the whole
 * process life, start-up included, divided by the work it did).
 */
export async function profilePaths(seconds: number, events: number): Promise<Profiles> {
  const [intake, intakeRequests] = await inTempDir(async (dir) => {
    const requests = signedRequests(200_000, { duplicates: 0, shuffle: false, seed: 12 });
    const system = await startProcessSystem('profile-intake', {
      workers: 0,
      env: { ...PRODUCTION_DEFAULTS, LOG_LEVEL: 'info' },
      // The ingest's profile only (the api process runs beside it).
      frontEnv: { KYC_CPU_PROF: dir },
    });
    let handled = 0;
    try {
      handled += (await hammer(system.url, requests.slice(150_000), { connections: 50, seconds: 2 })).total;
      handled += (await hammer(system.url, requests.slice(0, 150_000), { connections: 50, seconds })).total;
    } finally {
      await system.stop();
    }
    return [budgetOf(onlyProfile(dir), handled), handled] as const;
  });
  const processing = await inTempDir(async (dir) => {
    await profileProcessing(events, dir);
    return budgetOf(onlyProfile(dir), events);
  });
  return { intake, intakeRequests, processing, processingEvents: events };
}
