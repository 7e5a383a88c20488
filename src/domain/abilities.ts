/** What a provider's API lets Settle do beyond taking a payment, by the name the API and admin show. */
export const ABILITY_NAMES = ['check_status', 'cancel', 'capture', 'void', 'refund', 'fetch_report'] as const;
export type AbilityName = (typeof ABILITY_NAMES)[number];
