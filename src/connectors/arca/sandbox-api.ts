// The sandbox gateway's REST methods, form-encoded POSTs under /payment/rest/ answering JSON as
// BPC documents them: register.do, registerPreAuth.do, getOrderStatusExtended.do, reverse.do,
// deposit.do, refund.do. Every one checks the API login; switches hold, break or refuse answers.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { currencyNumeric } from '../../domain/currency.js';
import {
  deposit,
  refund,
  reverse,
  SANDBOX_ERRORS,
  type Merchant,
  type MerchantBook,
  type Refusal,
  type SandboxOrder,
} from './sandbox-book.js';
import type { ArcaSwitches } from './sandbox-switches.js';

export interface ApiActions {
  book: MerchantBook;
  switchesFor(orderNumber: string): ArcaSwitches;
  sleep(ms: number): Promise<void>;
  /** The payment page of an order, absolute, from the base URL requests come in under. */
  formUrl(base: string, order: SandboxOrder): string;
  /** Sends the callbacks of one operation; resolves after the first try (never rejects). */
  notify(order: SandboxOrder, operation: string, status: '0' | '1'): Promise<void>;
}

const PAYMENT_STATES = ['CREATED', 'APPROVED', 'DEPOSITED', 'REVERSED', 'REFUNDED', 'STARTED', 'DECLINED'];

const forced = (code: string): Refusal => ({ errorCode: code, errorMessage: 'sandbox: forced error' });

export function apiRoutes(app: FastifyInstance, sb: ApiActions): void {
  const base = (req: { protocol: string; host: string }) => `${req.protocol}://${req.host}${app.prefix}`;
  type Handler = (m: Merchant, p: Record<string, string>, sw: ArcaSwitches, base: string) => Promise<unknown>;

  /** One method: login, switches (by the order's orderNumber), hold, forced HTTP status, then the handler. */
  const method = (name: string, orderNumberOf: (m: Merchant, p: Record<string, string>) => string, h: Handler) =>
    app.post(`/payment/rest/${name}`, async (req, reply: FastifyReply) => {
      const p = formOf(req.body);
      const m = sb.book.login(p);
      const sw = sb.switchesFor(m ? orderNumberOf(m, p) : (p.orderNumber ?? ''));
      if (sw.timeoutMs) await sb.sleep(sw.timeoutMs);
      if (sw.apiHttpStatus) return reply.code(sw.apiHttpStatus).type('text/plain').send('sandbox: forced error');
      if (!m) return SANDBOX_ERRORS.accessDenied;
      return h(m, p, sw, base(req));
    });
  const ofOrder = (m: Merchant, p: Record<string, string>) => {
    const o = sb.book.find(m, p);
    return 'mdOrder' in o ? o.orderNumber : (p.orderNumber ?? '');
  };

  for (const [name, twoPhase] of [
    ['register.do', false],
    ['registerPreAuth.do', true],
  ] as const) {
    method(
      name,
      (_m, p) => p.orderNumber ?? '',
      async (m, p, sw, at) => {
        if (sw.registerError) return forced(sw.registerError);
        const o = sb.book.register(m, p, twoPhase);
        return 'mdOrder' in o ? { orderId: o.mdOrder, formUrl: sb.formUrl(at, o) } : o;
      },
    );
  }

  method('getOrderStatusExtended.do', ofOrder, async (m, p, sw) => {
    if (sw.statusError) return forced(sw.statusError);
    const o = sb.book.find(m, p);
    return 'mdOrder' in o ? statusAnswer(o, sw) : o;
  });

  const operation =
    (
      errorOf: (sw: ArcaSwitches) => string | undefined,
      act: (o: SandboxOrder, amount: number) => Refusal | undefined,
      callback: string,
    ) =>
    async (m: Merchant, p: Record<string, string>, sw: ArcaSwitches) => {
      const err = errorOf(sw);
      if (err) return forced(err);
      const o = sb.book.find(m, { orderId: p.orderId ?? '' });
      if (!('mdOrder' in o)) return o;
      if (p.amount !== undefined && !/^\d{1,12}$/.test(p.amount)) return SANDBOX_ERRORS.badValue;
      const refused = act(o, Number(p.amount ?? 0));
      if (refused) return refused;
      // BPC notifies on its own time: the answer does not wait for the merchant's callback handler.
      void sb.notify(o, callback, '1');
      return { errorCode: '0', errorMessage: 'Success' };
    };
  method(
    'reverse.do',
    ofOrder,
    operation((sw) => sw.reverseError, reverse, 'reversed'),
  );
  method(
    'deposit.do',
    ofOrder,
    operation((sw) => sw.depositError, deposit, 'deposited'),
  );
  method(
    'refund.do',
    ofOrder,
    operation((sw) => sw.refundError, refund, 'refunded'),
  );
}

/** getOrderStatusExtended.do's answer; reportAmount and reportCurrency make it state other money. */
export function statusAnswer(o: SandboxOrder, sw: ArcaSwitches): Record<string, unknown> {
  const said = (n: number) => (sw.reportAmount !== undefined && n > 0 ? sw.reportAmount : n);
  return {
    errorCode: '0',
    errorMessage: 'Success',
    orderNumber: o.orderNumber,
    orderStatus: o.orderStatus,
    actionCode: o.actionCode,
    actionCodeDescription: o.orderStatus === 6 ? 'sandbox: declined' : '',
    amount: sw.reportAmount ?? o.amount,
    currency: (sw.reportCurrency && currencyNumeric(sw.reportCurrency)) ?? o.currency,
    orderDescription: o.description,
    paymentAmountInfo: {
      paymentState: PAYMENT_STATES[o.orderStatus] ?? 'CREATED',
      approvedAmount: said(o.approved),
      depositedAmount: said(o.deposited),
      refundedAmount: o.refunded,
    },
  };
}

function formOf(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}
