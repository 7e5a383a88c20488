import { DEFAULT_NOTIFICATIONS, type NotificationSettings } from '../domain/notifications.js';
import { DEFAULT_REVIEW_RULES, type ReviewRules } from '../domain/review.js';
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
export async function putTaskOwners(deps: AppDeps, rules: Partial<Record<TaskKind, string>>): Promise<Record<TaskKind, string>> {
  await deps.storage.transaction((tx) => tx.putSetting(KEYS.owners, rules, nowIso(deps)));
  return taskOwners(deps.storage.read);
}
