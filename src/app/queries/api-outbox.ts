import type { OutboxMessage } from '../../domain/outbox.js';
import type { OutboxQuery } from '../../ports/storage.js';
import type { AppDeps } from '../deps.js';

/** Outbox messages, newest first, narrowed by status, topic and order. */
export async function listOutboxMessages(deps: AppDeps, q: OutboxQuery): Promise<OutboxMessage[]> {
  return deps.storage.read.listOutbox(q);
}
