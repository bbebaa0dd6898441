/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A CouchDB-style document database kept inside the council file.
 *
 * There is one database per council file, named BB_REPLICA_DB_NAME. Each
 * document has a revision tree whose nodes are revision ids "N-hash" (N is
 * the generation, hash 32 lowercase hex characters for revisions made here;
 * revisions from peers are kept exactly as received). A document's leaves
 * are its open revisions; the winner is chosen exactly as CouchDB and
 * PouchDB do: non-deleted leaves before deleted ones, then the highest
 * generation, then the larger hash string (strcmp). Deletions are
 * tombstone leaves; conflicts (several live leaves) are kept.
 *
 * Every stored revision takes the next value of a local update sequence
 * (an integer > 0); a document appears in the changes feed once, at the
 * sequence of its latest stored revision.
 *
 * Bodies are JSON objects without CouchDB's special members (those whose
 * name starts with "_"); they are stored in a canonical form (members
 * sorted, no spaces). Attachments are stored once per content (blob), and
 * each revision refers to them by name with content_type, digest (exactly
 * as received from a peer, or "md5-<base64 of md5>" for content added
 * here), length and revpos (the generation where it last changed). A blob
 * is removed in the same transaction as the last revision referring to it.
 *
 * Threading: every function runs on the thread that owns the store (the
 * main thread); they use the store's one connection.
 *
 * Transactions: every write function makes exactly one SQLite transaction
 * (bb_store_begin/commit) and emits BbStore::changed after a commit that
 * changed anything. A failure rolls back everything the call wrote.
 * Do not call them inside a transaction of your own.
 *
 * JSON ownership: functions returning JsonObject or JsonNode give a new
 * reference (free with json_object_unref / json_node_unref); JsonObject
 * parameters are only read, never kept or changed.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_REPLICA_DB_NAME "library"
/* CouchDB's default; history deeper than the limit is stemmed (the oldest
 * ancestors are forgotten, the leaves never). */
#define BB_REPLICA_DEFAULT_REVS_LIMIT 1000

#define BB_REPLICA_ERROR (bb_replica_error_quark ())

/* The HTTP status and CouchDB "error" value a server should answer with
 * are given for each code. Messages are translated and name the document. */
typedef enum {
  BB_REPLICA_ERROR_NOT_FOUND,     /* 404 not_found: no such document, revision or attachment
                                   * ("deleted" docs also give this from bb_replica_get
                                   * without a rev) */
  BB_REPLICA_ERROR_CONFLICT,      /* 409 conflict: parent rev is not a current leaf, or
                                   * a new document's id is taken by a live document */
  BB_REPLICA_ERROR_BAD_REQUEST,   /* 400 bad_request: malformed id, rev, _revisions,
                                   * body or attachment */
  BB_REPLICA_ERROR_MISSING_STUB,  /* 412 missing_stub: an attachment stub refers to
                                   * content this database does not hold */
  BB_REPLICA_ERROR_FAILED,        /* 500: SQLite or other failure (the BB_STORE_ERROR
                                   * is passed on as is in that case when there is one) */
} BbReplicaError;

GQuark bb_replica_error_quark (void);

typedef enum {
  BB_REPLICA_GET_NONE              = 0,
  /* "_revisions": {"start": N, "ids": [newest … oldest]} (the stored path,
   * up to the revs limit) */
  BB_REPLICA_GET_REVS              = 1 << 0,
  /* "_conflicts": the other live leaves, best first (only on the winner
   * or when LATEST resolved to a leaf; CouchDB adds them to any rev) */
  BB_REPLICA_GET_CONFLICTS         = 1 << 1,
  /* "_deleted_conflicts": the deleted leaves other than the one returned */
  BB_REPLICA_GET_DELETED_CONFLICTS = 1 << 2,
  /* "_revs_info": [{"rev", "status": "available"|"deleted"|"missing"}] */
  BB_REPLICA_GET_REVS_INFO         = 1 << 3,
  /* attachments carry "data" (base64) instead of "stub": true */
  BB_REPLICA_GET_ATTACHMENTS       = 1 << 4,
  /* a non-leaf @rev is replaced by the leaf (the best one when several
   * leaves descend from it) */
  BB_REPLICA_GET_LATEST            = 1 << 5,
  /* "_local_seq": the sequence at which the returned revision arrived */
  BB_REPLICA_GET_LOCAL_SEQ         = 1 << 6,
} BbReplicaGetFlags;

/* One attachment of a revision being written with bb_replica_put(). */
typedef struct {
  char    *name;           /* non-empty UTF-8, must not start with "_" */
  char    *content_type;   /* NULL: "application/octet-stream" */
  /* The new content; NULL keeps the parent revision's attachment of this
   * name unchanged (its digest and revpos), or fails with
   * BB_REPLICA_ERROR_MISSING_STUB when the parent has none. */
  GBytes  *data;
} BbReplicaAttachment;

/* Takes copies of @name, @content_type and a reference to @data. */
BbReplicaAttachment *bb_replica_attachment_new  (const char          *name,
                                                 const char          *content_type,
                                                 GBytes              *data);
void                 bb_replica_attachment_free (BbReplicaAttachment *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbReplicaAttachment, bb_replica_attachment_free)

/* An attachment as the stored revision has it. */
typedef struct {
  char    *name;
  char    *content_type;
  char    *digest;         /* "md5-…" as received or computed */
  gint64   length;         /* bytes of the content (identity encoding) */
  gint64   revpos;
} BbReplicaAttachmentInfo;

void bb_replica_attachment_info_free (BbReplicaAttachmentInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbReplicaAttachmentInfo, bb_replica_attachment_info_free)

/* A leaf revision of a document. */
typedef struct {
  char     *rev;
  gboolean  deleted;
  gint64    seq;           /* when it arrived here */
} BbReplicaLeaf;

void bb_replica_leaf_free (BbReplicaLeaf *leaf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbReplicaLeaf, bb_replica_leaf_free)

/* Writes a new revision as a user edit (CouchDB new_edits=true).
 *
 * @doc_id: non-empty UTF-8 not starting with "_" (except "_design/");
 *   "_local/" ids are refused (use bb_replica_put_local()).
 * @parent_rev: the revision being edited. It must be a current leaf,
 *   else BB_REPLICA_ERROR_CONFLICT. NULL creates the document; that is a
 *   conflict when the document exists with a live winner, and when its
 *   winner is a tombstone the new revision continues that tombstone (as
 *   CouchDB does).
 * @body: the document's content; members starting with "_" are refused
 *   (BB_REPLICA_ERROR_BAD_REQUEST). NULL is an empty object.
 * @deleted: TRUE writes a tombstone (the body is stored as given; pass
 *   NULL for CouchDB's usual empty tombstone).
 * @attachments: (element-type BbReplicaAttachment) (nullable): the full set
 *   of attachments of the new revision. NULL keeps the parent's
 *   attachments exactly (none for a new document or a tombstone).
 * @out_rev: (out) (optional): the new revision id "N-<32 hex>", where the
 *   hash is the md5 of the parent rev, the deleted flag, the canonical body
 *   and the sorted (name, content_type, digest) of the attachments, so the
 *   same edit on two machines gives the same revision.
 *
 * One transaction; on success the document's winner and the search index
 * are updated and BbStore::changed is emitted. */
gboolean     bb_replica_put               (BbStore            *store,
                                           const char         *doc_id,
                                           const char         *parent_rev,
                                           JsonObject         *body,
                                           gboolean            deleted,
                                           GPtrArray          *attachments,
                                           char              **out_rev,
                                           GError            **error);

/* Stores revisions received from a peer with their history (CouchDB
 * _bulk_docs with new_edits=false, and PUT ?new_edits=false).
 *
 * @docs: (element-type JsonObject): each as CouchDB sends it: "_id",
 *   "_rev", optional "_revisions" {"start", "ids"} (without it the revision
 *   is a root of its own unless it already exists), optional "_deleted",
 *   optional "_attachments" whose entries are either inline
 *   {"content_type", "data" (base64), "digest"?, "revpos"?, "encoding"?:
 *   "gzip" (data is then gzip, stored decompressed, digest kept)}, or stubs
 *   {"stub": true, "digest", "revpos"?, …} (the content must already be
 *   held here, under that digest, else the whole call fails with
 *   BB_REPLICA_ERROR_MISSING_STUB and nothing is written, as
 *   pouchdb-server does), or {"follows": true, …} taking the content from
 *   @follows. Other "_" members (_conflicts, _revs_info, …) are ignored.
 * @follows: (nullable) (element-type utf8 GBytes): for a single document
 *   sent as multipart/related: attachment name → content.
 * @out_errors: (out) (optional) (element-type JsonObject): one object per
 *   refused document, {"id", "rev", "error", "reason"} (e.g. "bad_request"
 *   for a malformed one); the others are stored. Empty on full success.
 *
 * The revisions are merged into each tree: the path is grafted where it
 * shares a node with the tree, or becomes a new root when it shares none
 * (legal after stemming); revisions already present are left alone, so
 * sending the same batch twice changes nothing and takes no sequence
 * number. Each root-to-leaf path is then stemmed to the revs limit.
 * Revision ids are never minted here.
 *
 * The whole batch is ONE transaction. Returns FALSE only when nothing was
 * written (storage failure or missing stub). */
gboolean     bb_replica_put_revisions     (BbStore            *store,
                                           GPtrArray          *docs,
                                           GHashTable         *follows,
                                           GPtrArray         **out_errors,
                                           GError            **error);

/* A document as CouchDB's GET /db/{id} returns it: the body plus "_id",
 * "_rev", "_deleted" (only when true), "_attachments" (each
 * {"content_type", "digest", "length", "revpos", "stub": true} or with
 * "data" for BB_REPLICA_GET_ATTACHMENTS), and what @flags ask for.
 *
 * @rev: NULL for the winner: then a deleted winner gives
 *   BB_REPLICA_ERROR_NOT_FOUND ("deleted"), as CouchDB's 404. With a rev,
 *   tombstones are returned (with "_deleted": true). A rev whose body was
 *   stemmed or never received is NOT_FOUND ("missing").
 *
 * Returns: (transfer full): a new object, or NULL with @error set. */
JsonObject  *bb_replica_get               (BbStore            *store,
                                           const char         *doc_id,
                                           const char         *rev,
                                           BbReplicaGetFlags   flags,
                                           GError            **error);

/* GET /db/{id}?open_revs=…: one element per requested rev, in order,
 * either {"ok": doc} or {"missing": "rev"}.
 * @revs: (nullable) (array zero-terminated=1): NULL means "all" (every
 *   leaf, deleted ones included, best first).
 * With BB_REPLICA_GET_LATEST a non-leaf rev gives its leaf. An unknown
 * document gives one {"missing"} per rev (for "all": an empty array).
 *
 * Returns: (transfer full): a JSON array */
JsonArray   *bb_replica_get_open_revs     (BbStore            *store,
                                           const char         *doc_id,
                                           const char * const *revs,
                                           BbReplicaGetFlags   flags,
                                           GError            **error);

/* The document's leaves, the winner first, then in CouchDB's order
 * (live before deleted, higher generation, larger hash).
 * Returns: (transfer full) (element-type BbReplicaLeaf): NULL with
 *   BB_REPLICA_ERROR_NOT_FOUND for an unknown document. */
GPtrArray   *bb_replica_get_leaves        (BbStore            *store,
                                           const char         *doc_id,
                                           GError            **error);

/* The winner's revision id (also when it is a tombstone; @out_deleted
 * says so). Returns NULL with BB_REPLICA_ERROR_NOT_FOUND for an unknown
 * document. */
char        *bb_replica_get_winning_rev   (BbStore            *store,
                                           const char         *doc_id,
                                           gboolean           *out_deleted,
                                           GError            **error);

/* The attachments of a revision (NULL: the winner), sorted by name.
 * Returns: (transfer full) (element-type BbReplicaAttachmentInfo) */
GPtrArray   *bb_replica_list_attachments  (BbStore            *store,
                                           const char         *doc_id,
                                           const char         *rev,
                                           GError            **error);

/* The content of one attachment of a revision (NULL: the winner, which
 * may not be a tombstone). @out_info: (optional): its metadata.
 * Returns: (transfer full): NULL with BB_REPLICA_ERROR_NOT_FOUND when the
 * document, revision or attachment does not exist. */
GBytes      *bb_replica_get_attachment_data (BbStore                  *store,
                                             const char               *doc_id,
                                             const char               *rev,
                                             const char               *name,
                                             BbReplicaAttachmentInfo **out_info,
                                             GError                  **error);

/* Whether content with this digest (as any revision here reports it, or
 * the md5 of the content we hold) is stored: a peer may send it as a stub. */
gboolean     bb_replica_has_attachment    (BbStore            *store,
                                           const char         *digest);

typedef enum {
  BB_REPLICA_CHANGES_NONE         = 0,
  /* style=all_docs: every leaf (deleted ones included) in "changes";
   * otherwise only the winner (main_only) */
  BB_REPLICA_CHANGES_ALL_DOCS     = 1 << 0,
  /* include_docs=true: @doc is the winner as bb_replica_get (…, rev, 0)
   * returns it (tombstones included) */
  BB_REPLICA_CHANGES_INCLUDE_DOCS = 1 << 1,
  /* with INCLUDE_DOCS: also "_conflicts" */
  BB_REPLICA_CHANGES_CONFLICTS    = 1 << 2,
} BbReplicaChangesFlags;

/* One row of the changes feed; valid only during the callback. */
typedef struct {
  gint64               seq;
  const char          *id;
  const char * const  *revs;      /* the "changes": [{"rev"}…], winner first */
  gboolean             deleted;   /* the winner is a tombstone */
  JsonObject          *doc;       /* NULL unless INCLUDE_DOCS */
} BbReplicaChange;

/* Return FALSE to stop the feed early (e.g. the client went away). */
typedef gboolean (*BbReplicaChangeFunc) (const BbReplicaChange *change,
                                         gpointer               user_data);

/* Calls @func for each document changed after @since (0: from the
 * start), in increasing seq order, each document once at its latest seq.
 * @limit: at most this many rows; < 0 means no limit; 0 gives no rows.
 * @doc_ids: (nullable) (array zero-terminated=1): only these documents
 *   (filter=_doc_ids).
 * @out_last_seq: (out) (optional): CouchDB's "last_seq": the seq of the
 *   last row given when @limit cut the feed short (or @func stopped it),
 *   else (the whole feed was read, filtered or not) the current update
 *   seq, never below @since.
 * @out_pending: (out) (optional): how many changed documents were left
 *   after the last row given.
 *
 * Reads in pages, so a large feed never sits in memory at once; @func
 * must not write to the store. */
gboolean     bb_replica_changes           (BbStore                *store,
                                           gint64                  since,
                                           gint64                  limit,
                                           BbReplicaChangesFlags   flags,
                                           const char * const     *doc_ids,
                                           BbReplicaChangeFunc     func,
                                           gpointer                user_data,
                                           gint64                 *out_last_seq,
                                           gint64                 *out_pending,
                                           GError                **error);

/* The highest sequence number handed out (0 for an empty database). */
gint64       bb_replica_get_update_seq    (BbStore            *store);

/* POST /db/_revs_diff. @request: {"id": ["rev", …], …}.
 * A rev is present when it is anywhere in the tree (not only at a leaf).
 * Returns: (transfer full): {"id": {"missing": [...], "possible_ancestors":
 *   [...]}} leaving out ids with nothing missing; possible_ancestors are
 *   the leaves (deleted ones too) whose generation is below the largest
 *   missing generation, left out when there are none. Malformed input is
 *   BB_REPLICA_ERROR_BAD_REQUEST. */
JsonObject  *bb_replica_revs_diff         (BbStore            *store,
                                           JsonObject         *request,
                                           GError            **error);

/* _local documents: no history, never in the changes feed, never
 * replicated, no attachments. @local_id may be given with or without the
 * "_local/" prefix. Their revs are "0-N".
 *
 * get: {"_id": "_local/…", "_rev": "0-N", …body}, or NULL with
 * BB_REPLICA_ERROR_NOT_FOUND. */
JsonObject  *bb_replica_get_local         (BbStore            *store,
                                           const char         *local_id,
                                           GError            **error);
/* @rev: the current "0-N", or NULL (the document must not exist, else
 * CONFLICT; as CouchDB, a missing document with a rev is also accepted).
 * A stale rev is BB_REPLICA_ERROR_CONFLICT. @body: "_" members ignored.
 * Does not emit BbStore::changed (checkpoints are not user data). */
gboolean     bb_replica_put_local         (BbStore            *store,
                                           const char         *local_id,
                                           const char         *rev,
                                           JsonObject         *body,
                                           char              **out_rev,
                                           GError            **error);
gboolean     bb_replica_delete_local      (BbStore            *store,
                                           const char         *local_id,
                                           const char         *rev,
                                           GError            **error);

/* 32 lowercase hex characters, made once when the schema is created and
 * stable for this council file (GET / "uuid", replication ids).
 * Returns: (transfer full) */
char        *bb_replica_get_instance_uuid (BbStore            *store);

/* Documents whose winner is live, and documents whose winner is a
 * tombstone (GET /db "doc_count" and "doc_del_count"). */
gboolean     bb_replica_get_doc_count     (BbStore            *store,
                                           gint64             *out_doc_count,
                                           gint64             *out_deleted_count,
                                           GError            **error);

guint        bb_replica_get_revs_limit    (BbStore            *store);
/* @limit >= 1; applies to later writes (trees are not stemmed at once). */
gboolean     bb_replica_set_revs_limit    (BbStore            *store,
                                           guint               limit,
                                           GError            **error);

/* The canonical JSON of @object (members sorted by name at every level,
 * no whitespace): what revision hashes are computed over.
 * Returns: (transfer full) */
char        *bb_replica_canonical_json    (JsonObject         *object);

/* Parses "N-hash" (N >= 1, or 0 only for _local) into its parts.
 * @out_hash: (out) (optional) (transfer none): points into @rev. */
gboolean     bb_replica_parse_rev         (const char         *rev,
                                           gint64             *out_pos,
                                           const char        **out_hash);

G_END_DECLS
