export * from './app.ts';
export * from './runtime.ts';
export * from './services/event-enqueuer.ts';
export * from './services/redis.ts';
export { toApplicantResponse } from './routes/applicants/serialize.ts';
