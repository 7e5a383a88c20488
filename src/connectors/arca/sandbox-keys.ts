// The sandbox gateway's callback keys: an RSA key pair from node:crypto and a self-signed X.509
// certificate around its public key (DER written here: node:crypto reads certificates but does
// not make them), so tests can configure callback_public_key either way. Sandbox only.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface SandboxKeys {
  privateKey: KeyObject;
  /** The public key as PEM (SPKI). */
  publicKeyPem: string;
  /** A self-signed certificate of the public key, as PEM. */
  certificatePem: string;
  /** The same certificate as one line of base64, as the gateway's cabinet may give it. */
  certificateBase64: string;
}

/** A fresh RSA-2048 key pair and its certificate; `validDays` may be negative (an expired certificate). */
export function sandboxKeys(opts: { commonName?: string; validDays?: number } = {}): SandboxKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = selfSignedCertificate(privateKey, publicKey, opts.commonName ?? 'ArCa sandbox', opts.validDays ?? 365);
  const b64 = der.toString('base64');
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    certificatePem: `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
    certificateBase64: b64,
  };
}

// ---- DER, just enough for one self-signed v1 certificate ----------------------------------

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
// sha512WithRSAEncryption (1.2.840.113549.1.1.13) with NULL parameters.
const SHA512_WITH_RSA = seq(Buffer.from('06092a864886f70d01010d', 'hex'), Buffer.from('0500', 'hex'));

function name(commonName: string): Buffer {
  // SEQUENCE OF SET OF { commonName (2.5.4.3), UTF8String }
  return seq(tlv(0x31, seq(Buffer.from('0603550403', 'hex'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const text = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(text, 'latin1'));
}

function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, cn: string, validDays: number): Buffer {
  const now = Date.now();
  const from = new Date(Math.min(now, now + validDays * 86_400_000) - 86_400_000);
  const to = new Date(now + validDays * 86_400_000);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(
    tlv(0x02, Buffer.from([0x01])),
    SHA512_WITH_RSA,
    name(cn),
    seq(utcTime(from), utcTime(to)),
    name(cn),
    spki,
  );
  const signature = sign('sha512', tbs, privateKey);
  return seq(tbs, SHA512_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0x00]), signature])));
}
