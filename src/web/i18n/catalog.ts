import type { Locale } from './locale.js';
import type { Messages } from './messages.js';
import { en } from './messages-en.js';
import { hy } from './messages-hy.js';
import { ru } from './messages-ru.js';

// The texts of each language, apart from their shape (./messages.ts), which each one imports.
const ALL: Record<Locale, Messages> = { en, hy, ru };

export const messagesFor = (locale: Locale): Messages => ALL[locale];
