export * from './concurrency.ts';
export * from './generator.ts';
export * from './runner.ts';
export * from './samples.ts';
