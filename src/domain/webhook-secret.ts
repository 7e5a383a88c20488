// Standard Webhooks secrets (https://www.standardwebhooks.com): the prefix and the base64 of the key.
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const PREFIX = WEBHOOK_SECRET_PREFIX;

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(randomBytes: (n: number) => Buffer): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** Whether `s` is a Standard Webhooks secret: `whsec_` and canonical base64 of a 24 to 64 byte key. */
export function isWebhookSecret(s: string): boolean {
  if (!s.startsWith(PREFIX)) return false;
  const b64 = s.slice(PREFIX.length);
  const key = Buffer.from(b64, 'base64');
  // Buffer skips characters it cannot read; re-encoding shows whether it read them all.
  return key.toString('base64') === b64 && key.length >= 24 && key.length <= 64;
}
