import { fail, ok, type Result } from '../../domain/result.js';
import type { Connector, RawRequest, StartedPayment } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import { redactRequest } from '../kit/redact.js';
import { parseResult, requestFields, RESULT_BODY_MAX } from './result.js';
import { parseSettings, secretFields, settingsSchema, type RobokassaSettings } from './settings.js';
import { checkState } from './status.js';
import { isInvId, paymentSignature, wireOutSum } from './wire.js';

const DESCRIPTION_MAX = 100;

/** Two payment methods with the same MerchantLogin share Robokassa's InvId space, so one counter. */
export const counterKey = (login: string) => `robokassa:${login.toLowerCase()}`;

/** Robokassa: a signed payment URL, ResultURL signed with Password #2, OpStateExt; see README.md. */
export const robokassa: Connector<RobokassaSettings> = {
  id: 'robokassa',
  title: 'Robokassa',
  settingsSchema,
  secretFields,
  currencies: ['RUB'],
  parseSettings,

  // InvId is an integer Settle hands out once from the method's range (a database counter).
  references: (s) => ({ kind: 'counter', key: counterKey(s.merchantLogin), from: s.invIdFrom, to: s.invIdTo }),
  providerRef: () =>
    fail('reference_invalid', 'Robokassa payments are numbered (InvId) from a counter, not named after the order.'),
  normalizeRef: (ref) => ref,

  startsLocally: true,
  // No call: the customer's browser goes to the signed payment URL.
  async startPayment(input): Promise<Result<StartedPayment, CallFailure>> {
    const { settings: s, providerRef: invId, amount, currency } = input;
    if (!isInvId(invId)) return notSent('reference_invalid', 'InvId is not a positive 32-bit integer.');
    if (currency !== 'RUB' || !Number.isSafeInteger(amount) || amount <= 0)
      return notSent(
        'amount_invalid',
        `Robokassa takes positive amounts in RUB, not ${amount} in "${currency.slice(0, 8)}".`,
      );
    const outSum = wireOutSum(amount);
    const query = new URLSearchParams({
      MerchantLogin: s.merchantLogin,
      OutSum: outSum,
      InvId: invId,
      Description: input.description.slice(0, DESCRIPTION_MAX),
      SignatureValue: paymentSignature(s.hashAlgorithm, {
        login: s.merchantLogin,
        outSum,
        invId,
        password1: s.password1.reveal(),
      }),
      Culture: 'ru',
      Encoding: 'utf-8',
      ...(input.customerEmail && { Email: input.customerEmail }),
      ...(s.testMode && { IsTest: '1' }),
    });
    return ok({ next: { type: 'redirect', url: `${s.paymentUrl}?${query.toString()}` } });
  },

  parseCallback: parseResult,
  redactCallback: (req) =>
    redactRequest(req, { secretNames: ['SignatureValue'], bodyMax: RESULT_BODY_MAX, signature: /[0-9a-f]{32,128}/gi }),

  // ResultURL wants "OK{InvId}" in plain text; Settle sends it for every committed notice.
  callbackResponse(reply) {
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: `OK${reply.providerRef ?? ''}` };
  },

  // SuccessURL and FailURL are fixed in the shop's settings: the return page finds the payment by InvId.
  returnReference(req: RawRequest): string | undefined {
    try {
      const f = requestFields(req);
      return typeof f !== 'string' && isInvId(f.InvId) ? f.InvId : undefined;
    } catch {
      return undefined;
    }
  },

  checkStatus: (settings, input, ctx) => checkState(ctx, settings, input),
};
