import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { denied, security } from '@kyc/http';
import { catalogue } from '@kyc/rejections';
import { CatalogueResponse } from '../schemas/rejection.ts';

/** The rejection catalogue for client systems that render their own texts (either token). */
export const rejectLabelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authorize(['read', 'admin']));
  app.get(
    '/reject-labels',
    {
      schema: {
        summary: "Sumsub's rejection labels and explanatory buttons, as this service explains them",
        description:
          'Each label with its category, whether resubmission can fix it, a description and the Sumsub page it comes from; each button with its group, labels and list (resubmission, rejected).',
        tags: ['applicants'],
        security,
        response: { 200: CatalogueResponse, ...denied },
      },
    },
    async () => catalogue(),
  );
};
