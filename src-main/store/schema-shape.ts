// The shape of a database's schema: every table's columns with type, NOT NULL and primary-key
// position. Used to refuse a restore that lacks our tables, and by the schema-snapshot test.
import type { Db } from './database.ts';

export interface ColumnShape {
  type: string;
  notnull: boolean;
  pk: number;
}
export type SchemaShape = Record<string, Record<string, ColumnShape>>;

export function schemaShape(db: Db): SchemaShape {
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  const shape: SchemaShape = {};
  for (const name of tables) {
    const cols = db.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`).all(name) as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
    shape[name] = Object.fromEntries(cols.map((c) => [c.name, { type: c.type, notnull: c.notnull === 1, pk: c.pk }]));
  }
  return shape;
}

/** The tables and columns of `expected` that `actual` lacks or holds with another shape. */
export function missingFromShape(expected: SchemaShape, actual: SchemaShape): string[] {
  const missing: string[] = [];
  for (const [table, cols] of Object.entries(expected)) {
    const have = actual[table];
    if (!have) {
      missing.push(table);
      continue;
    }
    for (const [col, shape] of Object.entries(cols)) {
      const got = have[col];
      if (!got || got.type !== shape.type || got.notnull !== shape.notnull || got.pk !== shape.pk)
        missing.push(`${table}.${col}`);
    }
  }
  return missing;
}
