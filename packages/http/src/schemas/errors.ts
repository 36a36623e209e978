import { Type } from '@sinclair/typebox';

/** Every error answer: a stable machine-readable code and a message naming the problem. */
export const ErrorResponse = Type.Object(
  { error: Type.String({ description: 'Stable error code' }), message: Type.String({ description: 'What was wrong' }) },
  { description: 'What went wrong' },
);

/** 410: the applicant was erased (only its tombstone remains). */
export const ErasedResponse = Type.Composite(
  [ErrorResponse, Type.Object({ erasedAt: Type.String({ format: 'date-time', description: 'when it was erased' }) })],
  { description: 'The applicant was erased' },
);

/** Every authenticated route's OpenAPI security: a Bearer token. */
export const security = [{ bearerAuth: [] }];
/** The answers of a request the token does not allow. */
export const denied = { 401: ErrorResponse, 403: ErrorResponse };
/** …and of an admin write that is not JSON. */
export const deniedWrite = { ...denied, 415: ErrorResponse };
