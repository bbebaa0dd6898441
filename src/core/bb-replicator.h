/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Replicates the library between this council file and any
 * CouchDB-compatible database URL (Apache CouchDB, pouchdb-server,
 * another Buurtboek's peer endpoint) with the CouchDB replication
 * protocol: _changes, _revs_diff, _bulk_get (per-document open_revs GET as
 * fallback), _bulk_docs with new_edits=false, attachments by digest, and
 * _local checkpoints under a replication id made from the two databases'
 * uuids (not the peer's address), so an interrupted run resumes.
 *
 * Everything runs on the main context with libsoup's async API; the store
 * is written in one transaction per batch. */

#include <gio/gio.h>

#include "bb-store.h"
#include "bb-sync-peers.h"

G_BEGIN_DECLS

#define BB_REPLICATOR_DEFAULT_BATCH 250

/* One revision the target refused, as its _bulk_docs said. */
typedef struct {
  char    *id;
  char    *rev;                  /* nullable */
  char    *error;                /* e.g. "forbidden", "too_large" */
  char    *reason;
} BbSyncRefusal;

/* One direction of a run, with what PouchDB reports for a replication. */
typedef struct {
  gint64     docs_read;          /* revisions fetched from the source */
  gint64     docs_written;       /* revisions the target stored */
  gint64     doc_write_failures; /* revisions the target refused */
  char      *last_seq;           /* the source's last seq, as JSON text */
  GPtrArray *errors;             /* (element-type BbSyncRefusal) the first 100
                                  * refused revisions; NULL for none */
  char      *start_time;         /* ISO 8601 UTC; NULL if it never started */
  char      *end_time;           /* NULL while running or never started */
  gint64     duration_ms;        /* time this direction took in this process */
  gboolean   completed;          /* ran to the end; FALSE: aborted */
} BbSyncStats;

/* "id rev: reason", as the log and the CLI show a refusal. */
char              *bb_sync_refusal_to_string      (const BbSyncRefusal *refusal);

#define BB_TYPE_REPLICATOR (bb_replicator_get_type ())
G_DECLARE_FINAL_TYPE (BbReplicator, bb_replicator, BB, REPLICATOR, GObject)

/* @url: the database, e.g. "https://hub.example.nl/regio-oost" or
 * "http://192.168.1.20:5984/library". */
BbReplicator      *bb_replicator_new              (BbStore           *store,
                                                   const char        *url);
const char        *bb_replicator_get_url          (BbReplicator      *self);
void               bb_replicator_set_credentials  (BbReplicator      *self,
                                                   const char        *user,
                                                   const char        *password);
/* The SHA-256 fingerprint (bb-sync-tls.h) of the peer's self-signed
 * certificate; NULL for none. An https peer whose certificate the system
 * does not trust is accepted only when its fingerprint is this one, and
 * fails with BB_SYNC_ERROR_CERTIFICATE naming the fingerprint it has. A
 * certificate the system trusts (a hub's) needs no fingerprint. */
void               bb_replicator_set_fingerprint  (BbReplicator      *self,
                                                   const char        *fingerprint);
/* The fingerprint of the last certificate refused in this run, or NULL. */
const char        *bb_replicator_get_seen_fingerprint (BbReplicator  *self);
void               bb_replicator_set_batch_size   (BbReplicator      *self,
                                                   guint              batch_size);
/* Network errors and 5xx answers are retried @attempts times in all,
 * waiting @first_delay_ms, then twice as long each time. */
void               bb_replicator_set_retry        (BbReplicator      *self,
                                                   guint              attempts,
                                                   guint              first_delay_ms);

/* Pull, then push (for BOTH). Writes one entry to the peer's sync log.
 * Fails with BB_SYNC_ERROR_CREDENTIALS on 401/403, G_IO_ERROR_CANCELLED
 * when cancelled (the last finished batch stays checkpointed). */
void               bb_replicator_run_async        (BbReplicator      *self,
                                                   BbSyncDirection    direction,
                                                   GCancellable      *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer           user_data);
gboolean           bb_replicator_run_finish       (BbReplicator      *self,
                                                   GAsyncResult      *result,
                                                   GError           **error);
gboolean           bb_replicator_is_running       (BbReplicator      *self);

/* The figures of the last (or current) run. */
const BbSyncStats *bb_replicator_get_stats        (BbReplicator      *self,
                                                   gboolean           push);

/* signal "progress" (gint64 done, gint64 total): documents handled in
 * the current direction; total grows as the source reports more. */

G_END_DECLS
