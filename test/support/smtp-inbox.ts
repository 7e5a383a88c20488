// A real SMTP server on 127.0.0.1 for tests: it requires a login, keeps what it accepted in
// memory, and has switches for refusals and slow answers.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { waitFor as poll } from './async.js';

export const INBOX_USER = 'settle-test';
export const INBOX_PASSWORD = 'inbox-pass-4b1d9e';

export interface Received {
  /** The envelope: MAIL FROM and RCPT TO. */
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The Message-ID header, angle brackets included. */
  messageId: string;
  raw: string;
}

export interface InboxSwitches {
  /** Refuse the next n messages with 550 at the end of DATA. */
  rejectNext?: number;
  /** Defer the next n messages with 451 at the end of DATA. */
  tempFailNext?: number;
  /** Wait this long before answering the end of DATA. */
  holdMs?: number;
}

export interface SmtpInbox {
  /** smtp://user:password@127.0.0.1:port */
  url: string;
  port: number;
  /** Messages answered with 250 on a connection that was still open, in that order. */
  messages(): Received[];
  waitFor(predicate: (m: Received) => boolean, timeoutMs?: number): Promise<Received>;
  setSwitches(s: InboxSwitches): void;
  close(): Promise<void>;
}

export async function startSmtpInbox(opts: InboxSwitches = {}): Promise<SmtpInbox> {
  const messages: Received[] = [];
  const switches: InboxSwitches = { ...opts };
  const holds = new Set<NodeJS.Timeout>();

  const server: SMTPServer = new SMTPServer({
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    // Loopback only, so a login over plain text is fine, and STARTTLS would need a certificate.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      if (auth.username === INBOX_USER && auth.password === INBOX_PASSWORD)
        return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const answer = () => {
          if (switches.rejectNext) {
            switches.rejectNext--;
            return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
          }
          if (switches.tempFailNext) {
            switches.tempFailNext--;
            return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          }
          // A real MTA owns the message only once its 250 went out: a sender that died before it never delivered.
          if (!isOpen(session)) return callback(null);
          messages.push(parse(Buffer.concat(chunks).toString('utf8'), session));
          callback(null, 'OK: queued');
        };
        if (!switches.holdMs) return answer();
        const t = setTimeout(() => {
          holds.delete(t);
          answer();
        }, switches.holdMs);
        holds.add(t);
      });
    },
  });
  // The server's connection set drops a connection as soon as its socket closes.
  const isOpen = (session: SMTPServerSession) => [...server.connections].some((c) => c.session === session);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined); // a client dropping mid-session is what some tests do
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://${INBOX_USER}:${INBOX_PASSWORD}@127.0.0.1:${port}`,
    port,
    messages: () => [...messages],
    async waitFor(predicate, timeoutMs = 5000) {
      await poll('a matching e-mail', () => messages.some(predicate), timeoutMs);
      return messages.find(predicate)!;
    },
    setSwitches(s) {
      Object.assign(switches, s);
    },
    close() {
      for (const t of holds) clearTimeout(t);
      holds.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Enough of RFC 5322 and MIME for what nodemailer writes: headers, and the text/plain part decoded. */
function parse(raw: string, session: SMTPServerSession): Received {
  const { headers, body } = splitEntity(raw);
  return {
    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    to: session.envelope.rcptTo.map((r) => r.address),
    subject: decodeWords(headers.get('subject') ?? ''),
    text: textOf(headers, body) ?? '',
    messageId: headers.get('message-id') ?? '',
    raw,
  };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const cut = raw.search(/\r?\n\r?\n/);
  const head = cut < 0 ? raw : raw.slice(0, cut);
  const body = cut < 0 ? '' : raw.slice(cut).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  // Folded lines continue the header above them.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function textOf(headers: Map<string, string>, body: string): string | undefined {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary}`).slice(1, -1);
    for (const part of parts) {
      const entity = splitEntity(part.replace(/^\r?\n/, ''));
      const text = textOf(entity.headers, entity.body);
      if (text !== undefined) return text;
    }
    return undefined;
  }
  if (!/^text\/plain/i.test(type)) return undefined;
  return decodeBody(body.replace(/\r?\n$/, ''), headers.get('content-transfer-encoding') ?? '7bit');
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return qp(body);
    default:
      return body;
  }
}

function qp(s: string): string {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=), which nodemailer uses for non-ASCII subjects. */
function decodeWords(s: string): string {
  return s
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qp(text.replace(/_/g, ' ')),
    );
}
