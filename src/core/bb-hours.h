/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* Volunteer hours (table volunteer_hours). Confirmed hours come from the
 * programme (one row per activity, task and volunteer); manual hours are
 * logged by the coordinator. After an erase volunteer_id is NULL. */

typedef enum {
  BB_HOURS_SOURCE_CONFIRMED,
  BB_HOURS_SOURCE_MANUAL,
} BbHoursSource;

#define BB_HOURS_ERROR (bb_hours_error_quark ())

typedef enum {
  BB_HOURS_ERROR_MINUTES,      /* not 1 … 1440 */
  BB_HOURS_ERROR_DATE,
  BB_HOURS_ERROR_VOLUNTEER,    /* no such volunteer */
  BB_HOURS_ERROR_YEAR,
} BbHoursError;

GQuark bb_hours_error_quark (void);

typedef struct {
  char          *id;
  char          *volunteer_id;   /* NULL: anonymous (erased volunteer) */
  char          *activity_id;    /* nullable */
  char          *task_id;        /* nullable */
  char          *date;           /* YYYY-MM-DD */
  guint          minutes;
  char          *note;
  BbHoursSource  source;
  char          *created_at;
} BbHoursEntry;

#define BB_TYPE_HOURS_ENTRY (bb_hours_entry_get_type ())
GType         bb_hours_entry_get_type (void) G_GNUC_CONST;
BbHoursEntry *bb_hours_entry_new      (void);
BbHoursEntry *bb_hours_entry_copy     (const BbHoursEntry *entry);
void          bb_hours_entry_free     (BbHoursEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbHoursEntry, bb_hours_entry_free)

/* One confirmed line, as the programme hands them over. */
typedef struct {
  const char *task_id;        /* nullable */
  const char *volunteer_id;
  const char *date;           /* YYYY-MM-DD */
  guint       minutes;        /* 0 = no hours for this line */
} BbHoursConfirmation;

/* Manual hours; @activity_id nullable. @out_id (nullable) gets the new id. */
gboolean   bb_hours_add_manual            (BbStore       *store,
                                           const char    *volunteer_id,
                                           const char    *activity_id,
                                           const char    *date,
                                           guint          minutes,
                                           const char    *note,
                                           char         **out_id,
                                           GError       **error);
/* Replaces all confirmed hours of @activity_id with @lines (n_lines may be
 * 0 to withdraw them): own transaction, emits "changed". */
gboolean   bb_hours_replace_confirmed     (BbStore                   *store,
                                           const char                *activity_id,
                                           const BbHoursConfirmation *lines,
                                           gsize                      n_lines,
                                           GError                   **error);
/* The same inside a transaction the caller holds (programme marking an
 * activity done): no begin/commit, no "changed". */
gboolean   bb_hours_replace_confirmed_in_transaction (BbStore        *store,
                                           const char                *activity_id,
                                           const BbHoursConfirmation *lines,
                                           gsize                      n_lines,
                                           GError                   **error);
gboolean   bb_hours_delete                (BbStore       *store,
                                           const char    *id,
                                           GError       **error);

/* Arrays of BbHoursEntry, newest first. */
GPtrArray *bb_hours_list_for_volunteer    (BbStore       *store,
                                           const char    *volunteer_id,
                                           GError       **error);
GPtrArray *bb_hours_list_for_activity     (BbStore       *store,
                                           const char    *activity_id,
                                           GError       **error);
/* Total minutes of a volunteer (@year 0 = all years). */
gint64     bb_hours_total_for_volunteer   (BbStore       *store,
                                           const char    *volunteer_id,
                                           int            year,
                                           GError       **error);

/* Reports over one year. */
typedef enum {
  BB_HOURS_BY_VOLUNTEER,   /* key volunteer id ("" = anonymous) */
  BB_HOURS_BY_ACTIVITY,    /* key activity id ("" = no activity) */
  BB_HOURS_BY_MONTH,       /* key "YYYY-MM", all twelve months */
} BbHoursGrouping;

typedef struct {
  char   *key;
  char   *label;          /* display name, activity title or month */
  gint64  minutes;
  guint   n_entries;
  guint   n_volunteers;   /* distinct named volunteers */
} BbHoursReportRow;

void       bb_hours_report_row_free       (BbHoursReportRow *row);

/* Array of BbHoursReportRow, sorted by label (months in order).
 * Activity titles come from the programme's activity table when it exists. */
GPtrArray *bb_hours_report                (BbStore         *store,
                                           int              year,
                                           BbHoursGrouping  grouping,
                                           GError         **error);
/* Whole year: total minutes and distinct named volunteers. */
gboolean   bb_hours_year_total            (BbStore         *store,
                                           int              year,
                                           gint64          *out_minutes,
                                           guint           *out_volunteers,
                                           GError         **error);
/* "key;label;hours;entries;volunteers" lines with a header, hours with a
 * decimal comma ("2,50"), for Dutch spreadsheets. */
char      *bb_hours_report_to_csv         (GPtrArray       *rows,
                                           BbHoursGrouping  grouping);
/* "2:30" for 150 minutes. */
char      *bb_hours_format_minutes        (gint64           minutes);

G_END_DECLS
