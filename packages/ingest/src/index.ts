export * from './app.ts';
export * from './runtime.ts';
export * from './services/event-enqueuer.ts';
export * from './services/metrics.ts';
