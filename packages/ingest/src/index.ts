export * from './app.ts';
export * from './runtime.ts';
export * from './services/event-enqueuer.ts';
export * from './services/queues.ts';
export { toApplicantResponse } from './routes/applicants/serialize.ts';
export * from './services/notifications.ts';
