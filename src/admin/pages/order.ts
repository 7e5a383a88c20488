import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';

// PLACEHOLDER: being written (issue 7).
export async function orderPages(_app: FastifyInstance, _deps: AppDeps): Promise<void> {}
