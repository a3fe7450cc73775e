/**
 * A JSON object stored in a jsonb column. `any` values keep TypeORM's deep-partial insert
 * types usable; readers narrow what they take out.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;
