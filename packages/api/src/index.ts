export * from './app.ts';
export * from './runtime.ts';
export * from './plugins/swagger.ts';
export { toApplicantResponse } from './routes/applicants/serialize.ts';
export * from './services/notifications.ts';
export * from './services/sumsub-api.ts';
