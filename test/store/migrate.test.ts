import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { runFirebell } from '../support/cli.ts';
import type { Db } from '../../src/store/db.ts';
import { loadMigrations, migrate, MigrationError } from '../../src/store/migrate.ts';
import { openPgDb } from '../../src/store/pg-db.ts';
import { openPgliteDb } from '../../src/store/pglite-db.ts';
import { backends, type TestBackend } from '../support/databases.ts';

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'firebell-migrate-'));
  tempDirs.push(dir);
  return dir;
}

/** A migrations folder holding exactly these files. */
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return dir;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function recorded(db: Db): Promise<{ version: number; name: string; checksum: string }[]> {
  const { rows } = await db.query<{ version: number; name: string; checksum: string }>(
    'select version, name, checksum from schema_migrations order by version',
  );
  return rows;
}

async function tableExists(db: Db, name: string): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>('select to_regclass($1) is not null as present', [name]);
  return rows[0]!.present;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe('loading migration files', () => {
  test('a file name without a four-digit version is refused, naming the file', async () => {
    const dir = await migrationsDir({ '0001_a.sql': 'select 1', '1_x.sql': 'select 1' });
    const err = await rejection(loadMigrations(dir));
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toBe('migrations/1_x.sql: expected a name like 0001_description.sql');
  });

  test('a description with capitals or dashes is refused', async () => {
    expect((await rejection(loadMigrations(await migrationsDir({ '0001_AddUsers.sql': '' })))).message).toBe(
      'migrations/0001_AddUsers.sql: expected a name like 0001_description.sql',
    );
    expect((await rejection(loadMigrations(await migrationsDir({ '0001-add-users.sql': '' })))).message).toBe(
      'migrations/0001-add-users.sql: expected a name like 0001_description.sql',
    );
  });

  test('two files with the same version are refused, naming the second', async () => {
    const dir = await migrationsDir({ '0001_a.sql': 'select 1', '0001_b.sql': 'select 2' });
    const err = await rejection(loadMigrations(dir));
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toBe('migrations/0001_b.sql: version 0001 is used twice');
  });

  test('files that are not .sql are ignored', async () => {
    const dir = await migrationsDir({ '0001_a.sql': 'select 1', 'README.md': '# notes', '0002_b.sql.bak': 'select 2' });
    expect((await loadMigrations(dir)).map((m) => m.name)).toEqual(['0001_a.sql']);
  });

  test('migrations are listed in version order with the sha256 of their text', async () => {
    const dir = await migrationsDir({ '0010_c.sql': 'select 10', '0002_b.sql': 'select 2', '0001_a.sql': 'select 1' });
    expect(await loadMigrations(dir)).toEqual([
      { version: 1, name: '0001_a.sql', sql: 'select 1', checksum: sha256('select 1') },
      { version: 2, name: '0002_b.sql', sql: 'select 2', checksum: sha256('select 2') },
      { version: 10, name: '0010_c.sql', sql: 'select 10', checksum: sha256('select 10') },
    ]);
  });
});

/** An empty database on the backend, not migrated. */
interface EmptyDatabase {
  db: Db;
  /** Another connection to the same database: a second bot instance (PGlite has only one). */
  connectAgain(options?: { searchPath?: string }): Promise<Db>;
  drop(): Promise<void>;
}

describe.each(backends)('migrate on $name', (backend) => {
  // initdb in WebAssembly costs seconds; an empty database dumped once is unpacked in well under one.
  let emptyPglite: Blob | undefined;
  const open: EmptyDatabase[] = [];

  beforeAll(async () => {
    if (backend.name !== 'pglite') return;
    const seed = await PGlite.create();
    emptyPglite = await seed.dumpDataDir('gzip');
    await seed.close();
  });

  afterEach(async () => {
    for (const e of open.splice(0)) await e.drop();
  });

  async function emptyDatabase(b: TestBackend): Promise<EmptyDatabase> {
    let e: EmptyDatabase;
    if (b.name === 'pglite') {
      const db = await openPgliteDb({ template: emptyPglite! });
      e = { db, connectAgain: async () => db, drop: () => db.close() };
    } else {
      const target = await b.create();
      const url = target.settings.DATABASE_URL!;
      const db = await openPgDb({ connectionString: url });
      const others: Db[] = [];
      e = {
        db,
        async connectAgain(options) {
          const u = new URL(url);
          if (options?.searchPath) u.searchParams.set('options', `-c search_path=${options.searchPath}`);
          const other = await openPgDb({ connectionString: u.toString() });
          others.push(other);
          return other;
        },
        async drop() {
          for (const o of others) await o.close();
          await db.close();
          await target.drop();
        },
      };
    }
    open.push(e);
    return e;
  }

  test('pending migrations are applied in version order and named in the result', async () => {
    const { db } = await emptyDatabase(backend);
    // Written out of order; each later file depends on the earlier ones.
    const dir = await migrationsDir({
      '0010_c.sql': 'insert into events (n) values (10);',
      '0002_b.sql': 'insert into events (n) values (2);',
      '0001_a.sql': 'create table events (seq int generated always as identity primary key, n int not null);',
    });
    expect(await migrate(db, await loadMigrations(dir))).toEqual(['0001_a.sql', '0002_b.sql', '0010_c.sql']);
    const { rows } = await db.query<{ n: number }>('select n from events order by seq');
    expect(rows.map((r) => r.n)).toEqual([2, 10]);
  });

  test('each applied migration is recorded with the sha256 of its file', async () => {
    const { db } = await emptyDatabase(backend);
    const a = 'create table a (id int);\n';
    const b = 'create table b (id int);\n';
    await migrate(db, await loadMigrations(await migrationsDir({ '0001_a.sql': a, '0002_b.sql': b })));
    expect(await recorded(db)).toEqual([
      { version: 1, name: '0001_a.sql', checksum: sha256(a) },
      { version: 2, name: '0002_b.sql', checksum: sha256(b) },
    ]);
  });

  test('running migrate a second time applies nothing and records nothing new', async () => {
    const { db } = await emptyDatabase(backend);
    // Not idempotent SQL: a second application would fail.
    const migrations = await loadMigrations(await migrationsDir({ '0001_a.sql': 'create table a (id int);' }));
    expect(await migrate(db, migrations)).toEqual(['0001_a.sql']);
    expect(await migrate(db, migrations)).toEqual([]);
    expect((await recorded(db)).map((r) => r.name)).toEqual(['0001_a.sql']);
  });

  test('a migration added later is applied on the next run, alone', async () => {
    const { db } = await emptyDatabase(backend);
    const dir = await migrationsDir({ '0001_a.sql': 'create table a (id int);' });
    await migrate(db, await loadMigrations(dir));
    await writeFile(join(dir, '0002_b.sql'), 'create table b (id int);');
    expect(await migrate(db, await loadMigrations(dir))).toEqual(['0002_b.sql']);
    expect(await tableExists(db, 'b')).toBe(true);
  });

  test('an applied migration whose file changed is refused, naming the file, and nothing after it runs', async () => {
    const { db } = await emptyDatabase(backend);
    const original = 'create table a (id int);';
    const dir = await migrationsDir({ '0001_a.sql': original });
    await migrate(db, await loadMigrations(dir));
    const changed = 'create table a (id bigint);';
    await writeFile(join(dir, '0001_a.sql'), changed);
    await writeFile(join(dir, '0002_b.sql'), 'create table b (id int);');

    const err = await rejection(migrate(db, await loadMigrations(dir)));
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toBe(
      `migrations/0001_a.sql was changed after it was applied (recorded checksum ${sha256(original).slice(0, 12)}, ` +
        `file ${sha256(changed).slice(0, 12)}); add a new migration instead`,
    );
    expect(await tableExists(db, 'b')).toBe(false);
    expect((await recorded(db)).map((r) => r.name)).toEqual(['0001_a.sql']);
  });

  test('a database that has a migration this code does not know is refused', async () => {
    const { db } = await emptyDatabase(backend);
    const dir = await migrationsDir({ '0001_a.sql': 'create table a (id int);', '0002_b.sql': 'create table b (id int);' });
    await migrate(db, await loadMigrations(dir));
    // An older firebell, which ships only the first migration, meets the newer database.
    await rm(join(dir, '0002_b.sql'));
    await writeFile(join(dir, '0003_c.sql'), 'create table c (id int);');

    const err = await rejection(migrate(db, await loadMigrations(dir)));
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toBe('the database has migrations this firebell does not know (0002_b.sql): run a newer firebell');
    expect(await tableExists(db, 'c')).toBe(false);
  });

  test('a failing migration is rolled back completely, the ones before it stay, and a fixed file applies later', async () => {
    const { db } = await emptyDatabase(backend);
    const dir = await migrationsDir({
      '0001_a.sql': 'create table a (id int);',
      '0002_b.sql': 'create table b (id int);\ninsert into b values (1);\nselect * from no_such_table;',
      '0003_c.sql': 'create table c (id int);',
    });

    const err = await rejection(migrate(db, await loadMigrations(dir)));
    expect(err.message).toBe('relation "no_such_table" does not exist');
    expect(await tableExists(db, 'a')).toBe(true);
    expect(await tableExists(db, 'b')).toBe(false);
    expect(await tableExists(db, 'c')).toBe(false);
    expect((await recorded(db)).map((r) => r.name)).toEqual(['0001_a.sql']);

    await writeFile(join(dir, '0002_b.sql'), 'create table b (id int);\ninsert into b values (1);');
    expect(await migrate(db, await loadMigrations(dir))).toEqual(['0002_b.sql', '0003_c.sql']);
    expect((await db.query<{ id: number }>('select id from b')).rows).toEqual([{ id: 1 }]);
  });

  test(
    'two instances migrating an empty database at once both succeed and apply each migration once',
    async () => {
      const e = await emptyDatabase(backend);
      const migrations = await loadMigrations(
        await migrationsDir({ '0001_a.sql': 'create table a (id int);', '0002_b.sql': 'create table b (id int);' }),
      );
      // A few rounds, each in an empty schema of its own, so that a lost race cannot hide by luck.
      for (const round of ['round_1', 'round_2', 'round_3', 'round_4', 'round_5']) {
        await e.db.exec(`create schema ${round}`);
        let first: Db;
        let second: Db;
        if (backend.name === 'pglite') {
          await e.db.exec(`set search_path to ${round}`);
          first = second = e.db;
        } else {
          first = await e.connectAgain({ searchPath: round });
          second = await e.connectAgain({ searchPath: round });
        }
        const results = await Promise.allSettled([migrate(first, migrations), migrate(second, migrations)]);
        const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
        expect(failures).toEqual([]);
        const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
        expect(applied.sort()).toEqual(['0001_a.sql', '0002_b.sql']);
        const { rows } = await first.query<{ name: string }>(`select name from ${round}.schema_migrations order by version`);
        expect(rows.map((r) => r.name)).toEqual(['0001_a.sql', '0002_b.sql']);
      }
    },
  );

  test('people recorded before they had ids keep every row, with the id their platform gave them then', async () => {
    const { db } = await emptyDatabase(backend);
    const real = await loadMigrations();
    const before = real.filter((m) => m.version < 3);
    await migrate(db, before);
    // What the shell recorded under the first schema: names only.
    await db.exec(`
      insert into incidents (title, severity, time_zone, started_at, opened_by, opened_at, source_platform, source_channel)
        values ('Disk full', 2, 'UTC', '2026-03-01 10:00Z', 'dana', '2026-03-01 10:00Z', 'shell', 'shell');
      insert into timeline_entries (incident_id, occurred_at, recorded_at, author, kind, text, source_platform, source_event_id, deleted_at, deleted_by)
        values (1, '2026-03-01 10:00Z', '2026-03-01 10:00Z', 'dana', 'opened', 'Incident opened', 'shell', 'e1', null, null),
               (1, '2026-03-01 10:05Z', '2026-03-01 10:05Z', 'sam', 'note', 'wrong', 'shell', 'e2', '2026-03-01 10:06Z', 'dana');
      insert into timeline_revisions (entry_id, action, previous_text, new_text, changed_by, changed_at)
        values (2, 'delete', 'wrong', null, 'dana', '2026-03-01 10:06Z');
      insert into incident_roles (incident_id, role, holder, assigned_by, assigned_at) values (1, 'commander', 'sam', 'dana', '2026-03-01 10:01Z');
      insert into status_updates (incident_id, state, message, author, posted_at, entry_id) values (1, 'investigating', 'Looking', 'sam', '2026-03-01 10:02Z', 1);
      insert into followups (incident_id, text, owner, created_by, created_at) values (1, 'Alert on disk', 'kim', 'dana', '2026-03-01 10:03Z'),
                                                                                     (1, 'Unowned', null, 'dana', '2026-03-01 10:03Z');
    `);
    await migrate(db, real);
    const one = async (sql: string) => (await db.query(sql)).rows;
    expect(await one('select opened_by, opened_by_id from incidents')).toEqual([{ opened_by: 'dana', opened_by_id: 'shell:dana' }]);
    expect(await one('select author, author_id, deleted_by_id from timeline_entries order by id')).toEqual([
      { author: 'dana', author_id: 'shell:dana', deleted_by_id: null },
      { author: 'sam', author_id: 'shell:sam', deleted_by_id: 'shell:dana' },
    ]);
    expect(await one('select changed_by_id from timeline_revisions')).toEqual([{ changed_by_id: 'shell:dana' }]);
    expect(await one('select holder_id, assigned_by_id from incident_roles')).toEqual([{ holder_id: 'shell:sam', assigned_by_id: 'shell:dana' }]);
    expect(await one('select author_id from status_updates')).toEqual([{ author_id: 'shell:sam' }]);
    expect(await one('select owner_id, created_by_id from followups order by id')).toEqual([
      { owner_id: 'shell:kim', created_by_id: 'shell:dana' },
      { owner_id: null, created_by_id: 'shell:dana' },
    ]);
  });

  test('the real migrations apply to an empty database, and a second run applies nothing', async () => {
    const { db } = await emptyDatabase(backend);
    const real = await loadMigrations();
    expect(real.map((m) => m.name)).toContain('0001_incidents_and_timeline.sql');
    expect(await migrate(db)).toEqual(real.map((m) => m.name));
    for (const table of ['incidents', 'timeline_entries', 'timeline_revisions', 'incident_roles']) {
      expect(await tableExists(db, table)).toBe(true);
    }
    expect(await migrate(db)).toEqual([]);
    expect((await recorded(db)).map((r) => r.checksum)).toEqual(real.map((m) => m.checksum));
  });
});


describe.each(backends)('firebell migrate on $name', (backend) => {
  test('a second run says the migrations are up to date, and every migration is recorded', async () => {
    const target = await backend.create();
    try {
      const env = { ...target.settings, HTTP_PORT: '0' } as Record<string, string>;
      const first = await runFirebell(['migrate'], env);
      expect(first.code).toBe(0);
      const second = await runFirebell(['migrate'], env);
      expect(second).toMatchObject({ code: 0, stdout: 'migrations are up to date\n' });

      const db = target.settings.DATABASE_URL
        ? await openPgDb({ connectionString: target.settings.DATABASE_URL })
        : await openPgliteDb({ dataDir: join(target.settings.DATA_DIR, 'pgdata') });
      try {
        expect((await recorded(db)).map((r) => r.name)).toEqual((await loadMigrations()).map((m) => m.name));
      } finally {
        await db.close();
      }
    } finally {
      await target.drop();
    }
  });
});

describe.runIf(backends.some((b) => b.name === 'postgres'))('firebell migrate on an empty Postgres database', () => {
  test('the first run names the migrations it applied, the second says they are up to date', async () => {
    const target = await backends.find((b) => b.name === 'postgres')!.create();
    try {
      const env = { ...target.settings, HTTP_PORT: '0' } as Record<string, string>;
      const names = (await loadMigrations()).map((m) => m.name);
      expect(await runFirebell(['migrate'], env)).toMatchObject({ code: 0, stdout: `applied ${names.join(', ')}\n` });
      expect(await runFirebell(['migrate'], env)).toMatchObject({ code: 0, stdout: 'migrations are up to date\n' });
    } finally {
      await target.drop();
    }
  });
});
