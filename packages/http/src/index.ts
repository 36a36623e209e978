export * from './app.ts';
export * from './errors.ts';
export * from './plugins/errors.ts';
export * from './plugins/request-log.ts';
export * from './routes/health.ts';
export * from './schemas/errors.ts';
export * from './server.ts';
