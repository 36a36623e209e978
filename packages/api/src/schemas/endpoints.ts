import { Type } from '@sinclair/typebox';
import { SafeText } from './common.ts';

const Time = Type.String({ format: 'date-time' });
const Secret = Type.String({ description: 'Standard Webhooks secret: whsec_ + base64 of 24 random bytes. Shown once.' });

export const EndpointParams = Type.Object({ id: SafeText(64) });

export const CreateEndpointBody = Type.Object(
  {
    url: SafeText(2048, 'http(s) URL that receives POSTed notifications'),
    description: Type.Optional(Type.String({ maxLength: 500, pattern: '^[^\\x00-\\x08\\x0b-\\x1f\\x7f]*$' })),
    includeClientComment: Type.Optional(
      Type.Boolean({
        default: false,
        description: "Send the review's clientComment (Sumsub: for admin personnel only, may hold private information)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const EndpointResponse = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  includeClientComment: Type.Boolean(),
  enabled: Type.Boolean({ description: 'false after the receiver answered 410 Gone' }),
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Time,
  previousSecretExpiresAt: Type.Union([Time, Type.Null()], { description: 'until then the previous secret signs too (rotation)' }),
});

export const CreatedEndpointResponse = Type.Composite([EndpointResponse, Type.Object({ secret: Secret })]);
export const EndpointListResponse = Type.Object({ endpoints: Type.Array(EndpointResponse) });
export const RotatedSecretResponse = Type.Object({
  secret: Secret,
  previousSecretExpiresAt: Type.String({ format: 'date-time', description: 'the old secret signs too until then (24 h)' }),
});
