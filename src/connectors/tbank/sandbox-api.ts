// The sandbox's API, as T-Bank's v2 answers it: JSON POSTs to /v2/Init, /v2/GetState and
// /v2/Cancel, each checked for a known TerminalKey and a Token over its root-level fields, and
// answered {Success, ErrorCode, …}. Switches hold, break or bend the answers.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { tbankToken, tokenMatches } from './wire.js';
import { PAYABLE, type SandboxPayment, type TerminalBook } from './sandbox-book.js';
import type { TBankSwitches } from './sandbox-switches.js';

export interface ApiActions {
  book: TerminalBook;
  switchesFor(orderId: string): TBankSwitches;
  sleep(ms: number): Promise<void>;
  /** The payment page, absolute, under the base URL the request came in on. */
  paymentUrl(base: string, p: SandboxPayment): string;
  /** Sends the notification of the payment's current status (resolves after the first try). */
  notify(p: SandboxPayment): Promise<void>;
}

// ErrorCodes: T-Bank's own for a wrong Token (204) and terminal (501) as third-party clients quote
// them; the others are the sandbox's, stated so in Message.
const refusal = (code: string, message: string) => ({ Success: false, ErrorCode: code, Message: message });
const BAD_TOKEN = refusal('204', 'Неверный токен. Проверьте пару TerminalKey/Password.');
const NO_TERMINAL = refusal('501', 'Терминал не найден.');
const BAD_REQUEST = refusal('9999', 'sandbox: the request is not what T-Bank takes.');

export function apiRoutes(app: FastifyInstance, sb: ApiActions): void {
  const base = (req: { protocol: string; host: string }) => `${req.protocol}://${req.host}${app.prefix}`;
  type Handler = (f: Record<string, unknown>, base: string) => Promise<unknown> | unknown;

  const method = (name: string, orderIdOf: (f: Record<string, unknown>) => string, h: Handler) =>
    app.post(`/v2/${name}`, async (req, reply: FastifyReply) => {
      const f = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
      const sw = sb.switchesFor(orderIdOf(f));
      if (sw.timeoutMs) await sb.sleep(sw.timeoutMs);
      if (sw.apiHttpStatus) return reply.code(sw.apiHttpStatus).type('text/plain').send('sandbox: forced error');
      const terminal = sb.book.terminal(f.TerminalKey);
      if (!terminal) return NO_TERMINAL;
      const expected = tbankToken(f, terminal.password);
      if (expected === null || !tokenMatches(f.Token, expected)) return BAD_TOKEN;
      return h(f, base(req));
    });
  const ofPayment = (f: Record<string, unknown>) => sb.book.payment(f.PaymentId)?.orderId ?? '';
  const answer = (p: SandboxPayment, extra: Record<string, unknown> = {}) => {
    const sw = sb.switchesFor(p.orderId);
    return {
      Success: true,
      ErrorCode: '0',
      TerminalKey: p.terminalKey,
      Status: p.status,
      PaymentId: p.paymentId,
      OrderId: p.orderId,
      Amount: sw.reportAmount ?? p.amount - p.refunded,
      ...extra,
    };
  };

  method(
    'Init',
    (f) => (typeof f.OrderId === 'string' ? f.OrderId : ''),
    (f, at) => {
      const { TerminalKey, Amount, OrderId } = f;
      if (!Number.isSafeInteger(Amount) || (Amount as number) <= 0 || typeof OrderId !== 'string' || !OrderId)
        return BAD_REQUEST;
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const p = sb.book.create({
        terminalKey: TerminalKey as string,
        orderId: OrderId,
        amount: Amount as number,
        description: str(f.Description) ?? '',
        notificationUrl: str(f.NotificationURL),
        successUrl: str(f.SuccessURL),
        failUrl: str(f.FailURL),
      });
      if (!p) return refusal('8', 'sandbox: this OrderId was used already.');
      return { ...answer(p), PaymentURL: sb.paymentUrl(at, p) };
    },
  );

  method('GetState', ofPayment, (f) => {
    const p = sb.book.payment(f.PaymentId);
    return p && p.terminalKey === f.TerminalKey ? answer(p) : refusal('7', 'sandbox: no such PaymentId.');
  });

  method('Cancel', ofPayment, async (f) => {
    const p = sb.book.payment(f.PaymentId);
    if (!p || p.terminalKey !== f.TerminalKey) return refusal('7', 'sandbox: no such PaymentId.');
    const key = typeof f.ExternalRequestId === 'string' && f.ExternalRequestId !== '' ? f.ExternalRequestId : null;
    const seen = key ? p.cancels.get(key) : undefined;
    if (seen) return answer(p, { Status: seen.status, OriginalAmount: seen.originalAmount, NewAmount: seen.newAmount });
    const before = p.amount - p.refunded;
    if (PAYABLE.has(p.status)) {
      // Cancel of NEW: the whole payment, whatever Amount says.
      p.status = 'CANCELED';
    } else if (p.status === 'CONFIRMED' || p.status === 'PARTIAL_REFUNDED') {
      const amount = f.Amount === undefined ? before : f.Amount;
      if (!Number.isSafeInteger(amount) || (amount as number) <= 0 || (amount as number) > before)
        return refusal('9999', 'sandbox: the amount to refund is more than is left of the payment.');
      p.refunded += amount as number;
      p.status = p.refunded === p.amount ? 'REFUNDED' : 'PARTIAL_REFUNDED';
    } else return refusal('9999', `sandbox: a payment in status ${p.status} cannot be canceled.`);
    const result = { status: p.status, originalAmount: before, newAmount: p.amount - p.refunded };
    if (key) p.cancels.set(key, result);
    void sb.notify(p);
    return answer(p, { Status: result.status, OriginalAmount: result.originalAmount, NewAmount: result.newAmount });
  });
}
