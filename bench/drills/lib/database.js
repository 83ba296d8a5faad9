/**
 * The drill's window on the database, the source of truth it checks the clients' view against.
 * Postgres: a fresh client per use (it must survive the cluster being stopped), bounded in time.
 * Embedded: the data folder opened the way Lockstep opens it, only while no server holds it.
 *
 * The audit trigger is how "graded once" is observed rather than inferred: every UPDATE that makes a
 * submission graded/error, or touches one that already is, adds a row to drill_finish_writes. A
 * submission is finished by exactly one such write; a second one is a duplicate grading.
 */
const path = require('node:path');
const { Client } = require('pg');
const { DIST } = require('./lockstep');

const CONNECT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 30_000;

const AUDIT_SQL = `
  CREATE TABLE IF NOT EXISTS drill_finish_writes (
    submission_id uuid NOT NULL,
    old_status text NOT NULL,
    new_status text NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp()
  );
  CREATE OR REPLACE FUNCTION drill_record_finish_write() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.status::text IN ('graded', 'error') OR OLD.status::text IN ('graded', 'error') THEN
      INSERT INTO drill_finish_writes (submission_id, old_status, new_status)
      VALUES (NEW.id, OLD.status::text, NEW.status::text);
    END IF;
    RETURN NULL;
  END $$;
  DROP TRIGGER IF EXISTS drill_finish_writes ON submissions;
  CREATE TRIGGER drill_finish_writes AFTER UPDATE ON submissions
    FOR EACH ROW EXECUTE FUNCTION drill_record_finish_write();`;

const ROWS_SQL = `
  SELECT s.id, s.status::text AS status, s.attempts, s.code, s.idempotency_key AS "idempotencyKey",
    s.report->>'status' AS verdict, s.error_message AS "errorMessage", s.graded_at AS "gradedAt",
    s.created_at AS "createdAt", u.email
  FROM submissions s JOIN users u ON u.id = s.user_id
  ORDER BY s.created_at, s.id`;

const PROGRESS_SQL = `
  SELECT id, status::text AS status, attempts, started_at AS "startedAt", graded_at AS "gradedAt"
  FROM submissions`;

const FINISH_WRITES_SQL = `SELECT submission_id AS id, count(*)::int AS writes FROM drill_finish_writes GROUP BY 1`;

/** Every submission row and, per submission, how many finishing writes the audit trigger saw. */
async function readSnapshot(client) {
  const rows = (await client.query(ROWS_SQL)).rows;
  const finishWrites = new Map(
    (await client.query(FINISH_WRITES_SQL)).rows.map((row) => [row.id, row.writes]),
  );
  return { rows, finishWrites };
}

/** Status, attempts, started_at and graded_at of every row: cheap enough to poll. */
async function readProgress(client) {
  return (await client.query(PROGRESS_SQL)).rows;
}

/** What a drill reads of a database, over a client that `withClient` of a subclass opens. */
class DrillDatabase {
  installAudit() {
    return this.withClient((client) => client.query(AUDIT_SQL));
  }

  snapshot() {
    return this.withClient(readSnapshot);
  }

  progress() {
    return this.withClient(readProgress);
  }
}

class PostgresDatabase extends DrillDatabase {
  constructor(url) {
    super();
    this.url = url;
  }

  async withClient(use) {
    const client = new Client({
      connectionString: this.url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
    });
    client.on('error', () => {
      // a stopped cluster ends the session; the query that was running reports it
    });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** The embedded database in `dataDir` (LOCKSTEP_DATA_DIR): only while no Lockstep process holds it. */
class EmbeddedDatabase extends DrillDatabase {
  constructor(dataDir) {
    super();
    this.dbDir = path.join(dataDir, 'db');
  }

  async withClient(use) {
    const { openDatabase } = require(path.join(DIST, 'database', 'database-connection.js'));
    const connection = await openDatabase({ kind: 'embedded', dir: this.dbDir });
    const client = new Client(connection.clientConfig);
    try {
      await client.connect();
      return await use(client);
    } finally {
      await client.end().catch(() => undefined);
      await connection.close();
    }
  }
}

module.exports = { EmbeddedDatabase, PostgresDatabase };
