export * from './clarification.ts';
export * from './client.ts';
export * from './documents.ts';
export * from './errors.ts';
export * from './review.ts';
export * from './signing.ts';
