import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { html } from '../../web/html.js';
import { render } from '../render.js';
import { apiKeySettingsPages } from './settings-api-keys.js';
import { notificationSettingsPages } from './settings-notifications.js';
import { paymentMethodSettingsPages } from './settings-payment-methods.js';
import { ruleSettingsPages } from './settings-rules.js';
import { webhookDeliveryPages } from './settings-webhook-deliveries.js';
import { webhookSettingsPages } from './settings-webhooks.js';

const SECTIONS = [
  {
    href: '/admin/settings/payment-methods',
    label: 'Payment methods',
    about: 'Providers, their settings and secrets, currencies and limits.',
  },
  {
    href: '/admin/settings/notifications',
    label: 'E-mail notifications',
    about: 'Which mails go to the order department and to customers.',
  },
  {
    href: '/admin/settings/webhooks',
    label: 'Webhook endpoints',
    about: "Where the store is told of changes, its status codes, and each endpoint's delivery log.",
  },
  {
    href: '/admin/settings/review',
    label: 'Review rules',
    about: 'Which paid orders are held for a person (antifraud).',
  },
  { href: '/admin/settings/task-owners', label: 'Task owners', about: 'Who each kind of task goes to.' },
  { href: '/admin/settings/api-keys', label: 'API keys', about: 'Keys for the store, accounting and admin scripts.' },
];

/** Settings, admin only (settings.read to look, settings.write to change): an index and one page per section. */
export async function settingsPages(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/settings', { config: { permission: 'settings.read' } }, async (req, reply) => {
    const body = html`<ul data-testid="settings-sections">
      ${SECTIONS.map((s) => html`<li><a href="${s.href}">${s.label}</a> <small>${s.about}</small></li>`)}
    </ul>`;
    return render(deps, req, reply, { title: 'Settings', body });
  });
  await paymentMethodSettingsPages(app, deps);
  await notificationSettingsPages(app, deps);
  await webhookSettingsPages(app, deps);
  await webhookDeliveryPages(app, deps);
  await ruleSettingsPages(app, deps);
  await apiKeySettingsPages(app, deps);
}
