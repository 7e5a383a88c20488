import { isAttemptOpen } from '../domain/attempt-status.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import type { FastifyReply } from 'fastify';
import { html, page, type Html } from './html.js';
import { formatMoney } from './i18n/format.js';
import type { Locale } from './i18n/locale.js';
import { messagesFor } from './i18n/catalog.js';

/** What the return page says of one payment: its headline state, and whether it may show a refresh. */
export type ReturnState = 'paid' | 'waiting' | 'not_paid';

export function returnState(order: Order, attempt: PaymentAttempt): ReturnState {
  if (attempt.status === 'succeeded' || order.paymentStatus === 'paid') return 'paid';
  return isAttemptOpen(attempt.status) ? 'waiting' : 'not_paid';
}

/** Whether the customer may start a new attempt from this page: the order still owes, nothing is open. */
export function mayTryAgain(order: Order, attempts: readonly PaymentAttempt[]): boolean {
  return (
    (order.status === 'pending_payment' || order.status === 'payment_failed') &&
    !attempts.some((a) => isAttemptOpen(a.status) || a.status === 'succeeded')
  );
}

/**
 * The return page's body, in the customer's language: the payment's state in words, the order's,
 * and the next steps: try again (a new attempt, or the payment link again when it came through
 * one) and back to the shop's own page when the store gave one.
 */
export function returnBody(order: Order, attempt: PaymentAttempt, canRetry: boolean, locale: Locale): Html {
  const t = messagesFor(locale);
  const amount = formatMoney(attempt.amount, attempt.currency, locale);
  const state = returnState(order, attempt);
  const headline =
    state === 'paid'
      ? html`<p class="status paid" data-testid="payment-status">${t.paid.status}</p>
          <p>${t.paid.text(amount, order.reference)}</p>`
      : state === 'waiting'
        ? html`<p class="status" data-testid="payment-status">${t.waiting.status}</p>
            <p>${t.waiting.text(amount)}</p>`
        : html`<p class="status failed" data-testid="payment-status">${t.notPaid.status}</p>
            <p>${t.notPaid.text(amount, t.attemptEnded[attempt.status as keyof typeof t.attemptEnded] ?? t.attemptEnded.failed)}</p>`;
  const retry =
    state !== 'not_paid' || !canRetry
      ? ''
      : attempt.paymentLinkId
        ? html`<p data-testid="try-again-by-link">${t.tryAgainByLink}</p>`
        : html`<form method="post" action="/return/${attempt.id}/retry">
            <button type="submit" data-testid="try-again">${t.tryAgain}</button>
          </form>`;
  const back = order.returnUrl
    ? html`<p><a class="button" href="${order.returnUrl}" data-testid="back-to-shop">${t.backToShop}</a></p>`
    : '';
  return html`<h1>${t.order(order.reference)}</h1>
    ${headline}
    <p>
      <small>${t.orderStatus}: <span data-testid="order-state">${t.orderStates[order.status]}</span></small>
    </p>
    ${retry} ${back}`;
}

/** The page for a payment Settle does not know, in the browser's language. */
export function paymentNotFound(reply: FastifyReply, locale: Locale) {
  const t = messagesFor(locale).paymentNotFound;
  return reply
    .code(404)
    .type('text/html; charset=utf-8')
    .header('content-language', locale)
    .send(
      page(
        t.title,
        html`<h1>${t.title}</h1>
          <p>${t.text}</p>`,
        { lang: locale },
      ),
    );
}
