import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { isUnavailable, type Db } from '../../src/store/db.ts';
import { loadMigrations } from '../../src/store/migrate.ts';
import { openPgDb } from '../../src/store/pg-db.ts';
import { openPgliteDb } from '../../src/store/pglite-db.ts';
import { copyTemplate } from '../../src/store/pglite-template.ts';
import { backends, openTestDb, type TestBackend } from '../support/databases.ts';

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe.each(backends)('the database on $name', (backend: TestBackend) => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await openTestDb(backend));
    await db.exec('create table db_test_rows (n int primary key, label text not null)');
  });
  afterAll(() => drop());
  beforeEach(async () => {
    await db.exec('truncate db_test_rows');
  });

  const labels = async () => (await db.query<{ label: string }>('select label from db_test_rows order by n')).rows.map((r) => r.label);

  test('says which backend it is', () => {
    expect(db.backend).toBe(backend.name);
  });

  test('a transaction commits when its function returns, and hands back its value', async () => {
    const value = await db.transaction(async (tx) => {
      await tx.query('insert into db_test_rows values ($1, $2)', [1, 'kept']);
      await tx.query('insert into db_test_rows values ($1, $2)', [2, 'kept too']);
      return 'done';
    });
    expect(value).toBe('done');
    expect(await labels()).toEqual(['kept', 'kept too']);
  });

  test('a transaction rolls back when its function throws, and the same error comes out', async () => {
    const boom = new Error('boom');
    const err = await rejection(
      db.transaction(async (tx) => {
        await tx.query('insert into db_test_rows values ($1, $2)', [1, 'lost']);
        throw boom;
      }),
    );
    expect(err).toBe(boom);
    expect(await labels()).toEqual([]);
  });

  test('a failing statement rolls back the statements before it, and the database stays usable', async () => {
    const err = await rejection(
      db.transaction(async (tx) => {
        await tx.query('insert into db_test_rows values ($1, $2)', [1, 'lost']);
        await tx.query('insert into db_test_rows values ($1, $2)', [1, 'duplicate']);
      }),
    );
    expect(err.code).toBe('23505');
    expect(await labels()).toEqual([]);
    await db.transaction((tx) => tx.query('insert into db_test_rows values ($1, $2)', [1, 'after']));
    expect(await labels()).toEqual(['after']);
  });

  test('a write left for the commit is committed with the transaction, and is not seen before it', async () => {
    await db.transaction(async (tx) => {
      await tx.query('insert into db_test_rows values ($1, $2)', [1, 'first']);
      await tx.writeAtCommit('insert into db_test_rows values ($1, $2)', [2, 'at commit']);
      expect((await tx.query('select count(*)::int as n from db_test_rows')).rows).toEqual([{ n: 1 }]);
    });
    expect(await labels()).toEqual(['first', 'at commit']);
    // Alone, with nothing else in the transaction, and outside any transaction.
    await db.transaction((tx) => tx.writeAtCommit('insert into db_test_rows values ($1, $2)', [3, 'alone']));
    await db.writeAtCommit('insert into db_test_rows values ($1, $2)', [4, 'no transaction']);
    expect(await labels()).toEqual(['first', 'at commit', 'alone', 'no transaction']);
  });

  test('a write left for the commit that fails rolls the whole transaction back, with its error, and the database stays usable', async () => {
    await db.query('insert into db_test_rows values ($1, $2)', [1, 'before']);
    const err = await rejection(
      db.transaction(async (tx) => {
        await tx.query('insert into db_test_rows values ($1, $2)', [2, 'lost']);
        await tx.writeAtCommit('insert into db_test_rows values ($1, $2)', [1, 'duplicate']);
      }),
    );
    expect(err.code).toBe('23505');
    expect(isUnavailable(err)).toBe(false);
    expect(await labels()).toEqual(['before']);
    await db.transaction(async (tx) => {
      await tx.query('insert into db_test_rows values ($1, $2)', [2, 'after']);
      await tx.writeAtCommit('insert into db_test_rows values ($1, $2)', [3, 'after too']);
    });
    expect(await labels()).toEqual(['before', 'after', 'after too']);
  });

  test('a transaction whose first statement cannot even be parsed rolls back, and the same statement fails the same way again', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const err = await rejection(db.transaction((tx) => tx.query('insert into db_test_rows valuez ($1, $2)', [1, 'never'])));
      expect(err.code).toBe('42601');
    }
    // Not left inside the aborted transaction: the next one commits.
    await db.transaction(async (tx) => {
      await tx.query('insert into db_test_rows values ($1, $2)', [1, 'after']);
      await tx.query('insert into db_test_rows values ($1, $2)', [2, 'after too']);
    });
    expect(await labels()).toEqual(['after', 'after too']);
  });

  test('a transaction sees its own writes before it commits', async () => {
    const seen = await db.transaction(async (tx) => {
      await tx.query('insert into db_test_rows values ($1, $2)', [1, 'mine']);
      return (await tx.query<{ label: string }>('select label from db_test_rows')).rows;
    });
    expect(seen).toEqual([{ label: 'mine' }]);
  });

  test('rowCount counts the rows an insert, update or delete touched', async () => {
    expect((await db.query("insert into db_test_rows values (1, 'a'), (2, 'b'), (3, 'c')")).rowCount).toBe(3);
    expect((await db.query("update db_test_rows set label = 'x' where n >= 2")).rowCount).toBe(2);
    expect((await db.query('delete from db_test_rows where n = 1')).rowCount).toBe(1);
    expect((await db.query('delete from db_test_rows where n = 99')).rowCount).toBe(0);
  });

  test('rowCount of a select is the number of rows it returned', async () => {
    await db.query("insert into db_test_rows values (1, 'a'), (2, 'b')");
    const r = await db.query('select * from db_test_rows');
    expect(r.rows).toHaveLength(2);
    expect(r.rowCount).toBe(2);
  });

  test('values come back as the same JavaScript values on both backends, the first time and again', async () => {
    const sql = `select $1::int as n, $2::text as text, $3::boolean as flag, $4::jsonb as labels, $5::timestamptz as at,
      null::text as nothing, '' as empty, array['a', 'b,c'] as list`;
    const params = [7, 'Ölpumpe „3“ down\nline two 🔥', true, JSON.stringify({ team: 'db', n: 2 }), new Date('2026-03-01T23:40:05.123Z')];
    const expected = {
      n: 7,
      text: 'Ölpumpe „3“ down\nline two 🔥',
      flag: true,
      labels: { team: 'db', n: 2 },
      at: new Date('2026-03-01T23:40:05.123Z'),
      nothing: null,
      empty: '',
      list: ['a', 'b,c'],
    };
    expect((await db.query(sql, params)).rows).toEqual([expected]);
    // The second time the statement is prepared already (PGlite): its columns come from then.
    expect((await db.query(sql, params)).rows).toEqual([expected]);
    expect((await db.transaction((tx) => tx.query(sql, params))).rows).toEqual([expected]);
  });

  test('a statement that fails after its first run still fails with its own code, and the next one runs', async () => {
    await db.query("insert into db_test_rows values (1, 'a')");
    const insert = 'insert into db_test_rows (n, label) values ($1, $2) returning n';
    expect((await db.query(insert, [2, 'b'])).rows).toEqual([{ n: 2 }]);
    const err = await rejection(db.query(insert, [1, 'again']));
    expect(err.code).toBe('23505');
    expect(isUnavailable(err)).toBe(false);
    expect((await db.query(insert, [3, 'c'])).rows).toEqual([{ n: 3 }]);
    expect(await labels()).toEqual(['a', 'b', 'c']);
  });

  test('makeDurable resolves, and what was committed is still there', async () => {
    await db.query("insert into db_test_rows values (1, 'durable')");
    await db.makeDurable();
    expect(await labels()).toEqual(['durable']);
  });

  test('a syntax error is a fault in the statement, not an unreachable database', async () => {
    const err = await rejection(db.query('selec 1'));
    expect(err.code).toBe('42601');
    expect(isUnavailable(err)).toBe(false);
  });

  test('a constraint violation is not an unreachable database', async () => {
    const err = await rejection(db.query('insert into db_test_rows (n) values (1)'));
    expect(err.code).toBe('23502');
    expect(isUnavailable(err)).toBe(false);
  });
});

describe('PGlite in a data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firebell-db-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('after makeDurable, a closed and reopened database still has the data', async () => {
    const dataDir = join(dir, 'pgdata');
    await copyTemplate(await loadMigrations(), dataDir);
    let db = await openPgliteDb({ dataDir });
    await db.exec('create table kept (note text)');
    await db.query('insert into kept values ($1)', ['Rolled back release 4812']);
    await db.makeDurable();
    await db.close();

    db = await openPgliteDb({ dataDir });
    try {
      expect((await db.query('select note from kept')).rows).toEqual([{ note: 'Rolled back release 4812' }]);
    } finally {
      await db.close();
    }
  });
});

describe('an unreachable Postgres', () => {
  test('a refused connection fails at open, and the error counts as unavailable', async () => {
    // Port 1 on loopback: nothing listens there, so the kernel refuses at once.
    const err = await rejection(openPgDb({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres' }));
    expect(err.code).toBe('ECONNREFUSED');
    expect(isUnavailable(err)).toBe(true);
  });

  test('driver messages about a lost connection count as unavailable, other errors do not', () => {
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailable(new Error('Connection terminated due to connection timeout'))).toBe(true);
    expect(isUnavailable(new Error('Cannot use a pool after calling end on the pool'))).toBe(true);
    expect(isUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isUnavailable(new Error('relation "incidents" does not exist'))).toBe(false);
    expect(isUnavailable(undefined)).toBe(false);
    expect(isUnavailable(null)).toBe(false);
    expect(isUnavailable('ECONNREFUSED')).toBe(false);
  });
});

describe.runIf(backends.some((b) => b.name === 'postgres'))('a Postgres connection the server drops', () => {
  test('counts as unavailable, and the next query gets a fresh connection', async () => {
    const target = await backends.find((b) => b.name === 'postgres')!.create();
    const db = await openPgDb({ connectionString: target.settings.DATABASE_URL! });
    try {
      // What a database restart does to every open session.
      const err = await rejection(db.query('select pg_terminate_backend(pg_backend_pid())'));
      expect(err.code).toBe('57P01');
      expect(isUnavailable(err)).toBe(true);
      expect((await db.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
      await target.drop();
    }
  });
});
