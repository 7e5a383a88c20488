// What a batch of report lines is matched against: the Settle records the lines may name, read in
// a few queries per batch, and the rows written for the lines.
import { normalizeReference, type Order, type PaymentAttempt } from '../domain/order.js';
import type { ReportLine, ReportLineType } from '../domain/report.js';
import type { SettleRecord } from '../domain/reconciliation.js';
import type { StorageReads } from '../ports/storage.js';
import type { ReportLineRecord } from '../domain/report-line.js';

/** Report lines read and written per batch. */
export const BATCH = 1000;
/** Which of Settle's records a report line's type is matched against. */
export const RECORD_KIND: Record<ReportLineType, SettleRecord['kind']> = {
  sale: 'payment',
  refund: 'refund',
  chargeback: 'chargeback',
};

interface BatchRecords {
  candidates(line: ReportLine): SettleRecord[];
  attemptOfRecord(id: string): string | null;
}

/**
 * Settle's side of a batch in a few queries: the payments and refunds its provider references
 * name, the orders its order references name, and every payment, refund and chargeback of those
 * orders. A line's candidates are the records of its own reference, or else all its order's.
 */
export async function recordsFor(
  reads: StorageReads,
  paymentMethodId: string,
  lines: readonly ReportLine[],
  norm: (ref: string) => string,
): Promise<BatchRecords> {
  const refs = [...new Set(lines.flatMap((l) => (l.providerRef ? [l.providerRef] : [])))];
  const refsNorm = [...new Set(refs.map(norm))];
  const orderRefs = [
    ...new Set(lines.flatMap((l) => (l.orderReference ? [normalizeReference(l.orderReference)] : []))),
  ];
  const [byRef, refundsByRef, byReference] = await Promise.all([
    reads.findAttemptsByProviderRefs(paymentMethodId, refsNorm),
    reads.findRefundsByProviderRefs(refs),
    reads.findOrdersByReferences(orderRefs),
  ]);
  const orderIdByRef = new Map<string, string>();
  for (const a of byRef) orderIdByRef.set(norm(a.providerRef), a.orderId);
  for (const r of refundsByRef) if (r.providerRef) orderIdByRef.set(norm(r.providerRef), r.orderId);
  const orderIdByReference = new Map(byReference.map((o) => [normalizeReference(o.reference), o.id]));
  const known = new Map<string, Order>(byReference.map((o) => [o.id, o]));
  const missing = [...new Set(orderIdByRef.values())].filter((id) => !known.has(id));
  for (const o of await reads.getOrders(missing)) known.set(o.id, o);
  const ids = [...known.keys()];
  const attempts = await reads.listAttemptsForOrders(ids);
  const { refunds, chargebacks } = await reads.listOrderRecords(ids);

  const byOrder = new Map<string, SettleRecord[]>();
  const attemptOf = new Map<string, string>();
  const add = (r: SettleRecord, attemptId: string) => {
    attemptOf.set(r.id, attemptId);
    const list = byOrder.get(r.orderId) ?? [];
    list.push(r);
    byOrder.set(r.orderId, list);
  };
  for (const [orderId, list] of attempts) {
    const reference = known.get(orderId)!.reference;
    for (const a of list as PaymentAttempt[])
      add(
        {
          kind: 'payment',
          id: a.id,
          orderId,
          orderReference: reference,
          providerRef: a.providerRef,
          amount: a.amount,
          currency: a.currency,
          status: a.status,
        },
        a.id,
      );
  }
  for (const r of refunds)
    add(
      {
        kind: 'refund',
        id: r.id,
        orderId: r.orderId,
        orderReference: known.get(r.orderId)!.reference,
        providerRef: r.providerRef,
        amount: r.amount,
        currency: r.currency,
        status: r.status,
      },
      r.attemptId,
    );
  for (const c of chargebacks)
    add(
      {
        kind: 'chargeback',
        id: c.id,
        orderId: c.orderId,
        orderReference: known.get(c.orderId)!.reference,
        providerRef: c.providerRef,
        amount: c.amount,
        currency: c.currency,
        status: c.status,
      },
      c.attemptId,
    );

  return {
    candidates(line) {
      const ref = line.providerRef ? norm(line.providerRef) : null;
      const orderId =
        (ref && orderIdByRef.get(ref)) ||
        (line.orderReference ? orderIdByReference.get(normalizeReference(line.orderReference)) : undefined);
      const all = orderId ? (byOrder.get(orderId) ?? []) : [];
      const own = ref
        ? all.filter((r) => r.kind === RECORD_KIND[line.type] && r.providerRef !== null && norm(r.providerRef) === ref)
        : [];
      return own.length > 0 ? own : all;
    },
    attemptOfRecord: (id) => attemptOf.get(id) ?? null,
  };
}

export function attemptOf(records: BatchRecords, row: ReportLineRecord): string | null {
  return row.recordId ? records.attemptOfRecord(row.recordId) : null;
}

export function lineFields(runId: string, l: ReportLine) {
  return {
    runId,
    lineNo: l.lineNo,
    providerRef: l.providerRef,
    orderReference: l.orderReference,
    type: l.type,
    amount: l.amount,
    currency: l.currency,
    status: l.status,
    at: l.at,
    fee: l.fee,
  };
}

export function emptyLine(runId: string, lineNo: number) {
  return {
    runId,
    lineNo,
    providerRef: null,
    orderReference: null,
    type: null,
    amount: null,
    currency: null,
    status: null,
    at: null,
    fee: null,
    dupKey: null,
    kind: null,
    recordId: null,
    orderId: null,
    message: null,
  };
}
