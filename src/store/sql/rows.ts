/** Small helpers every repository uses to turn rows into records. */

export function first<T>(rows: T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`${what}: the database returned no row`);
  return row;
}
