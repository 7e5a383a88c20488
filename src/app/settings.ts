import { DEFAULT_NOTIFICATIONS, type NotificationSettings } from '../domain/notifications.js';
import { DEFAULT_REVIEW_RULES, type ReviewRules } from '../domain/review.js';
import { fail, ok, type Result } from '../domain/result.js';
import { isRole, ROLES } from '../domain/roles.js';
import type { StorageReads } from '../ports/storage.js';
import { DEFAULT_TASK_OWNER, type TaskKind } from '../domain/timeline.js';
import { nowIso, type AppDeps } from './deps.js';

// Settings an operator changes at run time live in the database, so every server and worker sees
// the same ones. Stored whole; the API validates them by schema before they get here.

const KEYS = { notifications: 'notifications', review: 'review_rules', owners: 'task_owners' } as const;

export async function notificationSettings(reads: StorageReads): Promise<NotificationSettings> {
  const v = (await reads.getSetting(KEYS.notifications)) as Partial<NotificationSettings> | undefined;
  return { ...DEFAULT_NOTIFICATIONS, ...v, send: { ...DEFAULT_NOTIFICATIONS.send, ...v?.send } };
}

export async function reviewRules(reads: StorageReads): Promise<ReviewRules> {
  const v = (await reads.getSetting(KEYS.review)) as Partial<ReviewRules> | undefined;
  return { ...DEFAULT_REVIEW_RULES, ...v };
}

export async function putNotificationSettings(deps: AppDeps, s: NotificationSettings): Promise<NotificationSettings> {
  await deps.storage.transaction((tx) => tx.putSetting(KEYS.notifications, s, nowIso(deps)));
  return notificationSettings(deps.storage.read);
}

export async function putReviewRules(deps: AppDeps, r: ReviewRules): Promise<ReviewRules> {
  await deps.storage.transaction((tx) => tx.putSetting(KEYS.review, r, nowIso(deps)));
  return reviewRules(deps.storage.read);
}

/** Who each kind of task goes to: the defaults (support or accounting) with the operator's rules over them. */
export async function taskOwners(reads: StorageReads): Promise<Record<TaskKind, string>> {
  const v = (await reads.getSetting(KEYS.owners)) as Partial<Record<TaskKind, string>> | undefined;
  return { ...DEFAULT_TASK_OWNER, ...v };
}

/** Replaces the rules; a kind left out goes back to its default owner. */
export async function putTaskOwners(
  deps: AppDeps,
  rules: Partial<Record<TaskKind, string>>,
): Promise<Record<TaskKind, string>> {
  await deps.storage.transaction((tx) => tx.putSetting(KEYS.owners, rules, nowIso(deps)));
  return taskOwners(deps.storage.read);
}

// The same rules the API's schemas hold, for callers without a schema (the admin forms).
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DOMAIN = /^@?[A-Za-z0-9.-]+$/;
const CURRENCY = /^[A-Z]{3}$/;

/** putNotificationSettings after checking the sender and the department's address. */
export async function saveNotificationSettings(
  deps: AppDeps,
  s: NotificationSettings,
): Promise<Result<NotificationSettings>> {
  if (s.from.length < 3 || s.from.length > 300 || !/^[^\r\n]+@[^\r\n]+$/.test(s.from)) {
    return fail(
      'notification_settings_invalid',
      'The sender must be an address on one line, like "Shop <shop@example.com>".',
    );
  }
  if (
    s.order_department_email !== null &&
    (s.order_department_email.length > 254 || !EMAIL.test(s.order_department_email))
  ) {
    return fail('notification_settings_invalid', "The order department's address is not an e-mail address.");
  }
  return ok(await putNotificationSettings(deps, s));
}

/** putReviewRules after checking every address, domain, amount and window. */
export async function saveReviewRules(deps: AppDeps, r: ReviewRules): Promise<Result<ReviewRules>> {
  const badEmail = r.blocked_emails.find((e) => e.length > 254 || !EMAIL.test(e));
  if (badEmail !== undefined)
    return fail('review_rules_invalid', `"${badEmail.slice(0, 60)}" is not an e-mail address.`);
  const badDomain = r.blocked_domains.find((d) => d.length > 253 || !DOMAIN.test(d));
  if (badDomain !== undefined) return fail('review_rules_invalid', `"${badDomain.slice(0, 60)}" is not a domain.`);
  if (r.blocked_emails.length > 10_000 || r.blocked_domains.length > 10_000)
    return fail('review_rules_invalid', 'At most 10,000 blocked addresses and 10,000 domains.');
  for (const [c, v] of Object.entries(r.amount_above)) {
    if (!CURRENCY.test(c) || !Number.isSafeInteger(v) || v < 0)
      return fail(
        'review_rules_invalid',
        `The threshold for ${c.slice(0, 10)} must be a currency code with a whole number of minor units.`,
      );
  }
  for (const [name, w] of [
    ['per e-mail', r.max_orders_per_email],
    ['per IP', r.max_orders_per_ip],
  ] as const) {
    if (
      w &&
      !(
        Number.isInteger(w.count) &&
        w.count >= 1 &&
        w.count <= 100_000 &&
        Number.isInteger(w.window_hours) &&
        w.window_hours >= 1 &&
        w.window_hours <= 8760
      )
    ) {
      return fail(
        'review_rules_invalid',
        `The orders ${name} rule needs a count of 1 to 100,000 and a window of 1 to 8,760 hours.`,
      );
    }
  }
  return ok(await putReviewRules(deps, r));
}

/** putTaskOwners after checking each owner is a role or an e-mail address (kept lower case, as sessions compare). */
export async function saveTaskOwners(
  deps: AppDeps,
  rules: Partial<Record<TaskKind, string>>,
): Promise<Result<Record<TaskKind, string>>> {
  const clean: Partial<Record<TaskKind, string>> = {};
  for (const [kind, owner] of Object.entries(rules) as [TaskKind, string][]) {
    if (!(kind in DEFAULT_TASK_OWNER))
      return fail('task_owner_invalid', `"${kind.slice(0, 40)}" is not a kind of task.`);
    const o = owner.trim();
    if (!isRole(o) && !(o.length <= 100 && EMAIL.test(o)))
      return fail(
        'task_owner_invalid',
        `The owner of ${kind} must be a role (${ROLES.join(', ')}) or an e-mail address.`,
      );
    clean[kind] = isRole(o) ? o : o.toLowerCase();
  }
  return ok(await putTaskOwners(deps, clean));
}
