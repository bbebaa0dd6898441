/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-activity.h"
#include "bb-date.h"
#include "bb-programme-handover.h"
#include "bb-store-private.h"

/* Each table is written column by column as it is stored; the import
 * checks every field's type, then its meaning, then lets the table's
 * constraints and foreign keys have the last word. */

typedef enum {
  COL_TEXT,        /* string */
  COL_INT,         /* whole number */
  COL_INT_OR_NULL, /* whole number or null */
  COL_BOOL,        /* true/false, stored as 0/1 */
  COL_TIME,        /* wall-clock "YYYY-MM-DDTHH:MM:SS" (Europe/Amsterdam) */
  COL_TIMESTAMP,   /* ISO 8601 with a zone */
  COL_STATUS,
  COL_COUNT,
  COL_RRULE,
} ColumnType;

typedef struct {
  const char *name;
  ColumnType  type;
} Column;

typedef struct {
  const char   *key;
  const char   *table;
  const char   *order_by;
  const Column *columns;
  guint         n_columns;
  gboolean      replace;   /* INSERT OR REPLACE: the default themes exist already */
} Table;

static const Column theme_columns[] = {
  { "name", COL_TEXT }, { "builtin", COL_BOOL }, { "position", COL_INT },
};
static const Column location_columns[] = {
  { "name", COL_TEXT }, { "last_used", COL_TEXT },
};
static const Column activity_columns[] = {
  { "id", COL_TEXT }, { "title", COL_TEXT }, { "description", COL_TEXT }, { "theme", COL_TEXT },
  { "starts_at", COL_TIME }, { "ends_at", COL_TIME }, { "all_day", COL_BOOL },
  { "location", COL_TEXT }, { "target_group", COL_TEXT }, { "open_to_all", COL_BOOL },
  { "partners", COL_TEXT }, { "status", COL_STATUS }, { "cancel_reason", COL_TEXT },
  { "expected_participants", COL_INT }, { "actual_participants", COL_INT_OR_NULL },
  { "count_method", COL_COUNT }, { "notes", COL_TEXT }, { "rrule", COL_RRULE },
  { "created_at", COL_TIMESTAMP }, { "updated_at", COL_TIMESTAMP },
};
static const Column exception_columns[] = {
  { "activity_id", COL_TEXT }, { "occurrence_start", COL_TIME }, { "starts_at", COL_TIME },
  { "ends_at", COL_TIME }, { "status", COL_STATUS }, { "cancel_reason", COL_TEXT },
  { "actual_participants", COL_INT_OR_NULL }, { "count_method", COL_COUNT }, { "notes", COL_TEXT },
};
static const Column task_columns[] = {
  { "id", COL_TEXT }, { "activity_id", COL_TEXT }, { "role", COL_TEXT }, { "needed", COL_INT },
  { "starts_at", COL_TIME }, { "ends_at", COL_TIME }, { "position", COL_INT },
};
static const Column assignment_columns[] = {
  { "task_id", COL_TEXT }, { "volunteer_id", COL_TEXT }, { "confirmed", COL_BOOL },
};

/* In this order: each refers only to the ones above it (and volunteers). */
static const Table tables[] = {
  { "themes", "programme_theme", "builtin DESC, position, name", theme_columns, G_N_ELEMENTS (theme_columns), TRUE },
  { "locations", "programme_location", "name", location_columns, G_N_ELEMENTS (location_columns), FALSE },
  { "activities", "activity", "starts_at, id", activity_columns, G_N_ELEMENTS (activity_columns), FALSE },
  { "exceptions", "activity_exception", "activity_id, occurrence_start", exception_columns,
    G_N_ELEMENTS (exception_columns), FALSE },
  { "tasks", "task", "activity_id, position, id", task_columns, G_N_ELEMENTS (task_columns), FALSE },
  { "assignments", "task_assignment", "task_id, volunteer_id", assignment_columns,
    G_N_ELEMENTS (assignment_columns), FALSE },
};

static char *
select_sql (const Table *table)
{
  GString *sql = g_string_new ("SELECT ");

  for (guint c = 0; c < table->n_columns; c++)
    g_string_append_printf (sql, "%s%s", c > 0 ? ", " : "", table->columns[c].name);
  g_string_append_printf (sql, " FROM %s ORDER BY %s", table->table, table->order_by);
  return g_string_free (sql, FALSE);
}

static char *
insert_sql (const Table *table)
{
  GString *sql = g_string_new (table->replace ? "INSERT OR REPLACE INTO " : "INSERT INTO ");

  g_string_append_printf (sql, "%s (", table->table);
  for (guint c = 0; c < table->n_columns; c++)
    g_string_append_printf (sql, "%s%s", c > 0 ? ", " : "", table->columns[c].name);
  g_string_append (sql, ") VALUES (");
  for (guint c = 0; c < table->n_columns; c++)
    g_string_append_printf (sql, "%s?%u", c > 0 ? ", " : "", c + 1);
  g_string_append (sql, ")");
  return g_string_free (sql, FALSE);
}

gboolean
bb_programme_handover_export (BbStore      *store,
                              JsonBuilder  *builder,
                              GError      **error)
{
  json_builder_begin_object (builder);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      const Table *table = &tables[t];
      g_autofree char *sql = select_sql (table);
      sqlite3_stmt *stmt = bb_store_prepare (store, sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;

      json_builder_set_member_name (builder, table->key);
      json_builder_begin_array (builder);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          json_builder_begin_object (builder);
          for (guint c = 0; c < table->n_columns; c++)
            {
              json_builder_set_member_name (builder, table->columns[c].name);
              if (sqlite3_column_type (stmt, (int) c) == SQLITE_NULL)
                json_builder_add_null_value (builder);
              else if (table->columns[c].type == COL_BOOL)
                json_builder_add_boolean_value (builder, sqlite3_column_int (stmt, (int) c) != 0);
              else if (table->columns[c].type == COL_INT || table->columns[c].type == COL_INT_OR_NULL)
                json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, (int) c));
              else
                json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, (int) c));
            }
          json_builder_end_object (builder);
        }
      sqlite3_reset (stmt);
      json_builder_end_array (builder);

      if (rc != SQLITE_DONE)
        {
          bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the programme"));
          return FALSE;
        }
    }

  json_builder_end_object (builder);
  return TRUE;
}

static gboolean
data_error (GError     **error,
            const char  *where,
            const char  *message)
{
  /* Translators: the first %s names a field ("programme.tasks[3].starts_at"), the second says what is wrong */
  g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA, _("The field “%s” is not valid: %s"),
               where, message);
  return FALSE;
}

/* Checks one field and binds it as column @index + 1. */
static gboolean
bind_field (sqlite3_stmt  *stmt,
            JsonObject    *object,
            const char    *prefix,
            const Column  *column,
            int            index,
            GError       **error)
{
  g_autofree char *where = bb_handover_field_name (prefix, column->name);
  const char *text = NULL;
  gint64 number = 0;
  JsonNode *node;

  switch (column->type)
    {
    case COL_BOOL:
      node = json_object_get_member (object, column->name);
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return data_error (error, where, _("it must be true or false."));
      sqlite3_bind_int (stmt, index + 1, json_node_get_boolean (node) ? 1 : 0);
      return TRUE;

    case COL_INT_OR_NULL:
      node = json_object_get_member (object, column->name);
      if (node != NULL && JSON_NODE_HOLDS_NULL (node))
        {
          sqlite3_bind_null (stmt, index + 1);
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;
    case COL_INT:
      if (!bb_handover_read_int (object, prefix, column->name, &number, error))
        return FALSE;
      if (number < 0 || number > G_MAXINT32)
        return data_error (error, where, _("it must be 0 or more."));
      sqlite3_bind_int64 (stmt, index + 1, number);
      return TRUE;

    case COL_TIMESTAMP:
      if (!bb_handover_read_timestamp (object, prefix, column->name, &text, error))
        return FALSE;
      break;

    case COL_TEXT:
    case COL_TIME:
    case COL_STATUS:
    case COL_COUNT:
    case COL_RRULE:
    default:
      if (!bb_handover_read_string (object, prefix, column->name, TRUE, &text, error))
        return FALSE;
      break;
    }

  switch (column->type)
    {
    case COL_TIME:
      {
        g_autoptr(GDateTime) time = bb_programme_time_from_string (text);

        if (time == NULL)
          return data_error (error, where, _("a date and time such as 2026-04-27T10:00:00 is expected."));
      }
      break;
    case COL_STATUS:
      {
        BbActivityStatus status;

        if (!bb_activity_status_from_string (text, &status))
          return data_error (error, where, _("it must be planned, confirmed, done or cancelled."));
      }
      break;
    case COL_COUNT:
      {
        BbCountMethod method;

        if (!bb_count_method_from_string (text, &method))
          return data_error (error, where, _("it must be counted, estimated or empty."));
      }
      break;
    case COL_RRULE:
      {
        g_autoptr(GError) rule_error = NULL;

        if (text[0] != '\0' && !bb_recurrence_validate (text, &rule_error))
          return data_error (error, where, rule_error->message);
      }
      break;
    case COL_TEXT:
    case COL_TIMESTAMP:
    case COL_INT:
    case COL_INT_OR_NULL:
    case COL_BOOL:
    default:
      break;
    }

  sqlite3_bind_text (stmt, index + 1, text, -1, SQLITE_TRANSIENT);
  return TRUE;
}

static gboolean
import_table (BbStore      *store,
              JsonObject   *section,
              const Table  *table,
              GError      **error)
{
  g_autofree char *field = g_strconcat ("programme.", table->key, NULL);
  g_autofree char *sql = insert_sql (table);
  g_autofree const char **known = g_new0 (const char *, table->n_columns);
  JsonNode *node = json_object_get_member (section, table->key);
  JsonArray *rows;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be a list."), field);
      return FALSE;
    }
  rows = json_node_get_array (node);

  for (guint c = 0; c < table->n_columns; c++)
    known[c] = table->columns[c].name;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s[%u]", field, i);
      JsonNode *row = json_array_get_element (rows, i);
      JsonObject *object;
      sqlite3_stmt *stmt;
      int rc;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        {
          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The field “%s” must be an object."), prefix);
          return FALSE;
        }
      object = json_node_get_object (row);
      if (!bb_handover_check_keys (object, prefix, known, table->n_columns, error))
        return FALSE;

      stmt = bb_store_prepare (store, sql, error);
      if (stmt == NULL)
        return FALSE;
      for (guint c = 0; c < table->n_columns; c++)
        if (!bind_field (stmt, object, prefix, &table->columns[c], (int) c, error))
          {
            sqlite3_reset (stmt);
            return FALSE;
          }

      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       /* Translators: %s names a record ("programme.tasks[3]"); the reason follows */
                       _("The record “%s” does not fit the council file: %s"), prefix,
                       sqlite3_errmsg (bb_store_get_db (store)));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
bb_programme_handover_import (BbStore   *store,
                              JsonNode  *node,
                              GError   **error)
{
  const char *known[G_N_ELEMENTS (tables)];
  JsonObject *section;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be an object."), "programme");
      return FALSE;
    }
  section = json_node_get_object (node);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    known[t] = tables[t].key;
  if (!bb_handover_check_keys (section, "programme", known, G_N_ELEMENTS (known), error))
    return FALSE;

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    if (!import_table (store, section, &tables[t], error))
      return FALSE;

  return TRUE;
}
