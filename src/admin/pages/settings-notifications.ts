import type { FastifyInstance } from 'fastify';
import { notificationSettingsOf } from '../../app/queries/admin-settings.js';
import { saveNotificationSettings } from '../../app/settings.js';
import { MAIL_KINDS, type MailKind } from '../../domain/notifications.js';
import { html } from '../../web/html.js';
import { csrfField, field, fields, refusal, render, seeOther, who } from '../render.js';
import { checkbox, noticeOf, settingsCrumb } from './settings-common.js';

const PATH = '/admin/settings/notifications';
const NOTICES = { saved: 'The notification settings were saved.' };

const LABELS: Record<MailKind, string> = {
  department_new_order: 'Order department: a new order awaits payment',
  department_processed: 'Order department: an order is paid and processed',
  department_queued: 'Order department: a paid order is on hold',
  department_failed: 'Order department: a payment failed',
  customer_paid: 'Customer: payment received',
  customer_refunded: 'Customer: refund',
};

/** The e-mail notifications: the sender, the order department's address, and which mails go out. */
export async function notificationSettingsPages(app: FastifyInstance) {
  app.get('/settings/notifications', { config: { permission: 'settings.read' } }, async (req, reply) => {
    const ctx = who(req);
    const s = await notificationSettingsOf(req.deps);
    const body = html`${settingsCrumb()}${req.deps.mailer ? '' : html`<p class="error" role="status">No SMTP server is configured (SMTP_URL): no e-mail is queued whatever these say.</p>`}
      <form method="post" action="${PATH}" data-testid="notifications-form">
        ${csrfField(ctx)}
        <label>Sender <input name="from" value="${s.from}" maxlength="300" required size="40" /></label>
        <label
          >Order department's e-mail
          <input
            type="email"
            name="order_department_email"
            value="${s.order_department_email ?? ''}"
            maxlength="254"
            size="40"
            aria-describedby="dept-help"
        /></label>
        <small id="dept-help">Empty: the order department gets no mail.</small>
        <fieldset>
          <legend>Send these e-mails</legend>
          ${MAIL_KINDS.map((k) => checkbox('send', LABELS[k], s.send[k], k, `send-${k}`))}
        </fieldset>
        <button type="submit">Save</button>
      </form>`;
    return render(req.deps, req, reply, { title: 'E-mail notifications', body, notice: noticeOf(req, NOTICES) });
  });

  app.post('/settings/notifications', { config: { permission: 'settings.write' } }, async (req, reply) => {
    const on = new Set(fields(req.body, 'send'));
    const dept = (field(req.body, 'order_department_email') ?? '').trim();
    const r = await saveNotificationSettings(req.deps, {
      from: (field(req.body, 'from') ?? '').trim(),
      order_department_email: dept === '' ? null : dept,
      send: Object.fromEntries(MAIL_KINDS.map((k) => [k, on.has(k)])) as Record<MailKind, boolean>,
    });
    if (!r.ok) return refusal(req.deps, req, reply, r.error, { href: PATH, label: 'Back to the notifications' });
    return seeOther(reply, `${PATH}?notice=saved`);
  });
}
