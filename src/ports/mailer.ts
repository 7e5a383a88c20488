import type { Result } from '../domain/result.js';

/** One e-mail, rendered. `id` is the outbox message id and becomes the Message-ID, so a resend after a crash can be recognised. */
export interface MailMessage {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Sends e-mail. Resolves ok once the server accepted the message (250 after DATA). Failure codes:
 * `mail_rejected` (the server refused it with a 5xx: retrying the same message will not help),
 * `mail_unavailable` (no connection, timeout, 4xx, refused credentials: try again later). Messages never contain the
 * SMTP credentials. Never throws.
 */
export interface Mailer {
  send(message: MailMessage): Promise<Result<{ response: string }>>;
  close(): Promise<void>;
}
