import { MAIL_KINDS } from '../domain/notifications.js';
import { DEFAULT_TASK_OWNER } from '../domain/timeline.js';
import { email, minor, nullable } from './fields.js';

// Settings are read and written whole: each schema is both the body of its PUT and the answer
// of its GET and PUT.

export const notificationSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'order_department_email', 'send'],
  properties: {
    from: {
      type: 'string',
      minLength: 3,
      maxLength: 300,
      pattern: '^[^\\r\\n]+@[^\\r\\n]+$',
      description: 'The sender, "Shop <shop@example.com>"',
    },
    order_department_email: nullable(email),
    send: {
      type: 'object',
      additionalProperties: false,
      required: [...MAIL_KINDS],
      properties: Object.fromEntries(MAIL_KINDS.map((k) => [k, { type: 'boolean' }])),
    },
  },
} as const;

const windowRule = nullable({
  type: 'object',
  additionalProperties: false,
  required: ['count', 'window_hours'],
  properties: {
    count: { type: 'integer', minimum: 1, maximum: 100_000 },
    window_hours: { type: 'integer', minimum: 1, maximum: 8760 },
  },
});

export const reviewRulesSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['amount_above', 'max_orders_per_email', 'max_orders_per_ip', 'blocked_emails', 'blocked_domains'],
  properties: {
    amount_above: {
      type: 'object',
      maxProperties: 200,
      propertyNames: { pattern: '^[A-Z]{3}$' },
      additionalProperties: minor,
      description: 'Per currency, minor units',
    },
    max_orders_per_email: windowRule,
    max_orders_per_ip: windowRule,
    blocked_emails: { type: 'array', maxItems: 10_000, items: email },
    blocked_domains: {
      type: 'array',
      maxItems: 10_000,
      items: { type: 'string', minLength: 1, maxLength: 253, pattern: '^@?[A-Za-z0-9.-]+$' },
    },
  },
} as const;

/** Who each kind of task goes to: a role or a person per kind. */
export const taskOwnersSchema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    Object.keys(DEFAULT_TASK_OWNER).map((k) => [k, { type: 'string', minLength: 1, maxLength: 100 }]),
  ),
};
