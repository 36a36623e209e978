import { Type } from '@sinclair/typebox';

export const WebhookAccepted = Type.Object({
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate')], {
    description: '`accepted`: stored in the queue now; `duplicate`: this event is already stored',
  }),
  eventId: Type.String({ description: 'Stable id of the event (also the queue job id)' }),
});

export const WebhookHeaders = Type.Object({
  'x-payload-digest': Type.Optional(Type.String({ description: 'Hex HMAC of the raw body' })),
  'x-payload-digest-alg': Type.Optional(Type.String({ description: 'HMAC_SHA1_HEX, HMAC_SHA256_HEX (default) or HMAC_SHA512_HEX' })),
});

export const WebhookAccountParams = Type.Object({
  account: Type.String({ description: 'the account name (SUMSUB_ACCOUNTS); `default` is the unprefixed SUMSUB_* variables' }),
});
