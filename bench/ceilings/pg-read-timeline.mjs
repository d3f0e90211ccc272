// Ceiling for the export: the incident's timeline read from Postgres in pages of 1,000 (as the
// export reads it) and written to stdout as raw lines, no draft made. What is left of the
// export's time and memory beyond this is the draft's own.
import pg from 'pg';

const client = new pg.Client({ connectionString: process.argv[2] });
await client.connect();
let after = null;
for (;;) {
  const { rows } = after
    ? await client.query(
        'select id, occurred_at, kind, author, text from timeline_entries where incident_id = 1 and (occurred_at, id) > ($1, $2) order by occurred_at, id limit 1000',
        [after.occurred_at, after.id],
      )
    : await client.query('select id, occurred_at, kind, author, text from timeline_entries where incident_id = 1 order by occurred_at, id limit 1000');
  let chunk = '';
  for (const r of rows) chunk += `${r.occurred_at.toISOString()} ${r.kind} ${r.author} ${r.text}\n`;
  if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  if (rows.length < 1000) break;
  after = rows.at(-1);
}
await client.end();
