import type { StorageReads } from '../../ports/storage.js';
import type { OrderWrites } from '../../ports/storage/orders.js';
import type { RepoContext } from './context.js';
import { lockOrderRow, orderFromRow } from './orders.js';
import { readLastSeq } from './timeline.js';

export type OrderStateReads = Pick<
  StorageReads,
  'listAttempts' | 'listRefunds' | 'listChargebacks' | 'listAdjustments'
>;

/**
 * lockOrderState as separate reads after the lock: SQLite's, where in-process statements cost no
 * round trip (PostgreSQL reads it all in one statement: ../postgres/order-state.ts).
 */
export function orderStateRepo(ctx: RepoContext, reads: OrderStateReads): Pick<OrderWrites, 'lockOrderState'> {
  return {
    async lockOrderState(id) {
      const r = await lockOrderRow(ctx, id);
      if (!r) return undefined;
      const order = orderFromRow(r);
      ctx.lastSeq.set(id, await readLastSeq(ctx, id));
      const [attempts, refunds, chargebacks, adjustments] = [
        await reads.listAttempts(id),
        await reads.listRefunds(id),
        await reads.listChargebacks(id),
        await reads.listAdjustments(id),
      ];
      return { order, attempts, refunds, chargebacks, adjustments };
    },
  };
}
