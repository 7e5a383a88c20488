import type { SyncState } from '../domain/outbox.js';
import { dateTime, nullable, str, type Wire } from './fields.js';

/** One webhook endpoint's delivery state for one order. */
export const syncSchema = {
  type: 'object',
  properties: {
    endpoint_id: str,
    status: { type: 'string', enum: ['pending', 'synced', 'failing', 'failed'] },
    last_event_type: nullable(str),
    last_error: nullable(str),
    updated_at: dateTime,
  },
} as const;

export type SyncView = Wire<typeof syncSchema>;

export function syncView(s: SyncState): SyncView {
  return {
    endpoint_id: s.endpointId,
    status: s.status,
    last_event_type: s.lastEventType,
    last_error: s.lastError,
    updated_at: s.updatedAt,
  };
}
