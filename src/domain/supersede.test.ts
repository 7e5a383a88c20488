import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attempt } from '../../test/support/domain-samples.js';
import { ATTEMPT_STATUSES, isAttemptOpen } from './attempt-status.js';
import { SUPERSEDE_SUMMARY, supersededBy } from './supersede.js';

const a = (id: string, status: (typeof ATTEMPT_STATUSES)[number]) => attempt({ id, status, providerRef: `fd-${id}` });

test('a new attempt supersedes the older attempts still open, never itself or a newer one', () => {
  const all = [a('1', 'created'), a('2', 'pending'), a('3', 'authorized'), a('4', 'created'), a('5', 'created')];
  assert.deepEqual(
    supersededBy(all, '4').map((x) => x.id),
    ['1', '2', '3'],
  );
  assert.deepEqual(supersededBy(all, '1'), []);
  assert.deepEqual(supersededBy(all, 'unknown'), []);
});

test('an attempt that ended, or whose cancel is already on its way, is left alone', () => {
  for (const status of ATTEMPT_STATUSES) {
    const found = supersededBy([a('1', status), a('2', 'created')], '2');
    assert.equal(found.length, isAttemptOpen(status) ? 1 : 0, status);
  }
  assert.deepEqual(supersededBy([a('1', 'pending'), a('2', 'pending'), a('3', 'created')], '3', new Set(['1'])), [
    a('2', 'pending'),
  ]);
});

test('the timeline says what happened to the older attempt and whether a double payment may still come', () => {
  assert.equal(
    SUPERSEDE_SUMMARY.canceled('fd-1', 'canceled', 'a new attempt fd-2 was started'),
    'Attempt fd-1 canceled at the provider: a new attempt fd-2 was started.',
  );
  assert.match(
    SUPERSEDE_SUMMARY.noCancel('fd-1', 'Idram', 'fd-2'),
    /stays open at the provider: Idram has no cancel call\. A new attempt fd-2 was started, .*double payment may still come/,
  );
  assert.match(SUPERSEDE_SUMMARY.requested(['fd-1', 'fd-2'], 'fd-3'), /older attempts fd-1, fd-2: a new attempt fd-3/);
});
