import type { ProviderNotice } from '../../domain/provider-notice.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { CallbackResponse, Connector, RawRequest, StartedPayment } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import { readFields } from '../kit/fields.js';
import { redactRequest } from '../kit/redact.js';
import { suffixedRef } from '../kit/references.js';
import { parseSettings, secretFields, settingsSchema, type IdramSettings } from './settings.js';
import {
  ANSWER_OK,
  ANSWER_REFUSED,
  BILL_NO_MAX,
  checksumEquals,
  confirmationChecksum,
  CURRENCY,
  isBillNo,
  isUnambiguous,
  isWireableAmount,
  normalizeBillNo,
  readAmount,
  wireAmount,
} from './wire.js';

export const CALLBACK_BODY_MAX = 64 * 1024;
export const CALLBACK_FIELD_MAX = 256;

/** Both requests to RESULT_URL: the pre-check has EDP_PRECHECK, the confirmation the rest. */
const RESULT = {
  required: ['EDP_BILL_NO', 'EDP_REC_ACCOUNT', 'EDP_AMOUNT'],
  optional: ['EDP_PRECHECK', 'EDP_PAYER_ACCOUNT', 'EDP_TRANS_ID', 'EDP_TRANS_DATE', 'EDP_CHECKSUM'],
  bodyMax: CALLBACK_BODY_MAX,
  fieldMax: CALLBACK_FIELD_MAX,
} as const;

/** The customer's return to SUCCESS_URL / FAIL_URL: only the bill number is read. */
const RETURN = { required: ['EDP_BILL_NO'], bodyMax: CALLBACK_BODY_MAX, fieldMax: BILL_NO_MAX } as const;

/** The provider's word Settle keeps for each request (Idram sends no status). */
export const PRECHECK_STATUS = 'precheck';
export const CONFIRMED_STATUS = 'confirmed';

const malformed = (message: string) => fail('callback_malformed', message);
const text = (body: string): CallbackResponse => ({ status: 200, contentType: 'text/plain; charset=utf-8', body });

/** Idram (Armenia): a payment form, a pre-check, an MD5-signed confirmation; see README.md beside this file. */
export const idram: Connector<IdramSettings> = {
  id: 'idram',
  title: 'Idram',
  settingsSchema,
  secretFields,
  currencies: [CURRENCY],
  parseSettings,

  // Each retry needs a bill number of its own: attempt 1 is the store's reference as is,
  // attempt n is `${reference}-${n}`.
  providerRef: (reference, n) =>
    suffixedRef(reference, n, {
      accepts: isBillNo,
      rule: `Idram bill numbers are taken here as Latin letters, digits and hyphens, at most ${BILL_NO_MAX} characters`,
    }),

  normalizeRef: normalizeBillNo,

  startsLocally: true,
  // No call to Idram: the customer's browser posts this form to Idram's payment page.
  async startPayment(input): Promise<Result<StartedPayment, CallFailure>> {
    const { settings, providerRef, amount, currency } = input;
    if (!isBillNo(providerRef)) return notSent('reference_invalid', 'The bill number is not one Idram is sent.');
    if (currency !== CURRENCY || !isWireableAmount(amount))
      return notSent(
        'amount_invalid',
        `Idram takes positive amounts in ${CURRENCY} only, not ${amount} in "${currency}".`,
      );
    const fields: Record<string, string> = {
      EDP_LANGUAGE: settings.language,
      EDP_REC_ACCOUNT: settings.recAccount,
      EDP_DESCRIPTION: input.description,
      EDP_AMOUNT: wireAmount(amount),
      EDP_BILL_NO: providerRef,
      ...(input.customerEmail && { EDP_EMAIL: input.customerEmail }),
    };
    return ok({ next: { type: 'form_post', url: settings.paymentUrl, fields } });
  },

  parseCallback(settings, req): Result<ProviderNotice> {
    try {
      return readResult(settings, req);
    } catch {
      // Nothing in readResult should throw; this keeps the port's promise for inputs no one foresaw.
      return malformed('The callback could not be read.');
    }
  },

  redactCallback: (req) => redactRequest(req, { secretNames: ['EDP_CHECKSUM'], bodyMax: CALLBACK_BODY_MAX }),

  // "OK" is Idram's only yes, in plain text with HTTP 200. Every committed confirmation gets it
  // (a mismatch is held for a person in Settle, the money has moved at Idram); a pre-check
  // answered no gets a short refusal, which stops the payment before any money moves.
  callbackResponse(reply) {
    return text(reply.kind === 'answered' && !reply.accepted ? ANSWER_REFUSED : ANSWER_OK);
  },

  // Idram's SUCCESS_URL and FAIL_URL are fixed in its cabinet; integrations read EDP_BILL_NO
  // from the request (query or form, PHP's $_REQUEST). Both are read here.
  returnReference(req: RawRequest): string | undefined {
    try {
      const read = readFields(req, RETURN);
      return read.ok && isBillNo(read.value.EDP_BILL_NO) ? read.value.EDP_BILL_NO : undefined;
    } catch {
      return undefined;
    }
  },
};

/** The pre-check as a question, or the confirmation verified by its checksum. */
function readResult(settings: IdramSettings, req: RawRequest): Result<ProviderNotice> {
  const read = readFields(req, RESULT);
  if (!read.ok) return read;
  const f = read.value;
  const billNo = f.EDP_BILL_NO;
  const recAccount = f.EDP_REC_ACCOUNT;
  const account = recAccount.slice(0, 32);

  if (f.EDP_PRECHECK !== undefined) {
    // Unsigned by design: it changes nothing, Settle answers it from its own data.
    if (f.EDP_PRECHECK !== 'YES') return malformed('The callback EDP_PRECHECK is not "YES".');
    const amount = readAmount(f.EDP_AMOUNT);
    if (amount === undefined) return malformed('The pre-check EDP_AMOUNT is not a decimal amount in AMD.');
    return ok({
      kind: 'question',
      providerRef: billNo,
      providerStatus: PRECHECK_STATUS,
      amount,
      currency: CURRENCY,
      ...(recAccount !== settings.recAccount && {
        refusal: `the pre-check is for Idram account ${account}, not this payment method's ${settings.recAccount}.`,
      }),
    });
  }

  const { EDP_PAYER_ACCOUNT: payerAccount, EDP_TRANS_ID: transId, EDP_TRANS_DATE: transDate } = f;
  const given = f.EDP_CHECKSUM;
  if (payerAccount === undefined || transId === undefined || transDate === undefined || given === undefined)
    return malformed('The callback is neither a pre-check nor a confirmation with all its fields.');
  if (recAccount !== settings.recAccount) {
    return fail(
      'callback_signature_invalid',
      `The confirmation is for Idram account ${account}, not this payment method's.`,
    );
  }
  const signed = { recAccount, amount: f.EDP_AMOUNT, billNo, payerAccount, transId, transDate };
  if (!isBillNo(billNo)) return malformed('The confirmation EDP_BILL_NO is not a bill number Settle sends.');
  if (!isUnambiguous(signed)) return malformed('The confirmation has a ":" inside a signed field.');
  if (!checksumEquals(confirmationChecksum(settings.secretKey, signed), given)) {
    return fail(
      'callback_signature_invalid',
      `The confirmation of bill ${billNo} is not signed with this method's secret key.`,
    );
  }
  // Verified. An amount that cannot be read is -1, which never matches: held for a person.
  return ok({
    kind: 'payment',
    event: {
      providerRef: billNo,
      status: 'succeeded',
      providerStatus: CONFIRMED_STATUS,
      errorCode: null,
      amount: readAmount(f.EDP_AMOUNT) ?? -1,
      currency: CURRENCY,
      providerPaymentId: transId,
    },
  });
}
