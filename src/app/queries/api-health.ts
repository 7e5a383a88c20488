import type { AppDeps } from '../deps.js';

/** Whether the database answers, and whether every migration this Settle knows has run; errors read as false. */
export async function readiness(
  deps: AppDeps,
  migrationsKnownCurrent: boolean,
): Promise<{ database: boolean; migrations: boolean }> {
  const database = await deps.storage.ping().catch(() => false);
  const migrations =
    database && (migrationsKnownCurrent || (await deps.storage.migrationsCurrent().catch(() => false)));
  return { database, migrations };
}
