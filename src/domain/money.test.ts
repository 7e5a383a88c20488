import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { currencyExponent, isCurrency } from './currency.js';
import { formatDecimal, parseDecimal, sumMinor } from './money.js';

test('ISO 4217 exponents', () => {
  assert.equal(currencyExponent('AMD'), 2);
  assert.equal(currencyExponent('RUB'), 2);
  assert.equal(currencyExponent('USD'), 2);
  assert.equal(currencyExponent('JPY'), 0);
  assert.equal(currencyExponent('BHD'), 3);
  assert.equal(isCurrency('XXX'), false);
  assert.equal(isCurrency('XAU'), false);
  assert.equal(isCurrency('usd'), false);
  assert.equal(isCurrency('XOF'), true);
});

test('amounts are written with a point and the currency decimals', () => {
  assert.equal(formatDecimal(150000, 'AMD'), '1500.00');
  assert.equal(formatDecimal(5, 'USD'), '0.05');
  assert.equal(formatDecimal(1500, 'JPY'), '1500');
  assert.equal(formatDecimal(1, 'BHD'), '0.001');
  assert.equal(formatDecimal(-250, 'USD'), '-2.50');
});

test('decimals are read exactly, never through floating point', () => {
  assert.equal(parseDecimal('1500.00', 'AMD'), 150000);
  assert.equal(parseDecimal('0.1', 'USD'), 10);
  assert.equal(parseDecimal('0.30', 'USD'), 30);
  assert.equal(parseDecimal('1500', 'JPY'), 1500);
  assert.equal(parseDecimal('1500.0', 'JPY'), 1500);
  assert.equal(parseDecimal('1.005', 'USD'), undefined);
  assert.equal(parseDecimal('1,5', 'USD'), undefined);
  assert.equal(parseDecimal('1e3', 'USD'), undefined);
  assert.equal(parseDecimal('', 'USD'), undefined);
  assert.equal(parseDecimal('99999999999999999999', 'USD'), undefined);
});

test('format and parse are inverse for every safe amount', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e15, max: 1e15 }), fc.constantFrom('USD', 'JPY', 'BHD', 'AMD'), (n, cur) => {
      assert.equal(parseDecimal(formatDecimal(n, cur), cur), n);
    }),
  );
});

test('sums refuse to leave the safe-integer range', () => {
  assert.equal(sumMinor([1, 2, 3]), 6);
  assert.equal(sumMinor([Number.MAX_SAFE_INTEGER, 1]), undefined);
});
