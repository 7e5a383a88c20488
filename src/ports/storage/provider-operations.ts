import type { OperationKind, OperationStatus, ProviderOperation } from '../../domain/provider-operation.js';

export interface OperationQuery {
  orderId?: string;
  kind?: OperationKind;
  status?: OperationStatus;
  updatedBefore?: string;
  limit: number;
}

export interface OperationPatch {
  status?: OperationStatus;
  error?: string | null;
  tries?: number;
  updatedAt: string;
}

/** Calls to providers recorded as intents. */
export interface ProviderOperationReads {
  listOperations(q: OperationQuery): Promise<ProviderOperation[]>;
}

export interface ProviderOperationWrites {
  insertOperation(op: ProviderOperation): Promise<void>;
  updateOperation(id: string, patch: OperationPatch): Promise<void>;
}
