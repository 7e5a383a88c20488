import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeAims, type AimInput, type AimRun } from './aims.js';

const run = (connections: number, over: Partial<AimRun> = {}): AimRun => ({
  connections,
  rate: 1000,
  p50: 10,
  p99: 20,
  cpuMs: 0.4,
  checked: true,
  ...over,
});

const input = (over: Partial<AimInput> = {}): AimInput => ({
  store: 'sqlite',
  callbacks: [run(1), run(8), run(64)],
  orders: [run(1, { cpuMs: 0.9 }), run(8, { cpuMs: 0.9 }), run(64, { cpuMs: 0.9 })],
  halfRateP99: 10,
  reference: () => 1500,
  ...over,
});

const met = (a: AimInput) => judgeAims(a).map((v) => v.met);

test('the aims are met on figures within each one, and the verdicts say what they read', () => {
  const verdicts = judgeAims(input());
  assert.deepEqual(
    verdicts.map((v) => v.met),
    [true, true, true, true, true],
  );
  assert.match(verdicts[0]!.seen, /8: 0\.67×, 64: 0\.67×/);
  assert.match(verdicts[2]!.seen, /2\.0×/);
});

test('each aim fails on its own figure, read at 8 and 64 connections only', () => {
  // Aim 1: 0.5× the reference at 8 and 64; a slow single connection does not count.
  assert.equal(met(input({ callbacks: [run(1, { rate: 1 }), run(8), run(64)] }))[0], true);
  assert.equal(met(input({ callbacks: [run(1), run(8, { rate: 749 }), run(64)] }))[0], false);
  assert.equal(met(input({ reference: () => null }))[0], false, 'no reference measured is not met');
  // Aim 2: CPU per callback and per pair, each store its own ceilings.
  assert.equal(met(input({ callbacks: [run(1), run(8), run(64, { cpuMs: 0.51 })] }))[1], false);
  assert.equal(met(input({ orders: [run(1), run(8, { cpuMs: 1.01 }), run(64)] }))[1], false);
  assert.equal(
    met(input({ store: 'postgres', callbacks: [run(8, { cpuMs: 0.99 }), run(64, { cpuMs: 0.99 })] }))[1],
    true,
  );
  // Aim 4: p99 at most 5× p50 at 64; half-rate p99 under 15 ms (SQLite) and 25 ms (PostgreSQL).
  assert.equal(met(input({ callbacks: [run(8), run(64, { p50: 10, p99: 51 })] }))[2], false);
  assert.equal(met(input({ halfRateP99: 15 }))[3], false);
  assert.equal(met(input({ store: 'postgres', halfRateP99: 24.9 }))[3], true);
  // A failed check fails the last verdict whatever the speed.
  assert.equal(met(input({ orders: [run(8, { checked: false }), run(64)] })).at(-1), false);
});

test('PostgreSQL: aim 3 reads the TPC-B route, and aim 5 needs one- and two-process runs at both counts', () => {
  const pg = (scaleOut: AimInput['scaleOut']) =>
    judgeAims(input({ store: 'postgres', reference: () => 1400, scaleOut }));
  const full = pg([
    { ...run(8), processes: 1 },
    { ...run(8, { rate: 1500, cpuMs: 0.5 }), processes: 2 },
    { ...run(64), processes: 1 },
    { ...run(64, { rate: 900 }), processes: 2 },
  ]);
  assert.equal(full.length, 6);
  assert.equal(full[0]!.met, true, '1000 ≥ 0.7 × 1400');
  assert.equal(full[4]!.met, true);
  assert.match(full[4]!.seen, /8: 1\.50× the rate, 1\.25× the CPU per callback; 64: 0\.90× the rate/);
  assert.equal(pg([{ ...run(8), processes: 1 }])[4]!.met, false);
  assert.equal(
    pg([
      { ...run(8), processes: 1 },
      { ...run(8, { checked: false }), processes: 2 },
    ]).at(-1)!.met,
    false,
    'a scale-out run’s check counts',
  );
});
