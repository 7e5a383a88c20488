import type { Messages } from './messages.js';

export const en: Messages = {
  order: (reference) => `Order ${reference}`,
  orderStatus: 'Order status',
  orderStates: {
    pending_payment: 'Awaiting payment',
    payment_failed: 'Payment failed',
    on_hold: 'Paid, being checked by the shop',
    processing: 'Paid, being prepared',
    completed: 'Completed',
    canceled: 'Cancelled',
  },
  paid: {
    status: 'Paid',
    text: (amount, reference) => `Thank you: your payment of ${amount} for order ${reference} was received.`,
  },
  waiting: {
    status: 'Waiting for confirmation',
    text: (amount) =>
      `We have not yet received the payment provider's confirmation of ${amount}. This page refreshes by itself; you do not need to pay again.`,
  },
  notPaid: {
    status: 'Not paid',
    text: (amount, reason) => `The payment of ${amount} did not go through: ${reason}. No money was taken for it.`,
  },
  attemptEnded: {
    failed: 'it was declined',
    canceled: 'it was cancelled',
    expired: 'the time to pay ran out',
  },
  tryAgain: 'Try again',
  tryAgainByLink: 'To try again, open the payment link the shop sent you once more.',
  backToShop: 'Back to the shop',
  paymentNotFound: { title: 'Payment not found', text: 'We could not find this payment.' },
  couldNotOpen: 'The payment page could not be opened. No money was taken. Please try again in a few minutes.',
  notPayableNow: 'This order cannot be paid now. No money was taken.',
  link: {
    amountToPay: 'Amount to pay',
    validUntil: (time) => `This link is valid until ${time}.`,
    pay: (amount) => `Pay ${amount}`,
    notFound: {
      title: 'Payment link not found',
      text: 'This payment link does not exist. Check that you copied all of it, or ask the shop for a new one.',
    },
    paid: { status: 'Paid', text: 'This link has been paid. Thank you.' },
    expired: {
      status: 'Link expired',
      text: (time) =>
        `This payment link expired on ${time}. It takes no payment and no money was taken through it. Ask the shop for a new link.`,
    },
    revoked: {
      status: 'Link no longer valid',
      text: 'The shop has replaced or withdrawn this payment link. It takes no payment. Use the newest link the shop sent you, or ask for one.',
    },
    nothingToPay: { status: 'Nothing to pay', text: 'This order owes nothing through this link.' },
  },
};
