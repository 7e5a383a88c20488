/**
 * Sign-in throttling, counted over a sliding window of recorded failures: per e-mail (guessing
 * one account's password) and per address (trying many accounts from one place). A success does
 * not wipe the count, so an attacker who knows one password cannot reset the limit with it.
 */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;

export function signInRefusal(failures: { byEmail: number; byIp: number }): string | undefined {
  if (failures.byEmail >= MAX_FAILURES_PER_EMAIL || failures.byIp >= MAX_FAILURES_PER_IP) {
    return `Too many failed sign-ins; try again in ${SIGN_IN_WINDOW_MS / 60000} minutes.`;
  }
  return undefined;
}

/** A password a person chooses: long enough to resist guessing, short enough to hash cheaply. */
export function passwordRefusal(password: string): string | undefined {
  if (password.length < 12) return 'A password has at least 12 characters.';
  if (password.length > 200) return 'A password has at most 200 characters.';
  return undefined;
}

/** Sessions end after this much idleness, and in any case after the absolute lifetime. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
