import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ATTEMPT_STATUSES, attemptRank, joinAttemptStatus, type AttemptStatus } from './attempt-status.js';

const status = fc.constantFrom(...ATTEMPT_STATUSES);
const fold = (events: AttemptStatus[], start: AttemptStatus = 'created') => events.reduce(joinAttemptStatus, start);

test('any order of any multiset of provider events ends in the same attempt status', () => {
  fc.assert(
    fc.property(
      fc
        .array(status, { maxLength: 30 })
        .chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          ),
        ),
      ([events, shuffled]) => {
        assert.equal(fold(shuffled), fold(events));
      },
    ),
    { numRuns: 2000 },
  );
});

test('duplicates change nothing: applying a multiset twice equals applying it once', () => {
  fc.assert(
    fc.property(fc.array(status, { maxLength: 20 }), (events) => {
      assert.equal(fold([...events, ...events]), fold(events));
    }),
  );
});

test('the join never moves a status down, and succeeded is final', () => {
  fc.assert(
    fc.property(status, status, (a, b) => {
      const j = joinAttemptStatus(a, b);
      assert.ok(attemptRank(j) >= attemptRank(a));
      assert.ok(j === a || j === b);
      if (a === 'succeeded') assert.equal(j, 'succeeded');
    }),
  );
});

test('the ranks of DESIGN.md', () => {
  assert.deepEqual(
    ATTEMPT_STATUSES.map((s) => [s, attemptRank(s)]),
    [
      ['created', 0],
      ['pending', 1],
      ['authorized', 2],
      ['expired', 3],
      ['failed', 3],
      ['canceled', 3],
      ['succeeded', 4],
    ],
  );
  assert.equal(joinAttemptStatus('canceled', 'succeeded'), 'succeeded');
  assert.equal(joinAttemptStatus('succeeded', 'pending'), 'succeeded');
  assert.equal(joinAttemptStatus('failed', 'pending'), 'failed');
});
