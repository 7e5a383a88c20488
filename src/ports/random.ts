/** Randomness from a CSPRNG. Ids and tokens carry at least 128 random bits, ordered ids 80. */
export interface Random {
  /** An id such as "pay_…" with 128 random bits: for ids that may stand in a customer's address. */
  id(prefix: string): string;
  /**
   * An id such as "ord_…" whose text starts with the time it was made (to the millisecond), so
   * ids sort by when they were made, then 80 random bits: for the rows written most (orders,
   * callback records, outbox messages), so each new row and every index keyed by its id grows at
   * one end instead of at a random leaf. Never for an id that is shown to a customer.
   */
  orderedId(prefix: string): string;
  /** A url-safe token with `bytes` random bytes (at least 16). */
  token(bytes: number): string;
}
