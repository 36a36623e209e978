import type { ValueError } from '@sinclair/typebox/errors';

/** The most specific error: for a union, the variant error that got deepest into the value. */
function deepest(error: ValueError): ValueError {
  let best = error;
  for (const variant of error.errors) {
    const first = variant.First();
    if (!first) continue;
    const candidate = deepest(first);
    if (candidate.path.length > best.path.length) best = candidate;
  }
  return best;
}

/** "reviewResult.rejectLabels.0: Expected string" from a TypeBox error; "body: ..." at the root. */
export function describeSchemaError(error: ValueError | undefined): string {
  if (!error) return 'body: invalid';
  const target = deepest(error);
  const field = target.path ? target.path.replace(/^\//, '').replaceAll('/', '.') : 'body';
  return `${field}: ${target.message}`;
}
