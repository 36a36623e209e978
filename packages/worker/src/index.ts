export * from './errors.ts';
export * from './jobs/apply-event.ts';
export * from './metrics.ts';
export * from './runtime.ts';
export * from './jobs/deliver-notification.ts';
export * from './notify/notifier.ts';
