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
