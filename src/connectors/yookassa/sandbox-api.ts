// The sandbox's API, as YooKassa v3 answers it: HTTP Basic, an Idempotence-Key on every POST
// (the same key and body answer the same; the same key with another body is refused), payment
// objects, refunds, errors as {type: "error", code, description}. Switches hold or bend answers.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDecimal, parseDecimal } from '../../domain/money.js';
import type { ReportSwitches } from '../kit/sandbox/report-switches.js';
import type { SandboxPayment, SandboxShop, ShopBook } from './sandbox-book.js';

/** The kit's switches with the money stated (amount and currency). */
export type YooKassaSwitches = ReportSwitches;

export interface ApiActions {
  book: ShopBook;
  switchesFor(reference: string): YooKassaSwitches;
  sleep(ms: number): Promise<void>;
  pageUrl(base: string, p: SandboxPayment): string;
  /** Sends a notification of this event; resolves after its first try. */
  notify(p: SandboxPayment, event: string, object: unknown): Promise<void>;
}

const error = (reply: FastifyReply, status: number, code: string, description: string) =>
  reply.code(status).send({ type: 'error', id: 'sandbox', code, description });

/** The payment object as YooKassa shows it (with the switches' stated amount or currency). */
export function paymentObject(p: SandboxPayment, sw: YooKassaSwitches, pageUrl?: string) {
  const currency = sw.reportCurrency ?? p.currency;
  return {
    id: p.id,
    status: p.status,
    paid: p.status === 'succeeded' || p.status === 'waiting_for_capture',
    amount: { value: formatDecimal(sw.reportAmount ?? p.amount, currency), currency },
    ...(p.refunded > 0 && { refunded_amount: { value: formatDecimal(p.refunded, p.currency), currency: p.currency } }),
    created_at: p.createdAt,
    description: p.description,
    metadata: p.metadata,
    ...(p.status === 'pending' && pageUrl && { confirmation: { type: 'redirect', confirmation_url: pageUrl } }),
    ...(p.cancellationReason && { cancellation_details: { party: 'payment_network', reason: p.cancellationReason } }),
    refundable: p.status === 'succeeded',
    test: true,
  };
}

export function apiRoutes(app: FastifyInstance, sb: ApiActions): void {
  const base = (req: FastifyRequest) => `${req.protocol}://${req.host}${app.prefix}`;
  type Handler = (
    shop: SandboxShop,
    body: Record<string, unknown>,
    req: FastifyRequest,
    reply: FastifyReply,
  ) => unknown;

  /** Credentials, switches, then for a POST its Idempotence-Key: a repeat answers as the first. */
  const route = (method: 'GET' | 'POST', path: string, referenceOf: (req: FastifyRequest) => string, h: Handler) =>
    app.route({
      method,
      url: `/v3${path}`,
      handler: async (req, reply) => {
        const sw = sb.switchesFor(referenceOf(req));
        if (sw.timeoutMs) await sb.sleep(sw.timeoutMs);
        if (sw.apiHttpStatus) return reply.code(sw.apiHttpStatus).type('text/plain').send('sandbox: forced error');
        const shop = sb.book.login(req.headers.authorization);
        if (!shop) return error(reply, 401, 'invalid_credentials', 'Login or password is incorrect');
        const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
        if (method === 'GET') return h(shop, body, req, reply);
        const key = req.headers['idempotence-key'];
        if (typeof key !== 'string' || key.length === 0 || key.length > 64)
          return error(reply, 400, 'invalid_request', 'Idempotence key is missing or longer than 64 characters');
        const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
        const seen = sb.book.remembered(shop.shopId, key);
        if (seen && seen.body !== hash)
          return error(reply, 400, 'invalid_request', 'Idempotence key duplicated with another request body');
        if (seen) return reply.code(seen.status).send(seen.answer);
        const answer = await h(shop, body, req, reply);
        if (!reply.sent) {
          sb.book.remember(shop.shopId, key, hash, 200, answer);
          return answer;
        }
        return reply;
      },
    });
  const paymentOf = (req: FastifyRequest) => sb.book.payment((req.params as { id?: string }).id ?? '');
  const refOf = (p: SandboxPayment | undefined) => String(p?.metadata.settle_reference ?? '');

  route(
    'POST',
    '/payments',
    (req) => String(((req.body ?? {}) as { metadata?: Record<string, unknown> }).metadata?.settle_reference ?? ''),
    (shop, b, req, reply) => {
      const amount = (b.amount ?? {}) as Record<string, unknown>;
      const confirmation = (b.confirmation ?? {}) as Record<string, unknown>;
      const currency = typeof amount.currency === 'string' ? amount.currency : '';
      const minor = typeof amount.value === 'string' && currency ? parseDecimal(amount.value, currency) : undefined;
      if (!minor || minor <= 0) return error(reply, 400, 'invalid_request', 'amount is missing or invalid');
      if (confirmation.type !== 'redirect' || typeof confirmation.return_url !== 'string')
        return error(reply, 400, 'invalid_request', 'confirmation of type redirect with return_url is required');
      const p = sb.book.createPayment({
        shopId: shop.shopId,
        amount: minor,
        currency,
        capture: b.capture !== false,
        description: typeof b.description === 'string' ? b.description : '',
        metadata: (b.metadata ?? {}) as Record<string, unknown>,
        returnUrl: confirmation.return_url,
      });
      const page = sb.pageUrl(base(req), p);
      return paymentObject(p, {}, page);
    },
  );

  route(
    'GET',
    '/payments/:id',
    (req) => refOf(paymentOf(req)),
    (shop, _b, req, reply) => {
      const p = paymentOf(req);
      if (!p || p.shopId !== shop.shopId) return error(reply, 404, 'not_found', 'Payment not found');
      return paymentObject(p, sb.switchesFor(refOf(p)), sb.pageUrl(base(req), p));
    },
  );

  for (const op of ['capture', 'cancel'] as const)
    route(
      'POST',
      `/payments/:id/${op}`,
      (req) => refOf(paymentOf(req)),
      (shop, b, req, reply) => {
        const p = paymentOf(req);
        if (!p || p.shopId !== shop.shopId) return error(reply, 404, 'not_found', 'Payment not found');
        if (p.status !== 'waiting_for_capture')
          return error(
            reply,
            400,
            'invalid_request',
            `Payment in status ${p.status} cannot be ${op === 'capture' ? 'captured' : 'canceled'}`,
          );
        if (op === 'capture') {
          const a = (b.amount ?? {}) as Record<string, unknown>;
          const minor = typeof a.value === 'string' ? parseDecimal(a.value, p.currency) : p.amount;
          if (minor === undefined || minor <= 0 || minor > p.amount)
            return error(reply, 400, 'invalid_request', 'capture amount is more than the payment holds');
          p.amount = minor;
          p.status = 'succeeded';
          void sb.notify(p, 'payment.succeeded', paymentObject(p, {}));
        } else {
          p.status = 'canceled';
          p.cancellationReason = 'canceled_by_merchant';
          void sb.notify(p, 'payment.canceled', paymentObject(p, {}));
        }
        return paymentObject(p, {});
      },
    );

  route(
    'POST',
    '/refunds',
    (req) => refOf(sb.book.payment(String(((req.body ?? {}) as { payment_id?: unknown }).payment_id ?? ''))),
    (shop, b, _req, reply) => {
      const p = sb.book.payment(String(b.payment_id ?? ''));
      if (!p || p.shopId !== shop.shopId) return error(reply, 404, 'not_found', 'Payment not found');
      if (p.status !== 'succeeded')
        return error(reply, 400, 'invalid_request', 'Only a succeeded payment can be refunded');
      const a = (b.amount ?? {}) as Record<string, unknown>;
      const minor =
        typeof a.value === 'string' && a.currency === p.currency ? parseDecimal(a.value, p.currency) : undefined;
      if (!minor || minor <= 0 || minor > p.amount - p.refunded)
        return error(reply, 400, 'invalid_request', 'Refund amount is more than is left of the payment');
      p.refunded += minor;
      const r = sb.book.addRefund({ paymentId: p.id, amount: minor, currency: p.currency });
      const refund = {
        id: r.id,
        payment_id: p.id,
        status: r.status,
        amount: { value: formatDecimal(minor, p.currency), currency: p.currency },
        created_at: r.createdAt,
      };
      void sb.notify(p, 'refund.succeeded', refund);
      return refund;
    },
  );
}
