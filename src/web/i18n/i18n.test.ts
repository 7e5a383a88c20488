import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_MINOR } from '../../contract/fields.js';
import { formatMoney, formatTime } from './format.js';
import { LOCALES, pickLocale } from './locale.js';

test("the order's language first (its primary subtag), then Accept-Language by weight, then English", () => {
  assert.equal(pickLocale('hy-AM', 'ru'), 'hy');
  assert.equal(pickLocale('RU', undefined), 'ru');
  assert.equal(pickLocale('fr', 'fr, ru;q=0.1'), 'ru');
  assert.equal(pickLocale(null, 'ru-RU,ru;q=0.9,en;q=0.8'), 'ru');
  assert.equal(pickLocale(null, 'en;q=0.2, hy;q=0.8'), 'hy');
  assert.equal(pickLocale(null, 'de-DE'), 'en');
  assert.equal(pickLocale(null, undefined), 'en');
  assert.equal(pickLocale(null, ''), 'en');
  assert.equal(pickLocale(null, ';;;,q=x, \u0000'), 'en');
});

test('amounts keep every minor unit in every language: nothing is rounded or lost', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: MAX_MINOR }),
      fc.constantFrom('AMD', 'RUB', 'USD', 'JPY', 'KWD'),
      fc.constantFrom(...LOCALES),
      (amount, currency, locale) => {
        const digits = formatMoney(amount, currency, locale).replace(/\D/g, '');
        assert.equal(BigInt(digits), BigInt(amount));
      },
    ),
  );
  assert.equal(formatMoney(500000, 'AMD', 'hy'), '5000,00\u00a0֏');
  assert.equal(formatMoney(123450, 'RUB', 'ru'), '1\u00a0234,50\u00a0₽');
  assert.equal(formatMoney(1500, 'JPY', 'en'), '¥1,500');
  assert.equal(formatMoney(5, 'USD', 'en'), '$0.05');
});

test('times name their zone', () => {
  for (const locale of LOCALES) assert.match(formatTime('2026-12-06T19:05:00.000Z', locale), /19:05.*UTC/);
  assert.match(formatTime('2026-12-06T19:05:00.000Z', 'ru'), /6 декабря 2026/);
});
