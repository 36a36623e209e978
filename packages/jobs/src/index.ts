export * from './event-queues.ts';
