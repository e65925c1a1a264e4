import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type SqliteDatabase = Database.Database;

/** Opens (or creates) the state database in WAL mode and brings its schema up to date. */
export function openDatabase(file: string, migrations: readonly string[] = MIGRATIONS): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL makes every commit durable on power loss too; the write volume here is tiny.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);
  return db;
}

function migrate(db: SqliteDatabase, migrations: readonly string[]): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > migrations.length) {
    throw new Error(`The database at ${db.name} was written by a newer mle-coach (schema ${current}, this build knows ${migrations.length}).`);
  }
  const apply = db.transaction(() => {
    for (let version = current; version < migrations.length; version += 1) {
      db.exec(migrations[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    }
  });
  apply.immediate();
}
