import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { Db } from '../../src/store/db.ts';
import { openDatabase } from '../../src/store/open.ts';

export const silentLog = pino({ level: 'silent' });

/** Where a test's database lives: the settings firebell is configured with, and how to remove it. */
export interface TestDatabase {
  settings: { DATABASE_URL?: string; DATA_DIR: string };
  drop(): Promise<void>;
}

export interface TestBackend {
  name: 'pglite' | 'postgres';
  create(): Promise<TestDatabase>;
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'firebell-test-'));
}

const pglite: TestBackend = {
  name: 'pglite',
  async create() {
    const dir = await tempDir();
    return { settings: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  },
};

/** A fresh database per test file on the real server, dropped afterwards. */
function postgres(adminUrl: string): TestBackend {
  return {
    name: 'postgres',
    async create() {
      const name = `firebell_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const dir = await tempDir();
      return {
        settings: { DATABASE_URL: url.toString(), DATA_DIR: dir },
        async drop() {
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          try {
            await c.query(`drop database if exists ${name} with (force)`);
          } finally {
            await c.end();
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/**
 * PGlite always; real Postgres when TEST_DATABASE_URL is set. CI sets it, so an unreachable
 * server fails the run instead of skipping these tests.
 */
export const backends: TestBackend[] = [
  pglite,
  ...(process.env.TEST_DATABASE_URL ? [postgres(process.env.TEST_DATABASE_URL)] : []),
];

/** A migrated database on the backend, for tests below the command layer. */
export async function openTestDb(backend: TestBackend): Promise<{ db: Db; drop(): Promise<void> }> {
  const target = await backend.create();
  const db = await openDatabase(target.settings, silentLog);
  return {
    db,
    async drop() {
      await db.close();
      await target.drop();
    },
  };
}

/**
 * Empties every table but the migrations record and the HTTP secret (a running bot holds it in
 * memory, as a restart would read it back), so each test starts from no incidents.
 */
export async function emptyTables(db: Db): Promise<void> {
  const { rows } = await db.query<{ tables: string }>(
    `select string_agg(quote_ident(tablename), ', ') as tables from pg_tables
     where schemaname = 'public' and tablename not in ('schema_migrations', 'http_secret', 'status_targets')`,
  );
  await db.exec(`truncate ${rows[0]!.tables} restart identity cascade`);
}
