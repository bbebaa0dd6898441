/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* When to sync: every automatic peer when the network comes up
 * (GNetworkMonitor) and every 15 minutes while online, plus "Sync now".
 * One peer at a time, on the main context, cancellable. A peer that
 * answered 401/403 is not retried automatically until the user gives
 * credentials again. Remembered passwords come from the keyring. */

#include <gio/gio.h>

#include "bb-store.h"
#include "bb-sync-peers.h"

G_BEGIN_DECLS

#define BB_SYNC_SCHEDULER_INTERVAL_SECONDS (15 * 60)
/* After a failed run of an automatic peer (not 401/403, not cancelled)
 * while started, that peer is tried again after this, then twice as long
 * each time, at most the interval; a run that succeeds starts over. */
#define BB_SYNC_SCHEDULER_FIRST_RETRY_SECONDS 30

#define BB_TYPE_SYNC_SCHEDULER (bb_sync_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (BbSyncScheduler, bb_sync_scheduler, BB, SYNC_SCHEDULER, GObject)

BbSyncScheduler *bb_sync_scheduler_new         (BbStore          *store);
/* Watches the network and the clock; stop() undoes it and cancels. */
void             bb_sync_scheduler_start       (BbSyncScheduler  *self);
void             bb_sync_scheduler_stop        (BbSyncScheduler  *self);
/* Queues @peer (copied). Without @password (or peer->password) the
 * password remembered in the keyring is used (bb-sync-secrets.h), looked
 * up without blocking just before the run; none there is no error. */
void             bb_sync_scheduler_sync_peer   (BbSyncScheduler  *self,
                                                const BbSyncPeer *peer,
                                                const char       *password);
/* Queues every automatic peer. */
void             bb_sync_scheduler_sync_all    (BbSyncScheduler  *self);
void             bb_sync_scheduler_cancel      (BbSyncScheduler  *self);
/* The first retry's delay in milliseconds (tests make it short). */
void             bb_sync_scheduler_set_first_retry (BbSyncScheduler *self,
                                                    guint            delay_ms);
/* The URL being synced, or NULL when idle. */
const char      *bb_sync_scheduler_get_current (BbSyncScheduler  *self);

/* The SHA-256 fingerprint (bb-sync-tls.h) of the certificate @url's last
 * run refused (BB_SYNC_ERROR_CERTIFICATE), until a run succeeds; NULL when
 * none was refused. */
const char      *bb_sync_scheduler_get_refused_fingerprint (BbSyncScheduler *self,
                                                            const char      *url);
/* @url answered 401/403 and waits for the user's credentials. */
gboolean         bb_sync_scheduler_needs_credentials (BbSyncScheduler  *self,
                                                      const char       *url);

/* signals:
 * "progress" (const char *url, gint64 done, gint64 total)
 * "finished" (const char *url, gboolean ok, gboolean needs_credentials,
 *             const char *message): message is NULL on success */

G_END_DECLS
