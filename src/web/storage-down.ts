/**
 * Connection failures, serialization failures, deadlocks and lost shared commits: a retry may cure them, so 503, not 500.
 * PostgreSQL going down and coming back shows as: ECONNREFUSED while it is down; "Connection
 * terminated unexpectedly" for a query it cut, and "Client has encountered a connection error and
 * is not queryable" for the rollback after it; 57P01/57P02 on a shutdown; 57P03 ("the database
 * system is starting up", "… is not yet accepting connections") during its recovery
 * (test/flows/faults-database.test.ts). A prepared statement whose table a newer process's
 * migration changed fails once with "cached plan must not change result type" (0A000, which also
 * names unsupported features, hence the message) and is prepared afresh on the next try
 * (storage/postgres/prepared.ts).
 */
export function isStorageDown(err: { code?: unknown; message: string }): boolean {
  const code = String(err.code ?? '');
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'EAI_AGAIN',
      'SQLITE_BUSY',
      'SQLITE_LOCKED',
      // A transaction whose shared SQLite commit failed (storage/sqlite/group-commit.ts).
      'GROUP_COMMIT_LOST',
      '57P01',
      '57P02',
      '57P03',
      '08000',
      '08001',
      '08003',
      '08006',
      '53300',
      '40001',
      '40P01',
    ].includes(code) ||
    /Connection terminated|cached plan must not change result type|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      err.message,
    )
  );
}
