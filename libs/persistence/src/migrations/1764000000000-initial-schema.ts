import { MigrationInterface, QueryRunner } from 'typeorm';

/** The bridge's first schema: every table of libs/persistence/src/entities. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agencies (
        code text PRIMARY KEY,
        name text NOT NULL,
        level text NOT NULL,
        parent_code text NULL,
        province text NULL,
        valid_from date NULL,
        valid_to date NULL,
        procedures jsonb NOT NULL DEFAULT '[]',
        spec_version int NULL,
        paused boolean NOT NULL DEFAULT false,
        retired_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_agencies_parent" ON agencies (parent_code)`);

    await q.query(`
      CREATE TABLE adapter_specs (
        id bigserial PRIMARY KEY,
        agency_code text NOT NULL REFERENCES agencies(code),
        version int NOT NULL,
        kind text NOT NULL,
        spec jsonb NOT NULL,
        content_hash text NOT NULL,
        applied_by text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_adapter_specs_agency_version UNIQUE (agency_code, version)
      )`);

    await q.query(`
      CREATE TABLE dossiers (
        id uuid PRIMARY KEY,
        inbound_item_id text NULL,
        result_item_id text NULL,
        agency_code text NOT NULL,
        procedure_code text NOT NULL,
        agency_dossier_code text NULL,
        service_option text NOT NULL,
        status text NOT NULL,
        sequence int NOT NULL,
        appointment_date timestamptz NULL,
        snapshot jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_dossiers_inbound_item ON dossiers (inbound_item_id) WHERE inbound_item_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ix_dossiers_result_item ON dossiers (result_item_id)`);
    await q.query(`CREATE INDEX ix_dossiers_agency_dossier_code ON dossiers (agency_dossier_code)`);
    await q.query(`CREATE INDEX ix_dossiers_agency_status ON dossiers (agency_code, status)`);
    await q.query(
      `CREATE INDEX ix_dossiers_appointment ON dossiers (appointment_date) WHERE appointment_date IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE dossier_timeline (
        id bigserial PRIMARY KEY,
        dossier_id uuid NOT NULL,
        kind text NOT NULL,
        event text NOT NULL,
        origin text NOT NULL,
        from_status text NULL,
        to_status text NULL,
        sequence int NULL,
        event_id text NULL,
        detail text NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_timeline_dossier ON dossier_timeline (dossier_id, id)`);

    await q.query(`
      CREATE TABLE inbox (
        source text NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        content_hash text NOT NULL,
        outcome text NOT NULL,
        detail text NULL,
        dossier_id uuid NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source, event_id)
      )`);

    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        topic text NOT NULL,
        agency_code text NULL,
        message_id text NOT NULL,
        payload jsonb NOT NULL,
        dossier_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        available_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL,
        attempts int NOT NULL DEFAULT 0,
        last_error text NULL
      )`);
    await q.query(`CREATE INDEX ix_outbox_pending ON outbox (id) WHERE published_at IS NULL`);

    await q.query(`
      CREATE TABLE dead_letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        origin text NOT NULL,
        agency_code text NULL,
        dossier_id uuid NULL,
        operation text NOT NULL,
        payload jsonb NOT NULL,
        error_code text NOT NULL,
        error_signature text NOT NULL,
        reason text NOT NULL,
        attempts jsonb NOT NULL DEFAULT '[]',
        state text NOT NULL DEFAULT 'open',
        replay_count int NOT NULL DEFAULT 0,
        resolved_at timestamptz NULL,
        resolved_by text NULL,
        correlation_id text NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_dead_letters_open ON dead_letters (state, agency_code, created_at)`);
    await q.query(`CREATE INDEX "IDX_dead_letters_dossier" ON dead_letters (dossier_id)`);

    await q.query(`
      CREATE TABLE message_log (
        id bigserial PRIMARY KEY,
        logged_at timestamptz NOT NULL,
        channel text NOT NULL,
        direction text NOT NULL,
        agency_code text NULL,
        dossier_id uuid NULL,
        operation text NOT NULL,
        correlation_id text NULL,
        status text NULL,
        body text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_message_log_dossier ON message_log (dossier_id)`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        role text NOT NULL,
        prefix text NOT NULL,
        hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NULL,
        revoked_at timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_api_keys_prefix ON api_keys (prefix)`);

    await q.query(`
      CREATE TABLE parked_events (
        id bigserial PRIMARY KEY,
        dossier_ref text NOT NULL,
        dossier_id uuid NULL,
        event text NOT NULL,
        payload jsonb NOT NULL,
        reason text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_parked_ref ON parked_events (dossier_ref)`);

    await q.query(`
      CREATE TABLE poll_cursors (
        agency_code text PRIMARY KEY,
        cursor text NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'poll_cursors',
      'parked_events',
      'api_keys',
      'message_log',
      'dead_letters',
      'outbox',
      'inbox',
      'dossier_timeline',
      'dossiers',
      'adapter_specs',
      'agencies',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
