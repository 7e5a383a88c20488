import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001-initial.js';
import { operations } from './0002-operations.js';
import { afterPayment } from './0003-after-payment.js';
import { delivery } from './0004-delivery.js';
import { paymentLinks } from './0005-payment-links.js';
import { reconciliation } from './0006-reconciliation.js';
import { admin } from './0007-admin.js';
import { requestId } from './0008-request-id.js';
import { outboxQueuedAt } from './0009-outbox-queued-at.js';
import { idempotencyCreatedIndex } from './0010-idempotency-created-index.js';
import { providerIds } from './0011-provider-ids.js';
import { callbacksKeysetIndex } from './0012-callbacks-keyset-index.js';
import { orderLocale } from './0013-order-locale.js';
import { autoRefundSurplus } from './0014-auto-refund-surplus.js';
import { refundSurplusAmount } from './0015-refund-surplus-amount.js';
import { dropCallbacksAttemptIndex } from './0016-drop-callbacks-attempt-index.js';

/** Every migration, listed explicitly (no folder scanning), in the order they run. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-operations': operations,
  '0003-after-payment': afterPayment,
  '0004-delivery': delivery,
  '0005-payment-links': paymentLinks,
  '0006-reconciliation': reconciliation,
  '0007-admin': admin,
  '0008-request-id': requestId,
  '0009-outbox-queued-at': outboxQueuedAt,
  '0010-idempotency-created-index': idempotencyCreatedIndex,
  '0011-provider-ids': providerIds,
  '0012-callbacks-keyset-index': callbacksKeysetIndex,
  '0013-order-locale': orderLocale,
  '0014-auto-refund-surplus': autoRefundSurplus,
  '0015-refund-surplus-amount': refundSurplusAmount,
  '0016-drop-callbacks-attempt-index': dropCallbacksAttemptIndex,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};

export const LATEST_MIGRATION = Object.keys(MIGRATIONS).at(-1)!;
