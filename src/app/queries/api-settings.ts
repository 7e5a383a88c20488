import type { NotificationSettings } from '../../domain/notifications.js';
import type { ReviewRules } from '../../domain/review.js';
import type { TaskKind } from '../../domain/timeline.js';
import type { AppDeps } from '../deps.js';
import { notificationSettings, reviewRules, taskOwners } from '../settings.js';

// The settings as the API answers them: committed values, defaults where none was saved.

export const readNotificationSettings = (deps: AppDeps): Promise<NotificationSettings> =>
  notificationSettings(deps.storage.read);

export const readReviewRules = (deps: AppDeps): Promise<ReviewRules> => reviewRules(deps.storage.read);

export const readTaskOwners = (deps: AppDeps): Promise<Record<TaskKind, string>> => taskOwners(deps.storage.read);
