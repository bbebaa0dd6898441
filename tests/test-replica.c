/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The replica against the behaviour the CouchDB documentation and the
 * replication protocol specify (see ../shared/SYNC-NOTES.md). */

#include "config.h"

#include <string.h>

#include "bb-backup.h"
#include "bb-replica.h"
#include "bb-library.h"
#include "bb-store-private.h"
#include "bb-sync.h"
#include "bb-test-util.h"

typedef struct
{
  char    *dir;
  char    *path;
  BbStore *store;
  guint    changed;
} Fixture;

static void
on_store_changed_cb (BbStore *store,
                     Fixture *fixture)
{
  fixture->changed++;
}

static BbStore *
make_store (const char *dir,
            const char *name)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  BbStore *store;

  bb_council_set_name (council, "Wijkraad Zuid");
  store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
  return store;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-replica-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "Zuid.buurtboek", NULL);
  fixture->store = make_store (fixture->dir, "Zuid.buurtboek");
  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_store_changed_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  bb_store_close (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Helpers */

static JsonObject *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* Stores peer revisions given as JSON texts; asserts there was no error. */
static void
put_peer (BbStore    *store,
          const char *first,
          ...)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first);
  for (const char *text = first; text != NULL; text = va_arg (args, const char *))
    g_ptr_array_add (docs, json (text));
  va_end (args);

  g_assert_true (bb_replica_put_revisions (store, docs, NULL, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 0);
}

static gint64
count_rows (BbStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_prepare_v2 (bb_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

static char *
leaves_text (BbStore    *store,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leaves = bb_replica_get_leaves (store, id, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < leaves->len; i++)
    {
      BbReplicaLeaf *leaf = g_ptr_array_index (leaves, i);

      g_string_append_printf (out, "%s%s%s", i > 0 ? " " : "", leaf->rev, leaf->deleted ? "(d)" : "");
    }
  return g_string_free (out, FALSE);
}

static char *
array_text (JsonObject *object,
            const char *member)
{
  JsonArray *array;
  GString *out = g_string_new (NULL);

  if (!json_object_has_member (object, member))
    return g_string_free (out, FALSE);
  array = json_object_get_array_member (object, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", json_array_get_string_element (array, i));
  return g_string_free (out, FALSE);
}

static char *
md5_digest_of (const char *text)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  guint8 raw[16];
  gsize len = sizeof raw;
  g_autofree char *base64 = NULL;

  g_checksum_update (checksum, (const guchar *) text, -1);
  g_checksum_get_digest (checksum, raw, &len);
  base64 = g_base64_encode (raw, len);
  return g_strconcat ("md5-", base64, NULL);
}

/* Tests */

static void
test_put_edits (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json ("{\"title\": \"Notulen\", \"n\": 1}");
  g_autoptr(JsonObject) body2 = json ("{\"title\": \"Notulen mei\", \"n\": 2}");
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *rev_stale = NULL;
  gint64 pos;
  const char *hash;

  g_assert_true (bb_replica_put (fixture->store, "doc-a", NULL, body, FALSE, NULL, &rev1, &error));
  g_assert_no_error (error);
  g_assert_true (bb_replica_parse_rev (rev1, &pos, &hash));
  g_assert_cmpint (pos, ==, 1);
  g_assert_cmpuint (strlen (hash), ==, 32);
  for (const char *p = hash; *p; p++)
    g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
  g_assert_cmpuint (fixture->changed, ==, 1);

  /* Creating it again is a conflict: CouchDB's 409. */
  g_assert_false (bb_replica_put (fixture->store, "doc-a", NULL, body, FALSE, NULL, NULL, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (bb_replica_put (fixture->store, "doc-a", rev1, body2, FALSE, NULL, &rev2, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (rev2, "2-"));

  /* Editing a revision that is no longer a leaf is a conflict, and
   * nothing is written. */
  g_assert_false (bb_replica_put (fixture->store, "doc-a", rev1, body, FALSE, NULL, &rev_stale, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_null (rev_stale);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->store), ==, 2);

  doc = bb_replica_get (fixture->store, "doc-a", NULL, BB_REPLICA_GET_REVS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, "doc-a");
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, rev2);
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Notulen mei");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (doc, "_revisions"), "start"), ==, 2);
  {
    g_autofree char *ids = array_text (json_object_get_object_member (doc, "_revisions"), "ids");
    g_autofree char *expected = g_strdup_printf ("%s %s", strchr (rev2, '-') + 1, strchr (rev1, '-') + 1);

    g_assert_cmpstr (ids, ==, expected);
  }

  /* Reserved members and bad ids are refused. */
  {
    g_autoptr(JsonObject) bad = json ("{\"_secret\": 1}");

    g_assert_false (bb_replica_put (fixture->store, "doc-b", NULL, bad, FALSE, NULL, NULL, &error));
    g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_BAD_REQUEST);
    g_clear_error (&error);
    g_assert_false (bb_replica_put (fixture->store, "_local/x", NULL, body, FALSE, NULL, NULL, &error));
    g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_BAD_REQUEST);
    g_clear_error (&error);
  }
}

/* The same edit on two machines gives the same revision, so it is no
 * conflict when they meet. */
static void
test_deterministic_revs (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(BbStore) other = make_store (fixture->dir, "Noord.buurtboek");
  g_autoptr(JsonObject) a = json ("{\"b\": [1, 2.5, \"x\"], \"a\": {\"z\": null, \"y\": true}}");
  g_autoptr(JsonObject) b = json ("{\"a\": {\"y\": true, \"z\": null}, \"b\": [1, 2.5, \"x\"]}");
  g_autoptr(GError) error = NULL;
  g_autofree char *rev_a = NULL;
  g_autofree char *rev_b = NULL;
  g_autofree char *del_a = NULL;
  g_autofree char *del_b = NULL;

  g_assert_true (bb_replica_put (fixture->store, "same", NULL, a, FALSE, NULL, &rev_a, &error));
  g_assert_true (bb_replica_put (other, "same", NULL, b, FALSE, NULL, &rev_b, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rev_a, ==, rev_b);

  g_assert_true (bb_replica_put (fixture->store, "same", rev_a, NULL, TRUE, NULL, &del_a, &error));
  g_assert_true (bb_replica_put (other, "same", rev_b, NULL, TRUE, NULL, &del_b, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (del_a, ==, del_b);
  g_assert_cmpstr (del_a, !=, rev_a);

  g_assert_true (bb_store_close (other, &error));
  g_assert_no_error (error);
}

static void
test_winner (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *leaves = NULL;
  g_autofree char *conflicts = NULL;
  g_autofree char *winner = NULL;
  gboolean deleted = TRUE;

  /* Two edits of the same generation: the larger hash wins. */
  put_peer (fixture->store,
            "{\"_id\": \"d\", \"_rev\": \"1-aaa\", \"v\": 1}",
            "{\"_id\": \"d\", \"_rev\": \"2-bbb\", \"_revisions\": {\"start\": 2, \"ids\": [\"bbb\", \"aaa\"]}, \"v\": 2}",
            "{\"_id\": \"d\", \"_rev\": \"2-ccc\", \"_revisions\": {\"start\": 2, \"ids\": [\"ccc\", \"aaa\"]}, \"v\": 3}",
            NULL);
  winner = bb_replica_get_winning_rev (fixture->store, "d", &deleted, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (winner, ==, "2-ccc");
  g_assert_false (deleted);

  /* A higher generation beats a larger hash; a deleted leaf loses to any
   * live one, even of a higher generation. */
  put_peer (fixture->store,
            "{\"_id\": \"d\", \"_rev\": \"3-aaa\", \"_revisions\": {\"start\": 3, \"ids\": [\"aaa\", \"bbb\", \"aaa\"]}, \"v\": 4}",
            "{\"_id\": \"d\", \"_rev\": \"4-fff\", \"_deleted\": true, \"_revisions\": {\"start\": 4, \"ids\": [\"fff\", \"ccc\"]}}",
            NULL);
  /* 4-fff's history (3-ccc) meets nothing here: it is a root of its own. */
  leaves = leaves_text (fixture->store, "d");
  g_assert_cmpstr (leaves, ==, "3-aaa 2-ccc 4-fff(d)");

  doc = bb_replica_get (fixture->store, "d", NULL,
                        BB_REPLICA_GET_CONFLICTS | BB_REPLICA_GET_DELETED_CONFLICTS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, "3-aaa");
  g_assert_cmpint (json_object_get_int_member (doc, "v"), ==, 4);
  conflicts = array_text (doc, "_conflicts");
  g_assert_cmpstr (conflicts, ==, "2-ccc");
  g_clear_pointer (&conflicts, g_free);
  conflicts = array_text (doc, "_deleted_conflicts");
  g_assert_cmpstr (conflicts, ==, "4-fff");
}

/* CouchDB: a document whose winning leaf is deleted is "deleted"
 * only when every leaf is; a live conflict takes over. */
static void
test_deleted_winner_live_conflict (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) tombstone = NULL;
  g_autofree char *winner = NULL;
  gint64 docs = -1, deleted_docs = -1;
  gboolean deleted = FALSE;

  put_peer (fixture->store,
            "{\"_id\": \"k\", \"_rev\": \"1-a\", \"v\": 1}",
            "{\"_id\": \"k\", \"_rev\": \"2-b\", \"_revisions\": {\"start\": 2, \"ids\": [\"b\", \"a\"]}, \"v\": 2}",
            "{\"_id\": \"k\", \"_rev\": \"3-c\", \"_deleted\": true, \"_revisions\": {\"start\": 3, \"ids\": [\"c\", \"x\", \"a\"]}}",
            NULL);

  winner = bb_replica_get_winning_rev (fixture->store, "k", &deleted, &error);
  g_assert_cmpstr (winner, ==, "2-b");
  g_assert_false (deleted);
  doc = bb_replica_get (fixture->store, "k", NULL, BB_REPLICA_GET_DELETED_CONFLICTS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (doc, "v"), ==, 2);
  g_assert_false (json_object_has_member (doc, "_deleted"));
  g_assert_true (json_object_has_member (doc, "_deleted_conflicts"));

  /* Deleting the live leaf leaves only tombstones: the higher one wins
   * and the document counts as deleted. */
  g_assert_true (bb_replica_put (fixture->store, "k", "2-b", NULL, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&winner, g_free);
  winner = bb_replica_get_winning_rev (fixture->store, "k", &deleted, &error);
  g_assert_true (deleted);
  g_assert_true (g_str_has_prefix (winner, "3-"));

  g_assert_null (bb_replica_get (fixture->store, "k", NULL, BB_REPLICA_GET_NONE, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  tombstone = bb_replica_get (fixture->store, "k", winner, BB_REPLICA_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (tombstone, "_deleted"));

  g_assert_true (bb_replica_get_doc_count (fixture->store, &docs, &deleted_docs, &error));
  g_assert_cmpint (docs, ==, 0);
  g_assert_cmpint (deleted_docs, ==, 1);

  /* Creating it again continues the tombstone, as CouchDB does. */
  {
    g_autoptr(JsonObject) body = json ("{\"v\": 9}");
    g_autofree char *rev = NULL;

    g_assert_true (bb_replica_put (fixture->store, "k", NULL, body, FALSE, NULL, &rev, &error));
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (rev, "4-"));
  }
}

/* A branch that shares history is grafted where it meets the tree. */
static void
test_merge_shared_history (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *leaves = NULL;
  g_autofree char *ids = NULL;

  put_peer (fixture->store,
            "{\"_id\": \"m\", \"_rev\": \"2-b\", \"_revisions\": {\"start\": 2, \"ids\": [\"b\", \"a\"]}}",
            NULL);
  put_peer (fixture->store,
            "{\"_id\": \"m\", \"_rev\": \"4-d\", \"_revisions\": {\"start\": 4, \"ids\": [\"d\", \"c\", \"x\", \"a\"]}}",
            NULL);

  leaves = leaves_text (fixture->store, "m");
  g_assert_cmpstr (leaves, ==, "4-d 2-b");
  /* 1-a is stored once; 2-x and 3-c came with the new branch. */
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM replica_rev"), ==, 5);

  doc = bb_replica_get (fixture->store, "m", "4-d", BB_REPLICA_GET_REVS | BB_REPLICA_GET_REVS_INFO, &error);
  g_assert_no_error (error);
  ids = array_text (json_object_get_object_member (doc, "_revisions"), "ids");
  g_assert_cmpstr (ids, ==, "d c x a");
  /* Ancestors received only as ids have no body: "missing". */
  {
    JsonArray *info = json_object_get_array_member (doc, "_revs_info");

    g_assert_cmpuint (json_array_get_length (info), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (info, 0), "status"), ==, "available");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (info, 1), "status"), ==, "missing");
  }

  /* Extending a leaf from a peer: the leaf becomes an inner node. */
  put_peer (fixture->store,
            "{\"_id\": \"m\", \"_rev\": \"3-e\", \"_revisions\": {\"start\": 3, \"ids\": [\"e\", \"b\"]}}",
            NULL);
  g_clear_pointer (&leaves, g_free);
  leaves = leaves_text (fixture->store, "m");
  g_assert_cmpstr (leaves, ==, "4-d 3-e");
}

static void
test_new_edits_false_idempotent (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  const char *batch[] = {
    "{\"_id\": \"p\", \"_rev\": \"1-a\", \"t\": \"één\"}",
    "{\"_id\": \"q\", \"_rev\": \"3-c\", \"_revisions\": {\"start\": 3, \"ids\": [\"c\", \"b\", \"a\"]}}",
    "{\"_id\": \"r\", \"_rev\": \"1-z\", \"_deleted\": true}",
  };
  gint64 seq;
  gint64 rows;
  guint changed;

  put_peer (fixture->store, batch[0], batch[1], batch[2], NULL);
  seq = bb_replica_get_update_seq (fixture->store);
  rows = count_rows (fixture->store, "SELECT count(*) FROM replica_rev");
  changed = fixture->changed;
  g_assert_cmpint (seq, ==, 3);

  put_peer (fixture->store, batch[0], batch[1], batch[2], NULL);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->store), ==, seq);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM replica_rev"), ==, rows);
  g_assert_cmpuint (fixture->changed, ==, changed);

  /* An ancestor sent again after the leaf is known is no change either. */
  put_peer (fixture->store, "{\"_id\": \"q\", \"_rev\": \"2-b\", \"_revisions\": {\"start\": 2, \"ids\": [\"b\", \"a\"]}}", NULL);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->store), ==, seq);
}

static void
test_bad_documents (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (docs, json ("{\"_id\": \"ok\", \"_rev\": \"1-a\"}"));
  g_ptr_array_add (docs, json ("{\"_id\": \"norev\"}"));
  g_ptr_array_add (docs, json ("{\"_id\": \"badpath\", \"_rev\": \"2-b\", \"_revisions\": {\"start\": 3, \"ids\": [\"b\"]}}"));
  g_ptr_array_add (docs, json ("{\"_id\": \"toolong\", \"_rev\": \"1-b\", \"_revisions\": {\"start\": 1, \"ids\": [\"b\", \"a\"]}}"));
  g_ptr_array_add (docs, json ("{\"_rev\": \"1-b\"}"));
  g_ptr_array_add (docs, json ("{\"_id\": \"att\", \"_rev\": \"1-b\", \"_attachments\": {\"x\": {\"data\": \"!!!\"}}}"));

  g_assert_true (bb_replica_put_revisions (fixture->store, docs, NULL, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 5);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (errors, 0), "id"), ==, "norev");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (errors, 0), "error"), ==, "bad_request");
  g_assert_cmpint (bb_replica_get_update_seq (fixture->store), ==, 1);
}

static void
test_revs_diff (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) diff = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *ancestors = NULL;
  JsonObject *entry;

  put_peer (fixture->store,
            "{\"_id\": \"a\", \"_rev\": \"2-b\", \"_revisions\": {\"start\": 2, \"ids\": [\"b\", \"a\"]}}",
            "{\"_id\": \"a\", \"_rev\": \"2-q\", \"_deleted\": true, \"_revisions\": {\"start\": 2, \"ids\": [\"q\", \"a\"]}}",
            "{\"_id\": \"known\", \"_rev\": \"1-k\"}",
            NULL);

  request = json ("{\"a\": [\"2-b\", \"3-c\", \"1-a\", \"5-z\", \"3-c\"],"
                  " \"known\": [\"1-k\"],"
                  " \"new\": [\"1-n\", \"2-m\"]}");
  diff = bb_replica_revs_diff (fixture->store, request, &error);
  g_assert_no_error (error);

  /* Present anywhere in the tree (1-a is no leaf) counts as present. */
  entry = json_object_get_object_member (diff, "a");
  missing = array_text (entry, "missing");
  g_assert_cmpstr (missing, ==, "3-c 5-z");
  /* Leaves below the largest missing generation, deleted ones too. */
  ancestors = array_text (entry, "possible_ancestors");
  g_assert_cmpstr (ancestors, ==, "2-b 2-q");

  g_assert_false (json_object_has_member (diff, "known"));

  entry = json_object_get_object_member (diff, "new");
  g_clear_pointer (&missing, g_free);
  missing = array_text (entry, "missing");
  g_assert_cmpstr (missing, ==, "1-n 2-m");
  g_assert_false (json_object_has_member (entry, "possible_ancestors"));

  /* Malformed revisions are refused, not guessed at. */
  {
    g_autoptr(JsonObject) bad = json ("{\"a\": [\"nonsense\"]}");
    g_autoptr(JsonObject) result = bb_replica_revs_diff (fixture->store, bad, &error);

    g_assert_null (result);
    g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_BAD_REQUEST);
  }
}

typedef struct
{
  GString *text;
  guint    stop_after;
  guint    seen;
} ChangesLog;

static gboolean
log_change (const BbReplicaChange *change,
            gpointer               user_data)
{
  ChangesLog *log = user_data;

  g_string_append_printf (log->text, "%s%" G_GINT64_FORMAT ":%s", log->text->len > 0 ? " " : "",
                          change->seq, change->id);
  for (guint i = 0; change->revs[i] != NULL; i++)
    g_string_append_printf (log->text, "%c%s", i == 0 ? '=' : ',', change->revs[i]);
  if (change->deleted)
    g_string_append (log->text, "(d)");
  if (change->doc != NULL)
    g_string_append_printf (log->text, "{%s}", json_object_get_string_member (change->doc, "_id"));
  log->seen++;
  return log->stop_after == 0 || log->seen < log->stop_after;
}

static char *
changes_text (BbStore               *store,
              gint64                 since,
              gint64                 limit,
              BbReplicaChangesFlags  flags,
              const char * const    *doc_ids,
              gint64                *out_last_seq,
              gint64                *out_pending)
{
  g_autoptr(GError) error = NULL;
  ChangesLog log = { g_string_new (NULL), 0, 0 };

  g_assert_true (bb_replica_changes (store, since, limit, flags, doc_ids, log_change, &log,
                                     out_last_seq, out_pending, &error));
  g_assert_no_error (error);
  return g_string_free (log.text, FALSE);
}

static void
test_changes (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char * const only_c[] = { "c", NULL };
  g_autofree char *text = NULL;
  gint64 last_seq = -1, pending = -1;

  put_peer (fixture->store, "{\"_id\": \"a\", \"_rev\": \"1-a\"}", NULL);
  put_peer (fixture->store, "{\"_id\": \"b\", \"_rev\": \"1-b\"}", NULL);
  put_peer (fixture->store, "{\"_id\": \"c\", \"_rev\": \"1-c\"}", NULL);
  /* a changes again: it moves to the end, once. */
  put_peer (fixture->store, "{\"_id\": \"a\", \"_rev\": \"2-a\", \"_revisions\": {\"start\": 2, \"ids\": [\"a\", \"a\"]}}", NULL);
  /* b gets a conflicting deleted leaf. */
  put_peer (fixture->store, "{\"_id\": \"b\", \"_rev\": \"1-x\", \"_deleted\": true}", NULL);
  /* Local documents take no sequence. */
  g_assert_true (bb_replica_put_local (fixture->store, "_local/check", NULL, NULL, NULL, NULL));

  g_assert_cmpint (bb_replica_get_update_seq (fixture->store), ==, 5);

  text = changes_text (fixture->store, 0, -1, BB_REPLICA_CHANGES_NONE, NULL, &last_seq, &pending);
  g_assert_cmpstr (text, ==, "3:c=1-c 4:a=2-a 5:b=1-b");
  g_assert_cmpint (last_seq, ==, 5);
  g_assert_cmpint (pending, ==, 0);
  g_clear_pointer (&text, g_free);

  /* style=all_docs lists every leaf, the winner first. */
  text = changes_text (fixture->store, 3, -1, BB_REPLICA_CHANGES_ALL_DOCS, NULL, NULL, NULL);
  g_assert_cmpstr (text, ==, "4:a=2-a 5:b=1-b,1-x");
  g_clear_pointer (&text, g_free);

  /* limit: last_seq is the last row's, the rest is pending. */
  text = changes_text (fixture->store, 0, 2, BB_REPLICA_CHANGES_INCLUDE_DOCS, NULL, &last_seq, &pending);
  g_assert_cmpstr (text, ==, "3:c=1-c{c} 4:a=2-a{a}");
  g_assert_cmpint (last_seq, ==, 4);
  g_assert_cmpint (pending, ==, 1);
  g_clear_pointer (&text, g_free);

  text = changes_text (fixture->store, 0, 0, BB_REPLICA_CHANGES_NONE, NULL, &last_seq, &pending);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpint (pending, ==, 3);
  g_clear_pointer (&text, g_free);

  /* Nothing new since the end. */
  text = changes_text (fixture->store, 5, -1, BB_REPLICA_CHANGES_NONE, NULL, &last_seq, &pending);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpint (last_seq, ==, 5);
  g_clear_pointer (&text, g_free);

  /* filter=_doc_ids */
  text = changes_text (fixture->store, 0, -1, BB_REPLICA_CHANGES_NONE, only_c, &last_seq, NULL);
  g_assert_cmpstr (text, ==, "3:c=1-c");
  g_assert_cmpint (last_seq, ==, 5);
  g_clear_pointer (&text, g_free);

  /* A callback can stop the feed. */
  {
    g_autoptr(GError) error = NULL;
    ChangesLog log = { g_string_new (NULL), 1, 0 };

    g_assert_true (bb_replica_changes (fixture->store, 0, -1, 0, NULL, log_change, &log,
                                       &last_seq, NULL, &error));
    g_assert_cmpuint (log.seen, ==, 1);
    g_assert_cmpint (last_seq, ==, 3);
    g_string_free (log.text, TRUE);
  }
}

/* More documents than one page of the feed. */
static void
test_changes_pages (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  ChangesLog log = { g_string_new (NULL), 0, 0 };
  gint64 last_seq = 0;

  for (guint i = 0; i < 1203; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"_id\": \"doc-%04u\", \"_rev\": \"1-a\", \"i\": %u}", i, i);

      g_ptr_array_add (docs, json (text));
    }
  g_assert_true (bb_replica_put_revisions (fixture->store, docs, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (bb_replica_changes (fixture->store, 0, 1100, 0, NULL, log_change, &log, &last_seq, NULL, &error));
  g_assert_cmpuint (log.seen, ==, 1100);
  g_assert_cmpint (last_seq, ==, 1100);
  log.seen = 0;
  g_assert_true (bb_replica_changes (fixture->store, last_seq, -1, 0, NULL, log_change, &log, &last_seq, NULL, &error));
  g_assert_cmpuint (log.seen, ==, 103);
  g_assert_cmpint (last_seq, ==, 1203);
  g_string_free (log.text, TRUE);
}

static void
test_stemming (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *first = NULL;

  g_assert_cmpuint (bb_replica_get_revs_limit (fixture->store), ==, BB_REPLICA_DEFAULT_REVS_LIMIT);
  g_assert_true (bb_replica_set_revs_limit (fixture->store, 5, &error));
  g_assert_no_error (error);

  for (int i = 0; i < 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"i\": %d}", i);
      g_autoptr(JsonObject) body = json (text);
      char *next = NULL;

      g_assert_true (bb_replica_put (fixture->store, "s", rev, body, FALSE, NULL, &next, &error));
      g_assert_no_error (error);
      if (first == NULL)
        first = g_strdup (next);
      g_free (rev);
      rev = next;
    }

  g_assert_true (g_str_has_prefix (rev, "8-"));
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM replica_rev"), ==, 5);
  doc = bb_replica_get (fixture->store, "s", NULL, BB_REPLICA_GET_REVS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (doc, "_revisions"), "ids")), ==, 5);

  /* The stemmed ancestor is gone: a peer would have to send it again. */
  {
    g_autofree char *request_text = g_strdup_printf ("{\"s\": [\"%s\"]}", first);
    g_autoptr(JsonObject) request = json (request_text);
    g_autoptr(JsonObject) diff = bb_replica_revs_diff (fixture->store, request, &error);

    g_assert_no_error (error);
    g_assert_true (json_object_has_member (diff, "s"));
  }

  /* An incoming history longer than the limit is stemmed too, and a
   * path that no longer meets the stemmed tree becomes its own root. */
  put_peer (fixture->store,
            "{\"_id\": \"t\", \"_rev\": \"9-i\", \"_revisions\": {\"start\": 9,"
            " \"ids\": [\"i\", \"h\", \"g\", \"f\", \"e\", \"d\", \"c\", \"b\", \"a\"]}}",
            NULL);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM replica_rev r JOIN replica_doc d USING (doc_key) WHERE d.doc_id = 't'"), ==, 5);
  put_peer (fixture->store,
            "{\"_id\": \"t\", \"_rev\": \"3-x\", \"_revisions\": {\"start\": 3, \"ids\": [\"x\", \"b\", \"a\"]}}",
            NULL);
  {
    g_autofree char *leaves = leaves_text (fixture->store, "t");

    g_assert_cmpstr (leaves, ==, "9-i 3-x");
  }
}

static void
test_attachments (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_replica_attachment_free);
  g_autoptr(GBytes) content = g_bytes_new_static ("Agenda\n", 7);
  g_autoptr(JsonObject) body = json ("{\"title\": \"Agenda\"}");
  g_autoptr(JsonObject) body2 = json ("{\"title\": \"Agenda juni\"}");
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GBytes) read_back = NULL;
  g_autofree char *digest = md5_digest_of ("Agenda\n");
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  BbReplicaAttachmentInfo *info = NULL;
  JsonObject *att;

  g_ptr_array_add (atts, bb_replica_attachment_new ("agenda.txt", "text/plain", content));
  g_assert_true (bb_replica_put (fixture->store, "x", NULL, body, FALSE, atts, &rev1, &error));
  g_assert_no_error (error);

  /* A body edit keeps the attachment, its digest and its revpos. */
  g_assert_true (bb_replica_put (fixture->store, "x", rev1, body2, FALSE, NULL, &rev2, &error));
  g_assert_no_error (error);
  doc = bb_replica_get (fixture->store, "x", NULL, BB_REPLICA_GET_NONE, &error);
  g_assert_no_error (error);
  att = json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "agenda.txt");
  g_assert_cmpstr (json_object_get_string_member (att, "digest"), ==, digest);
  g_assert_cmpint (json_object_get_int_member (att, "revpos"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (att, "length"), ==, 7);
  g_assert_true (json_object_get_boolean_member (att, "stub"));
  g_assert_cmpstr (json_object_get_string_member (att, "content_type"), ==, "text/plain");

  read_back = bb_replica_get_attachment_data (fixture->store, "x", NULL, "agenda.txt", &info, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read_back, content));
  g_assert_cmpint (info->revpos, ==, 1);
  bb_replica_attachment_info_free (info);

  /* The same content in another document is stored once. */
  g_assert_true (bb_replica_put (fixture->store, "y", NULL, body, FALSE, atts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM replica_blob"), ==, 1);
  g_assert_true (bb_replica_has_attachment (fixture->store, digest));

  /* A peer may send a stub for content we hold; its revpos is kept. */
  {
    g_autofree char *text = g_strdup_printf ("{\"_id\": \"z\", \"_rev\": \"3-c\", \"_revisions\": {\"start\": 3, \"ids\": [\"c\", \"b\", \"a\"]},"
                                             " \"_attachments\": {\"a.txt\": {\"stub\": true, \"digest\": \"%s\", \"revpos\": 2}}}", digest);
    g_autoptr(JsonObject) z = NULL;

    put_peer (fixture->store, text, NULL);
    z = bb_replica_get (fixture->store, "z", NULL, BB_REPLICA_GET_ATTACHMENTS, &error);
    g_assert_no_error (error);
    att = json_object_get_object_member (json_object_get_object_member (z, "_attachments"), "a.txt");
    g_assert_cmpint (json_object_get_int_member (att, "revpos"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (att, "content_type"), ==, "text/plain");
    g_assert_cmpstr (json_object_get_string_member (att, "data"), ==, "QWdlbmRhCg==");
  }

  /* A stub for content we do not hold fails the whole batch, as
   * pouchdb-server's 412 missing_stub. */
  {
    g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    gint64 seq = bb_replica_get_update_seq (fixture->store);

    g_ptr_array_add (docs, json ("{\"_id\": \"fine\", \"_rev\": \"1-f\"}"));
    g_ptr_array_add (docs, json ("{\"_id\": \"w\", \"_rev\": \"1-w\", \"_attachments\": {\"b\": {\"stub\": true, \"digest\": \"md5-AAAAAAAAAAAAAAAAAAAAAA==\"}}}"));
    g_assert_false (bb_replica_put_revisions (fixture->store, docs, NULL, NULL, &error));
    g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_MISSING_STUB);
    g_clear_error (&error);
    g_assert_cmpint (bb_replica_get_update_seq (fixture->store), ==, seq);
    g_assert_null (bb_replica_get_leaves (fixture->store, "fine", &error));
    g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Inline data with a peer's digest (CouchDB's gzip digest differs from
   * the content's md5): the digest is kept exactly as received. */
  put_peer (fixture->store,
            "{\"_id\": \"v\", \"_rev\": \"1-v\", \"_attachments\": {\"n.txt\": {\"content_type\": \"text/plain\","
            " \"data\": \"aGFsbG8=\", \"digest\": \"md5-peerdigest\", \"revpos\": 1}}}",
            NULL);
  {
    g_autoptr(GBytes) hallo = bb_replica_get_attachment_data (fixture->store, "v", "1-v", "n.txt", &info, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (hallo, NULL), g_bytes_get_size (hallo), "hallo", 5);
    g_assert_cmpstr (info->digest, ==, "md5-peerdigest");
    bb_replica_attachment_info_free (info);
    g_assert_true (bb_replica_has_attachment (fixture->store, "md5-peerdigest"));
  }

  /* Missing names and documents are "not found". */
  g_assert_null (bb_replica_get_attachment_data (fixture->store, "x", NULL, "nope", NULL, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_attachment_gzip_and_follows (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1));
  const char *plain = "Huishoudelijk reglement, artikel 1 tot en met 12.";
  guint8 buffer[512];
  gsize read = 0, written = 0;
  g_autofree char *base64 = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GHashTable) follows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_assert_cmpint (g_converter_convert (compressor, plain, strlen (plain), buffer, sizeof buffer,
                                        G_CONVERTER_INPUT_AT_END, &read, &written, &error),
                   ==, G_CONVERTER_FINISHED);
  g_assert_no_error (error);
  base64 = g_base64_encode (buffer, written);
  text = g_strdup_printf ("{\"_id\": \"g\", \"_rev\": \"1-g\", \"_attachments\": {\"r.txt\": {\"content_type\": \"text/plain\","
                          " \"data\": \"%s\", \"encoding\": \"gzip\", \"digest\": \"md5-gzipped\"}}}", base64);
  put_peer (fixture->store, text, NULL);
  stored = bb_replica_get_attachment_data (fixture->store, "g", NULL, "r.txt", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), plain, strlen (plain));

  /* multipart/related: the content follows outside the JSON. */
  g_hash_table_insert (follows, "foto.png", g_bytes_new_static ("\x89PNG", 4));
  g_ptr_array_add (docs, json ("{\"_id\": \"f\", \"_rev\": \"1-f\", \"_attachments\": {\"foto.png\":"
                               " {\"content_type\": \"image/png\", \"follows\": true, \"length\": 4}}}"));
  g_assert_true (bb_replica_put_revisions (fixture->store, docs, follows, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&stored, g_bytes_unref);
  stored = bb_replica_get_attachment_data (fixture->store, "f", NULL, "foto.png", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (stored), ==, 4);
}

/* A gzip attachment that unpacks beyond what a user may attach is refused
 * before it is unpacked whole, and the document is not stored. */
static void
test_attachment_gzip_bomb (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  gsize plain_size = BB_LIBRARY_MAX_ATTACHMENT + 1024 * 1024;
  g_autofree guint8 *zeros = g_malloc0 (plain_size);
  g_autoptr(GBytes) packed = bb_sync_gzip (zeros, plain_size);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) refused = NULL;
  gint64 seq_before = bb_replica_get_update_seq (fixture->store);

  g_assert_cmpuint (g_bytes_get_size (packed), <, 1024 * 1024);
  text = g_strdup_printf ("{\"_id\": \"bom\", \"_rev\": \"1-b\", \"_attachments\": {\"z.bin\":"
                          " {\"content_type\": \"application/octet-stream\", \"data\": \"%s\","
                          " \"encoding\": \"gzip\"}}}", base64);
  g_ptr_array_add (docs, json (text));
  g_assert_true (bb_replica_put_revisions (fixture->store, docs, NULL, &refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (refused->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (refused, 0), "error"), ==, "bad_request");
  g_assert_cmpint (bb_replica_get_update_seq (fixture->store), ==, seq_before);
}

/* Content no revision refers to any more is removed. */
static void
test_attachment_garbage (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  g_assert_true (bb_replica_set_revs_limit (fixture->store, 1, &error));
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_replica_attachment_free);
      g_autofree char *content = g_strdup_printf ("versie %d", i);
      g_autoptr(GBytes) bytes = g_bytes_new (content, strlen (content));
      char *next = NULL;

      g_ptr_array_add (atts, bb_replica_attachment_new ("v.txt", "text/plain", bytes));
      g_assert_true (bb_replica_put (fixture->store, "gc", rev, NULL, FALSE, atts, &next, &error));
      g_assert_no_error (error);
      g_free (rev);
      rev = next;
    }
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM replica_blob"), ==, 1);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM replica_rev"), ==, 1);
}

static void
test_open_revs (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) all = NULL;
  g_autoptr(JsonArray) some = NULL;
  g_autoptr(JsonArray) unknown = NULL;
  const char * const wanted[] = { "1-a", "2-nope", NULL };

  put_peer (fixture->store,
            "{\"_id\": \"o\", \"_rev\": \"2-b\", \"_revisions\": {\"start\": 2, \"ids\": [\"b\", \"a\"]}, \"v\": 2}",
            "{\"_id\": \"o\", \"_rev\": \"2-c\", \"_deleted\": true, \"_revisions\": {\"start\": 2, \"ids\": [\"c\", \"a\"]}}",
            NULL);

  all = bb_replica_get_open_revs (fixture->store, "o", NULL, BB_REPLICA_GET_REVS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (all), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (all, 0), "ok"), "_rev"), ==, "2-b");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (json_array_get_object_element (all, 1), "ok"), "_deleted"));

  /* latest=true: the inner 1-a (never received with a body) gives its
   * leaves; an unknown rev is "missing". */
  some = bb_replica_get_open_revs (fixture->store, "o", wanted, BB_REPLICA_GET_LATEST, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (some), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (some, 0), "ok"), "_rev"), ==, "2-b");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (some, 2), "missing"), ==, "2-nope");

  unknown = bb_replica_get_open_revs (fixture->store, "nobody", wanted, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (unknown), ==, 2);
  g_assert_true (json_object_has_member (json_array_get_object_element (unknown, 0), "missing"));
}

static void
test_local_docs (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json ("{\"last_seq\": \"120-g1AA\", \"session_id\": \"s1\"}");
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  guint changed = fixture->changed;

  g_assert_null (bb_replica_get_local (fixture->store, "_local/rep", &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (bb_replica_put_local (fixture->store, "_local/rep", NULL, body, &rev1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rev1, ==, "0-1");

  /* With or without the prefix: the same document. */
  doc = bb_replica_get_local (fixture->store, "rep", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, "_local/rep");
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, "0-1");
  g_assert_cmpstr (json_object_get_string_member (doc, "last_seq"), ==, "120-g1AA");

  g_assert_false (bb_replica_put_local (fixture->store, "_local/rep", NULL, body, NULL, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (bb_replica_put_local (fixture->store, "_local/rep", "0-1", body, &rev2, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rev2, ==, "0-2");

  /* Never in the feed, never a sequence number, not user data. */
  g_assert_cmpint (bb_replica_get_update_seq (fixture->store), ==, 0);
  g_assert_cmpuint (fixture->changed, ==, changed);

  g_assert_false (bb_replica_delete_local (fixture->store, "_local/rep", "0-1", &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (bb_replica_delete_local (fixture->store, "_local/rep", "0-2", &error));
  g_assert_no_error (error);
  g_assert_null (bb_replica_get_local (fixture->store, "rep", &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);
}

static void
test_instance (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = bb_replica_get_instance_uuid (fixture->store);
  g_autofree char *again = NULL;
  g_autoptr(BbStore) other = make_store (fixture->dir, "Ander.buurtboek");
  g_autofree char *other_uuid = bb_replica_get_instance_uuid (other);
  g_autofree char *backups = g_build_filename (fixture->dir, "backups", NULL);

  g_assert_cmpuint (strlen (uuid), ==, 32);
  g_assert_cmpstr (uuid, !=, other_uuid);

  /* Stable across closing and opening the council file. */
  g_assert_true (bb_store_close (fixture->store, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);
  fixture->store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, backups, &error);
  g_assert_no_error (error);
  again = bb_replica_get_instance_uuid (fixture->store);
  g_assert_cmpstr (again, ==, uuid);

  g_assert_true (bb_store_close (other, &error));
}

/* Restoring a backup makes the replica a new instance: its update
 * sequence goes back, so a peer holding a checkpoint "up to seq N of
 * instance U" must not find U again and skip the changes made after. */
static void
test_instance_restore (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = bb_replica_get_instance_uuid (fixture->store);
  g_autofree char *after = NULL;
  g_autofree char *backup = NULL;
  gint64 seq;

  put_peer (fixture->store, "{\"_id\": \"a\", \"_rev\": \"1-aaaa\", \"n\": 1}", NULL);
  g_assert_true (bb_backup_make (fixture->store, BB_BACKUP_REASON_MANUAL, &backup, &error));
  g_assert_no_error (error);
  seq = bb_replica_get_update_seq (fixture->store);
  put_peer (fixture->store, "{\"_id\": \"b\", \"_rev\": \"1-bbbb\", \"n\": 2}", NULL);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->store), >, seq);

  g_assert_true (bb_backup_restore (fixture->store, backup, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->store), ==, seq);
  after = bb_replica_get_instance_uuid (fixture->store);
  g_assert_cmpuint (strlen (after), ==, 32);
  g_assert_true (g_str_is_ascii (after));
  g_assert_cmpstr (after, !=, before);
  /* The restored file is what the backup holds, nothing to save again. */
  g_assert_false (bb_store_has_unsaved_changes (fixture->store));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bb/replica/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("put/edits", test_put_edits);
  ADD ("put/deterministic", test_deterministic_revs);
  ADD ("tree/winner", test_winner);
  ADD ("tree/deleted-winner-live-conflict", test_deleted_winner_live_conflict);
  ADD ("tree/merge-shared-history", test_merge_shared_history);
  ADD ("tree/stemming", test_stemming);
  ADD ("peer/idempotent", test_new_edits_false_idempotent);
  ADD ("peer/bad-documents", test_bad_documents);
  ADD ("revs-diff", test_revs_diff);
  ADD ("changes/feed", test_changes);
  ADD ("changes/pages", test_changes_pages);
  ADD ("attachments/by-digest", test_attachments);
  ADD ("attachments/gzip-and-follows", test_attachment_gzip_and_follows);
  ADD ("attachments/gzip-bomb", test_attachment_gzip_bomb);
  ADD ("attachments/garbage", test_attachment_garbage);
  ADD ("open-revs", test_open_revs);
  ADD ("local", test_local_docs);
  ADD ("instance", test_instance);
  ADD ("instance/restore", test_instance_restore);

#undef ADD

  return g_test_run ();
}
