/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The programme: activities, recurring series and their occurrences,
 * tasks and the volunteers assigned to them.
 *
 * Times of activities and tasks are wall-clock times in Europe/Amsterdam
 * (bb_programme_get_timezone()); a monthly koffieochtend at 10:00 stays at
 * 10:00 when the clocks change. */

#include <glib-object.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_PROGRAMME_TIMEZONE "Europe/Amsterdam"

typedef enum {
  BB_ACTIVITY_STATUS_PLANNED,
  BB_ACTIVITY_STATUS_CONFIRMED,
  BB_ACTIVITY_STATUS_DONE,
  BB_ACTIVITY_STATUS_CANCELLED,
} BbActivityStatus;

typedef enum {
  BB_COUNT_METHOD_NONE,
  BB_COUNT_METHOD_COUNTED,
  BB_COUNT_METHOD_ESTIMATED,
} BbCountMethod;

const char *bb_activity_status_to_string   (BbActivityStatus  status);
gboolean    bb_activity_status_from_string (const char       *text,
                                            BbActivityStatus *out_status);
const char *bb_activity_status_get_label   (BbActivityStatus  status);  /* translated */
const char *bb_count_method_to_string      (BbCountMethod     method);
gboolean    bb_count_method_from_string    (const char       *text,
                                            BbCountMethod    *out_method);

#define BB_ACTIVITY_ERROR (bb_activity_error_quark ())

/* Which field is wrong, so a form can put the message beside it. */
typedef enum {
  BB_ACTIVITY_ERROR_TITLE,
  BB_ACTIVITY_ERROR_TIMES,
  BB_ACTIVITY_ERROR_RECURRENCE,
  BB_ACTIVITY_ERROR_PARTICIPANTS,
  BB_ACTIVITY_ERROR_REASON,
  BB_ACTIVITY_ERROR_TASK,
  BB_ACTIVITY_ERROR_NOT_FOUND,
  BB_ACTIVITY_ERROR_VOLUNTEER,
} BbActivityError;

GQuark bb_activity_error_quark (void);

/* Wall-clock text "YYYY-MM-DDTHH:MM:SS" <-> a GDateTime in Europe/Amsterdam. */
GTimeZone *bb_programme_get_timezone       (void);
char      *bb_programme_time_to_string     (GDateTime  *time);
GDateTime *bb_programme_time_from_string   (const char *text);
GDateTime *bb_programme_time_new           (int year, int month, int day,
                                            int hour, int minute);
/* For lists and print, translated: "Tue 13 Jan", "January", "10:00–12:00"
 * ("all day" for an all-day one). */
char      *bb_programme_format_short_date  (GDateTime  *time);
const char *bb_programme_month_name        (int         month);
char      *bb_programme_format_time_range  (GDateTime  *start,
                                            GDateTime  *end,
                                            gboolean    all_day);

/* ---- BbActivity: one activity, or the first of a recurring series ---- */

#define BB_TYPE_ACTIVITY (bb_activity_get_type ())
G_DECLARE_FINAL_TYPE (BbActivity, bb_activity, BB, ACTIVITY, GObject)

BbActivity      *bb_activity_new                     (void);
BbActivity      *bb_activity_copy                    (BbActivity *self);

const char      *bb_activity_get_id                  (BbActivity *self);
void             bb_activity_set_id                  (BbActivity *self, const char *id);
const char      *bb_activity_get_title               (BbActivity *self);
void             bb_activity_set_title               (BbActivity *self, const char *title);
const char      *bb_activity_get_description         (BbActivity *self);
void             bb_activity_set_description         (BbActivity *self, const char *description);
const char      *bb_activity_get_theme               (BbActivity *self);
void             bb_activity_set_theme               (BbActivity *self, const char *theme);
/* Start and end in Europe/Amsterdam; for an all-day activity only the
 * dates count (the end is the last day, inclusive). */
GDateTime       *bb_activity_get_start               (BbActivity *self);
GDateTime       *bb_activity_get_end                 (BbActivity *self);
void             bb_activity_set_times               (BbActivity *self,
                                                      GDateTime  *start,
                                                      GDateTime  *end);
gboolean         bb_activity_get_all_day             (BbActivity *self);
void             bb_activity_set_all_day             (BbActivity *self, gboolean all_day);
const char      *bb_activity_get_location            (BbActivity *self);
void             bb_activity_set_location            (BbActivity *self, const char *location);
const char      *bb_activity_get_target_group        (BbActivity *self);
void             bb_activity_set_target_group        (BbActivity *self, const char *target_group);
gboolean         bb_activity_get_open_to_all         (BbActivity *self);
void             bb_activity_set_open_to_all         (BbActivity *self, gboolean open_to_all);
const char      *bb_activity_get_partners            (BbActivity *self);
void             bb_activity_set_partners            (BbActivity *self, const char *partners);
BbActivityStatus bb_activity_get_status              (BbActivity *self);
void             bb_activity_set_status              (BbActivity *self, BbActivityStatus status);
const char      *bb_activity_get_cancel_reason       (BbActivity *self);
void             bb_activity_set_cancel_reason       (BbActivity *self, const char *reason);
int              bb_activity_get_expected_participants (BbActivity *self);
void             bb_activity_set_expected_participants (BbActivity *self, int n);
/* -1: not known (yet). */
int              bb_activity_get_actual_participants (BbActivity *self);
void             bb_activity_set_actual_participants (BbActivity *self, int n);
BbCountMethod    bb_activity_get_count_method        (BbActivity *self);
void             bb_activity_set_count_method        (BbActivity *self, BbCountMethod method);
const char      *bb_activity_get_notes               (BbActivity *self);
void             bb_activity_set_notes               (BbActivity *self, const char *notes);
/* An RFC 5545 RRULE value ("FREQ=MONTHLY;BYDAY=2TU"), "" for none. */
const char      *bb_activity_get_rrule               (BbActivity *self);
void             bb_activity_set_rrule               (BbActivity *self, const char *rrule);
gboolean         bb_activity_is_recurring            (BbActivity *self);

gboolean         bb_activity_validate                (BbActivity  *self,
                                                      GError     **error);

/* Checks an RRULE the way libical reads it. */
gboolean         bb_recurrence_validate              (const char  *rrule,
                                                      GError     **error);
/* A short human description ("every second Tuesday of the month"),
 * translated; NULL for a rule it cannot describe. */
char            *bb_recurrence_describe              (const char  *rrule);

/* ---- BbOccurrence: one date of the programme ---- */

#define BB_TYPE_OCCURRENCE (bb_occurrence_get_type ())
G_DECLARE_FINAL_TYPE (BbOccurrence, bb_occurrence, BB, OCCURRENCE, GObject)

BbActivity      *bb_occurrence_get_activity          (BbOccurrence *self);
/* The start the rule gives (RECURRENCE-ID); for a single activity its start. */
GDateTime       *bb_occurrence_get_recurrence_id     (BbOccurrence *self);
GDateTime       *bb_occurrence_get_start             (BbOccurrence *self);
GDateTime       *bb_occurrence_get_end               (BbOccurrence *self);
BbActivityStatus bb_occurrence_get_status            (BbOccurrence *self);
const char      *bb_occurrence_get_cancel_reason     (BbOccurrence *self);
int              bb_occurrence_get_actual_participants (BbOccurrence *self);
BbCountMethod    bb_occurrence_get_count_method      (BbOccurrence *self);
const char      *bb_occurrence_get_notes             (BbOccurrence *self);
/* Whether this occurrence of a series was changed on its own. */
gboolean         bb_occurrence_is_exception          (BbOccurrence *self);
/* Lower-case text for search: title, theme, location, description. */
const char      *bb_occurrence_get_search_text       (BbOccurrence *self);
/* @text folded as bb_occurrence_get_search_text() is (case folded,
 * composed), for folding what the user typed the same way. */
char            *bb_activity_fold_search_text        (const char   *text);

/* ---- BbTask ---- */

#define BB_TYPE_TASK (bb_task_get_type ())
G_DECLARE_FINAL_TYPE (BbTask, bb_task, BB, TASK, GObject)

BbTask          *bb_task_new                         (const char *activity_id,
                                                      const char *role,
                                                      int         needed,
                                                      GDateTime  *start,
                                                      GDateTime  *end);
const char      *bb_task_get_id                      (BbTask *self);
const char      *bb_task_get_activity_id             (BbTask *self);
const char      *bb_task_get_role                    (BbTask *self);
void             bb_task_set_role                    (BbTask *self, const char *role);
int              bb_task_get_needed                  (BbTask *self);
void             bb_task_set_needed                  (BbTask *self, int needed);
GDateTime       *bb_task_get_start                   (BbTask *self);
GDateTime       *bb_task_get_end                     (BbTask *self);
void             bb_task_set_times                   (BbTask *self, GDateTime *start, GDateTime *end);
/* The volunteer ids assigned (read from the store). */
const char * const *bb_task_get_volunteers           (BbTask *self);
guint            bb_task_get_n_assigned              (BbTask *self);
/* needed − assigned, never below 0. */
guint            bb_task_get_short                   (BbTask *self);

/* ---- The store ---- */

/* Inserts (when the id is NULL; a new id is set) or updates the activity,
 * and remembers its location for reuse. */
gboolean    bb_programme_save_activity     (BbStore     *store,
                                            BbActivity  *activity,
                                            GError     **error);
gboolean    bb_programme_delete_activity   (BbStore     *store,
                                            const char  *activity_id,
                                            GError     **error);
BbActivity *bb_programme_get_activity      (BbStore     *store,
                                            const char  *activity_id,
                                            GError     **error);
/* Every activity (series counted once), by start. (element-type BbActivity) */
GPtrArray  *bb_programme_list_activities   (BbStore     *store,
                                            GError     **error);
/* Every occurrence starting in [@from, @to), series expanded and their
 * exceptions applied, by start. (element-type BbOccurrence) */
GPtrArray  *bb_programme_list_occurrences  (BbStore     *store,
                                            GDateTime   *from,
                                            GDateTime   *to,
                                            GError     **error);
/* The occurrences of one activity in [@from, @to), without the store. */
GPtrArray  *bb_activity_expand             (BbActivity  *activity,
                                            GDateTime   *from,
                                            GDateTime   *to,
                                            GError     **error);
/* One occurrence of @activity_id: @recurrence_id NULL for a single one. */
BbOccurrence *bb_programme_get_occurrence  (BbStore     *store,
                                            const char  *activity_id,
                                            GDateTime   *recurrence_id,
                                            GError     **error);

/* The dates of a series changed on their own (moved, cancelled, done),
 * by original start. (element-type BbOccurrence) */
GPtrArray  *bb_programme_list_changed_occurrences (BbStore *store,
                                            const char  *activity_id,
                                            GError     **error);

/* One occurrence of a series changed without touching the series. A
 * single activity is changed itself. @reason is required. */
gboolean    bb_programme_cancel_occurrence (BbStore     *store,
                                            const char  *activity_id,
                                            GDateTime   *recurrence_id,
                                            const char  *reason,
                                            GError     **error);
gboolean    bb_programme_move_occurrence   (BbStore     *store,
                                            const char  *activity_id,
                                            GDateTime   *recurrence_id,
                                            GDateTime   *new_start,
                                            GDateTime   *new_end,
                                            GError     **error);
/* Takes back a change to one occurrence: it follows the series again. */
gboolean    bb_programme_restore_occurrence (BbStore    *store,
                                            const char  *activity_id,
                                            GDateTime   *recurrence_id,
                                            GError     **error);

/* Copies the activity with its tasks (not the assignments) to the same
 * date next year (29 February becomes 28 February), planned, with no
 * participants. A series keeps its rule. Returns the new id. */
char       *bb_programme_repeat_next_year  (BbStore     *store,
                                            const char  *activity_id,
                                            GError     **error);

/* Themes: the default list, then the council's own, in order. */
GStrv       bb_programme_list_themes       (BbStore     *store,
                                            GError     **error);
gboolean    bb_programme_add_theme         (BbStore     *store,
                                            const char  *name,
                                            GError     **error);
/* Locations used before, the most recent first. */
GStrv       bb_programme_list_locations    (BbStore     *store,
                                            GError     **error);

/* Tasks */
/* (element-type BbTask), in order, each with its volunteers. */
GPtrArray  *bb_programme_list_tasks        (BbStore     *store,
                                            const char  *activity_id,
                                            GError     **error);
gboolean    bb_programme_save_task         (BbStore     *store,
                                            BbTask      *task,
                                            GError     **error);
gboolean    bb_programme_delete_task       (BbStore     *store,
                                            const char  *task_id,
                                            GError     **error);
gboolean    bb_programme_assign            (BbStore     *store,
                                            const char  *task_id,
                                            const char  *volunteer_id,
                                            GError     **error);
gboolean    bb_programme_unassign          (BbStore     *store,
                                            const char  *task_id,
                                            const char  *volunteer_id,
                                            GError     **error);
/* People still needed over all tasks of the activity. */
guint       bb_programme_count_short       (BbStore     *store,
                                            const char  *activity_id,
                                            GError     **error);
/* The other tasks @volunteer_id is assigned to whose window (on any
 * occurrence within a year of the task's) overlaps a window of @task_id.
 * (element-type BbTask) */
GPtrArray  *bb_programme_find_double_bookings (BbStore    *store,
                                            const char  *task_id,
                                            const char  *volunteer_id,
                                            GError     **error);
/* Volunteer ids assigned to any task whose window overlaps
 * [@start, @end), e.g. for "who can help?". */
GStrv       bb_programme_list_booked       (BbStore     *store,
                                            GDateTime   *start,
                                            GDateTime   *end,
                                            GError     **error);

/* After the activity */
typedef struct {
  char  *volunteer_id;
  char  *task_id;       /* nullable */
  int    minutes;       /* 0: no hours for this volunteer */
} BbHoursLine;

void        bb_hours_line_free             (BbHoursLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbHoursLine, bb_hours_line_free)

/* One line per assigned volunteer and task, pre-filled from the task
 * window on that occurrence. (element-type BbHoursLine) */
GPtrArray  *bb_programme_prefill_hours     (BbStore      *store,
                                            BbOccurrence *occurrence,
                                            GError      **error);
/* Marks the occurrence done with the actual participants and records the
 * hours (lines with minutes > 0) through the volunteers' hours, and
 * confirms the assignments: one transaction. */
gboolean    bb_programme_mark_done         (BbStore      *store,
                                            BbOccurrence *occurrence,
                                            int           actual_participants,
                                            BbCountMethod method,
                                            GPtrArray    *hours,
                                            GError      **error);

/* ---- For the reports and the year overview ---- */

typedef struct {
  char             *activity_id;
  GDateTime        *start;             /* the occurrence's */
  GDateTime        *end;
  char             *title;
  char             *theme;
  char             *location;
  BbActivityStatus  status;
  char             *cancel_reason;
  int               participants;      /* actual; -1 unknown */
  BbCountMethod     count_method;
  int               expected_participants;
  guint             n_volunteers;      /* distinct volunteers with hours, else assigned */
  gint64            volunteer_minutes; /* hours logged against the activity on that day */
} BbActivityReport;

void        bb_activity_report_free        (BbActivityReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbActivityReport, bb_activity_report_free)

/* Every occurrence in [@from, @to] (dates, inclusive), by start, cancelled
 * ones included. (element-type BbActivityReport) */
GPtrArray  *bb_programme_list_in_period    (BbStore      *store,
                                            const GDate  *from,
                                            const GDate  *to,
                                            GError      **error);

typedef struct {
  char   *theme;
  guint   held;
  guint   cancelled;
  gint64  participants;
  gint64  volunteer_minutes;
} BbThemeFigures;

typedef struct {
  int        year;
  guint      held;             /* done */
  guint      cancelled;
  guint      planned;          /* planned or confirmed */
  gint64     participants;     /* of the ones held */
  gint64     volunteer_minutes;
  GPtrArray *themes;           /* (element-type BbThemeFigures), by name */
} BbYearOverview;

void            bb_year_overview_free      (BbYearOverview *overview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbYearOverview, bb_year_overview_free)

BbYearOverview *bb_programme_year_overview (BbStore      *store,
                                            int           year,
                                            GError      **error);

G_END_DECLS
