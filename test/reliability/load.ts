import { type DeliveryResult, generateDeliveries, runLoad } from '@kyc/samples';
import { PROCESS_SECRET, type ProcessSystem } from '@kyc/test-support';

export type Profile = {
  name: 'short' | 'full';
  deliveries: number;
  applicants: number;
  outageMs: number;
  fuzzRequests: number;
  loadSeconds: number;
};

export const PROFILES: Record<Profile['name'], Profile> = {
  short: { name: 'short', deliveries: 1000, applicants: 100, outageMs: 3000, fuzzRequests: 5000, loadSeconds: 8 },
  full: { name: 'full', deliveries: 10_000, applicants: 1000, outageMs: 10_000, fuzzRequests: 50_000, loadSeconds: 30 },
};

/** The CLI's generator and runner: applicants' lifecycles, 30% duplicates, shuffled. */
export async function sendLoad(
  system: ProcessSystem,
  profile: Profile,
  options: { paced: boolean; seed: number },
): Promise<DeliveryResult[]> {
  const deliveries = generateDeliveries({
    count: profile.deliveries,
    applicants: profile.applicants,
    duplicates: 0.3,
    shuffle: true,
    seed: options.seed,
  });
  const summary = await runLoad({ url: system.url, secret: PROCESS_SECRET, algorithm: 'HMAC_SHA256_HEX' }, deliveries, {
    concurrency: 32,
    ...(options.paced ? { rate: profile.deliveries / profile.loadSeconds } : {}),
  });
  return summary.results;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fault` `afterMs` into the load, while the load goes on. */
export async function during<T>(load: Promise<T>, afterMs: number, fault: () => Promise<void>): Promise<T> {
  const injected = sleep(afterMs).then(fault);
  const [result] = await Promise.all([load, injected]);
  return result;
}
