// The sandbox's vPOS REST API: POST {base}/api/VPOS/{Operation} with a JSON body, answered as
// the protocol document describes, with the switches applied: apiHttpStatus answers an error
// page and does nothing; an error switch refuses with its code and does nothing; timeoutMs does
// the operation and holds its answer (so a client that gave up does not know it was done).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxPayment, VposBook } from './sandbox-book.js';
import {
  cancel,
  confirm,
  detailsAnswer,
  lookupFailed,
  notAuthorized,
  refund,
  type OperationAnswer,
} from './sandbox-ops.js';

/** The switches the API reads (see AmeriaSwitches in sandbox.ts). */
export interface ApiSwitches {
  timeoutMs?: number;
  apiHttpStatus?: number;
  reportAmount?: number;
  reportCurrency?: string;
  initError?: string;
  confirmError?: string;
  cancelError?: string;
  refundError?: string;
  unattemptedFault?: boolean;
}

export interface ApiContext {
  book: VposBook;
  /** The switches in force for a payment's OrderID (the global ones when there is none). */
  switchesFor(orderId: number | undefined): ApiSwitches;
  /** A delay that ends early when the sandbox closes. */
  sleep(ms: number): Promise<void>;
  now(): number;
}

const bodyOf = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const forced = (reply: FastifyReply, status: number) =>
  reply.code(status).type('text/plain').send('sandbox: forced error');

const forcedRefusal = (p: SandboxPayment, code: string): OperationAnswer => ({
  ResponseCode: code,
  ResponseMessage: 'sandbox: forced refusal',
  Opaque: p.opaque,
});

const unknownPayment = (): OperationAnswer => ({ ResponseCode: '550', ResponseMessage: 'System Error', Opaque: '' });

export function apiRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { book } = ctx;
  const held = async <T>(sw: ApiSwitches, answer: T): Promise<T> => {
    if (sw.timeoutMs) await ctx.sleep(sw.timeoutMs);
    return answer;
  };

  app.post('/api/VPOS/InitPayment', async (req, reply) => {
    const body = bodyOf(req.body);
    const sw = ctx.switchesFor(typeof body.OrderID === 'number' ? body.OrderID : undefined);
    if (sw.apiHttpStatus) return forced(reply, sw.apiHttpStatus);
    const answer = sw.initError
      ? { PaymentID: '', ResponseCode: Number(sw.initError), ResponseMessage: 'sandbox: forced refusal' }
      : book.init(body);
    return held(sw, answer);
  });

  app.post('/api/VPOS/GetPaymentDetails', async (req, reply) => {
    const body = bodyOf(req.body);
    const p = typeof body.PaymentID === 'string' ? book.payment(body.PaymentID) : undefined;
    const sw = ctx.switchesFor(p?.orderId);
    if (sw.apiHttpStatus) return forced(reply, sw.apiHttpStatus);
    if (!p || !book.authorized(p, body.Username, body.Password)) return held(sw, lookupFailed());
    // Observed live: the details of a payment registered and never attempted are an ASP.NET fault.
    if (sw.unattemptedFault && !p.attempted)
      return reply.code(500).type('application/json').send({ Message: 'An error has occurred.' });
    return held(sw, detailsAnswer(p, { amount: sw.reportAmount, currency: sw.reportCurrency }));
  });

  const operation = (
    path: string,
    errorOf: (sw: ApiSwitches) => string | undefined,
    run: (p: SandboxPayment, body: Record<string, unknown>) => OperationAnswer,
  ) =>
    app.post(path, async (req, reply) => {
      const body = bodyOf(req.body);
      const p = typeof body.PaymentID === 'string' ? book.payment(body.PaymentID) : undefined;
      const sw = ctx.switchesFor(p?.orderId);
      if (sw.apiHttpStatus) return forced(reply, sw.apiHttpStatus);
      if (!p) return held(sw, unknownPayment());
      if (!book.authorized(p, body.Username, body.Password)) return held(sw, notAuthorized(p));
      const error = errorOf(sw);
      return held(sw, error ? forcedRefusal(p, error) : run(p, body));
    });

  operation(
    '/api/VPOS/ConfirmPayment',
    (sw) => sw.confirmError,
    (p, body) => confirm(p, body.Amount),
  );
  operation(
    '/api/VPOS/CancelPayment',
    (sw) => sw.cancelError,
    (p) => cancel(p, ctx.now()),
  );
  operation(
    '/api/VPOS/RefundPayment',
    (sw) => sw.refundError,
    (p, body) => refund(p, body.Amount),
  );
}
