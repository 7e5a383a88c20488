import type { NewTask } from './timeline.js';

/** Work for a person: raised by a decision, owned by a team or someone, resolved with a note. */
export interface TaskRecord extends NewTask {
  id: string;
  owner: string | null;
  status: 'open' | 'resolved';
  resolution: string | null;
  createdAt: string;
  resolvedAt: string | null;
}
