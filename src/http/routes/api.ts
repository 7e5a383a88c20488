import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { adjustmentRoutes } from './adjustments.js';
import { apiKeyRoutes } from './api-keys.js';
import { callbackLogRoutes } from './callback-log.js';
import { chargebackRoutes } from './chargebacks.js';
import { orderRoutes } from './orders.js';
import { outboxRoutes } from './outbox.js';
import { paymentLinkRoutes } from './payment-links.js';
import { paymentMethodRoutes } from './payment-methods.js';
import { paymentRoutes } from './payments.js';
import { publicRoutes } from './public.js';
import { refundRoutes } from './refunds.js';
import { reviewRoutes } from './review.js';
import { settingRoutes } from './settings.js';
import { shipmentRoutes } from './shipments.js';
import { taskRoutes } from './tasks.js';
import { webhookEndpointRoutes } from './webhook-endpoints.js';

/**
 * The JSON API's resource routes, in one scope with the server's JSON parser. Report uploads,
 * the pay page and provider callbacks parse other bodies and have scopes of their own.
 */
export async function apiRoutes(api: FastifyInstance, deps: AppDeps) {
  await paymentMethodRoutes(api, deps);
  await orderRoutes(api, deps);
  await paymentRoutes(api, deps);
  await taskRoutes(api, deps);
  await callbackLogRoutes(api, deps);
  await publicRoutes(api);
  await reviewRoutes(api, deps);
  await refundRoutes(api, deps);
  await chargebackRoutes(api, deps);
  await webhookEndpointRoutes(api, deps);
  await outboxRoutes(api, deps);
  await settingRoutes(api, deps);
  await apiKeyRoutes(api, deps);
  await shipmentRoutes(api, deps);
  await adjustmentRoutes(api, deps);
  await paymentLinkRoutes(api, deps);
}
