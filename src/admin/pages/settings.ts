import type { FastifyInstance } from 'fastify';
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
export async function settingsPages(app: FastifyInstance): Promise<void> {
  app.get('/settings', { config: { permission: 'settings.read' } }, async (req, reply) => {
    const body = html`<ul data-testid="settings-sections">
      ${SECTIONS.map((s) => html`<li><a href="${s.href}">${s.label}</a> <small>${s.about}</small></li>`)}
    </ul>`;
    return render(req.deps, req, reply, { title: 'Settings', body });
  });
  await paymentMethodSettingsPages(app);
  await notificationSettingsPages(app);
  await webhookSettingsPages(app);
  await webhookDeliveryPages(app);
  await ruleSettingsPages(app);
  await apiKeySettingsPages(app);
}
