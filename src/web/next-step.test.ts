import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import Fastify from 'fastify';
import { sendNextStep } from './next-step.js';

test('a form_post next step is a self-posting form: fields escaped, its one script allowed by hash, posting only to its target', async () => {
  const app = Fastify();
  app.get('/', (_req, reply) =>
    sendNextStep(reply, {
      type: 'form_post',
      url: 'https://banking.idram.am/Payment/GetPayment',
      fields: { EDP_AMOUNT: '1900.00', EDP_DESCRIPTION: 'Order <1042> "jam" & tea' },
    }),
  );
  const res = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  assert.equal(res.statusCode, 200);
  const page = res.body;
  assert.match(page, /<form id="next-step" method="post" action="https:\/\/banking\.idram\.am\/Payment\/GetPayment"/);
  assert.match(page, /name="EDP_AMOUNT" value="1900\.00"/);
  assert.match(page, /value="Order &lt;1042&gt; &quot;jam&quot; &amp; tea"/);
  assert.match(page, /<button type="submit"[^>]*>Go to the payment page<\/button>/);
  const script = /<script>([^<]*)<\/script>/.exec(page)?.[1];
  assert.ok(script);
  const csp = String(res.headers['content-security-policy']);
  assert.ok(csp.includes(`'sha256-${createHash('sha256').update(script).digest('base64')}'`), csp);
  assert.match(csp, /form-action https:\/\/banking\.idram\.am;/);
  assert.match(csp, /default-src 'none'/);
});

test('a redirect next step is a 303 to its URL', async () => {
  const app = Fastify();
  app.get('/', (_req, reply) => sendNextStep(reply, { type: 'redirect', url: 'https://pay.example.test/p/1' }));
  const res = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, 'https://pay.example.test/p/1');
});
