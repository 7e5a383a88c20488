import { DEFAULT_NOTIFICATIONS, type NotificationSettings } from '../domain/notifications.js';
import { DEFAULT_REVIEW_RULES, type ReviewRules } from '../domain/review.js';
import type { StorageReads } from '../ports/storage.js';
import { nowIso, type AppDeps } from './deps.js';

// Settings an operator changes at run time live in the database, so every server and worker sees
// the same ones. Stored whole; the API validates them by schema before they get here.

const KEYS = { notifications: 'notifications', review: 'review_rules' } as const;

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
