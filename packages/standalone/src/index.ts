export * from './front.ts';
export * from './start-system.ts';
export { freePort } from './local-redis.ts';
