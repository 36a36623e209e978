import { CATEGORIES } from '@kyc/rejections';
import { Type } from '@sinclair/typebox';

const Category = Type.Union(
  CATEGORIES.map((c) => Type.Literal(c)),
  { description: "This project's classification of a label (packages/rejections/catalogue.json)" },
);
const Known = Type.Boolean({
  description: 'false: not in the catalogue; kept as Sumsub sent it (counted in kyc_rejection_codes_unknown_total)',
});
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ExplainedLabel = Type.Object({
  label: Type.String({ description: "Sumsub's rejection label as received" }),
  category: Type.Union([Category, Type.Null()]),
  resubmittable: Type.Union([Type.Boolean({ description: 'whether the applicant can fix it by sending something new' }), Type.Null()]),
  description: Nullable(Type.String()),
  known: Known,
});

export const ExplainedButton = Type.Object({
  id: Type.String({ description: 'the button id as received: group_button, or a bare group or button id' }),
  group: Nullable(Type.String()),
  description: Nullable(Type.String()),
  known: Known,
});

export const Rejection = Type.Object(
  {
    rejectType: Nullable(Type.String({ description: "Sumsub's reviewRejectType: RETRY (resubmission requested) or FINAL" })),
    labels: Type.Array(ExplainedLabel),
    buttons: Type.Array(ExplainedButton),
  },
  { description: "The review's rejectLabels and buttonIds explained by the catalogue (GET /reject-labels)" },
);

export const RejectionClarification = Type.Object(
  {
    fetchedAt: Type.String({ format: 'date-time' }),
    applicant: Type.Array(ExplainedButton, { description: 'button ids Sumsub gave for the applicant (applicantState)' }),
    images: Type.Array(Type.Object({ imageId: Type.String(), buttons: Type.Array(ExplainedButton) }), {
      description: 'button ids Sumsub gave per document image (imagesStates)',
    }),
  },
  { description: "Sumsub's rejection clarification (moderationStates) for the visible RED review, fetched from its API" },
);

export const CatalogueLabel = Type.Object({
  code: Type.String(),
  category: Category,
  resubmittable: Type.Boolean(),
  description: Type.String(),
  source: Type.String({ description: 'the Sumsub page the entry comes from' }),
});

export const CatalogueButton = Type.Object({
  id: Type.String({ description: 'as Sumsub sends it: group_button, or the bare id of a group or of a button listed without one' }),
  group: Type.String(),
  button: Nullable(Type.String({ description: 'null: the group itself' })),
  labels: Type.Array(Type.String(), { description: 'the rejection labels Sumsub associates with it' }),
  state: Type.Union([Type.Literal('resubmission'), Type.Literal('rejected'), Type.Literal('either')], {
    description: "Sumsub's list it appears in: Resubmission requested, Rejected, or both",
  }),
  description: Type.String(),
  source: Type.String(),
});

export const CatalogueResponse = Type.Object({ labels: Type.Array(CatalogueLabel), buttons: Type.Array(CatalogueButton) });
