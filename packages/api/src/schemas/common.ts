import { Type } from '@sinclair/typebox';

/** Text a route passes to PostgreSQL: no control characters (PostgreSQL cannot store NUL), bounded. */
export const SafeText = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[^\\x00-\\x1f\\x7f]+$', ...(description ? { description } : {}) });

/** An applicant id as Sumsub gives it (24 characters today; up to 256 are accepted). */
export const ApplicantId = SafeText(256);

/** A point in time for a filter: ISO 8601, between 1970 and 9999. */
export const FilterTime = (description: string) =>
  Type.String({ format: 'date-time', pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-', description });

/** A Sumsub account's name (SUMSUB_ACCOUNTS; `default` for the unprefixed variables). */
export const AccountName = Type.String({
  pattern: '^[a-z0-9-]{1,32}$',
  description: 'a Sumsub account (`default`: the unprefixed SUMSUB_* variables)',
});
