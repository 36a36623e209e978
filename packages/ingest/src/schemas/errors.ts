import { Type } from '@sinclair/typebox';

/** Every error answer: a stable machine-readable code and a message naming the problem. */
export const ErrorResponse = Type.Object(
  { error: Type.String({ description: 'Stable error code' }), message: Type.String({ description: 'What was wrong' }) },
  { description: 'What went wrong' },
);
