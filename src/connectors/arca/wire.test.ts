import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { Secret } from '../../domain/secret.js';
import { checksumText, hmacChecksum, hmacMatches, readPublicKey, rsaMatches } from './checksum.js';
import { sandboxKeys } from './sandbox-keys.js';
import {
  isOrderNumber,
  mapOrderStatus,
  normalizeOrderNumber,
  readCode,
  readMinor,
  readOrderStatus,
  statedCurrency,
  wireAmount,
  wireCurrency,
  wireDescription,
} from './wire.js';

// BPC's published example ("Callback notifications", https://dev.bpcbt.com/en/integration/api/rest.html),
// also in providers.md §11.
const BPC_PARAMS: [string, string][] = [
  ['mdOrder', '06cf5599-3f17-7c86-bdbc-bd7d00a8b38b'],
  ['operation', 'approved'],
  ['orderNumber', '2003'],
  ['status', '1'],
];
const BPC_KEY = new Secret('ooc7slpvc61k7sf7ma7p4hrefr');
const BPC_CHECKSUM = 'EAF2FB72CAB99FD5067F4BA493DD84F4D79C1589FDE8ED29622F0F07215AA972';

// An RSA example of the same platform (BPC RBS as Sberbank runs it): public key, callback and
// checksum as published in skodnik/sberbank-api tests/CallbackNotificationsTest.php. The exact
// example of dev.bpcbt.com's page was not in the stored copies we could search.
const RBS_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwtuGKbQ4WmfdV1gjWWys
5jyHKTWXnxX3zVa5/Cx5aKwJpOsjrXnHh6l8bOPQ6Sgj3iSeKJ9plZ3i7rPjkfmw
qUOJ1eLU5NvGkVjOgyi11aUKgEKwS5Iq5HZvXmPLzu+U22EUCTQwjBqnE/Wf0hnI
wYABDgc0fJeJJAHYHMBcJXTuxF8DmDf4DpbLrQ2bpGaCPKcX+04POS4zVLVCHF6N
6gYtM7U2QXYcTMTGsAvmIqSj1vddGwvNGeeUVoPbo6enMBbvZgjN5p6j3ItTziMb
Vba3m/u7bU1dOG2/79UpGAGR10qEFHiOqS6WpO7CuIR2tL9EznXRc7D9JZKwGfoY
/QIDAQAB
-----END PUBLIC KEY-----`;
const RBS_PARAMS: [string, string][] = [
  ['amount', '35000099'],
  ['mdOrder', '12b59da8-f68f-7c8d-12b5-9da8000826ea'],
  ['operation', 'deposited'],
  ['status', '1'],
];
const RBS_CHECKSUM =
  '9524FD765FB1BABFB1F42E4BC6EF5A4B07BAA3F9C809098ACBB462618A9327539F975FEDB4CF6EC1556FF88BA74774342AF4F5B51BA63903BE9647C670EBD962467282955BD1D57B16935C956864526810870CD32967845EBABE1C6565C03F94FF66907CEDB54669A1C74AC1AD6E39B67FA7EF6D305A007A474F03B80FD6C965656BEAA74E09BB1189F4B32E622C903DC52843C454B7ACF76D6F76324C27767DE2FF6E7217716C19C530CA7551DB58268CC815638C30F3BCA3270E1FD44F63C14974B108E65C20638ECE2F2D752F32742FFC5077415102706FA5235D310D4948A780B08D1B75C8983F22F211DFCBF14435F262ADDA6A97BFEB6D332C3D51010B';

const key = (text: string) => {
  const k = readPublicKey(text);
  assert.ok(typeof k !== 'string', String(k));
  return k;
};

test("BPC's published HMAC vector: the signed text and the checksum", () => {
  const text = checksumText(BPC_PARAMS);
  assert.equal(text, 'mdOrder;06cf5599-3f17-7c86-bdbc-bd7d00a8b38b;operation;approved;orderNumber;2003;status;1;');
  assert.equal(hmacChecksum(BPC_KEY, text), BPC_CHECKSUM);
  assert.equal(hmacMatches(BPC_KEY, text, BPC_CHECKSUM), true);
  assert.equal(hmacMatches(BPC_KEY, text, BPC_CHECKSUM.toLowerCase()), true);
  assert.equal(hmacMatches(new Secret('another-key'), text, BPC_CHECKSUM), false);
  assert.equal(hmacMatches(BPC_KEY, text.replace('approved', 'deposited'), BPC_CHECKSUM), false);
});

test('the signed text: sorted by name whatever the order received, checksum and sign_alias left out', () => {
  const shuffled: [string, string][] = [
    ['status', '1'],
    ['checksum', BPC_CHECKSUM],
    ['orderNumber', '2003'],
    ['sign_alias', 'key-1'],
    ['operation', 'approved'],
    ['mdOrder', '06cf5599-3f17-7c86-bdbc-bd7d00a8b38b'],
  ];
  assert.equal(checksumText(shuffled), checksumText(BPC_PARAMS));
  // Byte order: upper case before lower case, "_" between them; extras are signed too.
  assert.equal(
    checksumText([
      ['b', '2'],
      ['B', '1'],
      ['a_b', '3'],
      ['aB', '4'],
    ]),
    'B;1;aB;4;a_b;3;b;2;',
  );
  assert.equal(checksumText([]), '');
});

test('the RBS RSA vector verifies with SHA-512, and fails with any value changed', () => {
  const k = key(RBS_PUBLIC_KEY);
  const text = checksumText(RBS_PARAMS);
  assert.equal(text, 'amount;35000099;mdOrder;12b59da8-f68f-7c8d-12b5-9da8000826ea;operation;deposited;status;1;');
  assert.equal(rsaMatches(k, text, RBS_CHECKSUM), true);
  assert.equal(rsaMatches(k, text, RBS_CHECKSUM.toLowerCase()), true);
  // The published wrong example: another amount.
  assert.equal(rsaMatches(k, text.replace('35000099', '935000099'), RBS_CHECKSUM), false);
  assert.equal(rsaMatches(k, text, RBS_CHECKSUM.slice(0, -2)), false);
  assert.equal(rsaMatches(k, text, `${RBS_CHECKSUM.slice(0, -1)}0`), false);
  assert.equal(rsaMatches(k, text, 'z'.repeat(512)), false);
});

test('RSA with a key pair made here: SHA-512 only, as a PEM key, a certificate or one-line base64', () => {
  const keys = sandboxKeys({ validDays: -30 }); // an expired certificate: its dates are not checked
  const text = checksumText(RBS_PARAMS);
  const sig = (alg: string) => sign(alg, Buffer.from(text), keys.privateKey).toString('hex');
  for (const form of [keys.publicKeyPem, keys.certificatePem, keys.certificateBase64, ` ${keys.certificatePem}\n`]) {
    const k = key(form);
    assert.equal(rsaMatches(k, text, sig('sha512')), true);
    assert.equal(rsaMatches(k, text, sig('sha256')), false);
    assert.equal(rsaMatches(k, text, sig('sha1')), false);
  }
  const spkiB64 = keys.publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  assert.equal(rsaMatches(key(spkiB64), text, sig('sha512')), true);
});

test('readPublicKey refuses private keys, other key types and text that is no key', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  assert.match(String(readPublicKey(pem)), /private key/);
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
  assert.match(String(readPublicKey(ec.toString())), /RSA/);
  for (const bad of ['', 'hello', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'QUJD', '%%%']) {
    assert.equal(typeof readPublicKey(bad), 'string', bad);
  }
});

test('hmacMatches is true only for the checksum itself, in either case', () => {
  const text = checksumText(BPC_PARAMS);
  fc.assert(
    fc.property(fc.string({ maxLength: 70 }), (s) => {
      assert.equal(hmacMatches(BPC_KEY, text, s), s.toUpperCase() === BPC_CHECKSUM);
    }),
  );
  // An independent HMAC (not the code under test) for generated parameters.
  fc.assert(
    fc.property(
      fc.dictionary(fc.stringMatching(/^[A-Za-z_]{1,12}$/), fc.string({ maxLength: 20 }), { maxKeys: 6 }),
      fc.string({ minLength: 1, maxLength: 30 }),
      (dict, k) => {
        const params = Object.entries(dict);
        const expected = [...params]
          .filter(([n]) => n !== 'checksum' && n !== 'sign_alias')
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([n, v]) => `${n};${v};`)
          .join('');
        const mac = createHmac('sha256', k).update(expected).digest('hex');
        assert.equal(hmacMatches(new Secret(k), checksumText(params), mac), true);
      },
    ),
  );
});

test('orderNumbers: Latin letters, digits, "-" and "_", 1..32, compared without case', () => {
  for (const ok of ['2003', 'FD-1240', 'a_b', 'x'.repeat(32), 'ORDER-7-2']) assert.equal(isOrderNumber(ok), true, ok);
  for (const bad of ['', 'x'.repeat(33), 'fd 1240', 'fd/1240', 'заказ1', 'a.b', 'a%2F', 'a\n']) {
    assert.equal(isOrderNumber(bad), false, JSON.stringify(bad));
  }
  assert.equal(normalizeOrderNumber('FD-1240'), normalizeOrderNumber('fd-1240'));
});

test('amounts in minor units, currencies by ISO numeric code, descriptions as BPC takes them', () => {
  assert.equal(wireAmount(150000), '150000');
  assert.equal(wireCurrency('AMD'), '051');
  assert.equal(wireCurrency('USD'), '840');
  assert.throws(() => wireCurrency('ZZZ'));
  assert.equal(statedCurrency('051'), 'AMD');
  assert.equal(statedCurrency(51), 'AMD');
  assert.equal(statedCurrency('840'), 'USD');
  assert.equal(statedCurrency('999'), '999'); // no such code: kept, so it never matches
  assert.equal(statedCurrency(undefined), undefined);
  assert.equal(statedCurrency(''), undefined);
  assert.equal(wireDescription('Order 1042: 50% off + gift\r\nthanks'), 'Order 1042: 50  off   gift  thanks');
  assert.equal(wireDescription('x'.repeat(200)).length, 99);
  assert.equal(readMinor(150000), 150000);
  assert.equal(readMinor('150000'), 150000);
  for (const bad of [-1, 1.5, '1.5', '', 'abc', null, undefined, Number.MAX_SAFE_INTEGER + 1]) {
    assert.equal(readMinor(bad), undefined, String(bad));
  }
});

test('errorCode and orderStatus come as strings or numbers', () => {
  assert.equal(readCode('0'), '0');
  assert.equal(readCode(0), '0');
  assert.equal(readCode(' 5 '), '5');
  assert.equal(readCode(undefined), undefined);
  assert.equal(readCode(''), undefined);
  assert.equal(readCode('x'), 'unreadable');
  assert.equal(readCode({}), 'unreadable');
  assert.equal(readOrderStatus(2), 2);
  assert.equal(readOrderStatus('2'), 2);
  for (const bad of [-1, 1.5, 'two', '', null, undefined]) assert.equal(readOrderStatus(bad), undefined);
});

test('orderStatus in Settle terms, with the amount each reports as paid', () => {
  const a = { amount: 150000, approved: 150000, deposited: 150000, refunded: 50000 };
  assert.deepEqual(mapOrderStatus(0, a), { status: 'pending', amount: 150000 });
  assert.deepEqual(mapOrderStatus(5, a), { status: 'pending', amount: 150000 });
  assert.deepEqual(mapOrderStatus(7, a), { status: 'pending', amount: 150000 });
  assert.deepEqual(mapOrderStatus(1, { ...a, approved: 140000 }), { status: 'authorized', amount: 140000 });
  assert.deepEqual(mapOrderStatus(2, { ...a, deposited: 120000 }), { status: 'succeeded', amount: 120000 });
  assert.deepEqual(mapOrderStatus(2, { amount: 150000 }), { status: 'succeeded', amount: 150000 });
  assert.deepEqual(mapOrderStatus(3, a), { status: 'canceled', amount: 150000 });
  assert.deepEqual(mapOrderStatus(4, a), { status: 'succeeded', amount: 100000 });
  assert.deepEqual(mapOrderStatus(4, { amount: 150000 }), { status: 'succeeded', amount: 0 });
  assert.deepEqual(mapOrderStatus(6, a), { status: 'failed', amount: 150000 });
  assert.deepEqual(mapOrderStatus(8, { ...a, deposited: 70000 }), { status: 'succeeded', amount: 70000 });
  assert.deepEqual(mapOrderStatus(8, { amount: 1 }), { status: 'succeeded', amount: 0 });
  for (const other of [9, 10, 42, 999]) assert.deepEqual(mapOrderStatus(other, a), { status: null, amount: undefined });
});
