export * from './catalogue.ts';
export * from './explain.ts';
