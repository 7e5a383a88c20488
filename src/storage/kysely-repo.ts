import { sql, type Compilable, type Kysely } from 'kysely';
import type { OutboxMessage } from '../domain/outbox.js';
import type { Refund, RefundStatus } from '../domain/refund.js';
import type { Chargeback } from '../domain/chargeback.js';
import type { FiscalReceipt } from '../domain/receipt.js';
import type { Shipment } from '../domain/delivery.js';
import type { Adjustment } from '../domain/adjustment.js';
import type { PaymentLink } from '../domain/payment-link.js';
import type { ReconciliationRun } from '../domain/reconciliation-run.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import type { NewOrderEvent } from '../domain/timeline.js';
import type {
  ApiKeyRecord,
  UserRecord,
  SessionRecord,
  AttemptPatch,
  CallbackRecord,
  IdempotencyRecord,
  LockedOrder,
  OrderListQuery,
  OperationStatus,
  OrderPatch,
  OutboxPatch,
  OutboxQuery,
  PaymentMethodRecord,
  ReportLineRecord,
  WebhookEndpointRecord,
  ProviderOperation,
  StorageTx,
  TaskQuery,
  TaskRecord,
} from '../ports/storage.js';
import type { Database } from './schema.js';
import type { WriteBatch } from './write-batch.js';
import {
  apiKeyFromRow,
  userFromRow,
  sessionFromRow,
  attemptFromRow,
  callbackFromRow,
  eventFromRow,
  idempotencyFromRow,
  operationFromRow,
  orderFromRow,
  orderToRow,
  outboxFromRow,
  paymentMethodFromRow,
  taskFromRow,
  webhookEndpointFromRow,
  refundFromRow,
  chargebackFromRow,
  receiptFromRow,
  shipmentFromRow,
  adjustmentFromRow,
  paymentLinkFromRow,
  runFromRow,
  type Row,
} from './rows.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Every query Settle makes, over one Kysely executor: the pool for plain reads, or one
 * transaction's connection. The only dialect difference is how an order is locked.
 */
export class KyselyRepo implements StorageTx {
  /**
   * The last timeline seq of each order this transaction locked or created, so appending needs
   * no read: under the order's lock no one else appends to it.
   */
  private readonly lastSeq = new Map<string, number>();
  /**
   * The settings and webhook endpoints as lockOrderState read them (PostgreSQL): what deciding on
   * a callback and queueing its effects consult, answered from here for the rest of the
   * transaction instead of a statement each. Written in this transaction: read again.
   */
  private config: { settings: Map<string, string>; endpoints: Row<'webhook_endpoints'>[] } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /** PostgreSQL transactions: writes held and sent together (see write-batch.ts). */
    private readonly batch: WriteBatch | null = null,
  ) {}

  /** A write whose caller needs no answer: held in the batch when there is one, else run now. */
  private async write(
    table: keyof Database,
    kind: 'insert' | 'update',
    query: Compilable & { execute(): Promise<unknown> },
  ): Promise<void> {
    if (this.batch) await this.batch.add(table, kind, query);
    else await query.execute();
  }

  async getOrder(id: string) {
    const r = await this.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
    return r && orderFromRow(r);
  }

  async findOrderByReference(referenceNorm: string) {
    const r = await this.db
      .selectFrom('orders')
      .selectAll()
      .where('reference_norm', '=', referenceNorm)
      .executeTakeFirst();
    return r && orderFromRow(r);
  }

  async findOrderByKeyHash(keyHash: string) {
    const r = await this.db.selectFrom('orders').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    return r && orderFromRow(r);
  }

  async listOrders(q: OrderListQuery) {
    let query = this.db.selectFrom('orders').selectAll();
    if (q.status) query = query.where('status', '=', q.status);
    if (q.paymentStatus) query = query.where('payment_status', '=', q.paymentStatus);
    if (q.deliveryStatus) query = query.where('delivery_status', '=', q.deliveryStatus);
    if (q.fiscalStatus) query = query.where('fiscal_status', '=', q.fiscalStatus);
    if (q.reviewStatus) query = query.where('review_status', '=', q.reviewStatus);
    if (q.createdFrom) query = query.where('created_at', '>=', q.createdFrom);
    if (q.createdTo) query = query.where('created_at', '<', q.createdTo);
    if (q.referenceNorm !== undefined) query = query.where('reference_norm', '=', q.referenceNorm);
    if (q.referencePrefix) {
      // A range, not LIKE: both stores use the unique index for it, and "%" or "_" in the
      // search stay literal.
      query = query
        .where('reference_norm', '>=', q.referencePrefix)
        .where('reference_norm', '<', `${q.referencePrefix}\uffff`);
    }
    const pm = q.paymentMethodId;
    if (pm) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('payment_attempts as a')
            .select('a.id')
            .whereRef('a.order_id', '=', 'orders.id')
            .where('a.payment_method_id', '=', pm),
        ),
      );
    }
    const sync = q.sync;
    if (sync) {
      // IN, not a correlated EXISTS: webhook messages pending or given up are few, so both stores
      // start from them (outbox_due_idx) and look their orders up by id. With EXISTS, SQLite
      // walked the orders newest first probing the outbox for each: 130 ms at a million orders
      // with 300 given up (bench/orders).
      query = query.where('orders.id', 'in', (eb) =>
        eb
          .selectFrom('outbox as m')
          .select('m.order_id')
          .where('m.topic', '=', 'webhook')
          .where('m.status', '=', sync)
          .$narrowType<{ order_id: string }>(),
      );
    }
    const before = q.before;
    if (before) query = query.where(sql<boolean>`(created_at, id) < (${before.createdAt}, ${before.id})`);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(orderFromRow);
  }

  async getAttempt(id: string) {
    const r = await this.db.selectFrom('payment_attempts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && attemptFromRow(r);
  }

  async listAttempts(orderId: string) {
    const rows = await this.db
      .selectFrom('payment_attempts')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('number')
      .execute();
    return rows.map(attemptFromRow);
  }

  async listAttemptsForOrders(orderIds: readonly string[]) {
    const byOrder = new Map<string, PaymentAttempt[]>(orderIds.map((id) => [id, []]));
    if (orderIds.length === 0) return byOrder;
    const rows = await this.db
      .selectFrom('payment_attempts')
      .selectAll()
      .where('order_id', 'in', orderIds)
      .orderBy('order_id')
      .orderBy('number')
      .execute();
    for (const r of rows) byOrder.get(r.order_id)?.push(attemptFromRow(r));
    return byOrder;
  }

  async findAttemptByProviderRef(paymentMethodId: string, providerRefNorm: string) {
    const r = await this.db
      .selectFrom('payment_attempts')
      .selectAll()
      .where('payment_method_id', '=', paymentMethodId)
      .where('provider_ref_norm', '=', providerRefNorm)
      .executeTakeFirst();
    return r && attemptFromRow(r);
  }

  async listEvents(orderId: string) {
    const rows = await this.db
      .selectFrom('order_events')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('seq')
      .execute();
    return rows.map(eventFromRow);
  }

  async listTasks(q: TaskQuery) {
    let query = this.db.selectFrom('tasks').selectAll();
    if (q.orderId) query = query.where('order_id', '=', q.orderId);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.owner) query = query.where('owner', '=', q.owner);
    if (q.unowned) query = query.where('owner', 'is', null);
    // Tasks name their line as "run:line"; a range on that prefix uses the index.
    if (q.runId) query = query.where('report_line', '>=', `${q.runId}:`).where('report_line', '<', `${q.runId};`);
    const dir = q.newestFirst ? 'desc' : 'asc';
    const rows = await query
      .orderBy('created_at', dir)
      .orderBy('id', dir)
      .limit(q.limit ?? 1000)
      .execute();
    return rows.map(taskFromRow);
  }

  async getTask(id: string) {
    const r = await this.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
    return r && taskFromRow(r);
  }

  async listOperations(q: { orderId?: string; status?: OperationStatus; updatedBefore?: string; limit: number }) {
    let query = this.db.selectFrom('provider_operations').selectAll();
    if (q.orderId) query = query.where('order_id', '=', q.orderId);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.updatedBefore) query = query.where('updated_at', '<', q.updatedBefore);
    const rows = await query.orderBy('updated_at').orderBy('id').limit(q.limit).execute();
    return rows.map(operationFromRow);
  }

  async listOpenAttempts(q: { createdBefore: string; limit: number }) {
    const rows = await this.db
      .selectFrom('payment_attempts')
      .selectAll()
      .where('status', 'in', ['created', 'pending', 'authorized'])
      .where('created_at', '<', q.createdBefore)
      .orderBy('created_at')
      .limit(q.limit)
      .execute();
    return rows.map(attemptFromRow);
  }

  async getPaymentMethod(id: string) {
    const r = await this.db.selectFrom('payment_methods').selectAll().where('id', '=', id).executeTakeFirst();
    return r && paymentMethodFromRow(r);
  }

  async listPaymentMethods() {
    const rows = await this.db.selectFrom('payment_methods').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(paymentMethodFromRow);
  }

  async findApiKeyByHash(keyHash: string) {
    const r = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    return r && apiKeyFromRow(r);
  }

  async listApiKeys() {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(apiKeyFromRow);
  }

  async getUser(id: string) {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && userFromRow(r);
  }

  async findUserByEmail(emailNorm: string) {
    const r = await this.db.selectFrom('users').selectAll().where('email_norm', '=', emailNorm).executeTakeFirst();
    return r && userFromRow(r);
  }

  async listUsers() {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('email_norm').execute();
    return rows.map(userFromRow);
  }

  async findSession(tokenHash: string) {
    const r = await this.db
      .selectFrom('admin_sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return r && sessionFromRow(r);
  }

  async countSignInFailures(q: { emailNorm: string; ip: string; since: string }) {
    const count = async (column: 'email_norm' | 'ip', value: string) => {
      const { n } = await this.db
        .selectFrom('sign_in_attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(column, '=', value)
        .where('at', '>=', q.since)
        .where('succeeded', '=', 0)
        .executeTakeFirstOrThrow();
      return Number(n);
    };
    return { byEmail: await count('email_norm', q.emailNorm), byIp: await count('ip', q.ip) };
  }

  async outboxSummary() {
    // Pending and failed messages only: both are short lists in a healthy system, found through
    // outbox_due_idx (status, next_attempt_at). Delivered messages, the bulk, are never counted.
    const rows = await this.db
      .selectFrom('outbox')
      .select([
        'status',
        'topic',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.min('queued_at').as('oldest'),
      ])
      .where('status', 'in', ['pending', 'failed'])
      .groupBy(['status', 'topic'])
      .execute();
    return rows.map((r) => ({
      status: r.status as 'pending' | 'failed',
      topic: r.topic as OutboxMessage['topic'],
      count: Number(r.n),
      oldestQueuedAt: r.oldest === null ? null : String(r.oldest),
    }));
  }

  async countOpenTasks() {
    const rows = await this.db
      .selectFrom('tasks')
      .select(['owner', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'open')
      .groupBy(['owner', 'kind'])
      .execute();
    return rows.map((r) => ({ owner: r.owner, kind: r.kind, count: Number(r.n) }));
  }

  async listCallbacks(q: {
    paymentMethodId?: string;
    outcome?: CallbackRecord['outcome'];
    providerRef?: string;
    attemptId?: string;
    limit: number;
  }) {
    let query = this.db.selectFrom('callbacks').selectAll();
    if (q.providerRef) query = query.where('provider_ref', '=', q.providerRef);
    if (q.attemptId) query = query.where('attempt_id', '=', q.attemptId);
    if (q.paymentMethodId) query = query.where('payment_method_id', '=', q.paymentMethodId);
    if (q.outcome) query = query.where('outcome', '=', q.outcome);
    const rows = await query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(callbackFromRow);
  }

  async getIdempotency(scopeKey: string) {
    const r = await this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope_key', '=', scopeKey)
      .executeTakeFirst();
    return r && idempotencyFromRow(r);
  }

  async countOrdersSince(q: { emailNorm?: string; ip?: string; since: string }) {
    if (!q.emailNorm && !q.ip) return 0;
    let query = this.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('created_at', '>=', q.since);
    if (q.emailNorm) query = query.where('customer_email_norm', '=', q.emailNorm);
    if (q.ip) query = query.where('customer_ip', '=', q.ip);
    const { n } = await query.executeTakeFirstOrThrow();
    return Number(n);
  }

  async getSetting(key: string) {
    const value = this.config
      ? this.config.settings.get(key)
      : (await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
    return value === undefined ? undefined : (JSON.parse(value) as unknown);
  }

  async listOutbox(q: OutboxQuery) {
    let query = this.db.selectFrom('outbox').selectAll();
    if (q.status) query = query.where('status', '=', q.status);
    if (q.topic) query = query.where('topic', '=', q.topic);
    if (q.orderId) query = query.where('order_id', '=', q.orderId);
    if (q.target) query = query.where('target', '=', q.target);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('order_seq', 'desc')
      .orderBy('position', 'desc')
      .limit(q.limit)
      .execute();
    return rows.map(outboxFromRow);
  }

  async getOutbox(id: string) {
    const r = await this.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return r && outboxFromRow(r);
  }

  async listWebhookEndpoints() {
    const rows =
      this.config?.endpoints ??
      (await this.db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute());
    return rows.map(webhookEndpointFromRow);
  }

  async getWebhookEndpoint(id: string) {
    const r = await this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return r && webhookEndpointFromRow(r);
  }

  async listRefunds(orderId: string) {
    const rows = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(refundFromRow);
  }

  async getRefund(id: string) {
    const r = await this.db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
    return r && refundFromRow(r);
  }

  async listRefundsByStatus(q: { status: RefundStatus; updatedBefore: string; limit: number }) {
    const rows = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('status', '=', q.status)
      .where('updated_at', '<', q.updatedBefore)
      .orderBy('updated_at')
      .limit(q.limit)
      .execute();
    return rows.map(refundFromRow);
  }

  async listChargebacks(orderId: string) {
    const rows = await this.db
      .selectFrom('chargebacks')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(chargebackFromRow);
  }

  async getChargeback(id: string) {
    const r = await this.db.selectFrom('chargebacks').selectAll().where('id', '=', id).executeTakeFirst();
    return r && chargebackFromRow(r);
  }

  async findChargebackByProviderRef(attemptId: string, providerRef: string) {
    const r = await this.db
      .selectFrom('chargebacks')
      .selectAll()
      .where('attempt_id', '=', attemptId)
      .where('provider_ref', '=', providerRef)
      .executeTakeFirst();
    return r && chargebackFromRow(r);
  }

  async listReceipts(orderId: string) {
    const rows = await this.db
      .selectFrom('receipts')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(receiptFromRow);
  }

  async getReceipt(id: string) {
    const r = await this.db.selectFrom('receipts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && receiptFromRow(r);
  }

  async listShipments(orderId: string) {
    const rows = await this.db
      .selectFrom('shipments')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(shipmentFromRow);
  }

  async getShipment(id: string) {
    const r = await this.db.selectFrom('shipments').selectAll().where('id', '=', id).executeTakeFirst();
    return r && shipmentFromRow(r);
  }

  async listAdjustments(orderId: string) {
    const rows = await this.db
      .selectFrom('adjustments')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(adjustmentFromRow);
  }

  async getPaymentLink(id: string) {
    const r = await this.db.selectFrom('payment_links').selectAll().where('id', '=', id).executeTakeFirst();
    return r && paymentLinkFromRow(r);
  }

  async findPaymentLinkByTokenHash(tokenHash: string) {
    const r = await this.db
      .selectFrom('payment_links')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return r && paymentLinkFromRow(r);
  }

  async listPaymentLinks(orderId: string) {
    const rows = await this.db
      .selectFrom('payment_links')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(paymentLinkFromRow);
  }

  async getRun(id: string) {
    const r = await this.db.selectFrom('reconciliation_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return r && runFromRow(r);
  }

  async findRunByFile(paymentMethodId: string, fileHash: string) {
    const r = await this.db
      .selectFrom('reconciliation_runs')
      .selectAll()
      .where('payment_method_id', '=', paymentMethodId)
      .where('file_hash', '=', fileHash)
      .executeTakeFirst();
    return r && runFromRow(r);
  }

  async listRuns(q: { paymentMethodId?: string; limit: number }) {
    let query = this.db.selectFrom('reconciliation_runs').selectAll();
    if (q.paymentMethodId) query = query.where('payment_method_id', '=', q.paymentMethodId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(runFromRow);
  }

  async reportLineBounds(runId: string) {
    const r = await this.db
      .selectFrom('report_lines')
      .select((eb) => [eb.fn.max('line_no').as('last'), eb.fn.min('line_no').as('first')])
      .where('run_id', '=', runId)
      .executeTakeFirst();
    return { last: Math.max(0, Number(r?.last ?? 0)), first: Math.min(0, Number(r?.first ?? 0)) };
  }

  async findReportedDupKeys(runId: string, keys: readonly string[]) {
    if (keys.length === 0) return [];
    const rows = await this.db
      .selectFrom('report_lines')
      .select('dup_key')
      .distinct()
      .where('run_id', '=', runId)
      .where('dup_key', 'in', keys)
      .execute();
    return rows.map((r) => r.dup_key!);
  }

  async findReportedRecords(runId: string, recordIds: readonly string[]) {
    if (recordIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('report_lines')
      .select('record_id')
      .distinct()
      .where('run_id', '=', runId)
      .where('outcome', '!=', 'unreadable')
      .where('record_id', 'in', recordIds)
      .execute();
    return rows.map((r) => r.record_id!);
  }

  async reportLineTotals(runId: string) {
    const outcomes = await this.db
      .selectFrom('report_lines')
      .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .where('line_no', '>', 0)
      .groupBy('outcome')
      .execute();
    const kinds = await this.db
      .selectFrom('report_lines')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .where('kind', 'is not', null)
      .groupBy('kind')
      .execute();
    const sums = await this.db
      .selectFrom('report_lines')
      .select([
        'currency',
        'type',
        (eb) => eb.fn.sum<number>('amount').as('amount'),
        (eb) => eb.fn.sum<number>('fee').as('fee'),
      ])
      .where('run_id', '=', runId)
      .where('status', '=', 'succeeded')
      .groupBy(['currency', 'type'])
      .execute();
    return {
      outcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)])),
      kinds: Object.fromEntries(kinds.map((k) => [k.kind!, Number(k.n)])),
      sums: sums.map((s) => ({ currency: s.currency!, type: s.type!, amount: Number(s.amount), fee: Number(s.fee) })),
    };
  }

  async findAttemptsByProviderRefs(paymentMethodId: string, refsNorm: readonly string[]) {
    if (refsNorm.length === 0) return [];
    const rows = await this.db
      .selectFrom('payment_attempts')
      .selectAll()
      .where('payment_method_id', '=', paymentMethodId)
      .where('provider_ref_norm', 'in', refsNorm)
      .execute();
    return rows.map(attemptFromRow);
  }

  async findRefundsByProviderRefs(refs: readonly string[]) {
    if (refs.length === 0) return [];
    const rows = await this.db.selectFrom('refunds').selectAll().where('provider_ref', 'in', refs).execute();
    return rows.map(refundFromRow);
  }

  async findOrdersByReferences(referencesNorm: readonly string[]) {
    if (referencesNorm.length === 0) return [];
    const rows = await this.db.selectFrom('orders').selectAll().where('reference_norm', 'in', referencesNorm).execute();
    return rows.map(orderFromRow);
  }

  async getOrders(ids: readonly string[]) {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('orders').selectAll().where('id', 'in', ids).execute();
    return rows.map(orderFromRow);
  }

  async listOrderRecords(orderIds: readonly string[]) {
    if (orderIds.length === 0) return { refunds: [], chargebacks: [], receipts: [], openTasks: [] };
    const [refunds, chargebacks, receipts, openTasks] = await Promise.all([
      this.db.selectFrom('refunds').selectAll().where('order_id', 'in', orderIds).orderBy('created_at').execute(),
      this.db.selectFrom('chargebacks').selectAll().where('order_id', 'in', orderIds).orderBy('created_at').execute(),
      this.db.selectFrom('receipts').selectAll().where('order_id', 'in', orderIds).orderBy('created_at').execute(),
      this.db.selectFrom('tasks').selectAll().where('order_id', 'in', orderIds).where('status', '=', 'open').execute(),
    ]);
    return {
      refunds: refunds.map(refundFromRow),
      chargebacks: chargebacks.map(chargebackFromRow),
      receipts: receipts.map(receiptFromRow),
      openTasks: openTasks.map(taskFromRow),
    };
  }

  async listUnreportedPayments(q: {
    paymentMethodId: string;
    runId: string;
    from: string;
    to: string;
    afterId: string;
    limit: number;
  }) {
    const rows = await this.db
      .selectFrom('payment_attempts as a')
      .selectAll('a')
      .where('a.payment_method_id', '=', q.paymentMethodId)
      .where('a.status', '=', 'succeeded')
      .where('a.updated_at', '>=', q.from)
      .where('a.updated_at', '<', q.to)
      .where('a.id', '>', q.afterId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('report_lines as l')
              .select('l.line_no')
              .where('l.run_id', '=', q.runId)
              .whereRef('l.record_id', '=', 'a.id'),
          ),
        ),
      )
      .orderBy('a.id')
      .limit(q.limit)
      .execute();
    return rows.map(attemptFromRow);
  }

  async listUnreportedRefunds(q: {
    paymentMethodId: string;
    runId: string;
    from: string;
    to: string;
    afterId: string;
    limit: number;
  }) {
    const rows = await this.db
      .selectFrom('refunds as r')
      .innerJoin('payment_attempts as a', 'a.id', 'r.attempt_id')
      .selectAll('r')
      .where('a.payment_method_id', '=', q.paymentMethodId)
      .where('r.status', '=', 'succeeded')
      .where('r.updated_at', '>=', q.from)
      .where('r.updated_at', '<', q.to)
      .where('r.id', '>', q.afterId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('report_lines as l')
              .select('l.line_no')
              .where('l.run_id', '=', q.runId)
              .whereRef('l.record_id', '=', 'r.id'),
          ),
        ),
      )
      .orderBy('r.id')
      .limit(q.limit)
      .execute();
    return rows.map(refundFromRow);
  }

  async listOrdersChangedBetween(q: {
    from: string;
    to: string;
    after: { updatedAt: string; id: string } | null;
    limit: number;
  }) {
    // Keyset on (updated_at, id) as a row comparison, the index's order: each page is one index
    // range from where the last ended (an OR of the two columns made both stores rescan the day).
    let query = this.db.selectFrom('orders').selectAll().where('updated_at', '<', q.to);
    const after = q.after;
    query = after
      ? query.where((eb) => eb(eb.refTuple('updated_at', 'id'), '>', eb.tuple(after.updatedAt, after.id)))
      : query.where('updated_at', '>=', q.from);
    const rows = await query.orderBy('updated_at').orderBy('id').limit(q.limit).execute();
    return rows.map(orderFromRow);
  }

  // ---- writes (inside a transaction) ----

  async lockOrder(id: string) {
    const r = await this.lockRow(id);
    if (!r) return undefined;
    // The timeline's end, read once under the lock so appendEvents needs no read of its own. Not
    // in the locking statement: on PostgreSQL a statement that waited for the lock still sees
    // the timeline as it was when it began, without what the lock's last holder appended.
    this.lastSeq.set(id, await this.readLastSeq(id));
    return orderFromRow(r);
  }

  async lockOrderState(id: string): Promise<LockedOrder | undefined> {
    const r = await this.lockRow(id);
    if (!r) return undefined;
    const order = orderFromRow(r);
    if (this.dialect === 'sqlite') {
      // In-process statements cost no round trip: the plain reads.
      this.lastSeq.set(id, await this.readLastSeq(id));
      const [attempts, refunds, chargebacks, adjustments] = [
        await this.listAttempts(id),
        await this.listRefunds(id),
        await this.listChargebacks(id),
        await this.listAdjustments(id),
      ];
      return { order, attempts, refunds, chargebacks, adjustments };
    }
    // One statement for the four lists, the timeline's end, and the configuration the rest of the
    // transaction consults (settings, webhook endpoints: see `config`), each row as to_jsonb (the
    // columns are text, integer and bigint, so the rows read back as pg returns them), each list
    // numbered in its own order so the order is the database's, as in the separate reads.
    const { rows } = await sql<{ k: 'a' | 'r' | 'c' | 'd' | 's' | 'w' | 'g'; n: number; r: Record<string, unknown> }>`
      select 'a' as k, row_number() over (order by x.number) as n, to_jsonb(x) as r from payment_attempts x where x.order_id = ${id}
      union all select 'r', row_number() over (order by x.created_at, x.id), to_jsonb(x) from refunds x where x.order_id = ${id}
      union all select 'c', row_number() over (order by x.created_at, x.id), to_jsonb(x) from chargebacks x where x.order_id = ${id}
      union all select 'd', row_number() over (order by x.created_at, x.id), to_jsonb(x) from adjustments x where x.order_id = ${id}
      union all select 's', 0, jsonb_build_object('last', max(x.seq)) from order_events x where x.order_id = ${id}
      union all select 'w', row_number() over (order by x.created_at, x.id), to_jsonb(x) from webhook_endpoints x
      union all select 'g', 0, jsonb_build_object('key', x.key, 'value', x.value) from settings x`.execute(this.db);
    const of = <T>(k: string, map: (row: never) => T): T[] =>
      rows
        .filter((x) => x.k === k)
        .sort((a, b) => Number(a.n) - Number(b.n))
        .map((x) => map(x.r as never));
    this.lastSeq.set(id, Number(rows.find((x) => x.k === 's')?.r.last ?? 0));
    this.config = {
      settings: new Map(rows.filter((x) => x.k === 'g').map((x) => [String(x.r.key), String(x.r.value)])),
      endpoints: of('w', (r: Row<'webhook_endpoints'>) => r),
    };
    return {
      order,
      attempts: of('a', attemptFromRow),
      refunds: of('r', refundFromRow),
      chargebacks: of('c', chargebackFromRow),
      adjustments: of('d', adjustmentFromRow),
    };
  }

  private async lockRow(id: string) {
    let q = this.db.selectFrom('orders').selectAll().where('id', '=', id);
    // SQLite has no row locks: BEGIN IMMEDIATE already holds the database's write lock.
    if (this.dialect === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  private async readLastSeq(orderId: string): Promise<number> {
    const { last } = await this.db
      .selectFrom('order_events')
      .select((eb) => eb.fn.max('seq').as('last'))
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    return Number(last ?? 0);
  }

  async insertOrder(order: Order, keyHash: string, referenceNorm: string) {
    const rows = await this.db
      .insertInto('orders')
      .values(orderToRow(order, keyHash, referenceNorm))
      .onConflict((oc) => oc.column('reference_norm').doNothing())
      .returning('id')
      .execute();
    // A new order has no timeline yet, and no one else sees it before this transaction commits.
    if (rows.length === 1) this.lastSeq.set(order.id, 0);
    return rows.length === 1;
  }

  async updateOrder(id: string, patch: OrderPatch) {
    await this.write(
      'orders',
      'update',
      this.db
        .updateTable('orders')
        .set({
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.paymentStatus !== undefined && { payment_status: patch.paymentStatus }),
          ...(patch.reviewStatus !== undefined && { review_status: patch.reviewStatus }),
          ...(patch.fiscalStatus !== undefined && { fiscal_status: patch.fiscalStatus }),
          ...(patch.deliveryStatus !== undefined && { delivery_status: patch.deliveryStatus }),
          ...(patch.amount !== undefined && { amount: patch.amount }),
          ...(patch.lines !== undefined && { lines: JSON.stringify(patch.lines) }),
          updated_at: patch.updatedAt,
        })
        .where('id', '=', id),
    );
  }

  async insertAttempt(a: PaymentAttempt, providerRefNorm: string) {
    const { n } = await this.db
      .selectFrom('payment_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('order_id', '=', a.orderId)
      .executeTakeFirstOrThrow();
    const rows = await this.db
      .insertInto('payment_attempts')
      .values({
        id: a.id,
        order_id: a.orderId,
        number: Number(n) + 1,
        payment_method_id: a.paymentMethodId,
        connector: a.connector,
        amount: a.amount,
        currency: a.currency,
        provider_ref: a.providerRef,
        provider_ref_norm: providerRefNorm,
        next_step: a.nextStep ? JSON.stringify(a.nextStep) : null,
        status: a.status,
        verified_by: a.verifiedBy,
        provider_status: a.providerStatus,
        error_code: a.errorCode,
        payment_link_id: a.paymentLinkId,
        created_at: a.createdAt,
        updated_at: a.updatedAt,
      })
      .onConflict((oc) => oc.columns(['payment_method_id', 'provider_ref_norm']).doNothing())
      .returning('id')
      .execute();
    return rows.length === 1;
  }

  async updateAttempt(id: string, p: AttemptPatch) {
    await this.write(
      'payment_attempts',
      'update',
      this.db
        .updateTable('payment_attempts')
        .set({
          ...(p.status !== undefined && { status: p.status }),
          ...(p.nextStep !== undefined && { next_step: p.nextStep ? JSON.stringify(p.nextStep) : null }),
          ...(p.verifiedBy !== undefined && { verified_by: p.verifiedBy }),
          ...(p.providerStatus !== undefined && { provider_status: p.providerStatus }),
          ...(p.errorCode !== undefined && { error_code: p.errorCode }),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id),
    );
  }

  async appendEvents(orderId: string, at: string, events: readonly NewOrderEvent[]) {
    if (events.length === 0) return [];
    // Safe without a sequence: every append runs under the order's lock.
    let start = this.lastSeq.get(orderId);
    if (start === undefined) {
      await this.batch?.flush();
      start = await this.readLastSeq(orderId);
    }
    this.lastSeq.set(orderId, start + events.length);
    const rows = events.map((e, i) => ({
      order_id: orderId,
      seq: start + i + 1,
      at,
      kind: e.kind,
      actor: e.actor,
      summary: e.summary,
      attempt_id: e.attemptId ?? null,
      task_kind: e.taskKind ?? null,
      task_id: e.taskId ?? null,
      data: JSON.stringify(e.data ?? {}),
    }));
    await this.write('order_events', 'insert', this.db.insertInto('order_events').values(rows));
    return rows.map(eventFromRow);
  }

  async insertTasks(tasks: readonly TaskRecord[]) {
    if (tasks.length === 0) return;
    await this.write(
      'tasks',
      'insert',
      this.db.insertInto('tasks').values(
        tasks.map((t) => ({
          id: t.id,
          kind: t.kind,
          reason: t.reason,
          owner: t.owner,
          status: t.status,
          resolution: t.resolution,
          order_id: t.orderId || null,
          attempt_id: t.attemptId ?? null,
          report_line: t.reportLine ?? null,
          created_at: t.createdAt,
          resolved_at: t.resolvedAt,
        })),
      ),
    );
  }

  async updateTask(
    id: string,
    p: { owner?: string | null; status?: TaskRecord['status']; resolution?: string | null; resolvedAt?: string | null },
  ) {
    await this.db
      .updateTable('tasks')
      .set({
        ...(p.owner !== undefined && { owner: p.owner }),
        ...(p.status !== undefined && { status: p.status }),
        ...(p.resolution !== undefined && { resolution: p.resolution }),
        ...(p.resolvedAt !== undefined && { resolved_at: p.resolvedAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  async insertOperation(op: ProviderOperation) {
    await this.db
      .insertInto('provider_operations')
      .values({
        id: op.id,
        kind: op.kind,
        order_id: op.orderId,
        attempt_id: op.attemptId,
        status: op.status,
        actor: op.actor,
        reason: op.reason,
        error: op.error,
        tries: op.tries,
        created_at: op.createdAt,
        updated_at: op.updatedAt,
      })
      .execute();
  }

  async updateOperation(
    id: string,
    p: { status?: OperationStatus; error?: string | null; tries?: number; updatedAt: string },
  ) {
    await this.db
      .updateTable('provider_operations')
      .set({
        ...(p.status !== undefined && { status: p.status }),
        ...(p.error !== undefined && { error: p.error }),
        ...(p.tries !== undefined && { tries: p.tries }),
        updated_at: p.updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  async insertPaymentMethod(pm: PaymentMethodRecord) {
    await this.db
      .insertInto('payment_methods')
      .values({
        id: pm.id,
        name: pm.name,
        connector: pm.connector,
        settings: JSON.stringify(pm.settings),
        secrets: pm.secretsCiphertext,
        currencies: pm.currencies ? JSON.stringify(pm.currencies) : null,
        min_amount: pm.minAmount,
        max_amount: pm.maxAmount,
        enabled: pm.enabled ? 1 : 0,
        auto_approve: pm.autoApprove ? 1 : 0,
        created_at: pm.createdAt,
        report_mapping: pm.reportMapping ? JSON.stringify(pm.reportMapping) : null,
      })
      .execute();
  }

  async revokeApiKey(id: string, at: string) {
    await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async insertUser(u: UserRecord) {
    const r = await this.db
      .insertInto('users')
      .values({
        id: u.id,
        email: u.email,
        email_norm: u.emailNorm,
        role: u.role,
        password_hash: u.passwordHash,
        created_at: u.createdAt,
        disabled_at: u.disabledAt,
      })
      .onConflict((oc) => oc.column('email_norm').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async updateUser(id: string, p: { role?: UserRecord['role']; passwordHash?: string; disabledAt?: string | null }) {
    await this.db
      .updateTable('users')
      .set({
        ...(p.role !== undefined && { role: p.role }),
        ...(p.passwordHash !== undefined && { password_hash: p.passwordHash }),
        ...(p.disabledAt !== undefined && { disabled_at: p.disabledAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  async insertSession(x: SessionRecord) {
    await this.db
      .insertInto('admin_sessions')
      .values({
        token_hash: x.tokenHash,
        user_id: x.userId,
        csrf_secret: x.csrfSecret,
        created_at: x.createdAt,
        last_seen_at: x.lastSeenAt,
        expires_at: x.expiresAt,
      })
      .execute();
  }

  async touchSession(tokenHash: string, lastSeenAt: string) {
    await this.db
      .updateTable('admin_sessions')
      .set({ last_seen_at: lastSeenAt })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async deleteSession(tokenHash: string) {
    await this.db.deleteFrom('admin_sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteUserSessions(userId: string) {
    await this.db.deleteFrom('admin_sessions').where('user_id', '=', userId).execute();
  }

  async insertSignInAttempt(a: { id: string; emailNorm: string; ip: string; succeeded: boolean; at: string }) {
    await this.db
      .insertInto('sign_in_attempts')
      .values({ id: a.id, email_norm: a.emailNorm, ip: a.ip, succeeded: a.succeeded ? 1 : 0, at: a.at })
      .execute();
  }

  async pruneSignIns(before: string) {
    await this.db.deleteFrom('sign_in_attempts').where('at', '<', before).execute();
    await this.db.deleteFrom('admin_sessions').where('expires_at', '<', before).execute();
    // Admin forms' one-time ids (src/admin/form-once.ts): a repeat comes within seconds.
    await this.db
      .deleteFrom('idempotency_keys')
      .where('scope_key', 'like', 'admin:%')
      .where('created_at', '<', before)
      .execute();
  }

  async pruneIdempotencyKeys(before: string, limit: number) {
    // Through idempotency_keys_created_idx, a bounded batch (no DELETE … LIMIT on PostgreSQL).
    const r = await this.db
      .deleteFrom('idempotency_keys')
      .where('scope_key', 'in', (eb) =>
        eb
          .selectFrom('idempotency_keys')
          .select('scope_key')
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async updatePaymentMethod(
    id: string,
    p: Partial<
      Pick<
        PaymentMethodRecord,
        'name' | 'settings' | 'secretsCiphertext' | 'currencies' | 'minAmount' | 'maxAmount' | 'enabled' | 'autoApprove'
      >
    >,
  ) {
    await this.db
      .updateTable('payment_methods')
      .set({
        ...(p.name !== undefined && { name: p.name }),
        ...(p.settings !== undefined && { settings: JSON.stringify(p.settings) }),
        ...(p.secretsCiphertext !== undefined && { secrets: p.secretsCiphertext }),
        ...(p.currencies !== undefined && { currencies: p.currencies ? JSON.stringify(p.currencies) : null }),
        ...(p.minAmount !== undefined && { min_amount: p.minAmount }),
        ...(p.maxAmount !== undefined && { max_amount: p.maxAmount }),
        ...(p.enabled !== undefined && { enabled: p.enabled ? 1 : 0 }),
        ...(p.autoApprove !== undefined && { auto_approve: p.autoApprove ? 1 : 0 }),
      })
      .where('id', '=', id)
      .execute();
  }

  async insertApiKey(k: ApiKeyRecord) {
    await this.db
      .insertInto('api_keys')
      .values({
        id: k.id,
        name: k.name,
        key_hash: k.keyHash,
        prefix: k.prefix,
        scopes: k.scopes.join(','),
        created_at: k.createdAt,
        revoked_at: k.revokedAt,
      })
      .execute();
  }

  async insertCallback(cb: CallbackRecord) {
    await this.write(
      'callbacks',
      'insert',
      this.db.insertInto('callbacks').values({
        id: cb.id,
        payment_method_id: cb.paymentMethodId,
        received_at: cb.receivedAt,
        method: cb.method,
        headers: JSON.stringify(cb.headers),
        query: cb.query,
        body: cb.body,
        verified: cb.verified ? 1 : 0,
        outcome: cb.outcome,
        reason: cb.reason,
        provider_ref: cb.providerRef,
        provider_status: cb.providerStatus,
        attempt_id: cb.attemptId,
        order_id: cb.orderId,
      }),
    );
  }

  async claimIdempotency(rec: IdempotencyRecord) {
    const rows = await this.db
      .insertInto('idempotency_keys')
      .values({
        scope_key: rec.scopeKey,
        request_hash: rec.requestHash,
        response_status: rec.responseStatus,
        response_body: rec.responseBody,
        created_at: rec.createdAt,
      })
      .onConflict((oc) => oc.column('scope_key').doNothing())
      .returning('scope_key')
      .execute();
    return rows.length === 1;
  }

  async completeIdempotency(scopeKey: string, status: number, body: string) {
    await this.db
      .updateTable('idempotency_keys')
      .set({ response_status: status, response_body: body })
      .where('scope_key', '=', scopeKey)
      .execute();
  }

  async releaseIdempotency(scopeKey: string) {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('scope_key', '=', scopeKey)
      .where('response_status', 'is', null)
      .execute();
  }

  async takeLease(name: string, holder: string, now: Date, ttlMs: number) {
    const current = await this.db.selectFrom('job_leases').selectAll().where('name', '=', name).executeTakeFirst();
    if (current && current.holder !== holder && current.expires_at > now.toISOString()) return false;
    const expires = new Date(now.getTime() + ttlMs).toISOString();
    await this.db
      .insertInto('job_leases')
      .values({ name, holder, expires_at: expires })
      .onConflict((oc) => oc.column('name').doUpdateSet({ holder, expires_at: expires }))
      .execute();
    return true;
  }

  async releaseLease(name: string, holder: string) {
    await this.db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  async putSetting(key: string, value: unknown, at: string) {
    this.config = null;
    const text = JSON.stringify(value);
    await this.db
      .insertInto('settings')
      .values({ key, value: text, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: at }))
      .execute();
  }

  async insertOutbox(messages: readonly OutboxMessage[]) {
    if (messages.length === 0) return;
    await this.write(
      'outbox',
      'insert',
      this.db.insertInto('outbox').values(
        messages.map((m, i) => ({
          id: m.id,
          topic: m.topic,
          event_type: m.eventType,
          order_id: m.orderId,
          order_seq: m.orderSeq,
          position: i,
          target: m.target,
          payload: JSON.stringify(m.payload),
          status: m.status,
          attempts: m.attempts,
          next_attempt_at: m.nextAttemptAt,
          last_error: m.lastError,
          locked_by: null,
          locked_until: null,
          created_at: m.createdAt,
          delivered_at: m.deliveredAt,
          request_id: m.requestId,
          queued_at: m.queuedAt,
        })),
      ),
    );
  }

  async claimOutbox(q: { now: string; holder: string; leaseUntil: string; limit: number }) {
    let due = this.db
      .selectFrom('outbox as o')
      .select('o.id')
      .where('o.status', '=', 'pending')
      .where('o.next_attempt_at', '<=', q.now)
      .where((eb) => eb.or([eb('o.locked_until', 'is', null), eb('o.locked_until', '<', q.now)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('outbox as p')
              .select('p.id')
              .whereRef('p.order_id', '=', 'o.order_id')
              .whereRef('p.target', '=', 'o.target')
              .where('p.status', '=', 'pending')
              .where((b) =>
                b.or([
                  b('p.order_seq', '<', b.ref('o.order_seq')),
                  b.and([b('p.order_seq', '=', b.ref('o.order_seq')), b('p.position', '<', b.ref('o.position'))]),
                ]),
              ),
          ),
        ),
      )
      .orderBy('o.next_attempt_at')
      .limit(q.limit);
    // Several workers on PostgreSQL: each skips the rows another is claiming right now.
    if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = await this.db
      .updateTable('outbox')
      .set({ locked_by: q.holder, locked_until: q.leaseUntil, attempts: sql<number>`attempts + 1` })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
    return rows
      .map(outboxFromRow)
      .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.orderSeq - b.orderSeq);
  }

  async updateOutbox(id: string, p: OutboxPatch) {
    await this.db
      .updateTable('outbox')
      .set({
        ...(p.status !== undefined && { status: p.status }),
        ...(p.nextAttemptAt !== undefined && { next_attempt_at: p.nextAttemptAt }),
        ...(p.lastError !== undefined && { last_error: p.lastError }),
        ...(p.deliveredAt !== undefined && { delivered_at: p.deliveredAt }),
        ...(p.attempts !== undefined && { attempts: p.attempts }),
        ...(p.queuedAt !== undefined && { queued_at: p.queuedAt }),
        ...(p.release && { locked_by: null, locked_until: null }),
      })
      .where('id', '=', id)
      .execute();
  }

  async insertWebhookEndpoint(e: WebhookEndpointRecord) {
    this.config = null;
    await this.db
      .insertInto('webhook_endpoints')
      .values({
        id: e.id,
        url: e.url,
        events: JSON.stringify(e.events),
        secret: e.secretCiphertext,
        status_map_preset: e.statusMapPreset,
        status_map: JSON.stringify(e.statusMap),
        enabled: e.enabled ? 1 : 0,
        created_at: e.createdAt,
        updated_at: e.updatedAt,
      })
      .execute();
  }

  async updateWebhookEndpoint(
    id: string,
    p: {
      enabled?: boolean;
      events?: string[];
      statusMapPreset?: string | null;
      statusMap?: WebhookEndpointRecord['statusMap'];
      updatedAt: string;
    },
  ) {
    this.config = null;
    await this.db
      .updateTable('webhook_endpoints')
      .set({
        ...(p.enabled !== undefined && { enabled: p.enabled ? 1 : 0 }),
        ...(p.events !== undefined && { events: JSON.stringify(p.events) }),
        ...(p.statusMapPreset !== undefined && { status_map_preset: p.statusMapPreset }),
        ...(p.statusMap !== undefined && { status_map: JSON.stringify(p.statusMap) }),
        updated_at: p.updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  async insertRefund(r: Refund) {
    await this.db
      .insertInto('refunds')
      .values({
        id: r.id,
        order_id: r.orderId,
        attempt_id: r.attemptId,
        amount: r.amount,
        currency: r.currency,
        reason: r.reason,
        lines: JSON.stringify(r.lines),
        actor: r.actor,
        status: r.status,
        provider_ref: r.providerRef,
        error: r.error,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
      })
      .execute();
  }

  async updateRefund(
    id: string,
    p: { status?: RefundStatus; providerRef?: string | null; error?: string | null; updatedAt: string },
  ) {
    await this.db
      .updateTable('refunds')
      .set({
        ...(p.status !== undefined && { status: p.status }),
        ...(p.providerRef !== undefined && { provider_ref: p.providerRef }),
        ...(p.error !== undefined && { error: p.error }),
        updated_at: p.updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  async insertChargeback(c: Chargeback) {
    await this.db
      .insertInto('chargebacks')
      .values({
        id: c.id,
        order_id: c.orderId,
        attempt_id: c.attemptId,
        amount: c.amount,
        currency: c.currency,
        reason_code: c.reasonCode,
        status: c.status,
        source: c.source,
        provider_ref: c.providerRef,
        note: c.note,
        actor: c.actor,
        created_at: c.createdAt,
        updated_at: c.updatedAt,
      })
      .execute();
  }

  async updateChargeback(
    id: string,
    p: { status?: Chargeback['status']; note?: string | null; providerRef?: string; updatedAt: string },
  ) {
    await this.db
      .updateTable('chargebacks')
      .set({
        ...(p.status !== undefined && { status: p.status }),
        ...(p.note !== undefined && { note: p.note }),
        ...(p.providerRef !== undefined && { provider_ref: p.providerRef }),
        updated_at: p.updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  async insertReceipt(r: FiscalReceipt) {
    await this.db
      .insertInto('receipts')
      .values({
        id: r.id,
        order_id: r.orderId,
        kind: r.kind,
        attempt_id: r.attemptId,
        refund_id: r.refundId,
        amount: r.amount,
        currency: r.currency,
        items: JSON.stringify(r.items),
        status: r.status,
        provider_ref: r.providerRef,
        fiscal_number: r.fiscalNumber,
        error: r.error,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
      })
      .execute();
  }

  async updateReceipt(
    id: string,
    p: {
      status?: FiscalReceipt['status'];
      providerRef?: string | null;
      fiscalNumber?: string | null;
      error?: string | null;
      updatedAt: string;
    },
  ) {
    await this.db
      .updateTable('receipts')
      .set({
        ...(p.status !== undefined && { status: p.status }),
        ...(p.providerRef !== undefined && { provider_ref: p.providerRef }),
        ...(p.fiscalNumber !== undefined && { fiscal_number: p.fiscalNumber }),
        ...(p.error !== undefined && { error: p.error }),
        updated_at: p.updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  async insertShipment(sh: Shipment) {
    await this.db
      .insertInto('shipments')
      .values({
        id: sh.id,
        order_id: sh.orderId,
        lines: JSON.stringify(sh.lines),
        courier: sh.courier,
        courier_ref: sh.courierRef,
        status: sh.status,
        proof: sh.proof ? JSON.stringify(sh.proof) : null,
        created_at: sh.createdAt,
        updated_at: sh.updatedAt,
      })
      .execute();
  }

  async updateShipment(
    id: string,
    p: Partial<Pick<Shipment, 'status' | 'courier' | 'courierRef' | 'proof'>> & { updatedAt: string },
  ) {
    await this.db
      .updateTable('shipments')
      .set({
        ...(p.status !== undefined && { status: p.status }),
        ...(p.courier !== undefined && { courier: p.courier }),
        ...(p.courierRef !== undefined && { courier_ref: p.courierRef }),
        ...(p.proof !== undefined && { proof: p.proof ? JSON.stringify(p.proof) : null }),
        updated_at: p.updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  async insertAdjustment(a: Adjustment) {
    await this.db
      .insertInto('adjustments')
      .values({
        id: a.id,
        order_id: a.orderId,
        kind: a.kind,
        lines: JSON.stringify(a.lines),
        amount_delta: a.amountDelta,
        amount_before: a.amountBefore,
        amount_after: a.amountAfter,
        reason: a.reason,
        actor: a.actor,
        refund_id: a.refundId,
        created_at: a.createdAt,
      })
      .execute();
  }

  async insertPaymentLink(l: PaymentLink, tokenHash: string) {
    await this.db
      .insertInto('payment_links')
      .values({
        id: l.id,
        order_id: l.orderId,
        token_hash: tokenHash,
        amount: l.amount,
        currency: l.currency,
        payment_method_id: l.paymentMethodId,
        status: l.status,
        expires_at: l.expiresAt,
        actor: l.actor,
        reason: l.reason,
        attempt_id: l.attemptId,
        revoked_at: l.revokedAt,
        created_at: l.createdAt,
        updated_at: l.updatedAt,
      })
      .execute();
  }

  async updatePaymentLink(
    id: string,
    p: { status?: PaymentLink['status']; attemptId?: string | null; revokedAt?: string | null; updatedAt: string },
  ) {
    await this.db
      .updateTable('payment_links')
      .set({
        ...(p.status !== undefined && { status: p.status }),
        ...(p.attemptId !== undefined && { attempt_id: p.attemptId }),
        ...(p.revokedAt !== undefined && { revoked_at: p.revokedAt }),
        updated_at: p.updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  async insertRun(run: ReconciliationRun) {
    const rows = await this.db
      .insertInto('reconciliation_runs')
      .values({
        id: run.id,
        payment_method_id: run.paymentMethodId,
        report_date: run.reportDate,
        file_name: run.fileName,
        file_hash: run.fileHash,
        via: run.via,
        actor: run.actor,
        status: run.status,
        error: run.error,
        summary: run.summary ? JSON.stringify(run.summary) : null,
        created_at: run.createdAt,
        updated_at: run.updatedAt,
        completed_at: run.completedAt,
      })
      .onConflict((oc) => oc.columns(['payment_method_id', 'file_hash']).doNothing())
      .returning('id')
      .execute();
    return rows.length === 1;
  }

  async updateRun(
    id: string,
    p: {
      status?: ReconciliationRun['status'];
      error?: string | null;
      summary?: ReconciliationRun['summary'];
      completedAt?: string | null;
      updatedAt: string;
    },
  ) {
    await this.db
      .updateTable('reconciliation_runs')
      .set({
        ...(p.status !== undefined && { status: p.status }),
        ...(p.error !== undefined && { error: p.error }),
        ...(p.summary !== undefined && { summary: p.summary ? JSON.stringify(p.summary) : null }),
        ...(p.completedAt !== undefined && { completed_at: p.completedAt }),
        updated_at: p.updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  async insertReportLines(lines: readonly ReportLineRecord[]) {
    // Parameter limits: SQLite allows 32766 per statement, PostgreSQL 65535; 16 columns × 500 rows fits both.
    for (let i = 0; i < lines.length; i += 500) {
      await this.db
        .insertInto('report_lines')
        .values(
          lines.slice(i, i + 500).map((l) => ({
            run_id: l.runId,
            line_no: l.lineNo,
            provider_ref: l.providerRef,
            order_reference: l.orderReference,
            type: l.type,
            amount: l.amount,
            currency: l.currency,
            status: l.status,
            at: l.at,
            fee: l.fee,
            dup_key: l.dupKey,
            outcome: l.outcome,
            kind: l.kind,
            record_id: l.recordId,
            order_id: l.orderId,
            message: l.message,
          })),
        )
        .onConflict((oc) => oc.columns(['run_id', 'line_no']).doNothing())
        .execute();
    }
  }

  async setPaymentMethodReportMapping(id: string, mapping: unknown) {
    await this.db
      .updateTable('payment_methods')
      .set({ report_mapping: mapping === null ? null : JSON.stringify(mapping) })
      .where('id', '=', id)
      .execute();
  }
}
