/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The peers a council syncs its library with, and the log of every sync
 * run per peer, both kept in the council file (tables sync_peer and
 * sync_log). A password is never kept in the council file (it is backed
 * up, handed over and copied): a remembered one is in the user's keyring
 * (bb-sync-secrets.h). */

#include "bb-store.h"

G_BEGIN_DECLS

typedef enum {
  BB_SYNC_DIRECTION_BOTH,
  BB_SYNC_DIRECTION_PULL,
  BB_SYNC_DIRECTION_PUSH,
} BbSyncDirection;

const char      *bb_sync_direction_to_string   (BbSyncDirection   direction);
gboolean         bb_sync_direction_from_string (const char       *text,
                                                BbSyncDirection  *out_direction);

typedef struct {
  char             *id;          /* NULL for a new peer: given on save */
  char             *name;
  char             *url;         /* the database URL */
  char             *username;    /* nullable */
  char             *password;    /* nullable, transient: never read from
                                  * or saved to the council file; a caller
                                  * fills it from the keyring or the user */
  BbSyncDirection   direction;
  gboolean          automatic;
  char             *fingerprint; /* nullable: the SHA-256 fingerprint of the
                                  * peer's self-signed TLS certificate the
                                  * user pinned (bb-sync-tls.h) */
} BbSyncPeer;

BbSyncPeer *bb_sync_peer_new    (const char  *name,
                                 const char  *url);
/* Every field but the (transient) password. */
BbSyncPeer *bb_sync_peer_copy   (const BbSyncPeer *peer);
void        bb_sync_peer_free   (BbSyncPeer  *peer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbSyncPeer, bb_sync_peer_free)

/* Checks the URL (http or https with a host) and the fingerprint (kept in
 * its "AB:CD:…" form; an empty one is none), and inserts or updates by id.
 * Returns: FALSE with a translated message naming the problem. */
gboolean    bb_sync_peers_save   (BbStore     *store,
                                  BbSyncPeer  *peer,
                                  GError     **error);
gboolean    bb_sync_peers_remove (BbStore     *store,
                                  const char  *id,
                                  GError     **error);
/* (element-type BbSyncPeer), by name */
GPtrArray  *bb_sync_peers_list   (BbStore     *store,
                                  GError     **error);

typedef struct {
  gint64            id;
  char             *peer_url;
  char             *started_at;   /* ISO 8601 UTC */
  char             *finished_at;
  BbSyncDirection   direction;
  char             *status;       /* "ok", "failed", "cancelled", "credentials" */
  gint64            docs_read;
  gint64            docs_written;
  gint64            doc_write_failures;
  char             *message;
} BbSyncLogEntry;

void        bb_sync_log_entry_free (BbSyncLogEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbSyncLogEntry, bb_sync_log_entry_free)
/* When the run ended (or started, if it never ended), in local time as
 * people read it ("22 november 2026 om 09:10"); "?" when unreadable. */
char       *bb_sync_log_entry_format_time (const BbSyncLogEntry *entry);

/* Keeps the newest 100 entries per peer. */
gboolean    bb_sync_log_add      (BbStore              *store,
                                  const BbSyncLogEntry *entry,
                                  GError              **error);
/* Newest first; @peer_url NULL for all peers.
 * Returns: (element-type BbSyncLogEntry) */
GPtrArray  *bb_sync_log_list     (BbStore     *store,
                                  const char  *peer_url,
                                  guint        limit,
                                  GError     **error);

G_END_DECLS
