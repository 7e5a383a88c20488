/** Randomness from a CSPRNG. Ids and tokens carry at least 128 random bits. */
export interface Random {
  /** An id such as "ord_…" with 128 random bits. */
  id(prefix: string): string;
  /** A url-safe token with `bytes` random bytes (at least 16). */
  token(bytes: number): string;
}
