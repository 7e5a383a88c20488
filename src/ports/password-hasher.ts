/** Hashes people's passwords with a memory-hard function; the stored form names its parameters. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a stored hash it cannot read; never throws on input. */
  verify(password: string, stored: string): Promise<boolean>;
}
