/**
 * A payment attempt's status is a lattice: an event moves an attempt only to a strictly higher
 * position, so duplicates and reordering converge.
 *
 *   created < pending < authorized < expired < failed < canceled < succeeded
 *
 * DESIGN.md groups expired, failed and canceled as one rank (3). Inside that rank they move only
 * in the order above: a provider's own word (failed, canceled) overrides our local expiry, and the
 * acquirer closing the order (canceled) is its last word after an error. Without that order the
 * final status would depend on arrival order, which the lattice exists to prevent.
 * `succeeded` is the top: money moved, so nothing moves an attempt out of it.
 */
export const ATTEMPT_STATUSES = [
  'created',
  'pending',
  'authorized',
  'expired',
  'failed',
  'canceled',
  'succeeded',
] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

const POSITION: Record<AttemptStatus, number> = {
  created: 0,
  pending: 1,
  authorized: 2,
  expired: 3,
  failed: 4,
  canceled: 5,
  succeeded: 6,
};

/** The rank of DESIGN.md: 0 created, 1 pending, 2 authorized, 3 ended without money, 4 succeeded. */
export function attemptRank(s: AttemptStatus): 0 | 1 | 2 | 3 | 4 {
  switch (s) {
    case 'created':
      return 0;
    case 'pending':
      return 1;
    case 'authorized':
      return 2;
    case 'expired':
    case 'failed':
    case 'canceled':
      return 3;
    case 'succeeded':
      return 4;
  }
}

/** The lattice join: the higher of the two. Commutative, associative and idempotent. */
export function joinAttemptStatus(a: AttemptStatus, b: AttemptStatus): AttemptStatus {
  return POSITION[b] > POSITION[a] ? b : a;
}

export function isAttemptOpen(s: AttemptStatus): boolean {
  return attemptRank(s) < 3;
}

export function isAttemptEndedWithoutMoney(s: AttemptStatus): boolean {
  return attemptRank(s) === 3;
}
