import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001-initial.js';
import { operations } from './0002-operations.js';

/** Every migration, listed explicitly (no folder scanning), in the order they run. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-operations': operations,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};

export const LATEST_MIGRATION = Object.keys(MIGRATIONS).at(-1)!;
