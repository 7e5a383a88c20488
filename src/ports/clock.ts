/** The time, injected so use cases are testable; always UTC. */
export interface Clock {
  now(): Date;
}
