import type { FastifyInstance } from 'fastify';
import { reviewRulesOf, taskOwnersOf } from '../../app/queries/admin-settings.js';
import { saveReviewRules, saveTaskOwners } from '../../app/settings.js';
import type { ReviewRules, WindowRule } from '../../domain/review.js';
import { DEFAULT_TASK_OWNER, type TaskKind } from '../../domain/timeline.js';
import { html, type Html } from '../../web/html.js';
import { csrfField, field, refusal, render, seeOther, who } from '../render.js';
import { lines, noticeOf, settingsCrumb, wholeNumber } from './settings-common.js';

const REVIEW = '/admin/settings/review';
const OWNERS = '/admin/settings/task-owners';
const NOTICES = { saved: 'The rules were saved.' };

function windowInputs(name: string, label: string, rule: WindowRule | null): Html {
  return html`<fieldset>
    <legend>${label}</legend>
    <label
      >More than
      <input
        type="number"
        name="${name}_count"
        min="1"
        max="100000"
        step="1"
        value="${rule?.count ?? ''}"
        data-testid="${name}_count"
      />
      orders</label
    >
    <label
      >within
      <input
        type="number"
        name="${name}_hours"
        min="1"
        max="8760"
        step="1"
        value="${rule?.window_hours ?? ''}"
        data-testid="${name}_hours"
      />
      hours</label
    >
    <small>Both empty: the rule is off.</small>
  </fieldset>`;
}

function readWindow(body: unknown, name: string): WindowRule | null {
  const count = wholeNumber(field(body, `${name}_count`));
  const hours = wholeNumber(field(body, `${name}_hours`));
  if (count === null && hours === null) return null;
  // One of the two missing is refused by the use case's range check (NaN).
  return { count: count ?? Number.NaN, window_hours: hours ?? Number.NaN };
}

/** "USD 50000" per line → {USD: 50000}; a line that does not read that way is returned as the error. */
function readThresholds(
  text: string | undefined,
): { ok: true; value: Record<string, number> } | { ok: false; line: string } {
  const out: Record<string, number> = {};
  for (const l of lines(text)) {
    const m = /^([A-Za-z]{3})\s*[:=]?\s*(\d{1,16})$/.exec(l);
    if (!m) return { ok: false, line: l.slice(0, 60) };
    out[m[1]!.toUpperCase()] = Number(m[2]);
  }
  return { ok: true, value: out };
}

/** The antifraud review rules and who each kind of task goes to. */
export async function ruleSettingsPages(app: FastifyInstance) {
  app.get('/settings/review', { config: { permission: 'settings.read' } }, async (req, reply) => {
    const ctx = who(req);
    const r = await reviewRulesOf(req.deps);
    const thresholds = Object.entries(r.amount_above)
      .map(([c, v]) => `${c} ${v}`)
      .join('\n');
    const body = html`${settingsCrumb()}
      <p>
        A paid order that trips any rule is put on hold for a person (a review task); a method set to auto-approve skips
        them.
      </p>
      <form method="post" action="${REVIEW}" data-testid="review-form">
        ${csrfField(ctx)}
        <label for="amount_above">Review payments above, per currency</label>
        <textarea
          id="amount_above"
          name="amount_above"
          rows="3"
          aria-describedby="amount-help"
          data-testid="amount_above"
        >
${thresholds}</textarea>
        <small id="amount-help"
          >One per line: the currency and the amount in minor units, "USD 50000" (500.00 USD).</small
        >
        ${windowInputs('per_email', 'Orders from one e-mail address', r.max_orders_per_email)}
        ${windowInputs('per_ip', 'Orders from one IP address', r.max_orders_per_ip)}
        <label for="blocked_emails">Blocked e-mail addresses, one per line</label
        ><textarea id="blocked_emails" name="blocked_emails" rows="5" data-testid="blocked_emails">
${r.blocked_emails.join('\n')}</textarea>
        <label for="blocked_domains">Blocked domains (and their subdomains), one per line</label
        ><textarea id="blocked_domains" name="blocked_domains" rows="5" data-testid="blocked_domains">
${r.blocked_domains.join('\n')}</textarea>
        <button type="submit">Save</button>
      </form>`;
    return render(req.deps, req, reply, { title: 'Review rules', body, notice: noticeOf(req, NOTICES) });
  });

  app.post('/settings/review', { config: { permission: 'settings.write' } }, async (req, reply) => {
    const back = { href: REVIEW, label: 'Back to the review rules' };
    const thresholds = readThresholds(field(req.body, 'amount_above'));
    if (!thresholds.ok)
      return refusal(
        req.deps,
        req,
        reply,
        {
          code: 'review_rules_invalid',
          message: `"${thresholds.line}" is not a currency and an amount in minor units, like "USD 50000".`,
        },
        back,
      );
    const rules: ReviewRules = {
      amount_above: thresholds.value,
      max_orders_per_email: readWindow(req.body, 'per_email'),
      max_orders_per_ip: readWindow(req.body, 'per_ip'),
      blocked_emails: [...new Set(lines(field(req.body, 'blocked_emails')))],
      blocked_domains: [...new Set(lines(field(req.body, 'blocked_domains')))],
    };
    const r = await saveReviewRules(req.deps, rules);
    if (!r.ok) return refusal(req.deps, req, reply, r.error, back);
    return seeOther(reply, `${REVIEW}?notice=saved`);
  });

  app.get('/settings/task-owners', { config: { permission: 'settings.read' } }, async (req, reply) => {
    const ctx = who(req);
    const owners = await taskOwnersOf(req.deps);
    const rows = (Object.keys(DEFAULT_TASK_OWNER) as TaskKind[]).map((k) => {
      const own = owners[k] !== DEFAULT_TASK_OWNER[k] ? owners[k] : '';
      return html`<tr>
        <th scope="row"><label for="owner-${k}">${k.replaceAll('_', ' ')}</label></th>
        <td>
          <input
            id="owner-${k}"
            name="owner.${k}"
            value="${own}"
            placeholder="${DEFAULT_TASK_OWNER[k]}"
            maxlength="100"
            size="28"
          />
        </td>
      </tr>`;
    });
    const body = html`${settingsCrumb()}
      <p>
        A role (support, accounting, admin) or a person's e-mail address per kind of task. Empty: the default shown in
        grey. Tasks already open keep their owner.
      </p>
      <form method="post" action="${OWNERS}" data-testid="owners-form">
        ${csrfField(ctx)}
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Kind of task</th>
                <th scope="col">Owner</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
        </div>
        <p><button type="submit">Save</button></p>
      </form>`;
    return render(req.deps, req, reply, { title: 'Task owners', body, notice: noticeOf(req, NOTICES) });
  });

  app.post('/settings/task-owners', { config: { permission: 'settings.write' } }, async (req, reply) => {
    const rules: Partial<Record<TaskKind, string>> = {};
    for (const k of Object.keys(DEFAULT_TASK_OWNER) as TaskKind[]) {
      const v = (field(req.body, `owner.${k}`) ?? '').trim();
      if (v !== '') rules[k] = v;
    }
    const r = await saveTaskOwners(req.deps, rules);
    if (!r.ok) return refusal(req.deps, req, reply, r.error, { href: OWNERS, label: 'Back to the task owners' });
    return seeOther(reply, `${OWNERS}?notice=saved`);
  });
}
