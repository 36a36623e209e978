export * from './address-policy.ts';
export * from './special-purpose.ts';
export * from './standard-webhooks.ts';
