import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { sleep } from '../../test/support/async.js';
import { INBOX_PASSWORD, startSmtpInbox } from '../../test/support/smtp-inbox.js';
import type { MailMessage } from '../ports/mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

const message = (over: Partial<MailMessage> = {}): MailMessage => ({
  id: 'out_test1',
  from: 'shop@example.test',
  to: 'customer@example.test',
  subject: 'Order T-1 is paid',
  text: 'Thank you.',
  ...over,
});

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

test('a message arrives with its subject, text, envelope and the outbox id as Message-ID; a resend carries the same id', async () => {
  const inbox = await startSmtpInbox();
  const mailer = createSmtpMailer(inbox.url, { timeoutMs: 2000 });
  try {
    // Non-ASCII makes nodemailer encode the subject and the body, which the inbox must decode.
    const m = message({ id: 'out_abc123', subject: 'Заказ № T-1 оплачен', text: 'Сумма: 1 500,00 ₽\nСпасибо!' });
    const r = await mailer.send(m);
    assert.ok(r.ok, JSON.stringify(r));
    assert.match(r.value.response, /^250 /);
    const [got] = inbox.messages();
    assert.ok(got);
    assert.equal(got.from, 'shop@example.test');
    assert.deepEqual(got.to, ['customer@example.test']);
    assert.equal(got.subject, 'Заказ № T-1 оплачен');
    assert.equal(got.text, 'Сумма: 1 500,00 ₽\nСпасибо!');
    assert.equal(got.messageId, '<out_abc123@settle>');

    assert.ok((await mailer.send(m)).ok);
    assert.deepEqual(
      inbox.messages().map((x) => x.messageId),
      ['<out_abc123@settle>', '<out_abc123@settle>'],
    );

    // Mostly ASCII goes quoted-printable; with html it is multipart and the text part is read.
    const withHtml = message({
      id: 'out_html',
      text: 'Amount: 1 500,00 ₽ — thank you',
      html: '<p>Amount: 1 500,00 ₽</p>',
    });
    assert.ok((await mailer.send(withHtml)).ok);
    const html = await inbox.waitFor((x) => x.messageId === '<out_html@settle>', 2000);
    assert.equal(html.text, withHtml.text);
    assert.match(html.raw, /multipart\/alternative/);
  } finally {
    await mailer.close();
    await inbox.close();
  }
});

test('a 550 is mail_rejected, a 451 is mail_unavailable, and neither is delivered', async () => {
  const inbox = await startSmtpInbox();
  const mailer = createSmtpMailer(inbox.url, { timeoutMs: 2000 });
  try {
    inbox.setSwitches({ rejectNext: 1 });
    const rejected = await mailer.send(message());
    assert.ok(!rejected.ok);
    assert.equal(rejected.error.code, 'mail_rejected');
    assert.equal(rejected.error.details?.responseCode, 550);

    inbox.setSwitches({ tempFailNext: 1 });
    const deferred = await mailer.send(message());
    assert.ok(!deferred.ok);
    assert.equal(deferred.error.code, 'mail_unavailable');
    assert.equal(deferred.error.details?.responseCode, 451);
    assert.equal(inbox.messages().length, 0);

    assert.ok((await mailer.send(message())).ok, 'the switches were used up');
    assert.equal(inbox.messages().length, 1);
  } finally {
    await mailer.close();
    await inbox.close();
  }
});

test('a refused connection is mail_unavailable', async () => {
  const port = await closedPort();
  const mailer = createSmtpMailer(`smtp://u:p@127.0.0.1:${port}`, { timeoutMs: 2000 });
  const r = await mailer.send(message());
  await mailer.close();
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'mail_unavailable');
  assert.equal(r.error.details?.code, 'ECONNREFUSED');
  assert.ok(r.error.message.includes(`127.0.0.1:${port}`), r.error.message);
});

test('a server that holds its answer past the timeout is mail_unavailable, and the inbox does not count the message', async () => {
  const inbox = await startSmtpInbox({ holdMs: 600 });
  const mailer = createSmtpMailer(inbox.url, { timeoutMs: 200 });
  try {
    const r = await mailer.send(message());
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'mail_unavailable');
    assert.equal(r.error.details?.reason, 'timeout');
    await sleep(700); // past the hold: the 250 would have gone to a closed connection
    assert.equal(inbox.messages().length, 0);

    inbox.setSwitches({ holdMs: 50 });
    assert.ok((await mailer.send(message())).ok, 'a hold within the timeout is only slow');
    assert.equal(inbox.messages().length, 1);
  } finally {
    await mailer.close();
    await inbox.close();
  }
});

test('a wrong password is mail_unavailable, and the message has neither the password nor the URL', async () => {
  const inbox = await startSmtpInbox();
  const password = 'wr0ng:p@ss/word%';
  const url = `smtp://settle-test:${encodeURIComponent(password)}@127.0.0.1:${inbox.port}`;
  const mailer = createSmtpMailer(url, { timeoutMs: 2000 });
  try {
    const r = await mailer.send(message());
    assert.ok(!r.ok);
    assert.equal(
      r.error.code,
      'mail_unavailable',
      'credentials are a setting to fix, not a reason to drop the message',
    );
    assert.equal(r.error.details?.reason, 'auth');
    const printed = JSON.stringify(r.error);
    for (const secret of [password, encodeURIComponent(password), url, INBOX_PASSWORD]) {
      assert.equal(printed.includes(secret), false, `${printed} contains ${secret}`);
    }
    assert.equal(inbox.messages().length, 0);
  } finally {
    await mailer.close();
    await inbox.close();
  }
});

test('a URL that is not smtp:// or smtps:// is refused without echoing it', () => {
  assert.throws(
    () => createSmtpMailer('http://user:hunter2@mail.example.test'),
    (e: unknown) => e instanceof TypeError && !e.message.includes('hunter2') && e.message.includes('smtp://'),
  );
  assert.throws(
    () => createSmtpMailer('not a url hunter2'),
    (e: unknown) => e instanceof TypeError && !e.message.includes('hunter2'),
  );
});
