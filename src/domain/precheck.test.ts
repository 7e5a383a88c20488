import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { attempt, order } from '../../test/support/domain-samples.js';
import { answerPrecheck } from './precheck.js';

const ask = (over: Partial<Parameters<typeof answerPrecheck>[0]> = {}) => {
  const a = over.attempt ?? attempt();
  return answerPrecheck({ order: order(), attempts: [a], attempt: a, amount: 150000, currency: 'AMD', ...over });
};

test('a pre-check is answered yes only for an open payment of a payable order, for exactly its amount', () => {
  assert.equal(ask().accepted, true);
  assert.equal(ask({ attempt: attempt({ status: 'created' }) }).accepted, true);
  assert.equal(ask().refusal, undefined);
  const refusals: [string, ReturnType<typeof ask>, RegExp, string][] = [
    [
      'paid order',
      ask({ order: order({ paymentStatus: 'paid', status: 'processing' }) }),
      /paid already/,
      'not_payable',
    ],
    ['canceled order', ask({ order: order({ status: 'canceled' }) }), /canceled/, 'not_payable'],
    ['expired attempt', ask({ attempt: attempt({ status: 'expired' }) }), /expired/, 'expired'],
    ['failed attempt', ask({ attempt: attempt({ status: 'failed' }) }), /failed/, 'not_payable'],
    ['other amount', ask({ amount: 149900 }), /1499\.00 AMD/, 'amount'],
    ['other currency', ask({ currency: 'USD' }), /USD/, 'amount'],
    [
      'connector refusal',
      ask({ refusal: 'the bill is for another merchant account.' }),
      /another merchant/,
      'not_payable',
    ],
  ];
  for (const [what, answer, reason, refusal] of refusals) {
    assert.equal(answer.accepted, false, what);
    assert.match(answer.reason, /^Pre-check refused: /, what);
    assert.match(answer.reason, reason, what);
    assert.equal(answer.refusal, refusal, what);
  }
  const paidElsewhere = attempt({ id: 'pa_0', status: 'succeeded' });
  const a = attempt({ id: 'pa_2' });
  assert.equal(
    answerPrecheck({ order: order(), attempts: [paidElsewhere, a], attempt: a, amount: 150000, currency: 'AMD' })
      .accepted,
    false,
  );
});

test('property: any amount but the exact one is refused', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10_000_000 }), (amount) => {
      assert.equal(ask({ amount }).accepted, amount === 150000);
    }),
  );
});
