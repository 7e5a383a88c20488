import { fail, ok, type Result } from '../domain/result.js';
import { normalizeEmail } from '../domain/review.js';
import { isRole, type Role } from '../domain/roles.js';
import {
  passwordRefusal,
  SESSION_IDLE_MS,
  SESSION_LIFETIME_MS,
  SIGN_IN_WINDOW_MS,
  signInRefusal,
} from '../domain/sign-in.js';
import type { SessionRecord, UserRecord } from '../domain/access.js';
import { nowIso, type AppDeps } from './deps.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

/**
 * Creates a person who signs in to the admin pages. Without a password one is made (24 random
 * bytes) and returned once; either way only its memory-hard hash is stored.
 */
export async function createUser(
  deps: AppDeps,
  input: { email: string; role: string; password?: string },
): Promise<Result<{ user: UserRecord; password: string; generated: boolean }>> {
  const emailNorm = normalizeEmail(input.email);
  if (!emailNorm || !EMAIL.test(emailNorm))
    return fail('email_invalid', 'Give an e-mail address such as anna@example.com.');
  if (!isRole(input.role))
    return fail('role_unknown', `There is no role "${input.role}"; use admin, support or accounting.`);
  const generated = input.password === undefined;
  const password = input.password ?? deps.random.token(24);
  const weak = passwordRefusal(password);
  if (weak) return fail('password_weak', weak);
  const user: UserRecord = {
    id: deps.random.id('usr'),
    email: input.email.trim(),
    emailNorm,
    role: input.role,
    passwordHash: await deps.passwords.hash(password),
    createdAt: nowIso(deps),
    disabledAt: null,
  };
  const inserted = await deps.storage.transaction((tx) => tx.insertUser(user));
  if (!inserted) return fail('user_exists', `There is already a user ${emailNorm}.`);
  return ok({ user, password, generated });
}

export interface SignedIn {
  /** The cookie's value: shown to the browser once, stored only as a hash. */
  token: string;
  user: UserRecord;
  session: SessionRecord;
}

// Verifying against this when the e-mail is unknown keeps the answer's timing the same, so the
// time taken does not tell which addresses have accounts.
let decoyHash: Promise<string> | undefined;

/**
 * Checks an e-mail and password and opens a session. Failures are counted per e-mail and per
 * address, and past the limit nothing is checked (the answer is the same whether the password
 * was right), so guessing is slow. The refusal never says which of the two was wrong.
 */
export async function signIn(
  deps: AppDeps,
  input: { email: string; password: string; ip: string },
): Promise<Result<SignedIn>> {
  const at = deps.clock.now();
  const emailNorm = normalizeEmail(input.email) ?? input.email.trim().toLowerCase().slice(0, 254);
  const ip = input.ip.slice(0, 64);
  const failures = await deps.storage.read.countSignInFailures({
    emailNorm,
    ip,
    since: new Date(at.getTime() - SIGN_IN_WINDOW_MS).toISOString(),
  });
  const limited = signInRefusal(failures);
  if (limited) return fail('sign_in_rate_limited', limited);

  const user = await deps.storage.read.findUserByEmail(emailNorm);
  decoyHash ??= deps.passwords.hash(deps.random.token(16));
  const good =
    input.password.length <= 200 &&
    (await deps.passwords.verify(input.password, user?.passwordHash ?? (await decoyHash)));
  const admitted = good && user !== undefined && user.disabledAt === null;
  await deps.storage.transaction((tx) =>
    tx.insertSignInAttempt({ id: deps.random.id('sia'), emailNorm, ip, succeeded: admitted, at: at.toISOString() }),
  );
  if (!admitted || !user) return fail('sign_in_failed', 'The e-mail or the password is not right.');

  const token = deps.random.token(32);
  const session: SessionRecord = {
    tokenHash: deps.hash(token),
    userId: user.id,
    csrfSecret: deps.random.token(32),
    createdAt: at.toISOString(),
    lastSeenAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + SESSION_LIFETIME_MS).toISOString(),
  };
  await deps.storage.transaction((tx) => tx.insertSession(session));
  return ok({ token, user, session });
}

/**
 * The user behind a session cookie, if the session is live: not expired, not idle too long,
 * and its user not disabled. Seeing it renews the idle clock (at most once a minute).
 */
export async function sessionUser(
  deps: AppDeps,
  token: string,
): Promise<{ user: UserRecord; session: SessionRecord } | undefined> {
  if (token.length < 16 || token.length > 128) return undefined;
  const session = await deps.storage.read.findSession(deps.hash(token));
  if (!session) return undefined;
  const now = deps.clock.now().getTime();
  if (Date.parse(session.expiresAt) <= now || Date.parse(session.lastSeenAt) + SESSION_IDLE_MS <= now) return undefined;
  const user = await deps.storage.read.getUser(session.userId);
  if (!user || user.disabledAt !== null) return undefined;
  if (now - Date.parse(session.lastSeenAt) > 60_000) {
    const seen = new Date(now).toISOString();
    await deps.storage.transaction((tx) => tx.touchSession(session.tokenHash, seen));
    return { user, session: { ...session, lastSeenAt: seen } };
  }
  return { user, session };
}

export async function signOut(deps: AppDeps, token: string): Promise<void> {
  if (token.length > 128) return;
  await deps.storage.transaction((tx) => tx.deleteSession(deps.hash(token)));
}

/** Changes a user's role or disables them; their sessions end, so the change holds at once. */
export async function changeUser(
  deps: AppDeps,
  input: { email: string; role?: Role; disabled?: boolean; password?: string },
): Promise<Result<UserRecord>> {
  const emailNorm = normalizeEmail(input.email);
  const user = emailNorm ? await deps.storage.read.findUserByEmail(emailNorm) : undefined;
  if (!user) return fail('user_not_found', `There is no user ${input.email}.`);
  if (input.password !== undefined) {
    const weak = passwordRefusal(input.password);
    if (weak) return fail('password_weak', weak);
  }
  const passwordHash = input.password === undefined ? undefined : await deps.passwords.hash(input.password);
  const disabledAt = input.disabled === undefined ? undefined : input.disabled ? nowIso(deps) : null;
  await deps.storage.transaction(async (tx) => {
    await tx.updateUser(user.id, { role: input.role, passwordHash, disabledAt });
    await tx.deleteUserSessions(user.id);
  });
  return ok({
    ...user,
    ...(input.role && { role: input.role }),
    ...(passwordHash && { passwordHash }),
    ...(disabledAt !== undefined && { disabledAt }),
  });
}
