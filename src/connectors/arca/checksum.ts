// BPC's callback checksum, in one place: the signed text, HMAC-SHA256 with the shared key and RSA
// (PKCS#1 v1.5, SHA-512) with the gateway's public key, and reading that key from the settings.
import { createHmac, createPublicKey, timingSafeEqual, verify, X509Certificate, type KeyObject } from 'node:crypto';
import type { Secret } from '../../domain/secret.js';

/** Parameters that are not signed: the checksum itself and the name of the key that made it. */
export const UNSIGNED = new Set(['checksum', 'sign_alias']);

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/**
 * The text BPC signs: every parameter but checksum and sign_alias, sorted by name in byte order,
 * each as `name;value;` (so the text ends with ";"). Values as received, after URL decoding.
 */
export function checksumText(params: readonly (readonly [string, string])[]): string {
  return params
    .filter(([name]) => !UNSIGNED.has(name))
    .sort(([a], [b]) => Buffer.compare(utf8(a), utf8(b)))
    .map(([name, value]) => `${name};${value};`)
    .join('');
}

/** HMAC-SHA256 of the text with the shared key (its UTF-8 bytes), hex in upper case as BPC sends it. */
export function hmacChecksum(key: Secret, text: string): string {
  return createHmac('sha256', utf8(key.reveal())).update(text, 'utf8').digest('hex').toUpperCase();
}

const HEX = /^[0-9a-fA-F]+$/;

/** Whether `checksum` is the text's HMAC-SHA256 under the key: hex, any case, compared in constant time. */
export function hmacMatches(key: Secret, text: string, checksum: string): boolean {
  if (checksum.length !== 64 || !HEX.test(checksum)) return false;
  const expected = Buffer.from(hmacChecksum(key, text), 'hex');
  return timingSafeEqual(expected, Buffer.from(checksum, 'hex'));
}

/** Whether `checksum` (hex) is an RSA PKCS#1 v1.5 signature with SHA-512 of the text under the key. */
export function rsaMatches(key: KeyObject, text: string, checksum: string): boolean {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits || checksum.length !== Math.ceil(bits / 8) * 2 || !HEX.test(checksum)) return false;
  try {
    return verify('sha512', utf8(text), key, Buffer.from(checksum, 'hex'));
  } catch {
    return false;
  }
}

/**
 * The gateway's RSA public key from what the operator pasted: a PEM public key, a PEM X.509
 * certificate, or either as one line of base64 (DER). A certificate's validity dates are not
 * checked: it only carries the key. Returns why not, completing "callback_public_key ...".
 */
export function readPublicKey(text: string): KeyObject | string {
  const t = text.trim();
  if (/PRIVATE KEY/.test(t)) {
    return "is a private key: paste the gateway's public key or certificate, and keep the private key secret.";
  }
  let key: KeyObject | undefined;
  try {
    if (t.includes('-----BEGIN CERTIFICATE-----')) key = new X509Certificate(t).publicKey;
    else if (t.includes('-----BEGIN')) key = createPublicKey(t);
    else if (/^[A-Za-z0-9+/=\s]+$/.test(t)) key = fromDer(Buffer.from(t.replace(/\s+/g, ''), 'base64'));
  } catch {
    key = undefined;
  }
  if (!key) return 'is not a PEM public key or certificate, nor one in one line of base64.';
  if (key.asymmetricKeyType !== 'rsa') return 'must be an RSA key: BPC signs callbacks with RSA and SHA-512.';
  return key;
}

function fromDer(der: Buffer): KeyObject | undefined {
  try {
    return new X509Certificate(der).publicKey;
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
}
