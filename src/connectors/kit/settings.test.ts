import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ok } from '../../domain/result.js';
import { Secret } from '../../domain/secret.js';
import { defineSettings } from './settings.js';

const s = defineSettings({
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['login', 'token'],
    properties: {
      login: { type: 'string', minLength: 1, maxLength: 8, pattern: '^[a-z]+$' },
      token: { type: 'string', minLength: 1, maxLength: 64, writeOnly: true },
      mode: { type: 'string', maxLength: 10, default: 'live' },
    },
  },
  patternMessages: { login: 'must be lower-case letters.' },
  build: (v) => ok(v),
});

const error = (input: Record<string, unknown>) => {
  const r = s.parseSettings(input);
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'settings_invalid');
  return { field: r.error.details?.field, message: r.error.message };
};

test('secret fields are the writeOnly ones, and arrive wrapped; defaults are filled in', () => {
  assert.deepEqual(s.secretFields, ['token']);
  const r = s.parseSettings({ login: 'shop', token: 't0k3n' });
  assert.ok(r.ok);
  assert.ok(r.value.token instanceof Secret);
  assert.equal((r.value.token as Secret).reveal(), 't0k3n');
  assert.equal(r.value.mode, 'live');
  const wrapped = s.parseSettings({ login: 'shop', token: new Secret('again') });
  assert.ok(wrapped.ok && (wrapped.value.token as Secret).reveal() === 'again');
});

test('refusals name the field and never show a value', () => {
  assert.deepEqual(error({ token: 'SECRET-VALUE' }), {
    field: 'login',
    message: 'login is required and must be a string.',
  });
  assert.deepEqual(error({ login: 'shop', token: 'x'.repeat(65) }), {
    field: 'token',
    message: 'token must be 1 to 64 characters long.',
  });
  assert.deepEqual(error({ login: 'Shop', token: 't' }), {
    field: 'login',
    message: 'login must be lower-case letters.',
  });
  assert.deepEqual(error({ login: 'shop', token: 't', mode: 3 }), { field: 'mode', message: 'mode must be a string.' });
  assert.deepEqual(error({ login: 'shop', token: 't', extra: 1 }), {
    field: 'extra',
    message: 'Unknown setting "extra".',
  });
  const leaked = error({ login: 'shop', token: 'SECRET-VALUE'.repeat(10) });
  assert.equal(leaked.message.includes('SECRET'), false);
});

test("input that is not an object is refused, and the caller's object is not changed", () => {
  assert.equal(s.parseSettings(null as unknown as Record<string, unknown>).ok, false);
  assert.equal(s.parseSettings([] as unknown as Record<string, unknown>).ok, false);
  const input = { login: 'shop', token: 't' };
  s.parseSettings(input);
  assert.deepEqual(input, { login: 'shop', token: 't' });
});
