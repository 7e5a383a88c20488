import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { readNotificationSettings, readReviewRules, readTaskOwners } from '../../app/queries/api-settings.js';
import { putNotificationSettings, putReviewRules, putTaskOwners } from '../../app/settings.js';
import { notificationSettingsSchema, reviewRulesSchema, taskOwnersSchema } from '../../contract/settings.js';
import type { NotificationSettings } from '../../domain/notifications.js';
import type { ReviewRules } from '../../domain/review.js';
import type { TaskKind } from '../../domain/timeline.js';
import { requireScope } from '../auth.js';
import { API_ERRORS, apiSchema } from '../route.js';

/** The settings for e-mail notifications and antifraud review, read and replaced whole: admin only. */
export async function settingRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');
  const settings = (summary: string, schema: object, body: boolean) =>
    apiSchema({ tags: ['settings'], summary, ...(body && { body: schema }), response: { 200: schema } });

  app.get(
    '/v1/settings/notifications',
    { schema: settings('E-mail notification settings', notificationSettingsSchema, false), preHandler: admin },
    async () => readNotificationSettings(deps),
  );
  app.put<{ Body: NotificationSettings }>(
    '/v1/settings/notifications',
    {
      schema: settings('Replace the e-mail notification settings', notificationSettingsSchema, true),
      preHandler: admin,
    },
    async (req) => putNotificationSettings(req.deps, req.body),
  );
  app.get(
    '/v1/settings/review',
    { schema: settings('Antifraud review rules', reviewRulesSchema, false), preHandler: admin },
    async () => readReviewRules(deps),
  );
  app.put<{ Body: ReviewRules }>(
    '/v1/settings/review',
    { schema: settings('Replace the antifraud review rules', reviewRulesSchema, true), preHandler: admin },
    async (req) => putReviewRules(req.deps, req.body),
  );
}

/**
 * Who each kind of task goes to. Registered in the reconciliation scope (see reconciliation.ts),
 * where these routes have always been, so their content-type handling is unchanged.
 */
export async function taskOwnerRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');
  const errors = [...API_ERRORS, 413];
  app.get(
    '/v1/settings/task-owners',
    {
      schema: apiSchema(
        { tags: ['settings'], summary: 'Who each kind of task goes to', response: { 200: taskOwnersSchema } },
        errors,
      ),
      preHandler: admin,
    },
    async () => readTaskOwners(deps),
  );
  app.put<{ Body: Partial<Record<TaskKind, string>> }>(
    '/v1/settings/task-owners',
    {
      schema: apiSchema(
        {
          tags: ['settings'],
          summary:
            'Owner rules: a role (support, accounting) or a person per task kind; a kind left out goes back to its default',
          body: taskOwnersSchema,
          response: { 200: taskOwnersSchema },
        },
        errors,
      ),
      preHandler: admin,
    },
    async (req) => putTaskOwners(req.deps, req.body),
  );
}
