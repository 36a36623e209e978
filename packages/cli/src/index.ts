export * from './load/generator.ts';
export * from './load/runner.ts';
export * from './samples.ts';
