import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { linkState, outstandingOf, planLink } from './payment-link.js';

const now = '2026-11-23T10:00:00.000Z';
const paid = (amount: number) => ({ status: 'succeeded' as const, amount });

test('a link is for what is owed, never more; its expiry is in the future and within 90 days', () => {
  const plan = planLink({ outstanding: 5000, expiresAt: '2026-11-24T10:00:00Z', now });
  assert.deepEqual(plan.ok && plan.value, { amount: 5000, expiresAt: '2026-11-24T10:00:00.000Z' });
  assert.equal(planLink({ outstanding: 5000, amount: 2000, expiresAt: '2026-11-24T10:00:00Z', now }).ok, true);
  const codes = [
    planLink({ outstanding: 5000, amount: 5001, expiresAt: '2026-11-24T10:00:00Z', now }),
    planLink({ outstanding: 0, expiresAt: '2026-11-24T10:00:00Z', now }),
    planLink({ outstanding: 5000, expiresAt: now, now }),
    planLink({ outstanding: 5000, expiresAt: '2027-06-01T00:00:00Z', now }),
  ].map((r) => !r.ok && r.error.code);
  assert.deepEqual(codes, [
    'amount_above_outstanding',
    'nothing_to_collect',
    'expires_at_invalid',
    'expires_at_invalid',
  ]);
});

test('an active link past its expiry is expired; revoked and paid stay what they are', () => {
  assert.equal(linkState({ status: 'active', expiresAt: '2026-11-23T10:00:01.000Z' }, now), 'active');
  assert.equal(linkState({ status: 'active', expiresAt: now }, now), 'expired');
  assert.equal(linkState({ status: 'revoked', expiresAt: '2030-01-01T00:00:00.000Z' }, now), 'revoked');
  assert.equal(linkState({ status: 'paid', expiresAt: '2000-01-01T00:00:00.000Z' }, now), 'paid');
});

test('only refunds an adjustment made count against what is owed', () => {
  const refunds = [
    { id: 'ref_adj', status: 'succeeded' as const, amount: 2000, surplusAmount: 0 },
    { id: 'ref_goodwill', status: 'succeeded' as const, amount: 1000, surplusAmount: 0 },
    { id: 'ref_failed', status: 'failed' as const, amount: 500, surplusAmount: 0 },
  ];
  const adjustments = [{ refundId: 'ref_adj' }, { refundId: null }];
  // Paid 10000, the amount fell to 8000 (2000 refunded), then rose to 9000: 1000 owed.
  assert.equal(outstandingOf(9000, [paid(10000)], refunds, adjustments), 1000);
  assert.equal(
    outstandingOf(9000, [paid(10000)], [{ ...refunds[0]!, status: 'failed' }], adjustments),
    -1000,
    'a failed refund gave nothing back',
  );
});

/**
 * The whole settlement over any sequence: the amount moves, each move on a paid order is settled
 * (a surplus refunded, a shortfall a link), and a link is paid or not. Whatever happens, nothing
 * refunded exceeds what was paid, no link asks for more than is owed, and once the last link is
 * paid the customer has paid exactly the amount.
 */
test('property: adjustments settled by refunds and links never refund more than was paid and end paid exactly', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100_000 }),
      fc.array(fc.record({ delta: fc.integer({ min: -50_000, max: 50_000 }), payLink: fc.boolean() }), {
        maxLength: 15,
      }),
      (start, steps) => {
        let amount = start;
        const attempts = [paid(start)];
        const refunds: { id: string; status: 'succeeded'; amount: number; surplusAmount: number }[] = [];
        const adjustments: { refundId: string | null }[] = [];
        let link: number | undefined;
        for (const [i, s] of steps.entries()) {
          if (s.delta === 0 || amount + s.delta <= 0) continue;
          amount += s.delta;
          link = undefined; // a change of amount revokes the open link
          const balance = -outstandingOf(amount, attempts, refunds, adjustments);
          if (balance > 0) {
            refunds.push({ id: `r${i}`, status: 'succeeded', amount: balance, surplusAmount: 0 });
            adjustments.push({ refundId: `r${i}` });
          } else {
            adjustments.push({ refundId: null });
            if (balance < 0) {
              const plan = planLink({ outstanding: -balance, expiresAt: '2026-11-24T00:00:00Z', now });
              assert.ok(plan.ok);
              link = plan.value.amount;
            }
          }
          if (s.payLink && link !== undefined) {
            attempts.push(paid(link));
            link = undefined;
          }
          const totalPaid = attempts.reduce((t, a) => t + a.amount, 0);
          const totalRefunded = refunds.reduce((t, r) => t + r.amount, 0);
          assert.ok(totalRefunded <= totalPaid, 'refunded never exceeds paid');
          assert.ok(
            outstandingOf(amount, attempts, refunds, adjustments) >= 0,
            'never paid beyond the amount after settling',
          );
        }
        if (link !== undefined) attempts.push(paid(link));
        assert.equal(outstandingOf(amount, attempts, refunds, adjustments), 0);
      },
    ),
  );
});
