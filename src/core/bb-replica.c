/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-handover-private.h"
#include "bb-library-private.h"
#include "bb-replica.h"
#include "bb-store-private.h"
#include "bb-sync.h"

G_DEFINE_QUARK (bb-replica-error-quark, bb_replica_error)

/* The changes feed reads this many documents per query, so a large feed
 * never sits in memory and no read stays open during the callbacks. */
#define CHANGES_PAGE 500

/* One node of a document's revision tree. */
typedef struct
{
  gint64    key;
  gint64    pos;
  char     *hash;
  gint64    parent;      /* 0 for a root */
  gboolean  leaf;
  gboolean  deleted;
  gboolean  has_body;
  gint64    seq;
} Node;

static void
node_free (Node *node)
{
  g_free (node->hash);
  g_free (node);
}

typedef struct
{
  gint64      doc_key;      /* 0 while the document does not exist */
  gint64      winner;       /* node key, 0 while none */
  gboolean    winner_deleted;
  GPtrArray  *nodes;        /* Node*, owned */
  GHashTable *by_key;       /* gint64* → Node* */
  GHashTable *by_rev;       /* "pos-hash" → Node* */
} Tree;

static void
tree_free (Tree *tree)
{
  g_hash_table_unref (tree->by_rev);
  g_hash_table_unref (tree->by_key);
  g_ptr_array_unref (tree->nodes);
  g_free (tree);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tree, tree_free)

/* State of one write call (one transaction). */
typedef struct
{
  BbStore  *store;
  gint64    seq;          /* the update seq, advanced per stored revision */
  gint64    first_seq;
  guint     revs_limit;
  GArray   *freed_blobs;  /* gint64: blobs that may have lost their last reference */
  gboolean  defer_text;   /* leave the full-text index to bb_library_flush_index() */
  gboolean  deferred;     /* some document waits for it */
} Write;

/* Errors */

static void
set_error (GError     **error,
           int          code,
           const char  *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
set_error (GError     **error,
           int          code,
           const char  *format,
           ...)
{
  va_list args;

  if (error == NULL)
    return;
  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (BB_REPLICA_ERROR, code, format, args));
  va_end (args);
}

/* Helpers */

gboolean
bb_replica_parse_rev (const char  *rev,
                      gint64      *out_pos,
                      const char **out_hash)
{
  const char *dash;
  guint64 pos = 0;

  if (rev == NULL || !g_ascii_isdigit (rev[0]))
    return FALSE;

  dash = strchr (rev, '-');
  if (dash == NULL || dash[1] == '\0' || dash - rev > 15)
    return FALSE;

  for (const char *p = rev; p < dash; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      pos = pos * 10 + (guint64) (*p - '0');
    }

  if (!g_utf8_validate (dash + 1, -1, NULL))
    return FALSE;

  if (out_pos != NULL)
    *out_pos = (gint64) pos;
  if (out_hash != NULL)
    *out_hash = dash + 1;

  return TRUE;
}

static char *
rev_string (gint64      pos,
            const char *hash)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "-%s", pos, hash);
}

static gboolean
valid_doc_id (const char *doc_id)
{
  if (doc_id == NULL || doc_id[0] == '\0' || !g_utf8_validate (doc_id, -1, NULL))
    return FALSE;
  if (doc_id[0] == '_')
    return g_str_has_prefix (doc_id, "_design/") && doc_id[8] != '\0';
  return TRUE;
}

static gboolean
valid_attachment_name (const char *name)
{
  return name != NULL && name[0] != '\0' && name[0] != '_' &&
         g_utf8_validate (name, -1, NULL);
}

/* Canonical JSON */

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    {
      const unsigned char *run = p;

      /* Plain characters in one go. */
      while (*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;

      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void append_canonical_node (GString  *out,
                                   JsonNode *node);

static void
append_canonical_object (GString    *out,
                         JsonObject *object,
                         gboolean    skip_special)
{
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gboolean first = TRUE;

  for (GList *l = members; l != NULL; l = l->next)
    if (!skip_special || ((const char *) l->data)[0] != '_')
      g_ptr_array_add (names, l->data);
  g_ptr_array_sort (names, compare_strings);

  g_string_append_c (out, '{');
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_json_string (out, name);
      g_string_append_c (out, ':');
      append_canonical_node (out, json_object_get_member (object, name));
    }
  g_string_append_c (out, '}');
}

static void
append_canonical_node (GString  *out,
                       JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      append_canonical_object (out, json_node_get_object (node), FALSE);
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_canonical_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
          }
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_json_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

char *
bb_replica_canonical_json (JsonObject *object)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (object != NULL, NULL);

  append_canonical_object (out, object, FALSE);
  return g_string_free (out, FALSE);
}

/* The body without "_" members, canonical. */
static char *
canonical_body (JsonObject *object)
{
  GString *out = g_string_new (NULL);

  if (object == NULL)
    g_string_append (out, "{}");
  else
    append_canonical_object (out, object, TRUE);
  return g_string_free (out, FALSE);
}

static JsonObject *
parse_object (const char  *text,
              GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (text, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_error (error, BB_REPLICA_ERROR_FAILED, _("A stored document is damaged."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* Metadata */

static gboolean
meta_get_int (BbStore     *store,
              const char  *key,
              gint64      *out_value,
              GError     **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store, "SELECT value FROM replica_meta WHERE key = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_value = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *out_value = 0;
      return TRUE;
    }
  return bb_library_sqlite_failed (store, rc, error);
}

static gboolean
meta_set_int (BbStore     *store,
              const char  *key,
              gint64       value,
              GError     **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                           "INSERT INTO replica_meta (key, value) VALUES (?1, ?2)"
                                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return bb_library_sqlite_failed (store, rc, error);
  return TRUE;
}

/* Write sessions */

static gboolean
write_begin (Write    *wr,
             BbStore  *store,
             GError  **error)
{
  gint64 limit = 0;

  memset (wr, 0, sizeof *wr);
  wr->store = store;

  if (!bb_store_begin (store, error))
    return FALSE;

  if (!meta_get_int (store, "update_seq", &wr->seq, error) ||
      !meta_get_int (store, "revs_limit", &limit, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }

  wr->first_seq = wr->seq;
  wr->revs_limit = limit > 0 ? (guint) MIN (limit, G_MAXINT) : BB_REPLICA_DEFAULT_REVS_LIMIT;
  wr->freed_blobs = g_array_new (FALSE, FALSE, sizeof (gint64));
  return TRUE;
}

static void
write_abort (Write *wr)
{
  bb_store_rollback (wr->store);
  g_clear_pointer (&wr->freed_blobs, g_array_unref);
}

/* Removes blobs no revision refers to any more. */
static gboolean
collect_blobs (Write   *wr,
               GError **error)
{
  for (guint i = 0; i < wr->freed_blobs->len; i++)
    {
      g_autoptr(BbLibStmt) stmt = bb_store_prepare (wr->store,
                                               "DELETE FROM replica_blob WHERE blob_key = ?1"
                                               " AND NOT EXISTS (SELECT 1 FROM replica_attachment"
                                               " WHERE blob_key = ?1)",
                                               error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (wr->freed_blobs, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return bb_library_sqlite_failed (wr->store, rc, error);
    }
  return TRUE;
}

static gboolean
write_commit (Write   *wr,
              GError **error)
{
  gboolean changed = wr->seq != wr->first_seq;

  if ((changed && !meta_set_int (wr->store, "update_seq", wr->seq, error)) ||
      !collect_blobs (wr, error) ||
      !bb_store_commit (wr->store, error))
    {
      write_abort (wr);
      return FALSE;
    }

  g_clear_pointer (&wr->freed_blobs, g_array_unref);
  if (changed)
    bb_store_emit_changed (wr->store);
  return TRUE;
}

/* Trees */

static gboolean
find_doc (BbStore    *store,
          const char *doc_id,
          gint64     *out_doc_key,
          gint64     *out_winner,
          gboolean   *out_deleted,
          GError    **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                           "SELECT doc_key, winner, deleted FROM replica_doc WHERE doc_id = ?1",
                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_doc_key = sqlite3_column_int64 (stmt, 0);
      if (out_winner != NULL)
        *out_winner = sqlite3_column_int64 (stmt, 1);
      if (out_deleted != NULL)
        *out_deleted = sqlite3_column_int (stmt, 2) != 0;
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *out_doc_key = 0;
      if (out_winner != NULL)
        *out_winner = 0;
      if (out_deleted != NULL)
        *out_deleted = FALSE;
      return TRUE;
    }
  return bb_library_sqlite_failed (store, rc, error);
}

static Tree *
tree_new (void)
{
  Tree *tree = g_new0 (Tree, 1);

  tree->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  tree->by_key = g_hash_table_new (g_int64_hash, g_int64_equal);
  tree->by_rev = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return tree;
}

static Node *
tree_add (Tree   *tree,
          Node   *node)
{
  g_ptr_array_add (tree->nodes, node);
  g_hash_table_insert (tree->by_key, &node->key, node);
  g_hash_table_insert (tree->by_rev, rev_string (node->pos, node->hash), node);
  return node;
}

static Node *
tree_lookup (Tree       *tree,
             gint64      pos,
             const char *hash)
{
  g_autofree char *rev = rev_string (pos, hash);

  return g_hash_table_lookup (tree->by_rev, rev);
}

static Node *
tree_lookup_key (Tree   *tree,
                 gint64  key)
{
  return g_hash_table_lookup (tree->by_key, &key);
}

/* The whole tree of @doc_id (empty when the document does not exist). */
static Tree *
load_tree (BbStore    *store,
           const char *doc_id,
           GError    **error)
{
  g_autoptr(Tree) tree = tree_new ();
  g_autoptr(BbLibStmt) stmt = NULL;
  int rc;

  if (!find_doc (store, doc_id, &tree->doc_key, &tree->winner, &tree->winner_deleted, error))
    return NULL;
  if (tree->doc_key == 0)
    return g_steal_pointer (&tree);

  stmt = bb_store_prepare (store,
                           "SELECT rev_key, pos, hash, parent, is_leaf, deleted, body IS NOT NULL, seq"
                           " FROM replica_rev WHERE doc_key = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, tree->doc_key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Node *node = g_new0 (Node, 1);

      node->key = sqlite3_column_int64 (stmt, 0);
      node->pos = sqlite3_column_int64 (stmt, 1);
      node->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      node->parent = sqlite3_column_int64 (stmt, 3);
      node->leaf = sqlite3_column_int (stmt, 4) != 0;
      node->deleted = sqlite3_column_int (stmt, 5) != 0;
      node->has_body = sqlite3_column_int (stmt, 6) != 0;
      node->seq = sqlite3_column_int64 (stmt, 7);
      tree_add (tree, node);
    }
  if (rc != SQLITE_DONE)
    {
      bb_library_sqlite_failed (store, rc, error);
      return NULL;
    }

  return g_steal_pointer (&tree);
}

/* CouchDB's order of leaves: live before deleted, then the higher
 * generation, then the larger hash. Negative when @a wins. */
static int
compare_leaf_order (gboolean    a_deleted,
                    gint64      a_pos,
                    const char *a_hash,
                    gboolean    b_deleted,
                    gint64      b_pos,
                    const char *b_hash)
{
  int cmp;

  if (a_deleted != b_deleted)
    return a_deleted ? 1 : -1;
  if (a_pos != b_pos)
    return a_pos > b_pos ? -1 : 1;
  cmp = strcmp (a_hash, b_hash);
  return cmp > 0 ? -1 : (cmp < 0 ? 1 : 0);
}

static int
compare_nodes (gconstpointer a,
               gconstpointer b)
{
  const Node *na = *(const Node * const *) a;
  const Node *nb = *(const Node * const *) b;

  return compare_leaf_order (na->deleted, na->pos, na->hash, nb->deleted, nb->pos, nb->hash);
}

/* Leaves of @tree, best first. (transfer container) */
static GPtrArray *
tree_leaves (Tree *tree)
{
  GPtrArray *leaves = g_ptr_array_new ();

  for (guint i = 0; i < tree->nodes->len; i++)
    {
      Node *node = g_ptr_array_index (tree->nodes, i);

      if (node->leaf)
        g_ptr_array_add (leaves, node);
    }
  g_ptr_array_sort (leaves, compare_nodes);
  return leaves;
}

/* Storage of nodes and attachments */

static gboolean
insert_doc (Write      *wr,
            Tree       *tree,
            const char *doc_id,
            GError    **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (wr->store,
                                           "INSERT INTO replica_doc (doc_id, winner, deleted, seq)"
                                           " VALUES (?1, NULL, 0, ?2)",
                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_TRANSIENT);
  /* A placeholder until the first revision takes its seq; negative so it
   * never meets a real one. */
  sqlite3_bind_int64 (stmt, 2, -(wr->seq + 1));
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return bb_library_sqlite_failed (wr->store, rc, error);
  tree->doc_key = sqlite3_last_insert_rowid (bb_store_get_db (wr->store));
  return TRUE;
}

static Node *
insert_node (Write      *wr,
             Tree       *tree,
             gint64      pos,
             const char *hash,
             gint64      parent,
             gboolean    leaf,
             gboolean    deleted,
             const char *body,
             GError    **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (wr->store,
                                           "INSERT INTO replica_rev (doc_key, pos, hash, parent, is_leaf,"
                                           " deleted, body, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                           error);
  Node *node;
  int rc;

  if (stmt == NULL)
    return NULL;

  node = g_new0 (Node, 1);
  node->pos = pos;
  node->hash = g_strdup (hash);
  node->parent = parent;
  node->leaf = leaf;
  node->deleted = deleted;
  node->has_body = body != NULL;
  node->seq = leaf ? ++wr->seq : 0;

  sqlite3_bind_int64 (stmt, 1, tree->doc_key);
  sqlite3_bind_int64 (stmt, 2, pos);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  if (parent != 0)
    sqlite3_bind_int64 (stmt, 4, parent);
  sqlite3_bind_int (stmt, 5, leaf);
  sqlite3_bind_int (stmt, 6, deleted);
  if (body != NULL)
    sqlite3_bind_text (stmt, 7, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, node->seq);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      node_free (node);
      bb_library_sqlite_failed (wr->store, rc, error);
      return NULL;
    }

  node->key = sqlite3_last_insert_rowid (bb_store_get_db (wr->store));
  return tree_add (tree, node);
}

static gboolean
set_not_leaf (Write   *wr,
              Node    *node,
              GError **error)
{
  g_autoptr(BbLibStmt) stmt = NULL;
  int rc;

  if (!node->leaf)
    return TRUE;

  stmt = bb_store_prepare (wr->store, "UPDATE replica_rev SET is_leaf = 0 WHERE rev_key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, node->key);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return bb_library_sqlite_failed (wr->store, rc, error);
  node->leaf = FALSE;
  return TRUE;
}

static char *
md5_digest (GBytes *data)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  guint8 raw[16];
  gsize raw_len = sizeof raw;
  g_autofree char *base64 = NULL;
  gsize size;
  const guchar *bytes = g_bytes_get_data (data, &size);

  g_checksum_update (checksum, bytes, size);
  g_checksum_get_digest (checksum, raw, &raw_len);
  base64 = g_base64_encode (raw, raw_len);
  return g_strconcat ("md5-", base64, NULL);
}

/* Stores @data once; returns its blob key. */
static gint64
store_blob (Write   *wr,
            GBytes  *data,
            GError **error)
{
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  gint64 key = 0;
  int rc;

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (wr->store,
                                             "SELECT blob_key FROM replica_blob WHERE sha256 = ?1",
                                             error);
    if (stmt == NULL)
      return 0;
    sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      key = sqlite3_column_int64 (stmt, 0);
    else if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (wr->store, rc, error);
  }

  if (key == 0)
    {
      g_autoptr(BbLibStmt) stmt = bb_store_prepare (wr->store,
                                               "INSERT INTO replica_blob (sha256, md5, length, data)"
                                               " VALUES (?1, ?2, ?3, ?4)",
                                               error);
      g_autofree char *md5 = md5_digest (data);
      gsize size;
      const void *bytes = g_bytes_get_data (data, &size);

      if (stmt == NULL)
        return 0;
      sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, md5, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, (gint64) size);
      /* An empty BLOB must not become NULL. */
      sqlite3_bind_blob64 (stmt, 4, bytes != NULL ? bytes : "", size, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return bb_library_sqlite_failed (wr->store, rc, error);
      key = sqlite3_last_insert_rowid (bb_store_get_db (wr->store));
    }

  return key;
}

/* The blob of content known under @digest, or 0. */
static gint64
find_blob (BbStore    *store,
           const char *digest)
{
  static const char * const queries[] = {
    "SELECT blob_key FROM replica_attachment WHERE digest = ?1 LIMIT 1",
    "SELECT blob_key FROM replica_blob WHERE md5 = ?1 LIMIT 1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(BbLibStmt) stmt = bb_store_prepare (store, queries[i], NULL);

      if (stmt == NULL)
        return 0;
      sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return sqlite3_column_int64 (stmt, 0);
    }
  return 0;
}

/* An attachment ready to be stored with a revision. */
typedef struct
{
  char    *name;
  char    *content_type;
  char    *digest;
  gint64   revpos;
  gint64   blob_key;   /* 0 until stored */
  GBytes  *data;       /* to store, or NULL when blob_key is known */
} Att;

static void
att_free (Att *att)
{
  g_free (att->name);
  g_free (att->content_type);
  g_free (att->digest);
  g_clear_pointer (&att->data, g_bytes_unref);
  g_free (att);
}

static int
compare_atts (gconstpointer a,
              gconstpointer b)
{
  const Att *aa = *(const Att * const *) a;
  const Att *ab = *(const Att * const *) b;

  return strcmp (aa->name, ab->name);
}

static gboolean
insert_atts (Write      *wr,
             Node       *node,
             GPtrArray  *atts,
             GError    **error)
{
  for (guint i = 0; atts != NULL && i < atts->len; i++)
    {
      Att *att = g_ptr_array_index (atts, i);
      g_autoptr(BbLibStmt) stmt = NULL;
      int rc;

      if (att->blob_key == 0)
        {
          att->blob_key = store_blob (wr, att->data, error);
          if (att->blob_key == 0)
            return FALSE;
        }

      stmt = bb_store_prepare (wr->store,
                               "INSERT INTO replica_attachment (rev_key, name, content_type, digest,"
                               " revpos, blob_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, node->key);
      sqlite3_bind_text (stmt, 2, att->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, att->content_type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, att->digest, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, att->revpos);
      sqlite3_bind_int64 (stmt, 6, att->blob_key);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return bb_library_sqlite_failed (wr->store, rc, error);
    }
  return TRUE;
}

/* The attachments stored with @rev_key, by name. */
static GPtrArray *
load_atts (BbStore  *store,
           gint64    rev_key,
           GError  **error)
{
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func ((GDestroyNotify) att_free);
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                           "SELECT name, content_type, digest, revpos, blob_key"
                                           " FROM replica_attachment WHERE rev_key = ?1 ORDER BY name",
                                           error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rev_key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Att *att = g_new0 (Att, 1);

      att->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      att->content_type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      att->digest = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      att->revpos = sqlite3_column_int64 (stmt, 3);
      att->blob_key = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (atts, att);
    }
  if (rc != SQLITE_DONE)
    {
      bb_library_sqlite_failed (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&atts);
}

/* Keeps only the last revs_limit nodes of every root-to-leaf path. */
static gboolean
stem_tree (Write   *wr,
           Tree    *tree,
           GError **error)
{
  g_autoptr(GHashTable) keep = g_hash_table_new (g_int64_hash, g_int64_equal);
  gboolean too_deep = FALSE;

  for (guint i = 0; i < tree->nodes->len; i++)
    {
      Node *node = g_ptr_array_index (tree->nodes, i);
      guint depth = 0;

      if (!node->leaf)
        continue;
      for (Node *n = node; n != NULL; n = n->parent != 0 ? tree_lookup_key (tree, n->parent) : NULL)
        {
          if (depth == wr->revs_limit)
            {
              too_deep = TRUE;
              break;
            }
          g_hash_table_add (keep, &n->key);
          depth++;
        }
    }

  if (!too_deep)
    return TRUE;

  for (guint i = 0; i < tree->nodes->len; i++)
    {
      Node *node = g_ptr_array_index (tree->nodes, i);
      g_autoptr(GPtrArray) atts = NULL;
      g_autoptr(BbLibStmt) stmt = NULL;
      int rc;

      if (g_hash_table_contains (keep, &node->key))
        continue;

      atts = load_atts (wr->store, node->key, error);
      if (atts == NULL)
        return FALSE;
      for (guint j = 0; j < atts->len; j++)
        g_array_append_val (wr->freed_blobs, ((Att *) g_ptr_array_index (atts, j))->blob_key);

      /* Children lose their parent (ON DELETE SET NULL): they become roots. */
      stmt = bb_store_prepare (wr->store, "DELETE FROM replica_rev WHERE rev_key = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, node->key);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return bb_library_sqlite_failed (wr->store, rc, error);
    }

  return TRUE;
}

/* After new nodes were added to @tree: the cached winner and seq of the
 * document, stemming, and the library's indexes. */
static gboolean
finish_doc (Write       *wr,
            Tree        *tree,
            Node        *new_leaf,
            JsonObject  *new_body,
            GError     **error)
{
  g_autoptr(GPtrArray) leaves = tree_leaves (tree);
  Node *winner;
  gboolean winner_changed;
  int rc;

  g_assert (leaves->len > 0);
  winner = g_ptr_array_index (leaves, 0);
  winner_changed = winner->key != tree->winner || winner->deleted != tree->winner_deleted;

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (wr->store,
                                             "UPDATE replica_doc SET winner = ?2, deleted = ?3, seq = ?4"
                                             " WHERE doc_key = ?1",
                                             error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, tree->doc_key);
    sqlite3_bind_int64 (stmt, 2, winner->key);
    sqlite3_bind_int (stmt, 3, winner->deleted);
    sqlite3_bind_int64 (stmt, 4, new_leaf->seq);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (wr->store, rc, error);
  }

  tree->winner = winner->key;
  tree->winner_deleted = winner->deleted;

  if (!stem_tree (wr, tree, error))
    return FALSE;

  if (winner_changed &&
      !bb_library_index_winner (wr->store, tree->doc_key,
                                winner->deleted ? 0 : winner->key,
                                winner == new_leaf ? new_body : NULL,
                                wr->defer_text, error))
    return FALSE;
  wr->deferred |= winner_changed && wr->defer_text;

  return TRUE;
}

/* bb_replica_put (new_edits=true) */

BbReplicaAttachment *
bb_replica_attachment_new (const char *name,
                           const char *content_type,
                           GBytes     *data)
{
  BbReplicaAttachment *attachment = g_new0 (BbReplicaAttachment, 1);

  attachment->name = g_strdup (name);
  attachment->content_type = g_strdup (content_type);
  attachment->data = data != NULL ? g_bytes_ref (data) : NULL;
  return attachment;
}

void
bb_replica_attachment_free (BbReplicaAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->name);
  g_free (attachment->content_type);
  g_clear_pointer (&attachment->data, g_bytes_unref);
  g_free (attachment);
}

void
bb_replica_attachment_info_free (BbReplicaAttachmentInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->content_type);
  g_free (info->digest);
  g_free (info);
}

void
bb_replica_leaf_free (BbReplicaLeaf *leaf)
{
  if (leaf == NULL)
    return;
  g_free (leaf->rev);
  g_free (leaf);
}

static char *
compute_rev_hash (const char *parent_rev,
                  gboolean    deleted,
                  const char *body,
                  GPtrArray  *atts)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  static const guchar zero = 0;

  if (parent_rev != NULL)
    g_checksum_update (checksum, (const guchar *) parent_rev, -1);
  g_checksum_update (checksum, &zero, 1);
  g_checksum_update (checksum, (const guchar *) (deleted ? "1" : "0"), 1);
  g_checksum_update (checksum, &zero, 1);
  g_checksum_update (checksum, (const guchar *) body, -1);
  for (guint i = 0; atts != NULL && i < atts->len; i++)
    {
      Att *att = g_ptr_array_index (atts, i);

      g_checksum_update (checksum, &zero, 1);
      g_checksum_update (checksum, (const guchar *) att->name, -1);
      g_checksum_update (checksum, &zero, 1);
      g_checksum_update (checksum, (const guchar *) att->content_type, -1);
      g_checksum_update (checksum, &zero, 1);
      g_checksum_update (checksum, (const guchar *) att->digest, -1);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

static Att *
find_att (GPtrArray  *atts,
          const char *name)
{
  for (guint i = 0; atts != NULL && i < atts->len; i++)
    {
      Att *att = g_ptr_array_index (atts, i);

      if (strcmp (att->name, name) == 0)
        return att;
    }
  return NULL;
}

static gboolean
put_revision (Write       *wr,
              const char  *doc_id,
                const char  *parent_rev,
                JsonObject  *body,
                gboolean     deleted,
                GPtrArray   *attachments,
                char       **out_rev,
                GError     **error)
{
  g_autoptr(Tree) tree = NULL;
  g_autoptr(GPtrArray) parent_atts = NULL;
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func ((GDestroyNotify) att_free);
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *parent_rev_text = NULL;
  Node *parent = NULL;
  BbStore *store = wr->store;
  Node *leaf;
  gint64 pos;

  if (!valid_doc_id (doc_id))
    {
      set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                 _("“%s” is not a valid document id."), doc_id != NULL ? doc_id : "");
      return FALSE;
    }

  if (body != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (body);

      for (GList *l = members; l != NULL; l = l->next)
        if (((const char *) l->data)[0] == '_')
          {
            set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                       _("The document “%s” has a field “%s”; names starting with “_” are reserved."),
                       doc_id, (const char *) l->data);
            return FALSE;
          }
    }

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      BbReplicaAttachment *attachment = g_ptr_array_index (attachments, i);

      if (!valid_attachment_name (attachment->name))
        {
          set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                     _("“%s” is not a valid attachment name."),
                     attachment->name != NULL ? attachment->name : "");
          return FALSE;
        }
    }

  tree = load_tree (store, doc_id, error);
  if (tree == NULL)
    return FALSE;

  if (parent_rev == NULL)
    {
      if (tree->doc_key != 0 && !tree->winner_deleted)
        {
          set_error (error, BB_REPLICA_ERROR_CONFLICT,
                     _("The document “%s” already exists."), doc_id);
          return FALSE;
        }
      /* A deleted document is continued from its tombstone, as CouchDB does. */
      if (tree->doc_key != 0)
        parent = tree_lookup_key (tree, tree->winner);
    }
  else
    {
      gint64 parent_pos;
      const char *parent_hash;

      if (!bb_replica_parse_rev (parent_rev, &parent_pos, &parent_hash) || parent_pos < 1)
        {
          set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                     _("“%s” is not a valid revision."), parent_rev);
          return FALSE;
        }
      parent = tree_lookup (tree, parent_pos, parent_hash);
      if (parent == NULL || !parent->leaf)
        {
          set_error (error, BB_REPLICA_ERROR_CONFLICT,
                     _("The document “%s” was changed elsewhere since it was read."), doc_id);
          return FALSE;
        }
    }

  pos = parent != NULL ? parent->pos + 1 : 1;
  if (parent != NULL)
    {
      parent_rev_text = rev_string (parent->pos, parent->hash);
      parent_atts = load_atts (store, parent->key, error);
      if (parent_atts == NULL)
        return FALSE;
    }

  if (attachments == NULL)
    {
      for (guint i = 0; !deleted && parent_atts != NULL && i < parent_atts->len; i++)
        {
          Att *old = g_ptr_array_index (parent_atts, i);
          Att *att = g_new0 (Att, 1);

          att->name = g_strdup (old->name);
          att->content_type = g_strdup (old->content_type);
          att->digest = g_strdup (old->digest);
          att->revpos = old->revpos;
          att->blob_key = old->blob_key;
          g_ptr_array_add (atts, att);
        }
    }
  else
    {
      for (guint i = 0; i < attachments->len; i++)
        {
          BbReplicaAttachment *attachment = g_ptr_array_index (attachments, i);
          Att *old = find_att (parent_atts, attachment->name);
          Att *att;

          if (find_att (atts, attachment->name) != NULL)
            {
              set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                         _("The attachment “%s” is given twice."), attachment->name);
              return FALSE;
            }

          att = g_new0 (Att, 1);
          att->name = g_strdup (attachment->name);
          g_ptr_array_add (atts, att);

          if (attachment->data != NULL)
            {
              att->content_type = g_strdup (attachment->content_type != NULL ?
                                            attachment->content_type : "application/octet-stream");
              att->data = g_bytes_ref (attachment->data);
              att->digest = md5_digest (attachment->data);
              att->revpos = pos;
            }
          else if (old != NULL)
            {
              att->content_type = g_strdup (attachment->content_type != NULL ?
                                            attachment->content_type : old->content_type);
              att->digest = g_strdup (old->digest);
              att->revpos = old->revpos;
              att->blob_key = old->blob_key;
            }
          else
            {
              set_error (error, BB_REPLICA_ERROR_MISSING_STUB,
                         _("The attachment “%s” of “%s” has no content."),
                         attachment->name, doc_id);
              return FALSE;
            }
        }
    }

  g_ptr_array_sort (atts, compare_atts);
  canonical = canonical_body (body);
  hash = compute_rev_hash (parent_rev_text, deleted, canonical, atts);

  if (tree_lookup (tree, pos, hash) != NULL)
    {
      set_error (error, BB_REPLICA_ERROR_CONFLICT,
                 _("The document “%s” was changed elsewhere since it was read."), doc_id);
      return FALSE;
    }

  if (tree->doc_key == 0 && !insert_doc (wr, tree, doc_id, error))
    return FALSE;
  if (parent != NULL && !set_not_leaf (wr, parent, error))
    return FALSE;
  leaf = insert_node (wr, tree, pos, hash, parent != NULL ? parent->key : 0,
                      TRUE, deleted, canonical, error);
  if (leaf == NULL ||
      !insert_atts (wr, leaf, atts, error) ||
      !finish_doc (wr, tree, leaf, body, error))
    return FALSE;

  if (out_rev != NULL)
    *out_rev = rev_string (pos, hash);
  return TRUE;
}

gboolean
bb_replica_put (BbStore     *store,
                const char  *doc_id,
                const char  *parent_rev,
                JsonObject  *body,
                gboolean     deleted,
                GPtrArray   *attachments,
                char       **out_rev,
                GError     **error)
{
  g_autofree char *rev = NULL;
  Write w;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!write_begin (&w, store, error))
    return FALSE;
  if (!put_revision (&w, doc_id, parent_rev, body, deleted, attachments, &rev, error))
    {
      write_abort (&w);
      return FALSE;
    }
  if (!write_commit (&w, error))
    return FALSE;

  if (out_rev != NULL)
    *out_rev = g_steal_pointer (&rev);
  return TRUE;
}

gboolean
bb_replica_delete_leaves (BbStore     *store,
                          const char  *doc_id,
                          GPtrArray   *leaves,
                          char       **out_rev,
                          GError     **error)
{
  g_autofree char *first_rev = NULL;
  Write w;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (leaves != NULL, FALSE);

  if (!write_begin (&w, store, error))
    return FALSE;
  for (guint i = 0; i < leaves->len; i++)
    {
      BbReplicaLeaf *leaf = g_ptr_array_index (leaves, i);
      g_autofree char *rev = NULL;

      if (leaf->deleted)
        continue;
      if (!put_revision (&w, doc_id, leaf->rev, NULL, TRUE, NULL, &rev, error))
        {
          write_abort (&w);
          return FALSE;
        }
      if (first_rev == NULL)
        first_rev = g_steal_pointer (&rev);
    }
  if (!write_commit (&w, error))
    return FALSE;

  if (out_rev != NULL)
    *out_rev = g_steal_pointer (&first_rev);
  return TRUE;
}

/* bb_replica_put_revisions (new_edits=false) */

typedef struct
{
  char        *id;
  char        *rev;
  gint64      *positions;   /* newest first */
  char       **hashes;      /* newest first, NULL-terminated */
  guint        length;
  gboolean     deleted;
  JsonObject  *body;        /* as received; the indexes ignore "_" members */
  char        *canonical;
  GPtrArray   *atts;        /* Att* */
} Incoming;

static void
incoming_free (Incoming *in)
{
  g_free (in->id);
  g_free (in->rev);
  g_free (in->positions);
  g_strfreev (in->hashes);
  g_clear_pointer (&in->body, json_object_unref);
  g_free (in->canonical);
  g_clear_pointer (&in->atts, g_ptr_array_unref);
  g_free (in);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Incoming, incoming_free)

static gboolean
valid_base64 (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=' &&
        !g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static const char *
object_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
object_int (JsonObject *object,
            const char *name,
            gint64     *out_value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out_value = json_node_get_int (node);
  return TRUE;
}

static gboolean
object_true (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* Reads one attachment entry of an incoming revision; a stub whose content
 * is unknown is BB_REPLICA_ERROR_MISSING_STUB. */
static Att *
parse_incoming_att (BbStore     *store,
                    const char  *doc_id,
                    const char  *name,
                    JsonNode    *node,
                    gint64       leaf_pos,
                    GHashTable  *follows,
                    GError     **error)
{
  g_autoptr(GBytes) data = NULL;
  JsonObject *object;
  const char *content_type;
  const char *digest;
  Att *att;

  if (!valid_attachment_name (name) || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                 _("The attachment “%s” of “%s” is malformed."), name, doc_id);
      return NULL;
    }
  object = json_node_get_object (node);
  content_type = object_string (object, "content_type");
  digest = object_string (object, "digest");

  att = g_new0 (Att, 1);
  att->name = g_strdup (name);
  if (!object_int (object, "revpos", &att->revpos) || att->revpos < 1 || att->revpos > leaf_pos)
    att->revpos = leaf_pos;

  if (object_true (object, "stub"))
    {
      if (digest == NULL || (att->blob_key = find_blob (store, digest)) == 0)
        {
          set_error (error, BB_REPLICA_ERROR_MISSING_STUB,
                     _("The attachment “%s” of “%s” refers to content this library does not have."),
                     name, doc_id);
          att_free (att);
          return NULL;
        }
      att->digest = g_strdup (digest);
      if (content_type == NULL)
        {
          g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                   "SELECT content_type FROM replica_attachment"
                                                   " WHERE digest = ?1 LIMIT 1", NULL);
          if (stmt != NULL)
            {
              sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_STATIC);
              if (sqlite3_step (stmt) == SQLITE_ROW)
                content_type = (const char *) sqlite3_column_text (stmt, 0);
              att->content_type = g_strdup (content_type);
            }
        }
      else
        att->content_type = g_strdup (content_type);
      if (att->content_type == NULL)
        att->content_type = g_strdup ("application/octet-stream");
      return att;
    }

  if (object_true (object, "follows"))
    {
      GBytes *given = follows != NULL ? g_hash_table_lookup (follows, name) : NULL;

      if (given != NULL)
        data = g_bytes_ref (given);
    }
  else
    {
      const char *base64 = object_string (object, "data");

      if (base64 != NULL && valid_base64 (base64))
        {
          gsize length = 0;
          guchar *decoded = g_base64_decode (base64, &length);

          data = g_bytes_new_take (decoded, length);
        }
    }

  if (data == NULL)
    {
      set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                 _("The attachment “%s” of “%s” has no content."), name, doc_id);
      att_free (att);
      return NULL;
    }

  if (g_strcmp0 (object_string (object, "encoding"), "gzip") == 0)
    {
      g_autoptr(GError) local_error = NULL;
      /* At most what a user may attach (BB_LIBRARY_MAX_ATTACHMENT): a few
       * kilobytes of gzip can otherwise unpack to gigabytes. */
      GBytes *plain = bb_sync_gunzip (data, BB_LIBRARY_MAX_ATTACHMENT, &local_error);

      if (plain == NULL)
        {
          g_autofree char *limit = g_format_size (BB_LIBRARY_MAX_ATTACHMENT);

          set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                     _("The attachment “%s” of “%s” is not valid gzip data, or unpacks to more than %s."),
                     name, doc_id, limit);
          att_free (att);
          return NULL;
        }
      g_bytes_unref (data);
      data = plain;
    }

  att->content_type = g_strdup (content_type != NULL ? content_type : "application/octet-stream");
  att->digest = digest != NULL ? g_strdup (digest) : md5_digest (data);
  att->data = g_steal_pointer (&data);
  return att;
}

/* Checks and reads one incoming document. A problem with the document is
 * BB_REPLICA_ERROR_BAD_REQUEST; a missing stub is MISSING_STUB. */
static Incoming *
parse_incoming (BbStore     *store,
                JsonObject  *doc,
                GHashTable  *follows,
                GError     **error)
{
  g_autoptr(Incoming) in = g_new0 (Incoming, 1);
  const char *id = object_string (doc, "_id");
  const char *rev = object_string (doc, "_rev");
  JsonNode *revisions = json_object_get_member (doc, "_revisions");
  JsonNode *attachments = json_object_get_member (doc, "_attachments");
  gint64 pos;
  const char *hash;

  if (!valid_doc_id (id))
    {
      set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                 _("“%s” is not a valid document id."), id != NULL ? id : "");
      return NULL;
    }
  in->id = g_strdup (id);

  if (!bb_replica_parse_rev (rev, &pos, &hash) || pos < 1)
    {
      set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                 _("The document “%s” has no valid revision."), id);
      return NULL;
    }
  in->rev = g_strdup (rev);

  if (revisions != NULL && !JSON_NODE_HOLDS_NULL (revisions))
    {
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (revisions) ? json_node_get_object (revisions) : NULL;
      JsonNode *ids_node = object != NULL ? json_object_get_member (object, "ids") : NULL;
      JsonArray *ids = ids_node != NULL && JSON_NODE_HOLDS_ARRAY (ids_node) ? json_node_get_array (ids_node) : NULL;
      gint64 start = 0;

      if (ids == NULL || !object_int (object, "start", &start) || start != pos ||
          json_array_get_length (ids) == 0 || (gint64) json_array_get_length (ids) > start)
        {
          set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                     _("The revision history of “%s” is malformed."), id);
          return NULL;
        }

      in->length = json_array_get_length (ids);
      in->positions = g_new (gint64, in->length);
      in->hashes = g_new0 (char *, in->length + 1);
      for (guint i = 0; i < in->length; i++)
        {
          JsonNode *element = json_array_get_element (ids, i);
          const char *text = JSON_NODE_HOLDS_VALUE (element) &&
                             json_node_get_value_type (element) == G_TYPE_STRING ?
                             json_node_get_string (element) : NULL;

          if (text == NULL || text[0] == '\0' || !g_utf8_validate (text, -1, NULL) ||
              (i == 0 && strcmp (text, hash) != 0))
            {
              set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                         _("The revision history of “%s” is malformed."), id);
              return NULL;
            }
          in->positions[i] = start - i;
          in->hashes[i] = g_strdup (text);
        }
    }
  else
    {
      in->length = 1;
      in->positions = g_new (gint64, 1);
      in->positions[0] = pos;
      in->hashes = g_new0 (char *, 2);
      in->hashes[0] = g_strdup (hash);
    }

  in->deleted = object_true (doc, "_deleted");
  in->canonical = canonical_body (doc);
  /* For the library's index, which reads only its own members: no copy. */
  in->body = json_object_ref (doc);

  in->atts = g_ptr_array_new_with_free_func ((GDestroyNotify) att_free);
  if (attachments != NULL && !JSON_NODE_HOLDS_NULL (attachments))
    {
      JsonObject *object;
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (attachments))
        {
          set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                     _("The attachments of “%s” are malformed."), id);
          return NULL;
        }
      object = json_node_get_object (attachments);
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          Att *att = parse_incoming_att (store, id, l->data,
                                         json_object_get_member (object, l->data),
                                         pos, follows, error);
          if (att == NULL)
            return NULL;
          g_ptr_array_add (in->atts, att);
        }
      g_ptr_array_sort (in->atts, compare_atts);
    }

  return g_steal_pointer (&in);
}

/* Merges one incoming revision path into its document's tree. */
static gboolean
merge_incoming (Write     *wr,
                Incoming  *in,
                GError   **error)
{
  g_autoptr(Tree) tree = load_tree (wr->store, in->id, error);
  Node *graft = NULL;
  guint shared;
  guint length;
  Node *node;

  if (tree == NULL)
    return FALSE;

  /* Already known anywhere in the tree: nothing to do (idempotent). */
  if (tree_lookup (tree, in->positions[0], in->hashes[0]) != NULL)
    return TRUE;

  /* Never store more history than the limit keeps. */
  length = MIN (in->length, wr->revs_limit);

  for (shared = 1; shared < length; shared++)
    if ((graft = tree_lookup (tree, in->positions[shared], in->hashes[shared])) != NULL)
      break;
  if (graft == NULL)
    shared = length;

  if (tree->doc_key == 0 && !insert_doc (wr, tree, in->id, error))
    return FALSE;
  if (graft != NULL && !set_not_leaf (wr, graft, error))
    return FALSE;

  /* Ancestors we did not have, oldest first, without bodies. */
  node = graft;
  for (guint i = shared - 1; i >= 1; i--)
    {
      node = insert_node (wr, tree, in->positions[i], in->hashes[i],
                          node != NULL ? node->key : 0, FALSE, FALSE, NULL, error);
      if (node == NULL)
        return FALSE;
    }

  node = insert_node (wr, tree, in->positions[0], in->hashes[0],
                      node != NULL ? node->key : 0, TRUE, in->deleted, in->canonical, error);
  if (node == NULL ||
      !insert_atts (wr, node, in->atts, error) ||
      !finish_doc (wr, tree, node, in->body, error))
    return FALSE;

  return TRUE;
}

static JsonObject *
error_row (const char *id,
           const char *rev,
           GError     *error)
{
  JsonObject *row = json_object_new ();

  json_object_set_string_member (row, "id", id != NULL ? id : "");
  if (rev != NULL)
    json_object_set_string_member (row, "rev", rev);
  json_object_set_string_member (row, "error", "bad_request");
  json_object_set_string_member (row, "reason", error->message);
  return row;
}

gboolean
bb_replica_put_revisions (BbStore     *store,
                          GPtrArray   *docs,
                          GHashTable  *follows,
                          GPtrArray  **out_errors,
                          GError     **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) incoming = g_ptr_array_new_with_free_func ((GDestroyNotify) incoming_free);
  Write w;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (docs != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!write_begin (&w, store, error))
    return FALSE;
  w.defer_text = TRUE;

  /* First read and check everything, so a missing stub writes nothing. */
  for (guint i = 0; i < docs->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (docs, i);
      g_autoptr(GError) local_error = NULL;
      Incoming *in = parse_incoming (store, doc, follows, &local_error);

      if (in == NULL)
        {
          if (g_error_matches (local_error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_BAD_REQUEST))
            {
              g_ptr_array_add (errors, error_row (object_string (doc, "_id"),
                                                  object_string (doc, "_rev"), local_error));
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          write_abort (&w);
          return FALSE;
        }
      g_ptr_array_add (incoming, in);
    }

  for (guint i = 0; i < incoming->len; i++)
    if (!merge_incoming (&w, g_ptr_array_index (incoming, i), error))
      {
        write_abort (&w);
        return FALSE;
      }

  if (!write_commit (&w, error))
    return FALSE;
  if (w.deferred)
    bb_library_schedule_index_flush (store);

  if (out_errors != NULL)
    *out_errors = g_steal_pointer (&errors);
  return TRUE;
}

/* Reading */

typedef struct
{
  gint64    key;
  gint64    pos;
  char     *hash;
  gint64    parent;
  gboolean  leaf;
  gboolean  deleted;
  char     *body;      /* NULL: missing */
  gint64    seq;
} RevRow;

static void
rev_row_clear (RevRow *row)
{
  g_clear_pointer (&row->hash, g_free);
  g_clear_pointer (&row->body, g_free);
}

#define REV_ROW_COLUMNS "rev_key, pos, hash, parent, is_leaf, deleted, body, seq"

static void
read_rev_row (sqlite3_stmt *stmt,
              RevRow       *row)
{
  row->key = sqlite3_column_int64 (stmt, 0);
  row->pos = sqlite3_column_int64 (stmt, 1);
  row->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  row->parent = sqlite3_column_int64 (stmt, 3);
  row->leaf = sqlite3_column_int (stmt, 4) != 0;
  row->deleted = sqlite3_column_int (stmt, 5) != 0;
  row->body = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  row->seq = sqlite3_column_int64 (stmt, 7);
}

/* FALSE with no error when there is no such row. */
static gboolean
load_rev_by_key (BbStore  *store,
                 gint64    key,
                 RevRow   *row,
                 GError  **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                           "SELECT " REV_ROW_COLUMNS " FROM replica_rev WHERE rev_key = ?1",
                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      read_rev_row (stmt, row);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    bb_library_sqlite_failed (store, rc, error);
  return FALSE;
}

static gboolean
load_rev (BbStore    *store,
          gint64      doc_key,
          gint64      pos,
          const char *hash,
          RevRow     *row,
          GError    **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                           "SELECT " REV_ROW_COLUMNS " FROM replica_rev"
                                           " WHERE doc_key = ?1 AND pos = ?2 AND hash = ?3",
                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, doc_key);
  sqlite3_bind_int64 (stmt, 2, pos);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      read_rev_row (stmt, row);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    bb_library_sqlite_failed (store, rc, error);
  return FALSE;
}

/* Leaves of a document, best first (element-type BbReplicaLeaf) with the
 * node keys in @out_keys when given. */
static GPtrArray *
load_leaves (BbStore  *store,
             gint64    doc_key,
             GArray  **out_keys,
             GError  **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  g_autoptr(GPtrArray) leaves = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_replica_leaf_free);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                             "SELECT rev_key, pos, hash, deleted, seq FROM replica_rev"
                                             " WHERE doc_key = ?1 AND is_leaf = 1",
                                             error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, doc_key);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        Node *node = g_new0 (Node, 1);

        node->key = sqlite3_column_int64 (stmt, 0);
        node->pos = sqlite3_column_int64 (stmt, 1);
        node->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
        node->deleted = sqlite3_column_int (stmt, 3) != 0;
        node->seq = sqlite3_column_int64 (stmt, 4);
        node->leaf = TRUE;
        g_ptr_array_add (nodes, node);
      }
    if (rc != SQLITE_DONE)
      {
        bb_library_sqlite_failed (store, rc, error);
        return NULL;
      }
  }

  g_ptr_array_sort (nodes, compare_nodes);
  for (guint i = 0; i < nodes->len; i++)
    {
      Node *node = g_ptr_array_index (nodes, i);
      BbReplicaLeaf *leaf = g_new0 (BbReplicaLeaf, 1);

      leaf->rev = rev_string (node->pos, node->hash);
      leaf->deleted = node->deleted;
      leaf->seq = node->seq;
      g_ptr_array_add (leaves, leaf);
      g_array_append_val (keys, node->key);
    }

  if (out_keys != NULL)
    *out_keys = g_steal_pointer (&keys);
  return g_steal_pointer (&leaves);
}

/* The leaves that descend from @key (itself when it is a leaf), best
 * first, as node keys. */
static GArray *
descendant_leaves (BbStore  *store,
                   gint64    key,
                   GError  **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                           "WITH RECURSIVE below (k) AS ("
                                           " SELECT ?1 UNION ALL"
                                           " SELECT r.rev_key FROM replica_rev r JOIN below ON r.parent = below.k)"
                                           " SELECT r.rev_key, r.pos, r.hash, r.deleted FROM below"
                                           " JOIN replica_rev r ON r.rev_key = below.k WHERE r.is_leaf = 1",
                                           error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Node *node = g_new0 (Node, 1);

      node->key = sqlite3_column_int64 (stmt, 0);
      node->pos = sqlite3_column_int64 (stmt, 1);
      node->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      node->deleted = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (nodes, node);
    }
  if (rc != SQLITE_DONE)
    {
      bb_library_sqlite_failed (store, rc, error);
      return NULL;
    }
  g_ptr_array_sort (nodes, compare_nodes);
  for (guint i = 0; i < nodes->len; i++)
    g_array_append_val (keys, ((Node *) g_ptr_array_index (nodes, i))->key);
  return g_steal_pointer (&keys);
}

static JsonObject *
attachment_json (BbStore      *store,
                 sqlite3_stmt *stmt,
                 gboolean      with_data,
                 GError      **error)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "content_type", (const char *) sqlite3_column_text (stmt, 1));
  json_object_set_string_member (object, "digest", (const char *) sqlite3_column_text (stmt, 2));
  json_object_set_int_member (object, "length", sqlite3_column_int64 (stmt, 4));
  json_object_set_int_member (object, "revpos", sqlite3_column_int64 (stmt, 3));
  if (with_data)
    {
      g_autoptr(BbLibStmt) data_stmt = bb_store_prepare (store,
                                                    "SELECT data FROM replica_blob WHERE blob_key = ?1",
                                                    error);
      g_autofree char *base64 = NULL;

      if (data_stmt == NULL)
        {
          json_object_unref (object);
          return NULL;
        }
      sqlite3_bind_int64 (data_stmt, 1, sqlite3_column_int64 (stmt, 5));
      if (sqlite3_step (data_stmt) != SQLITE_ROW)
        {
          json_object_unref (object);
          set_error (error, BB_REPLICA_ERROR_FAILED, _("An attachment’s content is missing."));
          return NULL;
        }
      base64 = g_base64_encode (sqlite3_column_blob (data_stmt, 0),
                                (gsize) sqlite3_column_bytes (data_stmt, 0));
      json_object_set_string_member (object, "data", base64);
    }
  else
    json_object_set_boolean_member (object, "stub", TRUE);

  return object;
}

static gboolean
add_attachments_json (BbStore     *store,
                      JsonObject  *doc,
                      gint64       rev_key,
                      gboolean     with_data,
                      GError     **error)
{
  g_autoptr(JsonObject) attachments = json_object_new ();
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                           "SELECT a.name, a.content_type, a.digest, a.revpos, b.length, b.blob_key"
                                           " FROM replica_attachment a JOIN replica_blob b USING (blob_key)"
                                           " WHERE a.rev_key = ?1 ORDER BY a.name",
                                           error);
  gboolean any = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rev_key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *object = attachment_json (store, stmt, with_data, error);

      if (object == NULL)
        return FALSE;
      json_object_set_object_member (attachments, (const char *) sqlite3_column_text (stmt, 0), object);
      any = TRUE;
    }
  if (rc != SQLITE_DONE)
    return bb_library_sqlite_failed (store, rc, error);

  if (any)
    json_object_set_object_member (doc, "_attachments", g_steal_pointer (&attachments));
  return TRUE;
}

/* The path from @key to its oldest stored ancestor. */
static gboolean
add_history_json (BbStore     *store,
                  JsonObject  *doc,
                  RevRow      *row,
                  gboolean     revisions,
                  gboolean     revs_info,
                  GError     **error)
{
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonArray) info = json_array_new ();
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                           "WITH RECURSIVE above (k, depth) AS ("
                                           " SELECT ?1, 0 UNION ALL"
                                           " SELECT r.parent, above.depth + 1 FROM replica_rev r"
                                           " JOIN above ON r.rev_key = above.k WHERE r.parent IS NOT NULL)"
                                           " SELECT r.pos, r.hash, r.deleted, r.body IS NOT NULL FROM above"
                                           " JOIN replica_rev r ON r.rev_key = above.k ORDER BY above.depth",
                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row->key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *hash = (const char *) sqlite3_column_text (stmt, 1);

      json_array_add_string_element (ids, hash);
      if (revs_info)
        {
          JsonObject *entry = json_object_new ();
          g_autofree char *rev = rev_string (sqlite3_column_int64 (stmt, 0), hash);

          json_object_set_string_member (entry, "rev", rev);
          json_object_set_string_member (entry, "status",
                                         sqlite3_column_int (stmt, 3) == 0 ? "missing" :
                                         sqlite3_column_int (stmt, 2) != 0 ? "deleted" : "available");
          json_array_add_object_element (info, entry);
        }
    }
  if (rc != SQLITE_DONE)
    return bb_library_sqlite_failed (store, rc, error);

  if (revisions)
    {
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "start", row->pos);
      json_object_set_array_member (object, "ids", g_steal_pointer (&ids));
      json_object_set_object_member (doc, "_revisions", object);
    }
  if (revs_info)
    json_object_set_array_member (doc, "_revs_info", g_steal_pointer (&info));
  return TRUE;
}

static JsonObject *
build_doc (BbStore           *store,
           const char        *doc_id,
           gint64             doc_key,
           RevRow            *row,
           BbReplicaGetFlags  flags,
           GError           **error)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autofree char *rev = rev_string (row->pos, row->hash);
  g_autoptr(GList) members = NULL;

  if (row->body == NULL)
    {
      set_error (error, BB_REPLICA_ERROR_NOT_FOUND,
                 _("The revision “%s” of “%s” is not available here."), rev, doc_id);
      return NULL;
    }
  body = parse_object (row->body, error);
  if (body == NULL)
    return NULL;

  json_object_set_string_member (doc, "_id", doc_id);
  json_object_set_string_member (doc, "_rev", rev);
  members = json_object_get_members (body);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (doc, l->data, json_node_copy (json_object_get_member (body, l->data)));
  if (row->deleted)
    json_object_set_boolean_member (doc, "_deleted", TRUE);

  if (!add_attachments_json (store, doc, row->key, (flags & BB_REPLICA_GET_ATTACHMENTS) != 0, error))
    return NULL;

  if ((flags & (BB_REPLICA_GET_REVS | BB_REPLICA_GET_REVS_INFO)) != 0 &&
      !add_history_json (store, doc, row, (flags & BB_REPLICA_GET_REVS) != 0,
                         (flags & BB_REPLICA_GET_REVS_INFO) != 0, error))
    return NULL;

  if ((flags & (BB_REPLICA_GET_CONFLICTS | BB_REPLICA_GET_DELETED_CONFLICTS)) != 0)
    {
      g_autoptr(GPtrArray) leaves = load_leaves (store, doc_key, NULL, error);
      g_autoptr(JsonArray) conflicts = json_array_new ();
      g_autoptr(JsonArray) deleted_conflicts = json_array_new ();

      if (leaves == NULL)
        return NULL;
      for (guint i = 0; i < leaves->len; i++)
        {
          BbReplicaLeaf *leaf = g_ptr_array_index (leaves, i);

          if (strcmp (leaf->rev, rev) == 0)
            continue;
          json_array_add_string_element (leaf->deleted ? deleted_conflicts : conflicts, leaf->rev);
        }
      if ((flags & BB_REPLICA_GET_CONFLICTS) != 0 && json_array_get_length (conflicts) > 0)
        json_object_set_array_member (doc, "_conflicts", g_steal_pointer (&conflicts));
      if ((flags & BB_REPLICA_GET_DELETED_CONFLICTS) != 0 && json_array_get_length (deleted_conflicts) > 0)
        json_object_set_array_member (doc, "_deleted_conflicts", g_steal_pointer (&deleted_conflicts));
    }

  if ((flags & BB_REPLICA_GET_LOCAL_SEQ) != 0)
    json_object_set_int_member (doc, "_local_seq", row->seq);

  return g_steal_pointer (&doc);
}

static void
set_doc_not_found (GError     **error,
                   const char  *doc_id)
{
  set_error (error, BB_REPLICA_ERROR_NOT_FOUND,
             _("There is no document “%s”."), doc_id);
}

JsonObject *
bb_replica_get (BbStore            *store,
                const char         *doc_id,
                const char         *rev,
                BbReplicaGetFlags   flags,
                GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  RevRow row = { 0, };
  gint64 doc_key, winner;
  gboolean deleted;
  JsonObject *doc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  if (!find_doc (store, doc_id, &doc_key, &winner, &deleted, error))
    return NULL;
  if (doc_key == 0)
    {
      set_doc_not_found (error, doc_id);
      return NULL;
    }

  if (rev == NULL)
    {
      if (deleted)
        {
          set_error (error, BB_REPLICA_ERROR_NOT_FOUND,
                     _("The document “%s” was deleted."), doc_id);
          return NULL;
        }
      if (!load_rev_by_key (store, winner, &row, &local_error))
        goto not_found;
    }
  else
    {
      gint64 pos;
      const char *hash;

      if (!bb_replica_parse_rev (rev, &pos, &hash) ||
          !load_rev (store, doc_key, pos, hash, &row, &local_error))
        goto not_found;

      if (!row.leaf && (flags & BB_REPLICA_GET_LATEST) != 0)
        {
          g_autoptr(GArray) keys = descendant_leaves (store, row.key, error);

          if (keys == NULL)
            {
              rev_row_clear (&row);
              return NULL;
            }
          rev_row_clear (&row);
          if (keys->len == 0 || !load_rev_by_key (store, g_array_index (keys, gint64, 0), &row, &local_error))
            goto not_found;
        }
    }

  doc = build_doc (store, doc_id, doc_key, &row, flags, error);
  rev_row_clear (&row);
  return doc;

not_found:
  rev_row_clear (&row);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    set_error (error, BB_REPLICA_ERROR_NOT_FOUND,
               _("The document “%s” has no revision “%s”."), doc_id, rev != NULL ? rev : "");
  return NULL;
}

static JsonObject *
missing_element (const char *rev)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "missing", rev);
  return object;
}

static gboolean
add_ok_element (BbStore            *store,
                JsonArray          *result,
                const char         *doc_id,
                gint64              doc_key,
                gint64              key,
                BbReplicaGetFlags   flags,
                GError            **error)
{
  RevRow row = { 0, };
  JsonObject *doc;
  JsonObject *element;

  if (!load_rev_by_key (store, key, &row, error))
    return error == NULL || *error == NULL;

  if (row.body == NULL)
    {
      g_autofree char *rev = rev_string (row.pos, row.hash);

      json_array_add_object_element (result, missing_element (rev));
      rev_row_clear (&row);
      return TRUE;
    }

  doc = build_doc (store, doc_id, doc_key, &row, flags & ~BB_REPLICA_GET_LATEST, error);
  rev_row_clear (&row);
  if (doc == NULL)
    return FALSE;

  element = json_object_new ();
  json_object_set_object_member (element, "ok", doc);
  json_array_add_object_element (result, element);
  return TRUE;
}

JsonArray *
bb_replica_get_open_revs (BbStore            *store,
                          const char         *doc_id,
                          const char * const *revs,
                          BbReplicaGetFlags   flags,
                          GError            **error)
{
  g_autoptr(JsonArray) result = json_array_new ();
  g_autoptr(GHashTable) given = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 doc_key;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  if (!find_doc (store, doc_id, &doc_key, NULL, NULL, error))
    return NULL;

  if (revs == NULL)
    {
      g_autoptr(GArray) keys = NULL;
      g_autoptr(GPtrArray) leaves = NULL;

      if (doc_key == 0)
        return g_steal_pointer (&result);
      leaves = load_leaves (store, doc_key, &keys, error);
      if (leaves == NULL)
        return NULL;
      for (guint i = 0; i < keys->len; i++)
        if (!add_ok_element (store, result, doc_id, doc_key, g_array_index (keys, gint64, i), flags, error))
          return NULL;
      return g_steal_pointer (&result);
    }

  for (guint i = 0; revs[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      RevRow row = { 0, };
      gint64 pos;
      const char *hash;

      if (doc_key == 0 || !bb_replica_parse_rev (revs[i], &pos, &hash) ||
          !load_rev (store, doc_key, pos, hash, &row, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          json_array_add_object_element (result, missing_element (revs[i]));
          continue;
        }

      if (!row.leaf && (flags & BB_REPLICA_GET_LATEST) != 0)
        {
          g_autoptr(GArray) keys = descendant_leaves (store, row.key, error);

          rev_row_clear (&row);
          if (keys == NULL)
            return NULL;
          for (guint j = 0; j < keys->len; j++)
            {
              gint64 key = g_array_index (keys, gint64, j);

              /* Two requested revs with the same leaf give it once. */
              if (g_hash_table_contains (given, &key))
                continue;
              g_hash_table_add (given, &g_array_index (keys, gint64, j));
              if (!add_ok_element (store, result, doc_id, doc_key, key, flags, error))
                return NULL;
            }
          /* The GArray goes away; forget its pointers. */
          g_hash_table_remove_all (given);
          continue;
        }

      {
        gint64 key = row.key;

        rev_row_clear (&row);
        if (!add_ok_element (store, result, doc_id, doc_key, key, flags, error))
          return NULL;
      }
    }

  return g_steal_pointer (&result);
}

GPtrArray *
bb_replica_get_leaves (BbStore     *store,
                       const char  *doc_id,
                       GError     **error)
{
  gint64 doc_key;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  if (!find_doc (store, doc_id, &doc_key, NULL, NULL, error))
    return NULL;
  if (doc_key == 0)
    {
      set_doc_not_found (error, doc_id);
      return NULL;
    }
  return load_leaves (store, doc_key, NULL, error);
}

char *
bb_replica_get_winning_rev (BbStore     *store,
                            const char  *doc_id,
                            gboolean    *out_deleted,
                            GError     **error)
{
  RevRow row = { 0, };
  gint64 doc_key, winner;
  gboolean deleted;
  char *rev;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  if (!find_doc (store, doc_id, &doc_key, &winner, &deleted, error))
    return NULL;
  if (doc_key == 0)
    {
      set_doc_not_found (error, doc_id);
      return NULL;
    }
  if (!load_rev_by_key (store, winner, &row, error))
    {
      if (error != NULL && *error == NULL)
        set_doc_not_found (error, doc_id);
      return NULL;
    }

  rev = rev_string (row.pos, row.hash);
  rev_row_clear (&row);
  if (out_deleted != NULL)
    *out_deleted = deleted;
  return rev;
}

/* The node key of @rev (NULL: the live winner) of @doc_id, or 0 with
 * NOT_FOUND. */
static gint64
resolve_rev (BbStore     *store,
             const char  *doc_id,
             const char  *rev,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  RevRow row = { 0, };
  gint64 doc_key, winner, key;
  gboolean deleted;
  gint64 pos;
  const char *hash;

  if (!find_doc (store, doc_id, &doc_key, &winner, &deleted, error))
    return 0;
  if (doc_key == 0)
    {
      set_doc_not_found (error, doc_id);
      return 0;
    }
  if (rev == NULL)
    {
      if (deleted)
        {
          set_error (error, BB_REPLICA_ERROR_NOT_FOUND,
                     _("The document “%s” was deleted."), doc_id);
          return 0;
        }
      return winner;
    }
  if (!bb_replica_parse_rev (rev, &pos, &hash) ||
      !load_rev (store, doc_key, pos, hash, &row, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_error (error, BB_REPLICA_ERROR_NOT_FOUND,
                   _("The document “%s” has no revision “%s”."), doc_id, rev);
      return 0;
    }
  key = row.key;
  rev_row_clear (&row);
  return key;
}

GPtrArray *
bb_replica_list_attachments (BbStore     *store,
                             const char  *doc_id,
                             const char  *rev,
                             GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_replica_attachment_info_free);
  g_autoptr(BbLibStmt) stmt = NULL;
  gint64 key;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  key = resolve_rev (store, doc_id, rev, error);
  if (key == 0)
    return NULL;

  stmt = bb_store_prepare (store,
                           "SELECT a.name, a.content_type, a.digest, a.revpos, b.length"
                           " FROM replica_attachment a JOIN replica_blob b USING (blob_key)"
                           " WHERE a.rev_key = ?1 ORDER BY a.name",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbReplicaAttachmentInfo *info = g_new0 (BbReplicaAttachmentInfo, 1);

      info->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      info->content_type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->digest = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      info->revpos = sqlite3_column_int64 (stmt, 3);
      info->length = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (result, info);
    }
  if (rc != SQLITE_DONE)
    {
      bb_library_sqlite_failed (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

GBytes *
bb_replica_get_attachment_data (BbStore                  *store,
                                const char               *doc_id,
                                const char               *rev,
                                const char               *name,
                                BbReplicaAttachmentInfo **out_info,
                                GError                  **error)
{
  g_autoptr(BbLibStmt) stmt = NULL;
  gint64 key;
  GBytes *bytes;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  key = resolve_rev (store, doc_id, rev, error);
  if (key == 0)
    return NULL;

  stmt = bb_store_prepare (store,
                           "SELECT a.name, a.content_type, a.digest, a.revpos, b.length, b.data"
                           " FROM replica_attachment a JOIN replica_blob b USING (blob_key)"
                           " WHERE a.rev_key = ?1 AND a.name = ?2",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      set_error (error, BB_REPLICA_ERROR_NOT_FOUND,
                 _("The document “%s” has no attachment “%s”."), doc_id, name);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      bb_library_sqlite_failed (store, rc, error);
      return NULL;
    }

  bytes = g_bytes_new (sqlite3_column_blob (stmt, 5), (gsize) sqlite3_column_bytes (stmt, 5));
  if (out_info != NULL)
    {
      BbReplicaAttachmentInfo *info = g_new0 (BbReplicaAttachmentInfo, 1);

      info->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      info->content_type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->digest = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      info->revpos = sqlite3_column_int64 (stmt, 3);
      info->length = sqlite3_column_int64 (stmt, 4);
      *out_info = info;
    }
  return bytes;
}

gboolean
bb_replica_has_attachment (BbStore    *store,
                           const char *digest)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (digest != NULL, FALSE);

  return find_blob (store, digest) != 0;
}

/* Changes */

typedef struct
{
  gint64   doc_key;
  char    *doc_id;
  gint64   seq;
  gboolean deleted;
} ChangeRow;

static void
change_row_clear (ChangeRow *row)
{
  g_free (row->doc_id);
}

gint64
bb_replica_get_update_seq (BbStore *store)
{
  gint64 seq = 0;

  g_return_val_if_fail (BB_IS_STORE (store), 0);

  if (!meta_get_int (store, "update_seq", &seq, NULL))
    return 0;
  return seq;
}

gboolean
bb_replica_changes (BbStore                *store,
                    gint64                  since,
                    gint64                  limit,
                    BbReplicaChangesFlags   flags,
                    const char * const     *doc_ids,
                    BbReplicaChangeFunc     func,
                    gpointer                user_data,
                    gint64                 *out_last_seq,
                    gint64                 *out_pending,
                    GError                **error)
{
  g_autoptr(GHashTable) wanted = NULL;
  gint64 given = 0;
  gint64 cursor = MAX (since, 0);
  gint64 last_seq = cursor;
  gboolean exhausted = FALSE;
  gboolean stopped = FALSE;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (doc_ids != NULL)
    {
      wanted = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; doc_ids[i] != NULL; i++)
        g_hash_table_add (wanted, (gpointer) doc_ids[i]);
    }

  while (!stopped && (limit < 0 || given < limit))
    {
      g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (ChangeRow));
      int rc;

      g_array_set_clear_func (rows, (GDestroyNotify) change_row_clear);

      {
        g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                 "SELECT doc_key, doc_id, seq, deleted FROM replica_doc"
                                                 " WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                                                 error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, cursor);
        sqlite3_bind_int (stmt, 2, CHANGES_PAGE);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            ChangeRow row;

            row.doc_key = sqlite3_column_int64 (stmt, 0);
            row.doc_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
            row.seq = sqlite3_column_int64 (stmt, 2);
            row.deleted = sqlite3_column_int (stmt, 3) != 0;
            g_array_append_val (rows, row);
          }
        if (rc != SQLITE_DONE)
          return bb_library_sqlite_failed (store, rc, error);
      }

      if (rows->len == 0)
        {
          exhausted = TRUE;
          break;
        }

      for (guint i = 0; i < rows->len && (limit < 0 || given < limit); i++)
        {
          ChangeRow *row = &g_array_index (rows, ChangeRow, i);
          g_autoptr(GPtrArray) leaves = NULL;
          g_autoptr(GPtrArray) revs = g_ptr_array_new ();
          g_autoptr(JsonObject) doc = NULL;
          BbReplicaChange change;

          cursor = row->seq;
          if (wanted != NULL && !g_hash_table_contains (wanted, row->doc_id))
            continue;

          leaves = load_leaves (store, row->doc_key, NULL, error);
          if (leaves == NULL)
            return FALSE;
          for (guint j = 0; j < leaves->len; j++)
            {
              if (j > 0 && (flags & BB_REPLICA_CHANGES_ALL_DOCS) == 0)
                break;
              g_ptr_array_add (revs, ((BbReplicaLeaf *) g_ptr_array_index (leaves, j))->rev);
            }
          g_ptr_array_add (revs, NULL);

          if ((flags & BB_REPLICA_CHANGES_INCLUDE_DOCS) != 0 && leaves->len > 0)
            {
              BbReplicaGetFlags get_flags = BB_REPLICA_GET_NONE;

              if ((flags & BB_REPLICA_CHANGES_CONFLICTS) != 0)
                get_flags |= BB_REPLICA_GET_CONFLICTS;
              doc = bb_replica_get (store, row->doc_id,
                                    ((BbReplicaLeaf *) g_ptr_array_index (leaves, 0))->rev,
                                    get_flags, NULL);
            }

          change.seq = row->seq;
          change.id = row->doc_id;
          change.revs = (const char * const *) revs->pdata;
          change.deleted = row->deleted;
          change.doc = doc;
          given++;
          last_seq = row->seq;
          if (!func (&change, user_data))
            {
              stopped = TRUE;
              break;
            }
        }

      if (rows->len < CHANGES_PAGE && !stopped && (limit < 0 || given < limit))
        exhausted = TRUE;
      if (exhausted)
        break;
    }

  if (exhausted)
    last_seq = MAX (since, bb_replica_get_update_seq (store));

  if (out_pending != NULL)
    {
      g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                               "SELECT count(*) FROM replica_doc WHERE seq > ?1",
                                               error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, exhausted ? G_MAXINT64 : cursor);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        return bb_library_sqlite_failed (store, rc, error);
      *out_pending = sqlite3_column_int64 (stmt, 0);
    }

  if (out_last_seq != NULL)
    *out_last_seq = last_seq;
  return TRUE;
}

/* revs_diff */

JsonObject *
bb_replica_revs_diff (BbStore     *store,
                      JsonObject  *request,
                      GError     **error)
{
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(GList) ids = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  ids = json_object_get_members (request);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      const char *doc_id = l->data;
      JsonNode *node = json_object_get_member (request, doc_id);
      g_autoptr(JsonArray) missing = json_array_new ();
      g_autoptr(JsonArray) ancestors = json_array_new ();
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(Tree) tree = NULL;
      JsonArray *revs;
      gint64 max_missing = 0;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                     _("The revisions asked for “%s” are not a list."), doc_id);
          return NULL;
        }
      revs = json_node_get_array (node);

      tree = load_tree (store, doc_id, error);
      if (tree == NULL)
        return NULL;

      for (guint i = 0; i < json_array_get_length (revs); i++)
        {
          JsonNode *element = json_array_get_element (revs, i);
          const char *rev = JSON_NODE_HOLDS_VALUE (element) &&
                            json_node_get_value_type (element) == G_TYPE_STRING ?
                            json_node_get_string (element) : NULL;
          gint64 pos;
          const char *hash;

          if (rev == NULL || !bb_replica_parse_rev (rev, &pos, &hash) || pos < 1)
            {
              set_error (error, BB_REPLICA_ERROR_BAD_REQUEST,
                         _("“%s” is not a valid revision."), rev != NULL ? rev : "");
              return NULL;
            }
          if (tree_lookup (tree, pos, hash) != NULL || g_hash_table_contains (seen, rev))
            continue;
          g_hash_table_add (seen, (gpointer) rev);
          json_array_add_string_element (missing, rev);
          max_missing = MAX (max_missing, pos);
        }

      if (json_array_get_length (missing) > 0)
        {
          JsonObject *entry = json_object_new ();
          g_autoptr(GPtrArray) leaves = tree_leaves (tree);

          for (guint i = 0; i < leaves->len; i++)
            {
              Node *leaf = g_ptr_array_index (leaves, i);

              if (leaf->pos < max_missing)
                {
                  g_autofree char *rev = rev_string (leaf->pos, leaf->hash);

                  json_array_add_string_element (ancestors, rev);
                }
            }

          json_object_set_array_member (entry, "missing", g_steal_pointer (&missing));
          if (json_array_get_length (ancestors) > 0)
            json_object_set_array_member (entry, "possible_ancestors", g_steal_pointer (&ancestors));
          json_object_set_object_member (result, doc_id, entry);
        }
    }

  return g_steal_pointer (&result);
}

/* _local documents */

static const char *
strip_local (const char *local_id)
{
  if (local_id != NULL && g_str_has_prefix (local_id, "_local/"))
    return local_id + strlen ("_local/");
  return local_id;
}

static gboolean
valid_local_id (const char *id)
{
  return id != NULL && id[0] != '\0' && g_utf8_validate (id, -1, NULL);
}

/* The current counter, 0 when the document does not exist. */
static gboolean
local_rev (BbStore    *store,
           const char *id,
           gint64     *out_rev,
           char      **out_body,
           GError    **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                           "SELECT rev, body FROM replica_local WHERE local_id = ?1",
                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_rev = sqlite3_column_int64 (stmt, 0);
      if (out_body != NULL)
        *out_body = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *out_rev = 0;
      return TRUE;
    }
  return bb_library_sqlite_failed (store, rc, error);
}

JsonObject *
bb_replica_get_local (BbStore     *store,
                      const char  *local_id,
                      GError     **error)
{
  const char *id = strip_local (local_id);
  g_autofree char *body_text = NULL;
  g_autofree char *full_id = NULL;
  g_autofree char *rev_text = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *doc;
  gint64 rev;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  if (!valid_local_id (id))
    {
      set_error (error, BB_REPLICA_ERROR_BAD_REQUEST, _("“%s” is not a valid document id."),
                 local_id != NULL ? local_id : "");
      return NULL;
    }
  if (!local_rev (store, id, &rev, &body_text, error))
    return NULL;
  if (rev == 0)
    {
      full_id = g_strconcat ("_local/", id, NULL);
      set_doc_not_found (error, full_id);
      return NULL;
    }

  body = parse_object (body_text, error);
  if (body == NULL)
    return NULL;

  doc = json_object_new ();
  full_id = g_strconcat ("_local/", id, NULL);
  rev_text = g_strdup_printf ("0-%" G_GINT64_FORMAT, rev);
  json_object_set_string_member (doc, "_id", full_id);
  json_object_set_string_member (doc, "_rev", rev_text);
  members = json_object_get_members (body);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (doc, l->data, json_node_copy (json_object_get_member (body, l->data)));
  return doc;
}

/* Checks @rev against the current counter @current. */
static gboolean
check_local_rev (const char  *id,
                 const char  *rev,
                 gint64       current,
                 gboolean     must_exist,
                 GError     **error)
{
  gint64 pos = -1;
  const char *hash = NULL;
  gint64 given = -1;

  if (rev != NULL)
    {
      if (!bb_replica_parse_rev (rev, &pos, &hash) || pos != 0)
        {
          set_error (error, BB_REPLICA_ERROR_BAD_REQUEST, _("“%s” is not a valid revision."), rev);
          return FALSE;
        }
      given = g_ascii_strtoll (hash, NULL, 10);
    }

  if (current == 0)
    {
      if (must_exist)
        {
          g_autofree char *full_id = g_strconcat ("_local/", id, NULL);

          set_doc_not_found (error, full_id);
          return FALSE;
        }
      return TRUE;
    }

  if (given != current)
    {
      set_error (error, BB_REPLICA_ERROR_CONFLICT,
                 _("The document “_local/%s” was changed elsewhere since it was read."), id);
      return FALSE;
    }
  return TRUE;
}

gboolean
bb_replica_put_local (BbStore     *store,
                      const char  *local_id,
                      const char  *rev,
                      JsonObject  *body,
                      char       **out_rev,
                      GError     **error)
{
  const char *id = strip_local (local_id);
  g_autofree char *canonical = NULL;
  g_autoptr(BbLibStmt) stmt = NULL;
  gint64 current;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  if (!valid_local_id (id))
    {
      set_error (error, BB_REPLICA_ERROR_BAD_REQUEST, _("“%s” is not a valid document id."),
                 local_id != NULL ? local_id : "");
      return FALSE;
    }

  if (!bb_store_begin (store, error))
    return FALSE;
  if (!local_rev (store, id, &current, NULL, error) ||
      !check_local_rev (id, rev, current, FALSE, error))
    goto failed;

  canonical = canonical_body (body);
  stmt = bb_store_prepare (store,
                           "INSERT INTO replica_local (local_id, rev, body) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT (local_id) DO UPDATE SET rev = excluded.rev, body = excluded.body",
                           error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, current + 1);
  sqlite3_bind_text (stmt, 3, canonical, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  g_clear_pointer (&stmt, bb_lib_stmt_reset);
  if (rc != SQLITE_DONE)
    {
      bb_library_sqlite_failed (store, rc, error);
      goto failed;
    }

  if (!bb_store_commit (store, error))
    return FALSE;
  if (out_rev != NULL)
    *out_rev = g_strdup_printf ("0-%" G_GINT64_FORMAT, current + 1);
  return TRUE;

failed:
  bb_store_rollback (store);
  return FALSE;
}

gboolean
bb_replica_delete_local (BbStore     *store,
                         const char  *local_id,
                         const char  *rev,
                         GError     **error)
{
  const char *id = strip_local (local_id);
  g_autoptr(BbLibStmt) stmt = NULL;
  gint64 current;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  if (!valid_local_id (id))
    {
      set_error (error, BB_REPLICA_ERROR_BAD_REQUEST, _("“%s” is not a valid document id."),
                 local_id != NULL ? local_id : "");
      return FALSE;
    }

  if (!bb_store_begin (store, error))
    return FALSE;
  if (!local_rev (store, id, &current, NULL, error) ||
      !check_local_rev (id, rev, current, TRUE, error))
    goto failed;

  stmt = bb_store_prepare (store, "DELETE FROM replica_local WHERE local_id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  g_clear_pointer (&stmt, bb_lib_stmt_reset);
  if (rc != SQLITE_DONE)
    {
      bb_library_sqlite_failed (store, rc, error);
      goto failed;
    }

  return bb_store_commit (store, error);

failed:
  bb_store_rollback (store);
  return FALSE;
}

/* Database information */

char *
bb_replica_get_instance_uuid (BbStore *store)
{
  g_autoptr(BbLibStmt) stmt = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  stmt = bb_store_prepare (store, "SELECT value FROM replica_meta WHERE key = 'instance_uuid'", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return NULL;
}

gboolean
bb_replica_get_doc_count (BbStore  *store,
                          gint64   *out_doc_count,
                          gint64   *out_deleted_count,
                          GError  **error)
{
  g_autoptr(BbLibStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  stmt = bb_store_prepare (store,
                           "SELECT count(*) FILTER (WHERE deleted = 0), count(*) FILTER (WHERE deleted = 1)"
                           " FROM replica_doc WHERE winner IS NOT NULL",
                           error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return bb_library_sqlite_failed (store, rc, error);
  if (out_doc_count != NULL)
    *out_doc_count = sqlite3_column_int64 (stmt, 0);
  if (out_deleted_count != NULL)
    *out_deleted_count = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

guint
bb_replica_get_revs_limit (BbStore *store)
{
  gint64 limit = 0;

  g_return_val_if_fail (BB_IS_STORE (store), BB_REPLICA_DEFAULT_REVS_LIMIT);

  if (!meta_get_int (store, "revs_limit", &limit, NULL) || limit < 1)
    return BB_REPLICA_DEFAULT_REVS_LIMIT;
  return (guint) MIN (limit, G_MAXINT);
}

gboolean
bb_replica_set_revs_limit (BbStore  *store,
                           guint     limit,
                           GError  **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  if (limit < 1)
    {
      set_error (error, BB_REPLICA_ERROR_BAD_REQUEST, _("The revision limit must be at least 1."));
      return FALSE;
    }

  if (!bb_store_begin (store, error))
    return FALSE;
  if (!meta_set_int (store, "revs_limit", limit, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  return bb_store_commit (store, error);
}

/* Handover (docs/handover-format.md, section "library") */

static gboolean
export_doc (BbStore      *store,
            JsonBuilder  *builder,
            gint64        doc_key,
            const char   *doc_id,
            GError      **error)
{
  g_autoptr(GHashTable) revs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  int rc;

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                             "SELECT rev_key, pos, hash, parent, deleted, body FROM replica_rev"
                                             " WHERE doc_key = ?1 ORDER BY pos, rev_key",
                                             error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, doc_key);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        Node *node = g_new0 (Node, 1);
        gint64 *key = g_new (gint64, 1);

        node->key = *key = sqlite3_column_int64 (stmt, 0);
        node->pos = sqlite3_column_int64 (stmt, 1);
        node->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
        node->parent = sqlite3_column_int64 (stmt, 3);
        node->deleted = sqlite3_column_int (stmt, 4) != 0;
        g_ptr_array_add (bodies, g_strdup ((const char *) sqlite3_column_text (stmt, 5)));
        g_hash_table_insert (revs, key, rev_string (node->pos, node->hash));
        g_ptr_array_add (rows, node);
      }
    if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (store, rc, error);
  }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, doc_id);
  json_builder_set_member_name (builder, "revisions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      Node *node = g_ptr_array_index (rows, i);
      const char *body = g_ptr_array_index (bodies, i);
      g_autoptr(BbLibStmt) stmt = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "rev");
      json_builder_add_string_value (builder, g_hash_table_lookup (revs, &node->key));
      json_builder_set_member_name (builder, "parent");
      if (node->parent != 0)
        json_builder_add_string_value (builder, g_hash_table_lookup (revs, &node->parent));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder, node->deleted);
      json_builder_set_member_name (builder, "body");
      if (body != NULL)
        {
          JsonNode *parsed = json_from_string (body, error);

          if (parsed == NULL)
            return FALSE;
          json_builder_add_value (builder, parsed);
        }
      else
        json_builder_add_null_value (builder);

      json_builder_set_member_name (builder, "attachments");
      json_builder_begin_object (builder);
      stmt = bb_store_prepare (store,
                               "SELECT a.name, a.content_type, a.digest, a.revpos, b.sha256"
                               " FROM replica_attachment a JOIN replica_blob b USING (blob_key)"
                               " WHERE a.rev_key = ?1 ORDER BY a.name",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, node->key);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          json_builder_set_member_name (builder, (const char *) sqlite3_column_text (stmt, 0));
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "content_type");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
          json_builder_set_member_name (builder, "digest");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 2));
          json_builder_set_member_name (builder, "revpos");
          json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 3));
          json_builder_set_member_name (builder, "sha256");
          json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 4));
          json_builder_end_object (builder);
        }
      if (rc != SQLITE_DONE)
        return bb_library_sqlite_failed (store, rc, error);
      json_builder_end_object (builder);

      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return TRUE;
}

gboolean
bb_replica_export_section (BbStore      *store,
                           JsonBuilder  *builder,
                           GError      **error)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  json_builder_set_member_name (builder, "revs_limit");
  json_builder_add_int_value (builder, bb_replica_get_revs_limit (store));

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                             "SELECT doc_key, doc_id FROM replica_doc"
                                             " WHERE winner IS NOT NULL ORDER BY seq",
                                             error);
    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 key = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (keys, key);
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      }
    if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (store, rc, error);
  }

  json_builder_set_member_name (builder, "documents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < keys->len; i++)
    if (!export_doc (store, builder, g_array_index (keys, gint64, i), g_ptr_array_index (ids, i), error))
      return FALSE;
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "blobs");
  json_builder_begin_array (builder);
  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store, "SELECT sha256, data FROM replica_blob ORDER BY sha256", error);

    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_autofree char *base64 = g_base64_encode (sqlite3_column_blob (stmt, 1),
                                                   (gsize) sqlite3_column_bytes (stmt, 1));

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "sha256");
        json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 0));
        json_builder_set_member_name (builder, "data");
        json_builder_add_string_value (builder, base64);
        json_builder_end_object (builder);
      }
    if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (store, rc, error);
  }
  json_builder_end_array (builder);

  return TRUE;
}

static void
set_data_error (GError     **error,
                const char  *field,
                const char  *problem)
{
  g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
               /* Translators: the first %s is a field such as "library.documents[3].revisions[0].rev",
                * the second what is wrong with it */
               _("The handover document’s field “%s” is not valid: %s"), field, problem);
}

static JsonArray *
read_array (JsonObject  *object,
            const char  *prefix,
            const char  *key,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *field = bb_handover_field_name (prefix, key);

      set_data_error (error, field, _("a list is expected"));
      return NULL;
    }
  return json_node_get_array (node);
}

static JsonObject *
read_element_object (JsonArray   *array,
                     guint        index,
                     const char  *field,
                     GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_data_error (error, field, _("an object is expected"));
      return NULL;
    }
  return json_node_get_object (node);
}

/* sha256 → blob key, for the revisions that refer to them. */
static gboolean
import_blobs (Write       *wr,
              JsonArray   *blobs,
              const char  *prefix,
              GHashTable  *by_sha,
              GError     **error)
{
  static const char * const keys[] = { "sha256", "data" };

  for (guint i = 0; i < json_array_get_length (blobs); i++)
    {
      g_autofree char *field = g_strdup_printf ("%s.blobs[%u]", prefix, i);
      g_autofree char *computed = NULL;
      g_autoptr(GBytes) data = NULL;
      JsonObject *object = read_element_object (blobs, i, field, error);
      const char *sha256, *base64;
      guchar *decoded;
      gsize length = 0;
      gint64 key;

      if (object == NULL ||
          !bb_handover_check_keys (object, field, keys, G_N_ELEMENTS (keys), error) ||
          !bb_handover_read_string (object, field, "sha256", TRUE, &sha256, error) ||
          !bb_handover_read_string (object, field, "data", TRUE, &base64, error))
        return FALSE;

      if (!valid_base64 (base64))
        {
          g_autofree char *data_field = bb_handover_field_name (field, "data");

          set_data_error (error, data_field, _("not base64"));
          return FALSE;
        }
      decoded = g_base64_decode (base64, &length);
      data = g_bytes_new_take (decoded, length);
      computed = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
      if (strcmp (computed, sha256) != 0)
        {
          g_autofree char *sha_field = bb_handover_field_name (field, "sha256");

          set_data_error (error, sha_field, _("the content does not match its checksum"));
          return FALSE;
        }

      key = store_blob (wr, data, error);
      if (key == 0)
        return FALSE;
      g_hash_table_insert (by_sha, g_strdup (sha256), g_memdup2 (&key, sizeof key));
    }
  return TRUE;
}

static gboolean
import_revision_attachments (Write       *wr,
                             Node        *node,
                             JsonObject  *attachments,
                             const char  *field,
                             GHashTable  *by_sha,
                             GError     **error)
{
  static const char * const keys[] = { "content_type", "digest", "revpos", "sha256" };
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func ((GDestroyNotify) att_free);
  g_autoptr(GList) names = json_object_get_members (attachments);

  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *att_field = bb_handover_field_name (field, l->data);
      JsonNode *member = json_object_get_member (attachments, l->data);
      const char *content_type, *digest, *sha256;
      gint64 revpos;
      gint64 *blob_key;
      Att *att;

      if (!valid_attachment_name (l->data) || !JSON_NODE_HOLDS_OBJECT (member))
        {
          set_data_error (error, att_field, _("not a valid attachment"));
          return FALSE;
        }
      if (!bb_handover_check_keys (json_node_get_object (member), att_field, keys, G_N_ELEMENTS (keys), error) ||
          !bb_handover_read_string (json_node_get_object (member), att_field, "content_type", TRUE, &content_type, error) ||
          !bb_handover_read_string (json_node_get_object (member), att_field, "digest", TRUE, &digest, error) ||
          !bb_handover_read_string (json_node_get_object (member), att_field, "sha256", TRUE, &sha256, error) ||
          !bb_handover_read_int (json_node_get_object (member), att_field, "revpos", &revpos, error))
        return FALSE;
      blob_key = g_hash_table_lookup (by_sha, sha256);
      if (blob_key == NULL || revpos < 1 || revpos > node->pos)
        {
          set_data_error (error, att_field, blob_key == NULL ? _("its content is not in the document")
                                                             : _("revpos is out of range"));
          return FALSE;
        }

      att = g_new0 (Att, 1);
      att->name = g_strdup (l->data);
      att->content_type = g_strdup (content_type);
      att->digest = g_strdup (digest);
      att->revpos = revpos;
      att->blob_key = *blob_key;
      g_ptr_array_add (atts, att);
    }

  return insert_atts (wr, node, atts, error);
}

static gboolean
import_document (Write       *wr,
                 JsonObject  *object,
                 const char  *field,
                 GHashTable  *by_sha,
                 GError     **error)
{
  static const char * const keys[] = { "id", "revisions" };
  static const char * const rev_keys[] = { "rev", "parent", "deleted", "body", "attachments" };
  g_autoptr(Tree) tree = tree_new ();
  g_autoptr(GPtrArray) leaves = NULL;
  g_autoptr(JsonObject) winner_body = NULL;
  const char *doc_id;
  JsonArray *revisions;
  gint64 doc_seq = 0;
  Node *winner;
  int rc;

  if (!bb_handover_check_keys (object, field, keys, G_N_ELEMENTS (keys), error) ||
      !bb_handover_read_string (object, field, "id", TRUE, &doc_id, error) ||
      (revisions = read_array (object, field, "revisions", error)) == NULL)
    return FALSE;

  if (!valid_doc_id (doc_id) || json_array_get_length (revisions) == 0)
    {
      g_autofree char *id_field = bb_handover_field_name (field, "id");

      set_data_error (error, id_field, _("not a valid document id, or no revisions"));
      return FALSE;
    }

  {
    gint64 existing;

    if (!find_doc (wr->store, doc_id, &existing, NULL, NULL, error))
      return FALSE;
    if (existing != 0)
      {
        g_autofree char *id_field = bb_handover_field_name (field, "id");

        set_data_error (error, id_field, _("the document occurs twice"));
        return FALSE;
      }
  }

  if (!insert_doc (wr, tree, doc_id, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (revisions); i++)
    {
      g_autofree char *rev_field = g_strdup_printf ("%s.revisions[%u]", field, i);
      g_autofree char *canonical = NULL;
      JsonObject *rev_object = read_element_object (revisions, i, rev_field, error);
      JsonNode *body_node, *deleted_node, *attachments_node;
      const char *rev, *parent_rev;
      const char *hash;
      gint64 pos;
      Node *parent = NULL;
      Node *node;

      if (rev_object == NULL ||
          !bb_handover_check_keys (rev_object, rev_field, rev_keys, G_N_ELEMENTS (rev_keys), error) ||
          !bb_handover_read_string (rev_object, rev_field, "rev", TRUE, &rev, error) ||
          !bb_handover_read_string (rev_object, rev_field, "parent", FALSE, &parent_rev, error))
        return FALSE;

      if (!bb_replica_parse_rev (rev, &pos, &hash) || pos < 1 || tree_lookup (tree, pos, hash) != NULL)
        {
          g_autofree char *f = bb_handover_field_name (rev_field, "rev");

          set_data_error (error, f, _("not a valid revision, or given twice"));
          return FALSE;
        }
      if (parent_rev != NULL)
        {
          gint64 parent_pos;
          const char *parent_hash;

          if (!bb_replica_parse_rev (parent_rev, &parent_pos, &parent_hash) ||
              (parent = tree_lookup (tree, parent_pos, parent_hash)) == NULL ||
              parent->pos != pos - 1)
            {
              g_autofree char *f = bb_handover_field_name (rev_field, "parent");

              set_data_error (error, f, _("not an earlier revision of this document"));
              return FALSE;
            }
        }

      deleted_node = json_object_get_member (rev_object, "deleted");
      body_node = json_object_get_member (rev_object, "body");
      attachments_node = json_object_get_member (rev_object, "attachments");
      if (deleted_node == NULL || !JSON_NODE_HOLDS_VALUE (deleted_node) ||
          json_node_get_value_type (deleted_node) != G_TYPE_BOOLEAN ||
          body_node == NULL || !(JSON_NODE_HOLDS_OBJECT (body_node) || JSON_NODE_HOLDS_NULL (body_node)) ||
          attachments_node == NULL || !JSON_NODE_HOLDS_OBJECT (attachments_node))
        {
          set_data_error (error, rev_field, _("“deleted”, “body” or “attachments” is missing or of the wrong type"));
          return FALSE;
        }
      if (JSON_NODE_HOLDS_OBJECT (body_node))
        canonical = canonical_body (json_node_get_object (body_node));

      if (parent != NULL && !set_not_leaf (wr, parent, error))
        return FALSE;
      /* Every node is stored as a leaf first; its children make it an
       * inner node as they come (parents come before children). */
      node = insert_node (wr, tree, pos, hash, parent != NULL ? parent->key : 0,
                          TRUE, json_node_get_boolean (deleted_node), canonical, error);
      if (node == NULL)
        return FALSE;
      doc_seq = node->seq;
      {
        g_autofree char *att_field = bb_handover_field_name (rev_field, "attachments");

        if (!import_revision_attachments (wr, node, json_node_get_object (attachments_node),
                                          att_field, by_sha, error))
          return FALSE;
      }
    }

  /* Inner nodes took a sequence number as they were stored; only the
   * leaves keep theirs, and the document its latest. */
  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (wr->store,
                                             "UPDATE replica_rev SET seq = 0 WHERE doc_key = ?1 AND is_leaf = 0",
                                             error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, tree->doc_key);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (wr->store, rc, error);
  }

  leaves = tree_leaves (tree);
  winner = g_ptr_array_index (leaves, 0);
  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (wr->store,
                                             "UPDATE replica_doc SET winner = ?2, deleted = ?3, seq = ?4"
                                             " WHERE doc_key = ?1",
                                             error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, tree->doc_key);
    sqlite3_bind_int64 (stmt, 2, winner->key);
    sqlite3_bind_int (stmt, 3, winner->deleted);
    sqlite3_bind_int64 (stmt, 4, doc_seq);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (wr->store, rc, error);
  }

  return bb_library_index_winner (wr->store, tree->doc_key, winner->deleted ? 0 : winner->key, NULL, FALSE, error);
}

gboolean
bb_replica_import_section (BbStore     *store,
                           JsonObject  *section,
                           const char  *prefix,
                           GError     **error)
{
  g_autoptr(GHashTable) by_sha = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *documents, *blobs;
  gint64 revs_limit;
  Write w;
  gboolean ok = TRUE;

  /* Inside the import's transaction: a Write without its own. */
  memset (&w, 0, sizeof w);
  w.store = store;
  w.freed_blobs = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!meta_get_int (store, "update_seq", &w.seq, error))
    ok = FALSE;
  w.first_seq = w.seq;
  w.revs_limit = BB_REPLICA_DEFAULT_REVS_LIMIT;

  if (ok && (!bb_handover_read_int (section, prefix, "revs_limit", &revs_limit, error) ||
             (blobs = read_array (section, prefix, "blobs", error)) == NULL ||
             (documents = read_array (section, prefix, "documents", error)) == NULL))
    ok = FALSE;

  if (ok && (revs_limit < 1 || revs_limit > G_MAXINT))
    {
      g_autofree char *field = bb_handover_field_name (prefix, "revs_limit");

      set_data_error (error, field, _("must be at least 1"));
      ok = FALSE;
    }

  if (ok)
    ok = meta_set_int (store, "revs_limit", revs_limit, error) &&
         import_blobs (&w, blobs, prefix, by_sha, error);

  for (guint i = 0; ok && i < json_array_get_length (documents); i++)
    {
      g_autofree char *field = g_strdup_printf ("%s.documents[%u]", prefix, i);
      JsonObject *object = read_element_object (documents, i, field, error);

      ok = object != NULL && import_document (&w, object, field, by_sha, error);
    }

  if (ok)
    ok = meta_set_int (store, "update_seq", w.seq, error);

  g_array_unref (w.freed_blobs);
  return ok;
}

/* Conflict resolution (bb-sync-conflicts.c) */

gboolean
bb_replica_resolve_conflict (BbStore     *store,
                             const char  *doc_id,
                             const char  *keep_rev,
                             JsonObject  *body,
                             char       **out_rev,
                             GError     **error)
{
  g_autoptr(GPtrArray) leaves = NULL;
  g_autofree char *rev = NULL;
  gboolean found = FALSE;
  Write w;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (doc_id != NULL, FALSE);
  g_return_val_if_fail (keep_rev != NULL, FALSE);

  if (!write_begin (&w, store, error))
    return FALSE;

  /* Read inside the transaction, so the leaves cannot change under us */
  leaves = bb_replica_get_leaves (store, doc_id, error);
  if (leaves == NULL)
    goto failed;
  for (guint i = 0; i < leaves->len; i++)
    {
      BbReplicaLeaf *leaf = g_ptr_array_index (leaves, i);

      if (!leaf->deleted && g_strcmp0 (leaf->rev, keep_rev) == 0)
        found = TRUE;
    }
  if (!found)
    {
      g_set_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT,
                   _("The version %s of document “%s” is no longer a current version; "
                     "the document changed meanwhile."), keep_rev, doc_id);
      goto failed;
    }

  if (body != NULL)
    {
      if (!put_revision (&w, doc_id, keep_rev, body, FALSE, NULL, &rev, error))
        goto failed;
    }
  else
    rev = g_strdup (keep_rev);

  for (guint i = 0; i < leaves->len; i++)
    {
      BbReplicaLeaf *leaf = g_ptr_array_index (leaves, i);

      if (leaf->deleted || g_strcmp0 (leaf->rev, keep_rev) == 0)
        continue;
      if (!put_revision (&w, doc_id, leaf->rev, NULL, TRUE, NULL, NULL, error))
        goto failed;
    }

  if (!write_commit (&w, error))
    return FALSE;

  if (out_rev != NULL)
    *out_rev = g_steal_pointer (&rev);
  return TRUE;

failed:
  write_abort (&w);
  return FALSE;
}
