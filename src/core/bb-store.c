/* SPDX-License-Identifier: GPL-3.0-or-later */

/* For renameat2() and RENAME_NOREPLACE. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bb-backup.h"
#include "bb-date.h"
#include "bb-store-private.h"

/* How long a statement waits for another connection's lock before it
 * gives up with SQLITE_BUSY. */
#define BUSY_TIMEOUT_MS 3000

struct _BbStore
{
  GObject        parent_instance;

  sqlite3       *db;
  /* SQL text -> sqlite3_stmt, finalized when the connection closes */
  GHashTable    *statements;

  char          *path;
  char          *backup_root;
  char          *council_id;
  int            opened_version;

  /* sqlite3_total_changes64() when the last backup was made; -1 when the
   * current state has never been backed up. */
  sqlite3_int64  backed_up_changes;

  guint          read_only : 1;
  /* BB_STORE_OPEN_DEFER_BACKUP left the backup on opening undone */
  guint          open_backup_pending : 1;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BbStore, bb_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (bb-store-error-quark, bb_store_error)

/* Migrations
 *
 * Step N turns a file at user_version N-1 into one at N. The text of each
 * step is part of the file format: a file made by an older release must end
 * up with exactly the schema a new file gets, so a step is never edited
 * once released; later changes are new steps.
 */

typedef gboolean (*MigrateFunc) (sqlite3  *db,
                                 GError  **error);

typedef struct
{
  int          version;
  const char  *sql;
  MigrateFunc  after_sql;   /* nullable: data the step writes */
} Migration;

static const char migration_v1_sql[] =
  "CREATE TABLE meta (\n"
  "  key TEXT PRIMARY KEY,\n"
  "  value TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE council (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  singleton INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1),\n"
  "  name TEXT NOT NULL CHECK (name <> ''),\n"
  "  municipality TEXT NOT NULL DEFAULT '',\n"
  "  legal_form TEXT NOT NULL DEFAULT 'informal'\n"
  "    CHECK (legal_form IN ('informal', 'stichting', 'vereniging')),\n"
  "  kvk_number TEXT NOT NULL DEFAULT '',\n"
  "  iban TEXT NOT NULL DEFAULT '',\n"
  "  created_at TEXT NOT NULL,\n"
  "  updated_at TEXT NOT NULL\n"
  ");\n";

static gboolean
migrate_v1_meta (sqlite3  *db,
                 GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "INSERT INTO meta (key, value) VALUES ('created_by_version', ?1)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, 1, PACKAGE_VERSION, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, db, rc, _("Could not record the Buurtboek version"));
      sqlite3_finalize (stmt);
      return FALSE;
    }

  sqlite3_finalize (stmt);
  return TRUE;
}

static const char migration_v2_sql[] =
  "ALTER TABLE council ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';\n"
  "ALTER TABLE council ADD COLUMN email TEXT NOT NULL DEFAULT '';\n"
  "ALTER TABLE council ADD COLUMN phone TEXT NOT NULL DEFAULT '';\n"
  "ALTER TABLE council ADD COLUMN residents INTEGER NOT NULL DEFAULT 0 CHECK (residents >= 0);\n";

/* Volunteers (issue 5): the register, skills, consents, VOG, allowance
 * agreement and payments, and the hours. Hours and payments outlive an
 * erased volunteer as anonymous rows (volunteer_id NULL). activity_id and
 * task_id point into the programme's tables without a foreign key. */
static const char migration_v3_sql[] =
  "CREATE TABLE volunteer (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  first_name TEXT NOT NULL DEFAULT '',\n"
  "  last_name TEXT NOT NULL DEFAULT '',\n"
  "  email TEXT NOT NULL DEFAULT '',\n"
  "  phone TEXT NOT NULL DEFAULT '',\n"
  "  address TEXT NOT NULL DEFAULT '',\n"
  "  age_band TEXT NOT NULL DEFAULT 'unknown'\n"
  "    CHECK (age_band IN ('unknown', 'under-21', '21-plus')),\n"
  "  birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2200),\n"
  "  availability INTEGER NOT NULL DEFAULT 0 CHECK (availability BETWEEN 0 AND 2097151),\n"
  "  roles TEXT NOT NULL DEFAULT '',\n"
  "  start_date TEXT,\n"
  "  end_date TEXT,\n"
  "  status TEXT NOT NULL DEFAULT 'registered'\n"
  "    CHECK (status IN ('registered', 'active', 'stopped')),\n"
  "  stop_reason TEXT NOT NULL DEFAULT '',\n"
  "  emergency_contact TEXT NOT NULL DEFAULT '',\n"
  "  notes TEXT NOT NULL DEFAULT '',\n"
  "  vog_needed INTEGER NOT NULL DEFAULT 0 CHECK (vog_needed IN (0, 1)),\n"
  "  vog_status TEXT NOT NULL DEFAULT 'not-needed'\n"
  "    CHECK (vog_status IN ('not-needed', 'requested', 'received')),\n"
  "  vog_date TEXT,\n"
  "  allowance_kind TEXT NOT NULL DEFAULT 'none'\n"
  "    CHECK (allowance_kind IN ('none', 'hourly', 'fixed', 'expenses')),\n"
  "  allowance_cents INTEGER NOT NULL DEFAULT 0 CHECK (allowance_cents >= 0),\n"
  "  iban TEXT NOT NULL DEFAULT '',\n"
  "  created_at TEXT NOT NULL,\n"
  "  updated_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX volunteer_name ON volunteer (last_name, first_name);\n"
  "CREATE INDEX volunteer_email ON volunteer (email);\n"
  "CREATE TABLE volunteer_skill (\n"
  "  volunteer_id TEXT NOT NULL REFERENCES volunteer (id) ON DELETE CASCADE,\n"
  "  skill TEXT NOT NULL CHECK (skill <> ''),\n"
  "  PRIMARY KEY (volunteer_id, skill)\n"
  ") STRICT, WITHOUT ROWID;\n"
  "CREATE INDEX volunteer_skill_skill ON volunteer_skill (skill);\n"
  "CREATE TABLE council_skill (\n"
  "  name TEXT PRIMARY KEY NOT NULL CHECK (name <> '')\n"
  ") STRICT;\n"
  "CREATE TABLE volunteer_consent (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  volunteer_id TEXT NOT NULL REFERENCES volunteer (id) ON DELETE CASCADE,\n"
  "  kind TEXT NOT NULL CHECK (kind IN ('photo', 'newsletter', 'share-contact')),\n"
  "  given INTEGER NOT NULL CHECK (given IN (0, 1)),\n"
  "  date TEXT NOT NULL,\n"
  "  recorded_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX volunteer_consent_volunteer ON volunteer_consent (volunteer_id, kind, date);\n"
  "CREATE TABLE volunteer_payment (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  volunteer_id TEXT REFERENCES volunteer (id) ON DELETE SET NULL,\n"
  "  date TEXT NOT NULL,\n"
  "  kind TEXT NOT NULL CHECK (kind IN ('allowance', 'expense')),\n"
  "  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),\n"
  "  minutes INTEGER CHECK (minutes IS NULL OR minutes > 0),\n"
  "  note TEXT NOT NULL DEFAULT '',\n"
  "  created_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX volunteer_payment_volunteer ON volunteer_payment (volunteer_id, date);\n"
  "CREATE TABLE allowance_cap (\n"
  "  year INTEGER PRIMARY KEY NOT NULL CHECK (year BETWEEN 2000 AND 2200),\n"
  "  hour_21_plus_cents INTEGER NOT NULL CHECK (hour_21_plus_cents > 0),\n"
  "  hour_under_21_cents INTEGER NOT NULL CHECK (hour_under_21_cents > 0),\n"
  "  month_cents INTEGER NOT NULL CHECK (month_cents > 0),\n"
  "  year_cents INTEGER NOT NULL CHECK (year_cents > 0)\n"
  ") STRICT;\n"
  "CREATE TABLE volunteer_hours (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  volunteer_id TEXT REFERENCES volunteer (id) ON DELETE SET NULL,\n"
  "  activity_id TEXT,\n"
  "  task_id TEXT,\n"
  "  date TEXT NOT NULL,\n"
  "  minutes INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),\n"
  "  note TEXT NOT NULL DEFAULT '',\n"
  "  source TEXT NOT NULL CHECK (source IN ('confirmed', 'manual')),\n"
  "  created_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX volunteer_hours_volunteer ON volunteer_hours (volunteer_id, date);\n"
  "CREATE INDEX volunteer_hours_activity ON volunteer_hours (activity_id, task_id);\n"
  "CREATE INDEX volunteer_hours_date ON volunteer_hours (date);\n";

/* The programme: activities (a recurring one is one row with an RRULE),
 * changed or cancelled occurrences of a series keyed by the occurrence's
 * original start (RECURRENCE-ID), tasks and who is assigned to them.
 * Activity times are wall-clock times in Europe/Amsterdam
 * ("2026-03-10T10:00:00"), so a series keeps its hour across DST. */
static const char migration_v4_sql[] =
  "CREATE TABLE programme_theme (\n"
  "  name TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),\n"
  "  builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),\n"
  "  position INTEGER NOT NULL DEFAULT 0\n"
  ") STRICT;\n"
  "INSERT INTO programme_theme (name, builtin, position) VALUES\n"
  "  ('feest & ontmoeting', 1, 1), ('kinderen & jeugd', 1, 2), ('ouderen', 1, 3),\n"
  "  ('groen & schoon', 1, 4), ('veiligheid', 1, 5), ('communicatie', 1, 6),\n"
  "  ('vergadering', 1, 7);\n"
  "CREATE TABLE programme_location (\n"
  "  name TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),\n"
  "  last_used TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE TABLE activity (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  title TEXT NOT NULL CHECK (title <> ''),\n"
  "  description TEXT NOT NULL DEFAULT '',\n"
  "  theme TEXT NOT NULL DEFAULT '',\n"
  "  starts_at TEXT NOT NULL,\n"
  "  ends_at TEXT NOT NULL CHECK (ends_at >= starts_at),\n"
  "  all_day INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1)),\n"
  "  location TEXT NOT NULL DEFAULT '',\n"
  "  target_group TEXT NOT NULL DEFAULT '',\n"
  "  open_to_all INTEGER NOT NULL DEFAULT 1 CHECK (open_to_all IN (0, 1)),\n"
  "  partners TEXT NOT NULL DEFAULT '',\n"
  "  status TEXT NOT NULL DEFAULT 'planned'\n"
  "    CHECK (status IN ('planned', 'confirmed', 'done', 'cancelled')),\n"
  "  cancel_reason TEXT NOT NULL DEFAULT '',\n"
  "  expected_participants INTEGER NOT NULL DEFAULT 0 CHECK (expected_participants >= 0),\n"
  "  actual_participants INTEGER CHECK (actual_participants >= 0),\n"
  "  count_method TEXT NOT NULL DEFAULT '' CHECK (count_method IN ('', 'counted', 'estimated')),\n"
  "  notes TEXT NOT NULL DEFAULT '',\n"
  "  rrule TEXT NOT NULL DEFAULT '',\n"
  "  created_at TEXT NOT NULL,\n"
  "  updated_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX activity_starts_at ON activity (starts_at);\n"
  "CREATE TABLE activity_exception (\n"
  "  activity_id TEXT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,\n"
  "  occurrence_start TEXT NOT NULL,\n"
  "  starts_at TEXT NOT NULL,\n"
  "  ends_at TEXT NOT NULL CHECK (ends_at >= starts_at),\n"
  "  status TEXT NOT NULL\n"
  "    CHECK (status IN ('planned', 'confirmed', 'done', 'cancelled')),\n"
  "  cancel_reason TEXT NOT NULL DEFAULT '',\n"
  "  actual_participants INTEGER CHECK (actual_participants >= 0),\n"
  "  count_method TEXT NOT NULL DEFAULT '' CHECK (count_method IN ('', 'counted', 'estimated')),\n"
  "  notes TEXT NOT NULL DEFAULT '',\n"
  "  PRIMARY KEY (activity_id, occurrence_start)\n"
  ") STRICT;\n"
  "CREATE TABLE task (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  activity_id TEXT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,\n"
  "  role TEXT NOT NULL CHECK (role <> ''),\n"
  "  needed INTEGER NOT NULL DEFAULT 1 CHECK (needed >= 0),\n"
  "  starts_at TEXT NOT NULL,\n"
  "  ends_at TEXT NOT NULL CHECK (ends_at >= starts_at),\n"
  "  position INTEGER NOT NULL DEFAULT 0\n"
  ") STRICT;\n"
  "CREATE INDEX task_activity ON task (activity_id);\n"
  "CREATE TABLE task_assignment (\n"
  "  task_id TEXT NOT NULL REFERENCES task (id) ON DELETE CASCADE,\n"
  "  volunteer_id TEXT NOT NULL REFERENCES volunteer (id) ON DELETE CASCADE,\n"
  "  confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),\n"
  "  PRIMARY KEY (task_id, volunteer_id)\n"
  ") STRICT;\n"
  "CREATE INDEX task_assignment_volunteer ON task_assignment (volunteer_id);\n";

/* Money (issue 6): rule sets, subsidies with advances, budget posts, the
 * ledger with split lines over posts, and receipts stored once per content
 * (sha256). Amounts are signed integer cents; activity and volunteer links
 * lose their target, never the transaction. */
static const char migration_v5_sql[] =
  "CREATE TABLE money_ruleset (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  name TEXT NOT NULL CHECK (name <> ''),\n"
  "  definition TEXT NOT NULL CHECK (json_valid (definition)),\n"
  "  created_at TEXT NOT NULL,\n"
  "  updated_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE TABLE subsidy (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  grantor TEXT NOT NULL CHECK (grantor <> ''),\n"
  "  scheme TEXT NOT NULL DEFAULT '',\n"
  "  beschikking_number TEXT NOT NULL DEFAULT '',\n"
  "  beschikking_date TEXT NOT NULL DEFAULT '',\n"
  "  period_start TEXT NOT NULL,\n"
  "  period_end TEXT NOT NULL CHECK (period_end >= period_start),\n"
  "  requested_cents INTEGER NOT NULL DEFAULT 0 CHECK (requested_cents >= 0),\n"
  "  granted_cents INTEGER NOT NULL DEFAULT 0 CHECK (granted_cents >= 0),\n"
  "  ruleset_id TEXT NOT NULL DEFAULT 'builtin-municipal',\n"
  "  notes TEXT NOT NULL DEFAULT '',\n"
  "  created_at TEXT NOT NULL,\n"
  "  updated_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE TABLE subsidy_advance (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  subsidy_id TEXT NOT NULL REFERENCES subsidy (id) ON DELETE CASCADE,\n"
  "  date TEXT NOT NULL,\n"
  "  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0)\n"
  ") STRICT;\n"
  "CREATE INDEX subsidy_advance_subsidy ON subsidy_advance (subsidy_id, date);\n"
  "CREATE TABLE budget_post (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  subsidy_id TEXT NOT NULL REFERENCES subsidy (id) ON DELETE CASCADE,\n"
  "  kind TEXT NOT NULL CHECK (kind IN ('expense', 'income')),\n"
  "  name TEXT NOT NULL CHECK (name <> ''),\n"
  "  planned_cents INTEGER NOT NULL DEFAULT 0 CHECK (planned_cents >= 0),\n"
  "  explanation TEXT NOT NULL DEFAULT '',\n"
  "  position INTEGER NOT NULL DEFAULT 0\n"
  ") STRICT;\n"
  "CREATE INDEX budget_post_subsidy ON budget_post (subsidy_id, kind, position);\n"
  "CREATE TABLE ledger_transaction (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  date TEXT NOT NULL,\n"
  "  amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),\n"
  "  description TEXT NOT NULL DEFAULT '',\n"
  "  counterparty TEXT NOT NULL DEFAULT '',\n"
  "  counterparty_iban TEXT NOT NULL DEFAULT '',\n"
  "  account TEXT NOT NULL DEFAULT 'bank' CHECK (account IN ('bank', 'cash')),\n"
  "  activity_id TEXT REFERENCES activity (id) ON DELETE SET NULL,\n"
  "  volunteer_id TEXT REFERENCES volunteer (id) ON DELETE SET NULL,\n"
  "  bank_reference TEXT NOT NULL DEFAULT '',\n"
  "  dedupe_key TEXT UNIQUE,\n"
  "  created_at TEXT NOT NULL,\n"
  "  updated_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX ledger_transaction_date ON ledger_transaction (date, created_at);\n"
  "CREATE INDEX ledger_transaction_counterparty ON ledger_transaction (counterparty_iban, counterparty);\n"
  "CREATE INDEX ledger_transaction_activity ON ledger_transaction (activity_id);\n"
  "CREATE INDEX ledger_transaction_volunteer ON ledger_transaction (volunteer_id);\n"
  "CREATE TABLE ledger_split (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  transaction_id TEXT NOT NULL REFERENCES ledger_transaction (id) ON DELETE CASCADE,\n"
  "  post_id TEXT REFERENCES budget_post (id) ON DELETE SET NULL,\n"
  "  amount_cents INTEGER NOT NULL,\n"
  "  position INTEGER NOT NULL DEFAULT 0\n"
  ") STRICT;\n"
  "CREATE INDEX ledger_split_transaction ON ledger_split (transaction_id, position);\n"
  "CREATE INDEX ledger_split_post ON ledger_split (post_id);\n"
  "CREATE TABLE receipt (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  sha256 TEXT NOT NULL UNIQUE,\n"
  "  content_type TEXT NOT NULL,\n"
  "  filename TEXT NOT NULL DEFAULT '',\n"
  "  size INTEGER NOT NULL CHECK (size > 0),\n"
  "  data BLOB NOT NULL,\n"
  "  created_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE TABLE ledger_receipt (\n"
  "  transaction_id TEXT NOT NULL REFERENCES ledger_transaction (id) ON DELETE CASCADE,\n"
  "  receipt_id TEXT NOT NULL REFERENCES receipt (id) ON DELETE CASCADE,\n"
  "  position INTEGER NOT NULL DEFAULT 0,\n"
  "  PRIMARY KEY (transaction_id, receipt_id)\n"
  ") STRICT, WITHOUT ROWID;\n"
  "CREATE INDEX ledger_receipt_receipt ON ledger_receipt (receipt_id);\n";

/* The library: a CouchDB-style replica (bb-replica.c). Each document has
 * a revision tree stored as one row per node; the winner and the latest
 * sequence are cached per document and recomputed in every write.
 * Attachment content is stored once (by SHA-256) and referred to by
 * revisions. The FTS5 index and the library_index tables follow the
 * winner of each library document (bb-library.c). */
static const char migration_v6_sql[] =
  "CREATE TABLE replica_meta (\n"
  "  key TEXT PRIMARY KEY NOT NULL,\n"
  "  value ANY NOT NULL\n"
  ") STRICT;\n"
  "INSERT INTO replica_meta (key, value) VALUES\n"
  "  ('instance_uuid', lower(hex(randomblob(16)))),\n"
  "  ('revs_limit', 1000),\n"
  "  ('update_seq', 0);\n"
  "CREATE TABLE replica_doc (\n"
  "  doc_key INTEGER PRIMARY KEY,\n"
  "  doc_id TEXT NOT NULL UNIQUE CHECK (doc_id <> ''),\n"
  "  winner INTEGER,\n"
  "  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),\n"
  "  seq INTEGER NOT NULL\n"
  ") STRICT;\n"
  "CREATE UNIQUE INDEX replica_doc_seq ON replica_doc (seq);\n"
  "CREATE TABLE replica_rev (\n"
  "  rev_key INTEGER PRIMARY KEY,\n"
  "  doc_key INTEGER NOT NULL REFERENCES replica_doc (doc_key) ON DELETE CASCADE,\n"
  "  pos INTEGER NOT NULL CHECK (pos >= 1),\n"
  "  hash TEXT NOT NULL CHECK (hash <> ''),\n"
  "  parent INTEGER REFERENCES replica_rev (rev_key) ON DELETE SET NULL,\n"
  "  is_leaf INTEGER NOT NULL CHECK (is_leaf IN (0, 1)),\n"
  "  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),\n"
  "  body TEXT,\n"
  "  seq INTEGER NOT NULL DEFAULT 0,\n"
  "  UNIQUE (doc_key, pos, hash)\n"
  ") STRICT;\n"
  "CREATE INDEX replica_rev_leaf ON replica_rev (doc_key) WHERE is_leaf = 1;\n"
  "CREATE INDEX replica_rev_parent ON replica_rev (parent);\n"
  "CREATE TABLE replica_blob (\n"
  "  blob_key INTEGER PRIMARY KEY,\n"
  "  sha256 TEXT NOT NULL UNIQUE,\n"
  "  md5 TEXT NOT NULL,\n"
  "  length INTEGER NOT NULL CHECK (length >= 0),\n"
  "  data BLOB NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX replica_blob_md5 ON replica_blob (md5);\n"
  "CREATE TABLE replica_attachment (\n"
  "  rev_key INTEGER NOT NULL REFERENCES replica_rev (rev_key) ON DELETE CASCADE,\n"
  "  name TEXT NOT NULL CHECK (name <> ''),\n"
  "  content_type TEXT NOT NULL,\n"
  "  digest TEXT NOT NULL,\n"
  "  revpos INTEGER NOT NULL CHECK (revpos >= 1),\n"
  "  blob_key INTEGER NOT NULL REFERENCES replica_blob (blob_key),\n"
  "  PRIMARY KEY (rev_key, name)\n"
  ") STRICT, WITHOUT ROWID;\n"
  "CREATE INDEX replica_attachment_digest ON replica_attachment (digest);\n"
  "CREATE INDEX replica_attachment_blob ON replica_attachment (blob_key);\n"
  "CREATE TABLE replica_local (\n"
  "  local_id TEXT PRIMARY KEY NOT NULL CHECK (local_id <> ''),\n"
  "  rev INTEGER NOT NULL CHECK (rev >= 1),\n"
  "  body TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE TABLE library_index (\n"
  "  doc_key INTEGER PRIMARY KEY REFERENCES replica_doc (doc_key) ON DELETE CASCADE,\n"
  "  type TEXT NOT NULL,\n"
  "  title TEXT NOT NULL,\n"
  "  origin_council_id TEXT NOT NULL DEFAULT ''\n"
  ") STRICT;\n"
  "CREATE INDEX library_index_origin ON library_index (origin_council_id);\n"
  "CREATE TABLE library_index_theme (\n"
  "  theme TEXT NOT NULL,\n"
  "  doc_key INTEGER NOT NULL REFERENCES library_index (doc_key) ON DELETE CASCADE,\n"
  "  PRIMARY KEY (theme, doc_key)\n"
  ") STRICT, WITHOUT ROWID;\n"
  "CREATE INDEX library_index_theme_doc ON library_index_theme (doc_key);\n"
  "CREATE VIRTUAL TABLE library_fts USING fts5 (\n"
  "  title, summary, body, tags, attachments,\n"
  "  tokenize = 'unicode61 remove_diacritics 2',\n"
  "  prefix = '2 3 4'\n"
  ");\n"
  "CREATE TABLE library_theme (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  label TEXT NOT NULL CHECK (label <> ''),\n"
  "  created_at TEXT NOT NULL\n"
  ") STRICT;\n";

/* Step 7: the texts the treasurer writes for the verantwoording of a
 * subsidy (the report itself is computed, never stored). */
static const char migration_v7_sql[] =
  "CREATE TABLE report_text (\n"
  "  subsidy_id TEXT PRIMARY KEY NOT NULL REFERENCES subsidy (id) ON DELETE CASCADE,\n"
  "  goals TEXT NOT NULL DEFAULT '',\n"
  "  results TEXT NOT NULL DEFAULT '',\n"
  "  deviations TEXT NOT NULL DEFAULT '',\n"
  "  signing_place TEXT NOT NULL DEFAULT '',\n"
  "  updated_at TEXT NOT NULL\n"
  ") STRICT;\n";

/* Library sync: the peers this council syncs with (a password only when
 * the user chose to remember it) and a log per peer of every run
 * (bb-sync-peers.c). Checkpoints are _local documents of the replica. */
static const char migration_v8_sql[] =
  "CREATE TABLE sync_peer (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  name TEXT NOT NULL DEFAULT '',\n"
  "  url TEXT NOT NULL UNIQUE,\n"
  "  username TEXT,\n"
  "  password TEXT,\n"
  "  direction TEXT NOT NULL DEFAULT 'both' CHECK (direction IN ('both', 'pull', 'push')),\n"
  "  automatic INTEGER NOT NULL DEFAULT 1 CHECK (automatic IN (0, 1)),\n"
  "  created_at TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE TABLE sync_log (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  peer_url TEXT NOT NULL,\n"
  "  started_at TEXT NOT NULL,\n"
  "  finished_at TEXT NOT NULL,\n"
  "  direction TEXT NOT NULL CHECK (direction IN ('both', 'pull', 'push')),\n"
  "  status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'cancelled', 'credentials')),\n"
  "  docs_read INTEGER NOT NULL DEFAULT 0,\n"
  "  docs_written INTEGER NOT NULL DEFAULT 0,\n"
  "  doc_write_failures INTEGER NOT NULL DEFAULT 0,\n"
  "  message TEXT NOT NULL DEFAULT ''\n"
  ") STRICT;\n"
  "CREATE INDEX sync_log_peer ON sync_log (peer_url, id);\n";

/* Step 9: documents whose full-text row (library_fts) is not yet in step
 * with their winner. Storing revisions from a peer only notes the document
 * here; the text is indexed afterwards in chunks (bb_library_flush_index),
 * and every search brings the index up to date first (bb-library.c). */
static const char migration_v9_sql[] =
  "CREATE TABLE library_fts_pending (\n"
  "  doc_key INTEGER PRIMARY KEY REFERENCES replica_doc (doc_key) ON DELETE CASCADE\n"
  ") STRICT;\n";

/* Step 10: the SHA-256 fingerprint the user pinned for a peer's
 * self-signed TLS certificate ("AB:CD:…"), NULL for none (bb-sync-tls.h). */
static const char migration_v10_sql[] =
  "ALTER TABLE sync_peer ADD COLUMN fingerprint TEXT;\n";

/* Step 11: peer passwords leave the council file (which is backed up,
 * handed over and copied) for the user's keyring (bb-sync-secrets.h). A
 * password an older file remembered waits in sync_peer_password_pending
 * until the app has stored it in the keyring; only then is its row
 * deleted (bb_sync_secrets_move_pending). */
static const char migration_v11_sql[] =
  "CREATE TABLE sync_peer_password_pending (\n"
  "  peer_id TEXT PRIMARY KEY NOT NULL REFERENCES sync_peer (id) ON DELETE CASCADE,\n"
  "  password TEXT NOT NULL\n"
  ") STRICT;\n"
  "INSERT INTO sync_peer_password_pending (peer_id, password)\n"
  "  SELECT id, password FROM sync_peer WHERE password IS NOT NULL AND password <> '';\n"
  "ALTER TABLE sync_peer DROP COLUMN password;\n";

/* A feature adds its tables as the next step when it lands: its SQL above,
 * one line here, and BB_STORE_SCHEMA_VERSION in bb-store.h raised by one. */
static const Migration migrations[] = {
  { 1, migration_v1_sql, migrate_v1_meta },
  { 2, migration_v2_sql, NULL },
  { 3, migration_v3_sql, NULL },
  { 4, migration_v4_sql, NULL },
  { 5, migration_v5_sql, NULL },
  { 6, migration_v6_sql, NULL },
  { 7, migration_v7_sql, NULL },
  { 8, migration_v8_sql, NULL },
  { 9, migration_v9_sql, NULL },
  { 10, migration_v10_sql, NULL },
  { 11, migration_v11_sql, NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BB_STORE_SCHEMA_VERSION);

static const char council_select_sql[] =
  "SELECT id, name, municipality, legal_form, kvk_number, iban, contact_name,"
  " email, phone, residents, created_at, updated_at"
  " FROM council WHERE singleton = 1";

static const char council_insert_sql[] =
  "INSERT INTO council (id, name, municipality, legal_form, kvk_number, iban,"
  " contact_name, email, phone, residents, created_at, updated_at)"
  " VALUES (:id, :name, :municipality, :legal_form, :kvk_number, :iban,"
  " :contact_name, :email, :phone, :residents, :created_at, :updated_at)";

static const char council_update_sql[] =
  "UPDATE council SET name = :name, municipality = :municipality,"
  " legal_form = :legal_form, kvk_number = :kvk_number, iban = :iban,"
  " contact_name = :contact_name, email = :email, phone = :phone,"
  " residents = :residents, updated_at = :updated_at"
  " WHERE id = :id";

/* Helpers */

static char *
display_name (const char *path)
{
  return g_filename_display_basename (path);
}

static gboolean
path_is_taken (const char *path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS) ||
         g_file_test (path, G_FILE_TEST_IS_SYMLINK);
}

static void
set_exists_error (GError     **error,
                  const char  *path)
{
  g_autofree char *name = display_name (path);

  g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS,
               /* Translators: %s is the name of a file */
               _("“%s” already exists. Choose another name."), name);
}

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_autofree char *name = display_name (path);
  BbStoreError code = BB_STORE_ERROR_FAILED;

  if (saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS)
    code = BB_STORE_ERROR_READ_ONLY;
  else if (saved_errno == EEXIST)
    code = BB_STORE_ERROR_EXISTS;

  g_set_error (error, BB_STORE_ERROR, code,
               /* Translators: %s is the name of a file, then the system's reason */
               _("Could not write “%s”: %s"), name, g_strerror (saved_errno));
}

/* Removes a database and whatever SQLite may have left beside it. */
static void
remove_database_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

/* Makes an empty file next to @path to build a database in; the caller
 * renames it into place once it is complete. */
static char *
make_temp_beside (const char  *path,
                  GError     **error)
{
  g_autofree char *template = g_strconcat (path, ".tmp-XXXXXX", NULL);
  int fd;

  /* Council files hold volunteers' personal data: owner only. */
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, path);
      return NULL;
    }
  close (fd);

  return g_steal_pointer (&template);
}

/* Never replaces an existing file, also when one appears between our
 * check and the rename. */
static gboolean
rename_no_replace (const char  *from,
                   const char  *to,
                   GError     **error)
{
  int saved_errno;

  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return TRUE;

  saved_errno = errno;

  /* FAT on a USB stick and some network file systems cannot do an
   * exclusive rename; check first, as well as we can. */
  if (saved_errno == EINVAL || saved_errno == ENOSYS || saved_errno == EOPNOTSUPP)
    {
      if (path_is_taken (to))
        {
          set_exists_error (error, to);
          return FALSE;
        }

      if (g_rename (from, to) == 0)
        return TRUE;

      saved_errno = errno;
    }

  if (saved_errno == EEXIST)
    set_exists_error (error, to);
  else
    set_errno_error (error, saved_errno, to);

  return FALSE;
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, db, rc, what);
      return FALSE;
    }

  return TRUE;
}

/* Runs a query that returns one integer (a PRAGMA); returns the SQLite
 * result code so callers can tell "not a database" from other trouble. */
static int
query_int (sqlite3    *db,
           const char *sql,
           int        *out_value)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_value = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          rc = SQLITE_ERROR;
        }
    }

  sqlite3_finalize (stmt);
  return rc;
}

static void
rollback_db (sqlite3 *db)
{
  if (db != NULL && !sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

static void
free_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
reset_statements (BbStore *self)
{
  GHashTableIter iter;
  gpointer stmt;

  g_hash_table_iter_init (&iter, self->statements);
  while (g_hash_table_iter_next (&iter, NULL, &stmt))
    sqlite3_reset (stmt);
}

static void
close_db (sqlite3 *db)
{
  int rc;

  if (db == NULL)
    return;

  rc = sqlite3_close (db);
  if (rc != SQLITE_OK)
    {
      /* A statement prepared outside the cache was not finalized; let
       * SQLite close once it is, rather than leak the connection. */
      g_warning ("Closing a council file while statements are open: %s",
                 sqlite3_errmsg (db));
      sqlite3_close_v2 (db);
    }
}

static void
close_database (BbStore *self)
{
  if (self->db == NULL)
    return;

  g_hash_table_remove_all (self->statements);
  rollback_db (self->db);
  close_db (g_steal_pointer (&self->db));
}

static void
set_too_new_error (GError     **error,
                   const char  *path)
{
  g_autofree char *name = display_name (path);

  g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_TOO_NEW,
               /* Translators: %s is the name of a council file */
               _("“%s” was saved by a newer version of Buurtboek. Update Buurtboek to open it."),
               name);
}

/* Errors while a file is being opened name the file, since the user may
 * have picked it a moment ago and wants to know what is wrong with it. */
static void
set_open_error (GError     **error,
                sqlite3     *db,
                int          rc,
                const char  *path)
{
  g_autofree char *name = display_name (path);
  const char *detail;

  if (db != NULL && (sqlite3_errcode (db) & 0xff) == (rc & 0xff))
    detail = sqlite3_errmsg (db);
  else
    detail = sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_NOT_COUNCIL,
                   /* Translators: %s is the name of a file */
                   _("“%s” is not a Buurtboek council file."), name);
      break;

    case SQLITE_CORRUPT:
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_CORRUPT,
                   /* Translators: %s is the name of a council file, then
                    * SQLite's description of the damage (in English) */
                   _("“%s” is damaged (%s). Restore it from a backup."),
                   name, detail);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_LOCKED,
                   /* Translators: %s is the name of a council file */
                   _("“%s” is in use by another program. Close it there and try again."),
                   name);
      break;

    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_READ_ONLY,
                   /* Translators: %s is the name of a council file */
                   _("You do not have permission to change “%s” or its folder. Copy it to a folder of your own, such as Documents, and open the copy."),
                   name);
      break;

    default:
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                   /* Translators: %s is the name of a file, then SQLite's
                    * reason (in English) */
                   _("Could not open “%s”: %s"), name, detail);
      break;
    }
}

/* Opens @path for reading without changing anything on disk.
 *
 * A read-only connection to a WAL file still creates "-wal" and "-shm"
 * beside it and leaves them there. When there is no journal beside the
 * file, everything committed is in the file itself, so it is opened as
 * immutable: no side files, no locks. When a journal is there, another
 * program is using the file (or crashed); then the journal must be read,
 * and the side files exist already. */
static sqlite3 *
open_for_reading (const char  *path,
                  GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *file_uri = NULL;
  g_autofree char *uri = NULL;
  gboolean immutable;
  sqlite3 *db = NULL;
  int rc;

  file_uri = g_filename_to_uri (absolute, NULL, NULL);
  if (file_uri == NULL)
    {
      set_open_error (error, NULL, SQLITE_CANTOPEN, path);
      return NULL;
    }

  immutable = !path_is_taken (wal) && !path_is_taken (journal);
  uri = g_strconcat (file_uri, immutable ? "?immutable=1" : "?mode=ro", NULL);

  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    {
      set_open_error (error, db, rc, path);
      close_db (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  return db;
}

/* The first real line of an integrity report, for a message: SQLite puts
 * "*** in database main ***" above the findings. */
static char *
first_finding (const char *report)
{
  g_auto(GStrv) lines = g_strsplit (report != NULL ? report : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0' && !g_str_has_prefix (lines[i], "***"))
        return g_strdup (lines[i]);
    }

  return g_strdup (report != NULL ? report : "");
}

/* Decides whether @db is a sound council file this build can read,
 * without writing anything. */
static gboolean
check_council_file (sqlite3     *db,
                    const char  *path,
                    int         *out_version,
                    char       **out_council_id,
                    GError     **error)
{
  g_autofree char *name = display_name (path);
  sqlite3_stmt *stmt = NULL;
  int application_id = 0;
  int version = 0;
  int rc;

  rc = query_int (db, "PRAGMA application_id", &application_id);
  if (rc != SQLITE_OK)
    {
      set_open_error (error, db, rc, path);
      return FALSE;
    }

  if (application_id != BB_STORE_APPLICATION_ID)
    {
      set_open_error (error, NULL, SQLITE_NOTADB, path);
      return FALSE;
    }

  rc = query_int (db, "PRAGMA user_version", &version);
  if (rc != SQLITE_OK)
    {
      set_open_error (error, db, rc, path);
      return FALSE;
    }

  if (version > BB_STORE_SCHEMA_VERSION)
    {
      set_too_new_error (error, path);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *result = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (result, "ok") != 0)
        {
          g_autofree char *finding = first_finding (result);

          g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_CORRUPT,
                       /* Translators: %s is the name of a council file, then
                        * SQLite's description of the damage (in English) */
                       _("“%s” is damaged (%s). Restore it from a backup."),
                       name, finding);
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  else
    {
      if (rc == SQLITE_DONE)
        rc = SQLITE_CORRUPT;
      set_open_error (error, db, rc, path);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (g_steal_pointer (&stmt));

  rc = sqlite3_prepare_v2 (db, "SELECT id FROM council WHERE singleton = 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW ||
      sqlite3_column_text (stmt, 0) == NULL ||
      sqlite3_column_bytes (stmt, 0) == 0)
    {
      if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_CORRUPT)
        set_open_error (error, db, rc, path);
      else
        g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_CORRUPT,
                     /* Translators: %s is the name of a council file */
                     _("“%s” is damaged: the council details are missing. Restore it from a backup."),
                     name);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  *out_council_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *out_version = version;
  sqlite3_finalize (stmt);

  return TRUE;
}

static sqlite3 *
copy_into_memory (sqlite3     *src,
                  const char  *path,
                  GError     **error)
{
  sqlite3_backup *backup;
  sqlite3 *mem = NULL;
  int rc;

  rc = sqlite3_open_v2 (":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      set_open_error (error, mem, rc, path);
      close_db (mem);
      return NULL;
    }

  backup = sqlite3_backup_init (mem, "main", src, "main");
  if (backup == NULL)
    {
      set_open_error (error, mem, sqlite3_errcode (mem), path);
      close_db (mem);
      return NULL;
    }

  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      set_open_error (error, src, rc, path);
      close_db (mem);
      return NULL;
    }

  return mem;
}

/* The per-connection settings every read-write connection gets. */
static gboolean
configure_connection (sqlite3     *db,
                      GError     **error)
{
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  return exec_sql (db, "PRAGMA foreign_keys = ON",
                   _("Could not switch on the checks between records"), error);
}

/* WAL lets readers carry on while one writer saves; NORMAL
 * synchronisation is durable enough in WAL mode and much faster. */
static gboolean
use_wal (sqlite3     *db,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      bb_store_set_sqlite_error (error, db, rc, _("Could not set up the council file"));
      sqlite3_finalize (stmt);
      return FALSE;
    }

  /* Some network file systems cannot share memory between processes;
   * SQLite then keeps the old journal, which is slower but safe. */
  if (g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0)
    g_debug ("Council file stays in journal mode %s",
             (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return exec_sql (db, "PRAGMA synchronous = NORMAL",
                   _("Could not set up the council file"), error);
}

/* Whether the file is in WAL mode already; asking changes nothing. */
static gboolean
is_in_wal_mode (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;

  if (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);

  return wal;
}

/* Opens self->path for writing and makes sure that we may write and that
 * nobody else is writing, before anything is changed. */
static gboolean
open_read_write (BbStore  *self,
                 int      *out_version,
                 GError  **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  sqlite3 *db = NULL;
  int version = 0;
  int rc;

  /* SQLite needs the folder too, for the "-wal" and "-shm" files. */
  if (g_access (self->path, W_OK) != 0 || g_access (dir, W_OK) != 0)
    {
      set_open_error (error, NULL, SQLITE_READONLY, self->path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      set_open_error (error, db, rc, self->path);
      close_db (db);
      return FALSE;
    }

  /* SQLite silently falls back to reading only when it may not write. */
  if (sqlite3_db_readonly (db, "main") == 1)
    {
      set_open_error (error, NULL, SQLITE_READONLY, self->path);
      close_db (db);
      return FALSE;
    }

  if (!configure_connection (db, error))
    {
      close_db (db);
      return FALSE;
    }

  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    {
      /* Read inside the write lock, so nobody migrates it meanwhile. */
      rc = query_int (db, "PRAGMA user_version", &version);
      rollback_db (db);
    }

  if (rc != SQLITE_OK)
    {
      set_open_error (error, db, rc, self->path);
      close_db (db);
      return FALSE;
    }

  if (version > BB_STORE_SCHEMA_VERSION)
    {
      set_too_new_error (error, self->path);
      close_db (db);
      return FALSE;
    }

  self->db = db;
  *out_version = version;
  return TRUE;
}

static BbStore *
store_new (const char *path,
           const char *backup_root)
{
  BbStore *self = g_object_new (BB_TYPE_STORE, NULL);

  self->path = g_strdup (path);
  self->backup_root = backup_root != NULL ? g_strdup (backup_root)
                                          : bb_store_get_default_backup_root ();
  return self;
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *parameter,
           const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, parameter);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_council (sqlite3_stmt *stmt,
              BbCouncil    *council)
{
  int index;

  bind_text (stmt, ":id", bb_council_get_id (council));
  bind_text (stmt, ":name", bb_council_get_name (council));
  bind_text (stmt, ":municipality", bb_council_get_municipality (council));
  bind_text (stmt, ":legal_form", bb_legal_form_to_string (bb_council_get_legal_form (council)));
  bind_text (stmt, ":kvk_number", bb_council_get_kvk_number (council));
  bind_text (stmt, ":iban", bb_council_get_iban (council));
  bind_text (stmt, ":contact_name", bb_council_get_contact_name (council));
  bind_text (stmt, ":email", bb_council_get_email (council));
  bind_text (stmt, ":phone", bb_council_get_phone (council));
  bind_text (stmt, ":created_at", bb_council_get_created_at (council));
  bind_text (stmt, ":updated_at", bb_council_get_updated_at (council));

  index = sqlite3_bind_parameter_index (stmt, ":residents");
  if (index > 0)
    sqlite3_bind_int64 (stmt, index, bb_council_get_residents (council));
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

static BbCouncil *
council_from_row (sqlite3_stmt *stmt)
{
  BbCouncil *council = bb_council_new ();
  BbLegalForm form = BB_LEGAL_FORM_INFORMAL;
  sqlite3_int64 residents;

  bb_council_set_id (council, column_text (stmt, 0));
  bb_council_set_name (council, column_text (stmt, 1));
  bb_council_set_municipality (council, column_text (stmt, 2));
  if (bb_legal_form_from_string (column_text (stmt, 3), &form))
    bb_council_set_legal_form (council, form);
  bb_council_set_kvk_number (council, column_text (stmt, 4));
  bb_council_set_iban (council, column_text (stmt, 5));
  bb_council_set_contact_name (council, column_text (stmt, 6));
  bb_council_set_email (council, column_text (stmt, 7));
  bb_council_set_phone (council, column_text (stmt, 8));
  residents = sqlite3_column_int64 (stmt, 9);
  bb_council_set_residents (council, (guint) CLAMP (residents, 0, G_MAXUINT));
  bb_council_set_created_at (council, column_text (stmt, 10));
  bb_council_set_updated_at (council, column_text (stmt, 11));

  return council;
}

/* Builds a complete council file at @path, which exists and is empty. */
static gboolean
write_new_council_file (const char  *path,
                        BbCouncil   *council,
                        GError     **error)
{
  const char *what = _("Could not create the council file");
  g_autofree char *set_application_id = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, db, rc, what);
      close_db (db);
      return FALSE;
    }

  /* PRAGMA takes no bound parameters; the number is our own constant. */
  set_application_id = g_strdup_printf ("PRAGMA application_id = %d",
                                        (int) BB_STORE_APPLICATION_ID);

  if (!exec_sql (db, set_application_id, what, error) ||
      !use_wal (db, error) ||
      !bb_store_migrate_db (db, 0, BB_STORE_SCHEMA_VERSION, error))
    {
      close_db (db);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, council_insert_sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_council (stmt, council);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, db, rc, _("Could not save the council details"));
      sqlite3_finalize (stmt);
      close_db (db);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  /* Closing the last connection folds the WAL back into the file, so the
   * file is complete on its own before it gets its real name. */
  rc = sqlite3_close (db);
  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, db, rc, what);
      sqlite3_close_v2 (db);
      return FALSE;
    }

  return TRUE;
}

/* GObject */

static void
bb_store_dispose (GObject *object)
{
  BbStore *self = (BbStore *)object;

  /* No closing backup here: that is bb_store_close(), which can report
   * a failure. */
  close_database (self);

  G_OBJECT_CLASS (bb_store_parent_class)->dispose (object);
}

static void
bb_store_finalize (GObject *object)
{
  BbStore *self = (BbStore *)object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_free (self->path);
  g_free (self->backup_root);
  g_free (self->council_id);

  G_OBJECT_CLASS (bb_store_parent_class)->finalize (object);
}

static void
bb_store_class_init (BbStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_store_dispose;
  object_class->finalize = bb_store_finalize;

  /**
   * BbStore::changed:
   *
   * The council details changed or a backup was restored; every view of
   * this file reloads.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
bb_store_init (BbStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_statement);
  self->opened_version = BB_STORE_SCHEMA_VERSION;
  self->backed_up_changes = -1;
}

/* Private API */

sqlite3 *
bb_store_get_db (BbStore *self)
{
  g_return_val_if_fail (BB_IS_STORE (self), NULL);
  return self->db;
}

void
bb_store_set_sqlite_error (GError     **error,
                           sqlite3     *db,
                           int          rc,
                           const char  *what)
{
  BbStoreError code;
  const char *detail;

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = BB_STORE_ERROR_LOCKED;
      break;

    case SQLITE_CORRUPT:
      code = BB_STORE_ERROR_CORRUPT;
      break;

    case SQLITE_NOTADB:
      code = BB_STORE_ERROR_NOT_COUNCIL;
      break;

    case SQLITE_READONLY:
    case SQLITE_PERM:
      code = BB_STORE_ERROR_READ_ONLY;
      break;

    default:
      code = BB_STORE_ERROR_FAILED;
      break;
    }

  /* The connection's message is more precise ("no such table: x"), but
   * only when it belongs to this failure. */
  if (db != NULL && (sqlite3_errcode (db) & 0xff) == (rc & 0xff))
    detail = sqlite3_errmsg (db);
  else
    detail = sqlite3_errstr (rc);

  if (what == NULL)
    what = _("The council file could not be read or written");

  g_set_error (error, BB_STORE_ERROR, code, "%s: %s", what, detail);
}

sqlite3_stmt *
bb_store_prepare (BbStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (self->db == NULL)
    {
      g_set_error_literal (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                           _("The council file is already closed."));
      return NULL;
    }

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, self->db, rc, _("Could not read the council file"));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

static void
set_read_only_error (BbStore  *self,
                     GError  **error)
{
  g_autofree char *name = display_name (self->path);

  g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_READ_ONLY,
               /* Translators: %s is the name of a council file */
               _("“%s” is open read-only, so changes cannot be saved."), name);
}

gboolean
bb_store_begin (BbStore  *self,
                GError  **error)
{
  g_return_val_if_fail (BB_IS_STORE (self), FALSE);

  if (self->read_only)
    {
      set_read_only_error (self, error);
      return FALSE;
    }

  if (self->db == NULL)
    {
      g_set_error_literal (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                           _("The council file is already closed."));
      return FALSE;
    }

  /* Nothing is changed before the file as it was opened is in a backup. */
  if (self->open_backup_pending &&
      !bb_backup_make (self, BB_BACKUP_REASON_OPEN, NULL, error))
    {
      g_prefix_error (error, _("Nothing was saved, because Buurtboek could not make a backup of the council file first: "));
      return FALSE;
    }

  return exec_sql (self->db, "BEGIN IMMEDIATE", _("Could not start saving changes"), error);
}

gboolean
bb_store_commit (BbStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (BB_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);

  if (!exec_sql (self->db, "COMMIT", _("Could not save the changes"), error))
    {
      /* Nothing stays half-saved: the whole transaction is undone. */
      rollback_db (self->db);
      return FALSE;
    }

  return TRUE;
}

void
bb_store_rollback (BbStore *self)
{
  g_return_if_fail (BB_IS_STORE (self));

  rollback_db (self->db);
}

void
bb_store_mark_backed_up (BbStore *self)
{
  g_return_if_fail (BB_IS_STORE (self));

  if (self->db != NULL)
    self->backed_up_changes = sqlite3_total_changes64 (self->db);
  /* The file may take changes again (bb_store_open()). */
  if (self->open_backup_pending && self->db != NULL)
    sqlite3_exec (self->db, "PRAGMA query_only = OFF", NULL, NULL, NULL);
  self->open_backup_pending = FALSE;
}

gboolean
bb_store_needs_open_backup (BbStore *self)
{
  g_return_val_if_fail (BB_IS_STORE (self), FALSE);

  return self->open_backup_pending && self->db != NULL;
}

void
bb_store_emit_changed (BbStore *self)
{
  g_return_if_fail (BB_IS_STORE (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
bb_store_replace_from (BbStore     *self,
                       const char  *src_path,
                       GError     **error)
{
  g_autofree char *council_id = NULL;
  sqlite3_backup *backup;
  sqlite3 *src;
  int version = 0;
  int src_version = 0;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (self), FALSE);
  g_return_val_if_fail (src_path != NULL, FALSE);

  if (self->read_only)
    {
      set_read_only_error (self, error);
      return FALSE;
    }

  g_return_val_if_fail (self->db != NULL, FALSE);

  if (!sqlite3_get_autocommit (self->db))
    {
      g_set_error_literal (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                           _("Cannot restore while changes are being saved."));
      return FALSE;
    }

  src = open_for_reading (src_path, error);
  if (src == NULL)
    return FALSE;

  /* Refuse before anything is replaced, not after. */
  rc = query_int (src, "PRAGMA user_version", &src_version);
  if (rc != SQLITE_OK)
    {
      set_open_error (error, src, rc, src_path);
      close_db (src);
      return FALSE;
    }
  if (src_version > BB_STORE_SCHEMA_VERSION)
    {
      set_too_new_error (error, src_path);
      close_db (src);
      return FALSE;
    }

  /* Cached statements would keep the old schema alive and hold read
   * locks the backup has to wait for. */
  g_hash_table_remove_all (self->statements);

  backup = sqlite3_backup_init (self->db, "main", src, "main");
  if (backup == NULL)
    {
      bb_store_set_sqlite_error (error, self->db, sqlite3_errcode (self->db),
                                 _("Could not restore the backup"));
      close_db (src);
      return FALSE;
    }

  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        set_open_error (error, NULL, rc, self->path);
      else
        bb_store_set_sqlite_error (error, src, rc, _("Could not restore the backup"));
      close_db (src);
      return FALSE;
    }
  close_db (src);

  if (!configure_connection (self->db, error) || !use_wal (self->db, error))
    return FALSE;

  rc = query_int (self->db, "PRAGMA user_version", &version);
  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, self->db, rc, _("Could not read the restored council file"));
      return FALSE;
    }

  if (version < BB_STORE_SCHEMA_VERSION &&
      !bb_store_migrate_db (self->db, version, BB_STORE_SCHEMA_VERSION, error))
    return FALSE;

  {
    sqlite3_stmt *stmt = bb_store_prepare (self, "SELECT id FROM council WHERE singleton = 1", error);

    if (stmt == NULL)
      return FALSE;

    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        if (rc == SQLITE_DONE)
          rc = SQLITE_CORRUPT;
        bb_store_set_sqlite_error (error, self->db, rc, _("Could not read the restored council file"));
        sqlite3_reset (stmt);
        return FALSE;
      }

    council_id = g_strdup (column_text (stmt, 0));
    sqlite3_reset (stmt);
  }

  g_free (self->council_id);
  self->council_id = g_steal_pointer (&council_id);

  /* The library replica becomes a new instance: its update sequence went
   * back, and a peer's checkpoint against the old instance id would skip
   * the changes made after the restore (bb-replica.h). */
  if (!exec_sql (self->db,
                 "UPDATE replica_meta SET value = lower(hex(randomblob(16)))"
                 " WHERE key = 'instance_uuid'",
                 _("Could not restore the backup"), error))
    return FALSE;

  /* The restored state is the backup it came from, unless it had to be
   * migrated: then the migrated state is new and gets a closing backup. */
  if (version < BB_STORE_SCHEMA_VERSION)
    self->backed_up_changes = -1;
  else
    bb_store_mark_backed_up (self);

  bb_store_emit_changed (self);
  return TRUE;
}

gboolean
bb_store_migrate_db (sqlite3     *db,
                     int          from_version,
                     int          to_version,
                     GError     **error)
{
  int current = -1;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (from_version >= 0, FALSE);
  g_return_val_if_fail (from_version <= to_version, FALSE);
  g_return_val_if_fail (to_version <= BB_STORE_SCHEMA_VERSION, FALSE);

  rc = query_int (db, "PRAGMA user_version", &current);
  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, db, rc, _("Could not read the version of the council file"));
      return FALSE;
    }

  if (current != from_version)
    {
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                   /* Translators: the first %d is the version the file has, the second the one expected */
                   _("The council file has format version %d, not %d."),
                   current, from_version);
      return FALSE;
    }

  /* All steps in one transaction: a file is either at its old version,
   * untouched, or at the new one; never half way. */
  if (!exec_sql (db, "BEGIN IMMEDIATE", _("Could not update the council file"), error))
    return FALSE;

  for (int version = from_version + 1; version <= to_version; version++)
    {
      const Migration *step = &migrations[version - 1];
      g_autofree char *what = NULL;
      g_autofree char *set_version = NULL;

      g_assert (step->version == version);

      /* Translators: %d is a file format version number */
      what = g_strdup_printf (_("Could not update the council file to format version %d"), version);
      /* PRAGMA takes no bound parameters; the number comes from the table above. */
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version);

      if (!exec_sql (db, step->sql, what, error) ||
          (step->after_sql != NULL && !step->after_sql (db, error)) ||
          !exec_sql (db, set_version, what, error))
        {
          rollback_db (db);
          return FALSE;
        }
    }

  if (!exec_sql (db, "COMMIT", _("Could not update the council file"), error))
    {
      rollback_db (db);
      return FALSE;
    }

  return TRUE;
}

/* Public API */

BbStore *
bb_store_create (const char  *path,
                 BbCouncil   *council,
                 const char  *backup_root,
                 GError     **error)
{
  g_autoptr(BbStore) self = NULL;
  g_autofree char *temp_path = NULL;
  g_autofree char *now = NULL;
  int version = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (BB_IS_COUNCIL (council), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path_is_taken (path))
    {
      set_exists_error (error, path);
      return NULL;
    }

  if (!bb_council_validate (council, error))
    return NULL;

  if (bb_council_get_id (council)[0] == '\0')
    {
      g_autofree char *id = bb_store_new_id ();

      bb_council_set_id (council, id);
    }

  /* A council that already has a history (a handover) keeps its date. */
  now = bb_date_time_now_iso ();
  if (bb_council_get_created_at (council)[0] == '\0')
    bb_council_set_created_at (council, now);
  bb_council_set_updated_at (council, now);

  /* Built under a temporary name and renamed when complete, so a failure
   * never leaves a half council file at @path. */
  temp_path = make_temp_beside (path, error);
  if (temp_path == NULL)
    return NULL;

  if (!write_new_council_file (temp_path, council, error) ||
      !rename_no_replace (temp_path, path, error))
    {
      remove_database_files (temp_path);
      return NULL;
    }

  self = store_new (path, backup_root);
  self->council_id = g_strdup (bb_council_get_id (council));

  if (!open_read_write (self, &version, error) ||
      !use_wal (self->db, error))
    return NULL;

  g_assert (version == BB_STORE_SCHEMA_VERSION);

  /* Nothing is backed up yet: closing makes the first backup. */
  self->backed_up_changes = -1;

  return g_steal_pointer (&self);
}

BbStore *
bb_store_open (const char        *path,
               BbStoreOpenFlags   flags,
               const char        *backup_root,
               GError           **error)
{
  g_autoptr(BbStore) self = NULL;
  g_autofree char *name = NULL;
  g_autofree char *council_id = NULL;
  GError *local_error = NULL;
  GStatBuf st;
  sqlite3 *check_db;
  int version = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = display_name (path);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_NOT_FOUND,
                   /* Translators: %s is the name of a file */
                   _("“%s” does not exist."), name);
      return NULL;
    }

  /* SQLite takes an empty file for an empty database; for us it is not
   * a council file, and it must not become one by being opened. */
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
      (g_stat (path, &st) == 0 && st.st_size == 0))
    {
      set_open_error (error, NULL, SQLITE_NOTADB, path);
      return NULL;
    }

  /* First look without touching: nothing is written to a file that is not
   * a sound council file this build understands. */
  check_db = open_for_reading (path, error);
  if (check_db == NULL)
    return NULL;

  if (!check_council_file (check_db, path, &version, &council_id, error))
    {
      close_db (check_db);
      return NULL;
    }

  self = store_new (path, backup_root);
  self->council_id = g_steal_pointer (&council_id);
  self->opened_version = version;

  if (flags & BB_STORE_OPEN_READ_ONLY)
    {
      self->read_only = TRUE;

      if (version < BB_STORE_SCHEMA_VERSION)
        {
          /* Migrated in a private copy, so the file keeps its format. */
          self->db = copy_into_memory (check_db, path, error);
          close_db (check_db);

          if (self->db == NULL ||
              !bb_store_migrate_db (self->db, version, BB_STORE_SCHEMA_VERSION, error))
            return NULL;
        }
      else
        {
          self->db = check_db;
        }

      if (!exec_sql (self->db, "PRAGMA query_only = ON",
                     _("Could not open the council file read-only"), error))
        return NULL;

      return g_steal_pointer (&self);
    }

  close_db (check_db);

  if (!open_read_write (self, &version, error))
    return NULL;
  self->opened_version = version;

  /* A file that opening does not change can be backed up by the caller
   * a moment later (see BB_STORE_OPEN_DEFER_BACKUP): the window shows
   * sooner. backed_up_changes stays -1, so closing backs it up if nothing
   * did before. */
  if ((flags & BB_STORE_OPEN_DEFER_BACKUP) && version == BB_STORE_SCHEMA_VERSION &&
      is_in_wal_mode (self->db))
    {
      self->open_backup_pending = TRUE;
    }
  /* Never change a file, not even its journal mode, before it is safe in
   * a backup: a failed migration must leave the user a way back. */
  else if (!bb_backup_make (self,
                       version < BB_STORE_SCHEMA_VERSION ? BB_BACKUP_REASON_BEFORE_MIGRATION
                                                         : BB_BACKUP_REASON_OPEN,
                       NULL, &local_error))
    {
      g_propagate_prefixed_error (error, local_error,
                                  /* Translators: %s is the name of a council file; the reason follows */
                                  _("“%s” was not opened, because Buurtboek could not make a backup of it first: "),
                                  name);
      return NULL;
    }

  if (!use_wal (self->db, error))
    return NULL;

  /* Each step is one transaction, so after a failure the file is as it was. */
  if (!bb_store_migrate_db (self->db, version, BB_STORE_SCHEMA_VERSION, error))
    {
      /* Translators: %s is the name of a council file; the reason follows */
      g_prefix_error (error, _("“%s” was left unchanged. "), name);
      return NULL;
    }

  /* A migrated file differs from its backup, so closing backs it up. */
  if (version < BB_STORE_SCHEMA_VERSION)
    self->backed_up_changes = -1;
  else if (!self->open_backup_pending)
    bb_store_mark_backed_up (self);
  /* Until the backup is made, a write that does not go through
   * bb_store_begin() (one statement on its own) fails rather than
   * changes the file without it; making the backup lifts this. */
  else if (!exec_sql (self->db, "PRAGMA query_only = ON",
                      _("Could not set up the council file"), error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
bb_store_close (BbStore  *self,
                GError  **error)
{
  GError *local_error = NULL;
  gboolean ret = TRUE;

  g_return_val_if_fail (BB_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->db == NULL)
    return TRUE;

  if (bb_store_has_unsaved_changes (self))
    {
      /* A statement left stepping would hold a read lock in the copy. */
      reset_statements (self);

      if (!bb_backup_make (self, BB_BACKUP_REASON_CLOSE, NULL, &local_error))
        {
          g_autofree char *name = display_name (self->path);

          /* The file itself is fine; it is closed anyway, and the caller
           * tells the user that the last backup is missing. */
          g_propagate_prefixed_error (error, local_error,
                                      /* Translators: %s is the name of a council file; the reason follows */
                                      _("“%s” was closed, but the closing backup failed: "),
                                      name);
          ret = FALSE;
        }
    }

  close_database (self);

  return ret;
}

const char *
bb_store_get_path (BbStore *self)
{
  g_return_val_if_fail (BB_IS_STORE (self), NULL);
  return self->path;
}

const char *
bb_store_get_backup_root (BbStore *self)
{
  g_return_val_if_fail (BB_IS_STORE (self), NULL);
  return self->backup_root;
}

gboolean
bb_store_is_read_only (BbStore *self)
{
  g_return_val_if_fail (BB_IS_STORE (self), FALSE);
  return self->read_only;
}

int
bb_store_get_opened_version (BbStore *self)
{
  g_return_val_if_fail (BB_IS_STORE (self), 0);
  return self->opened_version;
}

int
bb_store_get_schema_version (BbStore *self)
{
  g_return_val_if_fail (BB_IS_STORE (self), 0);
  return BB_STORE_SCHEMA_VERSION;
}

const char *
bb_store_get_council_id (BbStore *self)
{
  g_return_val_if_fail (BB_IS_STORE (self), NULL);
  return self->council_id;
}

BbCouncil *
bb_store_dup_council (BbStore *self)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  BbCouncil *council;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (self), NULL);
  g_return_val_if_fail (self->db != NULL, NULL);

  stmt = bb_store_prepare (self, council_select_sql, &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      bb_store_set_sqlite_error (&error, self->db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                                 _("Could not read the council details"));
      g_warning ("%s", error->message);
      sqlite3_reset (stmt);
      return NULL;
    }

  council = council_from_row (stmt);
  sqlite3_reset (stmt);

  return council;
}

gboolean
bb_store_update_council (BbStore    *self,
                         BbCouncil  *council,
                         GError    **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (self), FALSE);
  g_return_val_if_fail (BB_IS_COUNCIL (council), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->read_only)
    {
      set_read_only_error (self, error);
      return FALSE;
    }

  if (!bb_council_validate (council, error))
    return FALSE;

  if (g_strcmp0 (bb_council_get_id (council), self->council_id) != 0)
    {
      g_set_error_literal (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                           _("These council details belong to another council file."));
      return FALSE;
    }

  if (!bb_store_begin (self, error))
    return FALSE;

  stmt = bb_store_prepare (self, council_update_sql, error);
  if (stmt == NULL)
    {
      bb_store_rollback (self);
      return FALSE;
    }

  now = bb_date_time_now_iso ();
  bb_council_set_updated_at (council, now);
  bind_council (stmt, council);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, self->db, rc, _("Could not save the council details"));
      bb_store_rollback (self);
      return FALSE;
    }

  if (!bb_store_commit (self, error))
    return FALSE;

  bb_store_emit_changed (self);
  return TRUE;
}

static gboolean
collect_rows (sqlite3       *db,
              const char    *sql,
              GStrvBuilder  *problems,
              gboolean       foreign_keys,
              GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          if (foreign_keys)
            {
              g_autofree char *line = NULL;

              /* Translators: %lld is a row number, both %s are names of database tables */
              line = g_strdup_printf (_("Row %lld of table “%s” refers to a missing row in table “%s”."),
                                      (long long) sqlite3_column_int64 (stmt, 1),
                                      column_text (stmt, 0),
                                      column_text (stmt, 2));
              g_strv_builder_add (problems, line);
            }
          else if (!g_str_equal (column_text (stmt, 0), "ok"))
            {
              g_strv_builder_add (problems, column_text (stmt, 0));
            }
        }
    }

  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CORRUPT)
        {
          /* Damage so bad that the check itself stops is a finding too. */
          g_strv_builder_add (problems, sqlite3_errmsg (db));
          rc = SQLITE_DONE;
        }
      else
        {
          bb_store_set_sqlite_error (error, db, rc, _("Could not check the council file"));
        }
    }

  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

gboolean
bb_store_check (BbStore  *self,
                GStrv    *out_problems,
                GError  **error)
{
  g_autoptr(GStrvBuilder) problems = NULL;

  g_return_val_if_fail (BB_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_problems != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);

  problems = g_strv_builder_new ();

  if (!collect_rows (self->db, "PRAGMA integrity_check", problems, FALSE, error) ||
      !collect_rows (self->db, "PRAGMA foreign_key_check", problems, TRUE, error))
    return FALSE;

  *out_problems = g_strv_builder_end (problems);
  return TRUE;
}

gboolean
bb_store_copy_to (BbStore     *self,
                  const char  *dest_path,
                  GError     **error)
{
  g_autofree char *temp_path = NULL;
  sqlite3_backup *backup;
  sqlite3 *dest = NULL;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);

  if (path_is_taken (dest_path))
    {
      set_exists_error (error, dest_path);
      return FALSE;
    }

  temp_path = make_temp_beside (dest_path, error);
  if (temp_path == NULL)
    return FALSE;

  rc = sqlite3_open_v2 (temp_path, &dest, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, dest, rc, _("Could not make a copy of the council file"));
      goto failed;
    }

  /* A copy that fails half-way is thrown away and only a whole one gets
   * its name, so a rollback journal would buy nothing; without it the copy
   * is written and synced once, which every opening of a council waits
   * for (its backup). */
  rc = sqlite3_exec (dest, "PRAGMA journal_mode = OFF", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, dest, rc, _("Could not make a copy of the council file"));
      goto failed;
    }

  backup = sqlite3_backup_init (dest, "main", self->db, "main");
  if (backup == NULL)
    {
      bb_store_set_sqlite_error (error, dest, sqlite3_errcode (dest),
                                 _("Could not make a copy of the council file"));
      goto failed;
    }

  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, dest, rc, _("Could not make a copy of the council file"));
      goto failed;
    }

  rc = sqlite3_close (dest);
  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, dest, rc, _("Could not make a copy of the council file"));
      goto failed;
    }
  dest = NULL;

  if (!rename_no_replace (temp_path, dest_path, error))
    goto failed;

  /* Not marked as backed up here: only bb_backup_make() knows, after its
   * own checks, that the copy is kept as a backup. */
  return TRUE;

failed:
  close_db (dest);
  remove_database_files (temp_path);
  return FALSE;
}

gboolean
bb_store_has_unsaved_changes (BbStore *self)
{
  g_return_val_if_fail (BB_IS_STORE (self), FALSE);

  if (self->db == NULL || self->read_only)
    return FALSE;

  return sqlite3_total_changes64 (self->db) != self->backed_up_changes;
}

char *
bb_store_get_default_backup_root (void)
{
  const char *env = g_getenv ("BUURTBOEK_BACKUP_DIR");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "buurtboek", "backups", NULL);
}

char *
bb_store_new_id (void)
{
  return g_uuid_string_random ();
}
