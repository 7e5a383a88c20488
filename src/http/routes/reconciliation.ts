import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { setReportMapping } from '../../app/payment-methods.js';
import { listRuns } from '../../app/queries/api-reconciliation.js';
import { getRun } from '../../app/reconcile.js';
import { listOf } from '../../contract/fields.js';
import { paymentMethodSchema } from '../../contract/payment-method.js';
import { runSchema, runView } from '../../contract/reconciliation-run.js';
import { CSV_MAPPING_SCHEMA } from '../../domain/report.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { importReportUpload, REPORT_UPLOAD_LIMITS } from '../../web/report-upload.js';
import { API_ERRORS, apiSchema, idParams } from '../route.js';
import { taskOwnerRoutes } from './settings.js';

const errors = [...API_ERRORS, 413];

/** Report imports and their runs (accounting), how a report is read, and the owner rules of tasks (admin). */
export async function reconciliationRoutes(app: FastifyInstance, deps: AppDeps) {
  const accounting = requireScope(deps, 'accounting');
  const admin = requireScope(deps, 'admin');
  await app.register(multipart, { limits: REPORT_UPLOAD_LIMITS });

  app.post(
    '/v1/reconciliation/runs',
    {
      schema: apiSchema(
        {
          tags: ['reconciliation'],
          summary: "Import a provider's report (multipart: payment_method_id, date, file) and reconcile it",
          description:
            'The file streams to a temporary file and is read in batches. The same file imported again is recognised by its SHA-256 and answered with its run (200) without counting anything twice; an import that was interrupted goes on where it stopped. 201 with the run once it completed.',
          consumes: ['multipart/form-data'],
          response: { 200: runSchema, 201: runSchema },
        },
        errors,
      ),
      preHandler: accounting,
    },
    async (req, reply) => {
      const r = await importReportUpload(req.deps, req.parts(), { actor: actorOf(req), via: 'api' });
      if (!r.ok) return sendFailure(reply, r.error);
      return reply.code(r.value.recognised ? 200 : 201).send(runView(r.value.run));
    },
  );

  app.get<{ Querystring: { payment_method_id?: string; limit?: number } }>(
    '/v1/reconciliation/runs',
    {
      schema: apiSchema(
        {
          tags: ['reconciliation'],
          summary: 'Reconciliation runs, newest first',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              payment_method_id: { type: 'string', maxLength: 64 },
              limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            },
          },
          response: { 200: listOf(runSchema) },
        },
        errors,
      ),
      preHandler: accounting,
    },
    async (req) => ({
      data: (
        await listRuns(req.deps, { paymentMethodId: req.query.payment_method_id, limit: req.query.limit ?? 50 })
      ).map(runView),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/reconciliation/runs/:id',
    {
      schema: apiSchema(
        {
          tags: ['reconciliation'],
          summary: 'One run: counts by outcome and exception kind, totals per currency',
          params: idParams('id'),
          response: { 200: runSchema },
        },
        errors,
      ),
      preHandler: accounting,
    },
    async (req, reply) => {
      const r = await getRun(req.deps, req.params.id);
      if (!r.ok) return sendFailure(reply, r.error);
      return runView(r.value);
    },
  );

  app.put<{ Params: { id: string }; Body: { report_mapping: unknown } }>(
    '/v1/payment-methods/:id/report-mapping',
    {
      schema: apiSchema(
        {
          tags: ['reconciliation'],
          summary: "How to read this provider's CSV report (null: the default columns)",
          params: idParams('id'),
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['report_mapping'],
            properties: { report_mapping: { anyOf: [CSV_MAPPING_SCHEMA, { type: 'null' }] } },
          },
          response: { 200: paymentMethodSchema },
        },
        errors,
      ),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await setReportMapping(req.deps, req.params.id, req.body.report_mapping);
      if (!r.ok) return sendFailure(reply, r.error);
      return r.value;
    },
  );

  await taskOwnerRoutes(app, deps);
}
