/**
 * Encryption at rest and Settle's own keyed hashes, under the master key. Nothing it returns
 * reveals the key; ciphertexts are authenticated, so tampering is detected on decrypt.
 */
export interface SecretBox {
  encrypt(plaintext: string): string;
  /** Throws when the ciphertext was not made under this master key or was altered. */
  decrypt(ciphertext: string): string;
  /** HMAC-SHA256 under a key derived for `purpose`, url-safe base64. */
  mac(purpose: string, data: string): string;
}

/** SHA-256 hex of a token, for storing keys and tokens only as hashes. */
export type TokenHasher = (token: string) => string;
