import { createTestDatabase, TestDatabase } from '@bridge/testing';

interface SchemaColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
}

/** A column as the schema has it: `type`, `type[]` for arrays, ` null` when nullable. */
function describeSchema(c: SchemaColumn): string {
  const type = c.data_type === 'ARRAY' ? `${c.udt_name.replace(/^_/, '')}[]` : c.data_type;
  return `${type}${c.is_nullable === 'YES' ? ' null' : ''}`;
}

/**
 * The entities are only read and written through: the migrations alone shape the schema
 * (never `synchronize`). An entity that says a column is text where the schema has a number,
 * or not null where it may be null, compiles and then fails at run time; this test catches
 * it at the first run of the suite.
 */
describe('entities and migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('entities');
  });
  afterAll(() => db.drop());

  it('map every entity column to a migrated column of the same type and nullability', async () => {
    const rows = await db.dataSource.query<SchemaColumn[]>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable
         FROM information_schema.columns WHERE table_schema = $1`,
      [db.schema],
    );
    const schema = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, describeSchema(r)]));
    const driver = db.dataSource.driver;
    const entities = new Map<string, string>();
    const migrated = new Map<string, string>();
    expect(db.dataSource.entityMetadatas.length).toBeGreaterThan(0);
    for (const entity of db.dataSource.entityMetadatas)
      for (const column of entity.columns) {
        const key = `${entity.tableName}.${column.databaseName}`;
        const type = driver.normalizeType(column);
        entities.set(
          key,
          `${column.isArray ? `${driver.normalizeType({ type: column.type })}[]` : type}${column.isNullable ? ' null' : ''}`,
        );
        migrated.set(key, schema.get(key) ?? 'missing');
      }
    expect(Object.fromEntries(entities)).toEqual(Object.fromEntries(migrated));
  });
});
