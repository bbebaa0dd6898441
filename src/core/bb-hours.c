/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-date.h"
#include "bb-hours.h"
#include "bb-store-private.h"
#include "bb-volunteer-private.h"

G_DEFINE_QUARK (bb-hours-error-quark, bb_hours_error)

G_DEFINE_BOXED_TYPE (BbHoursEntry, bb_hours_entry, bb_hours_entry_copy, bb_hours_entry_free)

BbHoursEntry *
bb_hours_entry_new (void)
{
  BbHoursEntry *entry = g_new0 (BbHoursEntry, 1);

  entry->note = g_strdup ("");
  return entry;
}

BbHoursEntry *
bb_hours_entry_copy (const BbHoursEntry *entry)
{
  BbHoursEntry *copy = g_new0 (BbHoursEntry, 1);

  copy->id = g_strdup (entry->id);
  copy->volunteer_id = g_strdup (entry->volunteer_id);
  copy->activity_id = g_strdup (entry->activity_id);
  copy->task_id = g_strdup (entry->task_id);
  copy->date = g_strdup (entry->date);
  copy->minutes = entry->minutes;
  copy->note = g_strdup (entry->note);
  copy->source = entry->source;
  copy->created_at = g_strdup (entry->created_at);
  return copy;
}

void
bb_hours_entry_free (BbHoursEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->volunteer_id);
  g_free (entry->activity_id);
  g_free (entry->task_id);
  g_free (entry->date);
  g_free (entry->note);
  g_free (entry->created_at);
  g_free (entry);
}

void
bb_hours_report_row_free (BbHoursReportRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

char *
bb_hours_format_minutes (gint64 minutes)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", minutes / 60, (int) (minutes % 60));
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL && text[0] != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
check_line (const char  *date,
            guint        minutes,
            GError     **error)
{
  if (!bb_volunteer_parse_iso_date (date, NULL))
    {
      g_set_error (error, BB_HOURS_ERROR, BB_HOURS_ERROR_DATE,
                   _("“%s” is not a date (YYYY-MM-DD)."), date != NULL ? date : "");
      return FALSE;
    }
  if (minutes < 1 || minutes > 24 * 60)
    {
      g_set_error_literal (error, BB_HOURS_ERROR, BB_HOURS_ERROR_MINUTES,
                           _("Hours must be more than 0 and at most 24 per day."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_hours (BbStore        *store,
              const char     *volunteer_id,
              const char     *activity_id,
              const char     *task_id,
              const char     *date,
              guint           minutes,
              const char     *note,
              BbHoursSource   source,
              char          **out_id,
              GError        **error)
{
  g_autofree char *id = bb_store_new_id ();
  g_autofree char *now = bb_date_time_now_iso ();
  sqlite3_stmt *stmt;
  int rc;

  if (volunteer_id != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!bb_volunteer_exists (store, volunteer_id, &local_error))
        {
          if (g_error_matches (local_error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_NOT_FOUND))
            g_set_error (error, BB_HOURS_ERROR, BB_HOURS_ERROR_VOLUNTEER,
                         _("There is no volunteer with id “%s”."), volunteer_id);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  stmt = bb_store_prepare (store,
                           "INSERT INTO volunteer_hours (id, volunteer_id, activity_id, task_id, date,"
                           " minutes, note, source, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, volunteer_id);
  bind_text_or_null (stmt, 3, activity_id);
  bind_text_or_null (stmt, 4, task_id);
  sqlite3_bind_text (stmt, 5, date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, (int) minutes);
  sqlite3_bind_text (stmt, 7, note != NULL ? note : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, source == BB_HOURS_SOURCE_CONFIRMED ? "confirmed" : "manual", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not save the hours"));
      return FALSE;
    }
  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

gboolean
bb_hours_add_manual (BbStore     *store,
                     const char  *volunteer_id,
                     const char  *activity_id,
                     const char  *date,
                     guint        minutes,
                     const char  *note,
                     char       **out_id,
                     GError     **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (volunteer_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_line (date, minutes, error))
    return FALSE;
  if (!bb_store_begin (store, error))
    return FALSE;
  if (!insert_hours (store, volunteer_id, activity_id, NULL, date, minutes, note,
                     BB_HOURS_SOURCE_MANUAL, out_id, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_hours_replace_confirmed_in_transaction (BbStore                    *store,
                                           const char                 *activity_id,
                                           const BbHoursConfirmation  *lines,
                                           gsize                       n_lines,
                                           GError                    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (activity_id != NULL, FALSE);
  g_return_val_if_fail (lines != NULL || n_lines == 0, FALSE);

  for (gsize i = 0; i < n_lines; i++)
    if (lines[i].minutes > 0 && !check_line (lines[i].date, lines[i].minutes, error))
      return FALSE;

  stmt = bb_store_prepare (store,
                           "DELETE FROM volunteer_hours WHERE activity_id = ?1 AND source = 'confirmed'",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, activity_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not save the hours"));
      return FALSE;
    }

  for (gsize i = 0; i < n_lines; i++)
    {
      if (lines[i].minutes == 0)
        continue;
      if (!insert_hours (store, lines[i].volunteer_id, activity_id, lines[i].task_id, lines[i].date,
                         lines[i].minutes, NULL, BB_HOURS_SOURCE_CONFIRMED, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
bb_hours_replace_confirmed (BbStore                    *store,
                            const char                 *activity_id,
                            const BbHoursConfirmation  *lines,
                            gsize                       n_lines,
                            GError                    **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;
  if (!bb_hours_replace_confirmed_in_transaction (store, activity_id, lines, n_lines, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_hours_delete (BbStore     *store,
                 const char  *id,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store, "DELETE FROM volunteer_hours WHERE id = ?1", error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not delete the hours"));
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

static GPtrArray *
list_entries (BbStore     *store,
              const char  *sql,
              const char  *param,
              GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_hours_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = bb_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbHoursEntry *entry = g_new0 (BbHoursEntry, 1);

      entry->id = g_strdup (column_text (stmt, 0));
      entry->volunteer_id = g_strdup (column_text (stmt, 1));
      entry->activity_id = g_strdup (column_text (stmt, 2));
      entry->task_id = g_strdup (column_text (stmt, 3));
      entry->date = g_strdup (column_text (stmt, 4));
      entry->minutes = (guint) sqlite3_column_int (stmt, 5);
      entry->note = g_strdup (column_text (stmt, 6));
      entry->source = g_strcmp0 (column_text (stmt, 7), "confirmed") == 0
                        ? BB_HOURS_SOURCE_CONFIRMED : BB_HOURS_SOURCE_MANUAL;
      entry->created_at = g_strdup (column_text (stmt, 8));
      g_ptr_array_add (result, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the hours"));
      return NULL;
    }
  return g_steal_pointer (&result);
}

#define HOURS_COLUMNS "id, volunteer_id, activity_id, task_id, date, minutes, note, source, created_at"

GPtrArray *
bb_hours_list_all (BbStore  *store,
                   GError  **error)
{
  return list_entries (store, "SELECT " HOURS_COLUMNS " FROM volunteer_hours ORDER BY date, created_at, id",
                       NULL, error);
}

GPtrArray *
bb_hours_list_for_volunteer (BbStore     *store,
                             const char  *volunteer_id,
                             GError     **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (volunteer_id != NULL, NULL);

  return list_entries (store,
                       "SELECT " HOURS_COLUMNS " FROM volunteer_hours WHERE volunteer_id = ?1"
                       " ORDER BY date DESC, created_at DESC",
                       volunteer_id, error);
}

GPtrArray *
bb_hours_list_for_activity (BbStore     *store,
                            const char  *activity_id,
                            GError     **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (activity_id != NULL, NULL);

  return list_entries (store,
                       "SELECT " HOURS_COLUMNS " FROM volunteer_hours WHERE activity_id = ?1"
                       " ORDER BY date DESC, created_at DESC",
                       activity_id, error);
}

static char *
year_bound (int year)
{
  return g_strdup_printf ("%04d", year);
}

gint64
bb_hours_total_for_volunteer (BbStore     *store,
                              const char  *volunteer_id,
                              int          year,
                              GError     **error)
{
  g_autofree char *prefix = NULL;
  sqlite3_stmt *stmt;
  gint64 total = 0;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), -1);
  g_return_val_if_fail (volunteer_id != NULL, -1);

  stmt = bb_store_prepare (store,
                           "SELECT COALESCE (SUM (minutes), 0) FROM volunteer_hours"
                           " WHERE volunteer_id = ?1 AND (?2 IS NULL OR substr (date, 1, 4) = ?2)",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, volunteer_id, -1, SQLITE_TRANSIENT);
  if (year > 0)
    {
      prefix = year_bound (year);
      sqlite3_bind_text (stmt, 2, prefix, -1, SQLITE_TRANSIENT);
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    total = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the hours"));
      return -1;
    }
  return total;
}

static gboolean
check_year (int       year,
            GError  **error)
{
  if (year < 1900 || year > 2200)
    {
      g_set_error (error, BB_HOURS_ERROR, BB_HOURS_ERROR_YEAR,
                   _("%d is not a year for a report."), year);
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_activity_table (BbStore *store)
{
  sqlite3_stmt *stmt = bb_store_prepare (store,
                                         "SELECT 1 FROM pragma_table_info ('activity') WHERE name = 'title'",
                                         NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static const char *
month_name (int month)
{
  static const char * const names[] = {
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
  };
  return _(names[month - 1]);
}

static int
compare_rows_by_label (gconstpointer a,
                       gconstpointer b)
{
  const BbHoursReportRow *ra = *(BbHoursReportRow * const *) a;
  const BbHoursReportRow *rb = *(BbHoursReportRow * const *) b;
  int by_label = g_utf8_collate (ra->label, rb->label);

  return by_label != 0 ? by_label : strcmp (ra->key, rb->key);
}

GPtrArray *
bb_hours_report (BbStore          *store,
                 int               year,
                 BbHoursGrouping   grouping,
                 GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_hours_report_row_free);
  g_autofree char *prefix = NULL;
  const char *sql;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  if (!check_year (year, error))
    return NULL;
  prefix = year_bound (year);

  switch (grouping)
    {
    case BB_HOURS_BY_VOLUNTEER:
      sql = "SELECT COALESCE (h.volunteer_id, ''),"
            " CASE WHEN v.id IS NULL THEN NULL ELSE trim (v.first_name || ' ' || v.last_name) END,"
            " SUM (h.minutes), COUNT (*), COUNT (DISTINCT h.volunteer_id)"
            " FROM volunteer_hours h LEFT JOIN volunteer v ON v.id = h.volunteer_id"
            " WHERE substr (h.date, 1, 4) = ?1 GROUP BY 1";
      break;
    case BB_HOURS_BY_ACTIVITY:
      sql = has_activity_table (store)
        ? "SELECT COALESCE (h.activity_id, ''), (SELECT a.title FROM activity a WHERE a.id = h.activity_id),"
          " SUM (h.minutes), COUNT (*), COUNT (DISTINCT h.volunteer_id)"
          " FROM volunteer_hours h WHERE substr (h.date, 1, 4) = ?1 GROUP BY 1"
        : "SELECT COALESCE (h.activity_id, ''), NULL,"
          " SUM (h.minutes), COUNT (*), COUNT (DISTINCT h.volunteer_id)"
          " FROM volunteer_hours h WHERE substr (h.date, 1, 4) = ?1 GROUP BY 1";
      break;
    case BB_HOURS_BY_MONTH:
      sql = "SELECT substr (date, 1, 7), NULL, SUM (minutes), COUNT (*), COUNT (DISTINCT volunteer_id)"
            " FROM volunteer_hours WHERE substr (date, 1, 4) = ?1 GROUP BY 1";
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (grouping == BB_HOURS_BY_MONTH)
    for (int month = 1; month <= 12; month++)
      {
        BbHoursReportRow *row = g_new0 (BbHoursReportRow, 1);

        row->key = g_strdup_printf ("%04d-%02d", year, month);
        row->label = g_strdup (month_name (month));
        g_ptr_array_add (rows, row);
      }

  stmt = bb_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = column_text (stmt, 0);
      const char *label = column_text (stmt, 1);
      BbHoursReportRow *row = NULL;

      if (grouping == BB_HOURS_BY_MONTH)
        {
          guint64 month = 0;

          if (key == NULL || strlen (key) != 7 ||
              !g_ascii_string_to_unsigned (key + 5, 10, 1, 12, &month, NULL))
            continue;
          row = g_ptr_array_index (rows, month - 1);
        }
      else
        {
          row = g_new0 (BbHoursReportRow, 1);
          row->key = g_strdup (key);
          if (label != NULL && label[0] != '\0')
            row->label = g_strdup (label);
          else if (grouping == BB_HOURS_BY_VOLUNTEER)
            row->label = g_strdup (key[0] == '\0' ? _("Anonymous (erased volunteers)") : key);
          else
            row->label = g_strdup (key[0] == '\0' ? _("Not linked to an activity") : key);
          g_ptr_array_add (rows, row);
        }
      row->minutes = sqlite3_column_int64 (stmt, 2);
      row->n_entries = (guint) sqlite3_column_int (stmt, 3);
      row->n_volunteers = (guint) sqlite3_column_int (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the hours"));
      return NULL;
    }

  if (grouping != BB_HOURS_BY_MONTH)
    g_ptr_array_sort (rows, compare_rows_by_label);
  return g_steal_pointer (&rows);
}

gboolean
bb_hours_year_total (BbStore  *store,
                     int       year,
                     gint64   *out_minutes,
                     guint    *out_volunteers,
                     GError  **error)
{
  g_autofree char *prefix = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  if (!check_year (year, error))
    return FALSE;
  prefix = year_bound (year);
  stmt = bb_store_prepare (store,
                           "SELECT COALESCE (SUM (minutes), 0), COUNT (DISTINCT volunteer_id)"
                           " FROM volunteer_hours WHERE substr (date, 1, 4) = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (out_minutes != NULL)
        *out_minutes = sqlite3_column_int64 (stmt, 0);
      if (out_volunteers != NULL)
        *out_volunteers = (guint) sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the hours"));
      return FALSE;
    }
  return TRUE;
}

/* Quotes a field when it holds the separator, a quote or a line break;
 * with @guard_formula a leading = + - @ is quoted behind a ' so that a
 * spreadsheet does not read it as a formula. */
void
bb_hours_csv_append_field (GString    *out,
                           const char *field,
                           char        separator,
                           gboolean    guard_formula)
{
  gboolean formula;

  if (field == NULL)
    field = "";
  formula = guard_formula && *field != '\0' && strchr ("=+-@", *field) != NULL;
  if (formula || strchr (field, separator) != NULL || strpbrk (field, "\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      if (formula)
        g_string_append_c (out, '\'');
      for (const char *p = field; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, field);
}

char *
bb_hours_report_to_csv (GPtrArray       *rows,
                        BbHoursGrouping  grouping)
{
  GString *out = g_string_new (NULL);
  const char *key_header;

  g_return_val_if_fail (rows != NULL, NULL);

  switch (grouping)
    {
    case BB_HOURS_BY_VOLUNTEER: key_header = "volunteer_id"; break;
    case BB_HOURS_BY_ACTIVITY: key_header = "activity_id"; break;
    case BB_HOURS_BY_MONTH: default: key_header = "month"; break;
    }
  /* Column names are stable keys for spreadsheets, not translated. */
  g_string_append_printf (out, "%s;name;hours;entries;volunteers\r\n", key_header);
  for (guint i = 0; i < rows->len; i++)
    {
      BbHoursReportRow *row = g_ptr_array_index (rows, i);

      bb_hours_csv_append_field (out, row->key, ';', FALSE);
      g_string_append_c (out, ';');
      bb_hours_csv_append_field (out, row->label, ';', FALSE);
      g_string_append_printf (out, ";%" G_GINT64_FORMAT ",%02d;%u;%u\r\n",
                              row->minutes / 60, (int) ((row->minutes % 60) * 100 / 60),
                              row->n_entries, row->n_volunteers);
    }
  return g_string_free (out, FALSE);
}
