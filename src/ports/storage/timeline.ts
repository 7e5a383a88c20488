import type { NewOrderEvent, OrderEvent } from '../../domain/timeline.js';

/** An order's timeline. */
export interface TimelineReads {
  /** Oldest first. */
  listEvents(orderId: string): Promise<OrderEvent[]>;
}

export interface TimelineWrites {
  /** Appends to the order's timeline in the given order, after what is there; returns them with their seq. */
  appendEvents(orderId: string, at: string, events: readonly NewOrderEvent[]): Promise<OrderEvent[]>;
}
