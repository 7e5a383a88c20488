import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { assignTask, listTasks, resolveTask } from '../../app/tasks.js';
import { text, listOf } from '../../contract/fields.js';
import { taskSchema, taskView } from '../../contract/task.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { API_ERRORS, apiSchema, idParams, reasonBody } from '../route.js';

const listTasksQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['open', 'resolved'] },
    kind: text(64),
    owner: text(100),
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

// The task routes answer 502 too (in the schema since the task queue shared a file with the
// provider operations); kept so the OpenAPI document is unchanged.
const errors = [...API_ERRORS, 502];

/** The task queue: exceptions for a person, assigned and resolved with a note. Admin only. */
export async function taskRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');

  app.get<{ Querystring: { status?: 'open' | 'resolved'; kind?: string; owner?: string; limit: number } }>(
    '/v1/tasks',
    {
      schema: apiSchema(
        {
          tags: ['tasks'],
          summary: 'The task queue, oldest first',
          querystring: listTasksQuery,
          response: { 200: listOf(taskSchema) },
        },
        errors,
      ),
      preHandler: admin,
    },
    async (req) => ({ data: (await listTasks(req.deps, req.query)).map(taskView) }),
  );

  app.post<{ Params: { id: string }; Body: { owner: string } }>(
    '/v1/tasks/:id/assign',
    {
      schema: apiSchema(
        {
          tags: ['tasks'],
          summary: 'Give a task to a person or a role',
          params: idParams('id'),
          body: reasonBody('owner', 100),
          response: { 200: taskSchema },
        },
        errors,
      ),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await assignTask(req.deps, { taskId: req.params.id, owner: req.body.owner }, actorOf(req));
      return r.ok ? taskView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.post<{ Params: { id: string }; Body: { note: string } }>(
    '/v1/tasks/:id/resolve',
    {
      schema: apiSchema(
        {
          tags: ['tasks'],
          summary: 'Resolve a task with a note on what was done',
          params: idParams('id'),
          body: reasonBody('note', 2000),
          response: { 200: taskSchema },
        },
        errors,
      ),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await resolveTask(req.deps, { taskId: req.params.id, note: req.body.note }, actorOf(req));
      return r.ok ? taskView(r.value) : sendFailure(reply, r.error);
    },
  );
}
