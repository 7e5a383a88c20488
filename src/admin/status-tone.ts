// The colour of a status pill, by what the status means to the person reading the page: done
// and good (ok), under way (info), waiting on someone (wait), gone wrong (bad), money or goods
// gone back (back), or nothing to do (off). One status word means the same on every track, so
// one table covers them all; the layout's stylesheet has one rule per tone.

export const TONES = ['ok', 'info', 'wait', 'bad', 'back', 'off'] as const;
export type Tone = (typeof TONES)[number];

const TONE: Record<string, Tone> = {
  // done and good
  paid: 'ok',
  succeeded: 'ok',
  completed: 'ok',
  delivered: 'ok',
  fulfilled: 'ok',
  approved: 'ok',
  issued: 'ok',
  synced: 'ok',
  resolved: 'ok',
  won: 'ok',
  applied: 'ok',
  enabled: 'ok',
  // under way
  processing: 'info',
  authorized: 'info',
  created: 'info',
  packed: 'info',
  handed_to_courier: 'info',
  active: 'info',
  running: 'info',
  requested: 'info',
  received: 'info',
  answered: 'info',
  // waiting on someone
  pending: 'wait',
  pending_payment: 'wait',
  on_hold: 'wait',
  open: 'wait',
  opened: 'wait',
  manual: 'wait',
  failing: 'wait',
  // gone wrong
  failed: 'bad',
  payment_failed: 'bad',
  declined: 'bad',
  delivery_failed: 'bad',
  rejected: 'bad',
  lost: 'bad',
  charged_back: 'bad',
  // money or goods gone back
  refunded: 'back',
  partially_refunded: 'back',
  returned: 'back',
  // nothing (more) to do
  canceled: 'off',
  cancelled: 'off',
  expired: 'off',
  revoked: 'off',
  unpaid: 'off',
  none: 'off',
  not_started: 'off',
  not_required: 'off',
  disabled: 'off',
  duplicate: 'off',
  stale: 'off',
  ignored: 'off',
};

/** The tone of a status word; one this table does not know is shown plain (off). */
export const toneOf = (status: string): Tone => TONE[status] ?? 'off';

/** Whether the table names this status (a test checks every status of every track is named). */
export const hasTone = (status: string): boolean => Object.hasOwn(TONE, status);
