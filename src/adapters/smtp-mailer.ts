import { createTransport } from 'nodemailer';
import { isPermanentResponseCode, type NodemailerError } from 'nodemailer/lib/errors';
import { fail, ok, type Failure, type Result } from '../domain/result.js';
import type { MailMessage, Mailer } from '../ports/mailer.js';

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * A Mailer over one SMTP server given as `smtp://user:password@host:port` (STARTTLS when the
 * server offers it) or `smtps://…` (TLS from the start). A plain transport: one connection per
 * message, so nothing stays open between outbox runs. Throws only here, for a URL that is not
 * an SMTP URL, and without echoing it.
 */
export function createSmtpMailer(smtpUrl: string, opts: { timeoutMs?: number } = {}): Mailer {
  const { server, options } = parseSmtpUrl(smtpUrl);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = createTransport({
    ...options,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // Messages are rendered text; nothing in them may make the mailer read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const pass = options.auth?.pass;
  // A server may echo what it was sent; the password never leaves in a message, raw or URL-encoded.
  const secrets = pass ? [pass, encodeURIComponent(pass)] : [];

  return {
    async send(message: MailMessage): Promise<Result<{ response: string }>> {
      try {
        const info = await transport.sendMail({
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined && { html: message.html }),
          // The outbox id, so a resend after a crash carries the same Message-ID and can be recognised.
          messageId: `<${message.id}@settle>`,
        });
        return ok({ response: info.response });
      } catch (err) {
        const f = toFailure(err as NodemailerError, server);
        return fail(f.code, redact(f.message, secrets), f.details);
      }
    },
    async close() {
      transport.close();
    },
  };
}

function parseSmtpUrl(smtpUrl: string) {
  let u: URL;
  try {
    u = new URL(smtpUrl);
  } catch {
    throw new TypeError('The SMTP URL is not a valid URL');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new TypeError(`The SMTP URL must start with smtp:// or smtps://, not ${u.protocol}//`);
  if (!u.hostname) throw new TypeError('The SMTP URL has no host');
  const secure = u.protocol === 'smtps:';
  const port = u.port ? Number(u.port) : secure ? 465 : 587;
  // WHATWG URL keeps brackets around an IPv6 host; the socket wants the bare address.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  let auth: { user: string; pass: string } | undefined;
  try {
    auth = u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined;
  } catch {
    throw new TypeError('The SMTP URL has a malformed user name or password');
  }
  return { server: `${u.hostname}:${port}`, options: { host, port, secure, ...(auth && { auth }) } };
}

// Final (mail_rejected): a 5xx reply, or addresses nodemailer cannot use. Anything else may pass on a later try.
function toFailure(err: NodemailerError, server: string): Failure {
  const reply = err.response ? `: ${err.response}` : err.responseCode ? `: ${err.responseCode}` : '';
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') {
    // Bad credentials are a setting to fix, not a property of the message: keep it for a retry.
    return {
      code: 'mail_unavailable',
      message: `SMTP ${server} refused the login${reply}`,
      details: { reason: 'auth' },
    };
  }
  if (err.responseCode !== undefined) {
    // 503 is the one 5xx that is not final: a session in the wrong state, fine on a new connection.
    return isPermanentResponseCode(err.responseCode)
      ? {
          code: 'mail_rejected',
          message: `SMTP ${server} refused the message${reply}`,
          details: { responseCode: err.responseCode },
        }
      : {
          code: 'mail_unavailable',
          message: `SMTP ${server} deferred the message${reply}`,
          details: { responseCode: err.responseCode },
        };
  }
  if (err.code === 'EENVELOPE') {
    // nodemailer found no usable sender or recipient address itself: the same message would fail again.
    return {
      code: 'mail_rejected',
      message: `The message has no valid sender or recipient for SMTP ${server}`,
      details: { reason: 'envelope' },
    };
  }
  if (err.code === 'ETIMEDOUT') {
    return {
      code: 'mail_unavailable',
      message: `SMTP ${server} did not answer in time`,
      details: { reason: 'timeout' },
    };
  }
  const system = err.originalCode ?? err.code;
  return {
    code: 'mail_unavailable',
    message: `SMTP ${server} could not be reached${system ? ` (${system})` : ''}`,
    details: { reason: 'network', ...(system && { code: system }) },
  };
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((t, s) => t.split(s).join('***'), text);
}
