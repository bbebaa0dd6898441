/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The sync status in the header bar: up to date, syncing with progress,
 * offline, or needs attention, as an icon (a pie of the documents done
 * while syncing) so the header keeps room for the section switcher. Its
 * tooltip and accessible name say the state; its popover lists each
 * peer's last sync and has "Open Sharing" (action "win.show-section"
 * "sharing"). Shown only while a council with peers is open. */

#include <gtk/gtk.h>

#include "bb-store.h"
#include "bb-sync-scheduler.h"

G_BEGIN_DECLS

typedef enum {
  BB_SYNC_STATUS_HIDDEN,
  BB_SYNC_STATUS_NEVER,
  BB_SYNC_STATUS_UP_TO_DATE,
  BB_SYNC_STATUS_SYNCING,
  BB_SYNC_STATUS_OFFLINE,
  BB_SYNC_STATUS_ATTENTION,
} BbSyncStatusState;

#define BB_TYPE_SYNC_STATUS (bb_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (BbSyncStatus, bb_sync_status, BB, SYNC_STATUS, GtkWidget)

/* Properties "store" and "scheduler" (both nullable, writable). Without a
 * scheduler the status comes from the peers' sync log only. */
void              bb_sync_status_set_scheduler (BbSyncStatus    *self,
                                                BbSyncScheduler *scheduler);
/* Recomputes now (normally done when idle after a change). */
void              bb_sync_status_refresh       (BbSyncStatus    *self);
BbSyncStatusState bb_sync_status_get_state     (BbSyncStatus    *self);
/* The state in words, e.g. "Up to date" (for tests). */
const char       *bb_sync_status_get_text      (BbSyncStatus    *self);
/* The popover with the peers and "Open Sharing" (for tests). */
GtkWidget        *bb_sync_status_get_popover   (BbSyncStatus    *self);

G_END_DECLS
