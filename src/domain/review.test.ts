import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideReview, DEFAULT_REVIEW_RULES, type ReviewInput } from './review.js';

const input = (over: Partial<ReviewInput> = {}): ReviewInput => ({
  order: { amount: 150000, currency: 'AMD', customer: { email: 'Buyer@Example.com', ip: '203.0.113.7' } },
  paidAmount: 150000,
  autoApprove: false,
  rules: DEFAULT_REVIEW_RULES,
  ordersFromEmail: 1,
  ordersFromIp: 1,
  ...over,
});

test('with the default rules every payment is approved', () => {
  assert.equal(decideReview(input()).verdict, 'approved');
});

test('each rule flags on its own, with a reason a person understands', () => {
  const rules = { ...DEFAULT_REVIEW_RULES };
  assert.match(
    decideReview(input({ rules: { ...rules, amount_above: { AMD: 100000 } } })).reasons.join(),
    /above the review threshold of 1000\.00/,
  );
  assert.equal(
    decideReview(input({ rules: { ...rules, amount_above: { AMD: 150000 } } })).verdict,
    'approved',
    'the threshold itself passes',
  );
  assert.equal(
    decideReview(input({ rules: { ...rules, amount_above: { USD: 1 } } })).verdict,
    'approved',
    'another currency is not compared',
  );
  assert.match(
    decideReview(input({ rules: { ...rules, blocked_emails: ['buyer@example.COM'] } })).reasons.join(),
    /blocked list/,
  );
  assert.match(
    decideReview(input({ rules: { ...rules, blocked_domains: ['@example.com'] } })).reasons.join(),
    /domain example\.com is blocked/,
  );
  assert.equal(
    decideReview(input({ rules: { ...rules, blocked_domains: ['ample.com'] } })).verdict,
    'approved',
    'a domain matches whole labels only',
  );
  assert.match(
    decideReview(
      input({
        order: { amount: 1, currency: 'AMD', customer: { email: 'a@mail.example.com' } },
        rules: { ...rules, blocked_domains: ['example.com'] },
      }),
    ).reasons.join(),
    /blocked/,
    'subdomains too',
  );
  const perEmail = { ...rules, max_orders_per_email: { count: 3, window_hours: 24 } };
  assert.equal(decideReview(input({ rules: perEmail, ordersFromEmail: 3 })).verdict, 'approved');
  assert.match(
    decideReview(input({ rules: perEmail, ordersFromEmail: 4 })).reasons.join(),
    /4 orders from buyer@example\.com within 24 h/,
  );
  const perIp = { ...rules, max_orders_per_ip: { count: 2, window_hours: 1 } };
  assert.match(decideReview(input({ rules: perIp, ordersFromIp: 3 })).reasons.join(), /IP 203\.0\.113\.7/);
});

test("a payment method's auto_approve skips every rule", () => {
  const strict = { ...DEFAULT_REVIEW_RULES, amount_above: { AMD: 1 }, blocked_emails: ['buyer@example.com'] };
  assert.equal(decideReview(input({ rules: strict })).verdict, 'flagged');
  assert.equal(decideReview(input({ rules: strict, autoApprove: true })).verdict, 'approved');
});
