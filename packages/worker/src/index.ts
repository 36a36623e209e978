export * from './errors.ts';
export * from './processors/apply-event.ts';
export * from './runtime.ts';
export * from './metrics.ts';
