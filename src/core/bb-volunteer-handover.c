/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-allowance.h"
#include "bb-handover-private.h"
#include "bb-hours.h"
#include "bb-money.h"
#include "bb-store-private.h"
#include "bb-volunteer-handover.h"
#include "bb-volunteer-private.h"

/* The section is described in docs/handover-format.md ("volunteers"); a
 * change here is a change there. Records are written in a stable order so
 * that export → import → export gives the same document. */

#define SECTION "volunteers"
#define MAX_TERM 1200
#define MAX_PAYMENT_MINUTES 100000
#define MAX_TEXT_CHARS 10000

static const char * const section_keys[] = {
  "settings", "skills", "allowance_caps", "register", "payments", "hours",
};
static const char * const settings_keys[] = {
  "vog_rerequest_years", "erase_after_months",
};
static const char * const cap_keys[] = {
  "year", "hour_21_plus_cents", "hour_under_21_cents", "month_cents", "year_cents",
};
static const char * const volunteer_keys[] = {
  "id", "first_name", "last_name", "email", "phone", "address", "age_band",
  "birth_year", "availability", "skills", "roles", "start_date", "end_date",
  "status", "stop_reason", "emergency_contact", "notes", "vog_needed",
  "vog_status", "vog_date", "allowance_kind", "allowance_cents", "iban",
  "consents", "created_at", "updated_at",
};
static const char * const consent_keys[] = {
  "id", "kind", "given", "date", "recorded_at",
};
static const char * const payment_keys[] = {
  "id", "volunteer_id", "date", "kind", "amount_cents", "minutes", "note", "created_at",
};
static const char * const hours_keys[] = {
  "id", "volunteer_id", "activity_id", "task_id", "date", "minutes", "note",
  "source", "created_at",
};
/* The availability object: G_DATE_MONDAY … G_DATE_SUNDAY, then day parts
 * in BbDayPart order. */
static const char * const day_keys[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};
static const char * const part_keys[] = { "morning", "afternoon", "evening" };

/* Writing */

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *key,
         gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *key,
          gboolean     value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_boolean_value (builder, value);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static gboolean
export_council_skills (BbStore      *store,
                       JsonBuilder  *builder,
                       GError      **error)
{
  sqlite3_stmt *stmt = bb_store_prepare (store, "SELECT name FROM council_skill ORDER BY name", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  json_builder_set_member_name (builder, "skills");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_builder_add_string_value (builder, column_text (stmt, 0));
  sqlite3_reset (stmt);
  json_builder_end_array (builder);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the skills"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
export_caps (BbStore      *store,
             JsonBuilder  *builder,
             GError      **error)
{
  sqlite3_stmt *stmt = bb_store_prepare (store,
                                         "SELECT year, hour_21_plus_cents, hour_under_21_cents,"
                                         " month_cents, year_cents FROM allowance_cap ORDER BY year",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  json_builder_set_member_name (builder, "allowance_caps");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      for (guint i = 0; i < G_N_ELEMENTS (cap_keys); i++)
        add_int (builder, cap_keys[i], sqlite3_column_int64 (stmt, (int) i));
      json_builder_end_object (builder);
    }
  sqlite3_reset (stmt);
  json_builder_end_array (builder);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc,
                                 _("Could not read the allowance limits"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
export_consents (BbStore      *store,
                 const char   *volunteer_id,
                 JsonBuilder  *builder,
                 GError      **error)
{
  sqlite3_stmt *stmt = bb_store_prepare (store,
                                         "SELECT id, kind, given, date, recorded_at FROM volunteer_consent"
                                         " WHERE volunteer_id = ?1 ORDER BY date, recorded_at, id",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, volunteer_id, -1, SQLITE_TRANSIENT);
  json_builder_set_member_name (builder, "consents");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      add_string (builder, "id", column_text (stmt, 0));
      add_string (builder, "kind", column_text (stmt, 1));
      add_bool (builder, "given", sqlite3_column_int (stmt, 2) != 0);
      add_string (builder, "date", column_text (stmt, 3));
      add_string (builder, "recorded_at", column_text (stmt, 4));
      json_builder_end_object (builder);
    }
  sqlite3_reset (stmt);
  json_builder_end_array (builder);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the consents"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
export_volunteer (BbStore      *store,
                  BbVolunteer  *v,
                  JsonBuilder  *builder,
                  GError      **error)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", bb_volunteer_get_id (v));
  add_string (builder, "first_name", bb_volunteer_get_first_name (v));
  add_string (builder, "last_name", bb_volunteer_get_last_name (v));
  add_string (builder, "email", bb_volunteer_get_email (v));
  add_string (builder, "phone", bb_volunteer_get_phone (v));
  add_string (builder, "address", bb_volunteer_get_address (v));
  add_string (builder, "age_band", bb_age_band_to_string (bb_volunteer_get_age_band (v)));
  json_builder_set_member_name (builder, "birth_year");
  if (bb_volunteer_get_birth_year (v) != 0)
    json_builder_add_int_value (builder, bb_volunteer_get_birth_year (v));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "availability");
  json_builder_begin_object (builder);
  for (guint d = 0; d < G_N_ELEMENTS (day_keys); d++)
    {
      json_builder_set_member_name (builder, day_keys[d]);
      json_builder_begin_array (builder);
      for (guint p = 0; p < BB_N_DAY_PARTS; p++)
        if (bb_volunteer_is_available (v, (GDateWeekday) (d + 1), (BbDayPart) p))
          json_builder_add_string_value (builder, part_keys[p]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "skills");
  json_builder_begin_array (builder);
  for (const char * const *s = bb_volunteer_get_skills (v); *s != NULL; s++)
    json_builder_add_string_value (builder, *s);
  json_builder_end_array (builder);

  add_string (builder, "roles", bb_volunteer_get_roles (v));
  add_string (builder, "start_date", bb_volunteer_get_start_date (v));
  add_string (builder, "end_date", bb_volunteer_get_end_date (v));
  add_string (builder, "status", bb_volunteer_status_to_string (bb_volunteer_get_status (v)));
  add_string (builder, "stop_reason", bb_volunteer_get_stop_reason (v));
  add_string (builder, "emergency_contact", bb_volunteer_get_emergency_contact (v));
  add_string (builder, "notes", bb_volunteer_get_notes (v));
  add_bool (builder, "vog_needed", bb_volunteer_get_vog_needed (v));
  add_string (builder, "vog_status", bb_vog_status_to_string (bb_volunteer_get_vog_status (v)));
  add_string (builder, "vog_date", bb_volunteer_get_vog_date (v));
  add_string (builder, "allowance_kind",
              bb_allowance_kind_to_string (bb_volunteer_get_allowance_kind (v)));
  add_int (builder, "allowance_cents", bb_volunteer_get_allowance_cents (v));
  add_string (builder, "iban", bb_volunteer_get_iban (v));
  if (!export_consents (store, bb_volunteer_get_id (v), builder, error))
    return FALSE;
  add_string (builder, "created_at", bb_volunteer_get_created_at (v));
  add_string (builder, "updated_at", bb_volunteer_get_updated_at (v));
  json_builder_end_object (builder);
  return TRUE;
}

gboolean
bb_volunteer_handover_export (BbStore      *store,
                              JsonBuilder  *builder,
                              GError      **error)
{
  g_autoptr(GPtrArray) volunteers = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) hours = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (JSON_IS_BUILDER (builder), FALSE);

  volunteers = bb_volunteer_list_array (store, error);
  if (volunteers == NULL)
    return FALSE;
  payments = bb_allowance_list_payments (store, NULL, 0, error);
  if (payments == NULL)
    return FALSE;
  hours = bb_hours_list_all (store, error);
  if (hours == NULL)
    return FALSE;

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "settings");
  json_builder_begin_object (builder);
  add_int (builder, "vog_rerequest_years", bb_volunteer_get_vog_rerequest_years (store));
  add_int (builder, "erase_after_months", bb_volunteer_get_erase_after_months (store));
  json_builder_end_object (builder);

  if (!export_council_skills (store, builder, error) ||
      !export_caps (store, builder, error))
    return FALSE;

  json_builder_set_member_name (builder, "register");
  json_builder_begin_array (builder);
  for (guint i = 0; i < volunteers->len; i++)
    if (!export_volunteer (store, g_ptr_array_index (volunteers, i), builder, error))
      return FALSE;
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "payments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < payments->len; i++)
    {
      const BbAllowancePayment *p = g_ptr_array_index (payments, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", p->id);
      add_string (builder, "volunteer_id", p->volunteer_id);
      add_string (builder, "date", p->date);
      add_string (builder, "kind", bb_payment_kind_to_string (p->kind));
      add_int (builder, "amount_cents", p->amount_cents);
      json_builder_set_member_name (builder, "minutes");
      if (p->minutes > 0)
        json_builder_add_int_value (builder, p->minutes);
      else
        json_builder_add_null_value (builder);
      add_string (builder, "note", p->note != NULL ? p->note : "");
      add_string (builder, "created_at", p->created_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "hours");
  json_builder_begin_array (builder);
  for (guint i = 0; i < hours->len; i++)
    {
      const BbHoursEntry *h = g_ptr_array_index (hours, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", h->id);
      add_string (builder, "volunteer_id", h->volunteer_id);
      add_string (builder, "activity_id", h->activity_id);
      add_string (builder, "task_id", h->task_id);
      add_string (builder, "date", h->date);
      add_int (builder, "minutes", h->minutes);
      add_string (builder, "note", h->note != NULL ? h->note : "");
      add_string (builder, "source", h->source == BB_HOURS_SOURCE_CONFIRMED ? "confirmed" : "manual");
      add_string (builder, "created_at", h->created_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  return TRUE;
}

/* Reading. Every check names the field by its dotted path, e.g.
 * "volunteers.register[3].email", as docs/handover-format.md spells it. */

/* @key NULL: @prefix names the field itself (a list element). */
static char *
field_name (const char *prefix,
            const char *key)
{
  return key != NULL ? bb_handover_field_name (prefix, key) : g_strdup (prefix);
}

/* Macros, not functions, so the compiler checks each translated format. */
#define data_error(error, format, prefix, key)                                   \
  ({                                                                             \
    g_autofree char *where_ = field_name ((prefix), (key));                      \
    g_set_error ((error), BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,             \
                 format, where_);                                                \
    FALSE;                                                                       \
  })

#define data_error_value(error, format, prefix, key, value)                      \
  ({                                                                             \
    g_autofree char *where_ = field_name ((prefix), (key));                      \
    g_set_error ((error), BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,             \
                 format, where_, (value));                                       \
    FALSE;                                                                       \
  })

static JsonObject *
as_object (JsonNode    *node,
           const char  *where,
           GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be an object."), where);
      return NULL;
    }
  return json_node_get_object (node);
}

/* A missing or null list is an empty one. */
static gboolean
read_array (JsonObject  *object,
            const char  *prefix,
            const char  *key,
            JsonArray  **out_array,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out_array = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return data_error (error, _("The field “%s” must be a list."), prefix, key);
  *out_array = json_node_get_array (node);
  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *prefix,
           const char  *key,
           gboolean    *out_value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return data_error (error, _("The field “%s” is missing."), prefix, key);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return data_error (error, _("The field “%s” must be true or false."), prefix, key);
  *out_value = json_node_get_boolean (node);
  return TRUE;
}

/* A whole number in @min … @max; a missing or null member gives 0 when
 * @nullable. */
static gboolean
read_int_in_range (JsonObject  *object,
                   const char  *prefix,
                   const char  *key,
                   gboolean     nullable,
                   gint64       min,
                   gint64       max,
                   gint64      *out_value,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out_value = 0;
  if (nullable && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    return TRUE;
  if (!bb_handover_read_int (object, prefix, key, out_value, error))
    return FALSE;
  if (*out_value < min)
    return data_error (error, min == 1 ? _("The field “%s” must be a positive whole number.")
                                       : _("The field “%s” must not be negative."),
                       prefix, key);
  if (*out_value > max)
    return data_error (error, _("The field “%s” is too large."), prefix, key);
  return TRUE;
}

/* Text of at most MAX_TEXT_CHARS characters; a missing or null optional
 * member gives "". */
static gboolean
read_text (JsonObject   *object,
           const char   *prefix,
           const char   *key,
           gboolean      required,
           const char  **out_value,
           GError      **error)
{
  if (!bb_handover_read_string (object, prefix, key, required, out_value, error))
    return FALSE;
  if (*out_value == NULL)
    *out_value = "";
  else if (g_utf8_strlen (*out_value, -1) > MAX_TEXT_CHARS)
    return data_error (error, _("The field “%s” is too large."), prefix, key);
  return TRUE;
}

static gboolean
read_uuid (JsonObject   *object,
           const char   *prefix,
           const char   *key,
           gboolean      required,
           const char  **out_value,
           GError      **error)
{
  if (!bb_handover_read_string (object, prefix, key, required, out_value, error))
    return FALSE;
  if (*out_value != NULL && !g_uuid_string_is_valid (*out_value))
    return data_error (error, _("The field “%s” must be a UUID."), prefix, key);
  return TRUE;
}

/* An id of another feature's record: nullable, never empty. */
static gboolean
read_reference (JsonObject   *object,
                const char   *prefix,
                const char   *key,
                const char  **out_value,
                GError      **error)
{
  if (!bb_handover_read_string (object, prefix, key, FALSE, out_value, error))
    return FALSE;
  if (*out_value != NULL && ((*out_value)[0] == '\0' || strlen (*out_value) > 200))
    return data_error (error, _("The field “%s” must be an id or null."), prefix, key);
  return TRUE;
}

/* YYYY-MM-DD; a missing, null or empty optional member gives NULL. */
static gboolean
read_date (JsonObject   *object,
           const char   *prefix,
           const char   *key,
           gboolean      required,
           const char  **out_value,
           GError      **error)
{
  if (!bb_handover_read_string (object, prefix, key, required, out_value, error))
    return FALSE;
  if (!required && *out_value != NULL && (*out_value)[0] == '\0')
    *out_value = NULL;
  if (*out_value != NULL && !bb_volunteer_parse_iso_date (*out_value, NULL))
    return data_error (error, _("The field “%s” must be a date (YYYY-MM-DD)."), prefix, key);
  return TRUE;
}

/* An id seen before in the same list (or table) would fail in SQLite
 * with a message that names no field. */
static gboolean
check_unique (GHashTable  *seen,
              const char  *id,
              const char  *prefix,
              GError     **error)
{
  if (!g_hash_table_add (seen, g_strdup (id)))
    return data_error_value (error, _("The field “%s” repeats the id “%s”."), prefix, "id", id);
  return TRUE;
}

static gboolean
step_done (BbStore      *store,
           sqlite3_stmt *stmt,
           const char   *what,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, what);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
write_meta (BbStore     *store,
            const char  *key,
            gint64       value,
            GError     **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  sqlite3_stmt *stmt = bb_store_prepare (store,
                                         "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  return step_done (store, stmt, _("Could not save the setting"), error);
}

static gboolean
import_settings (BbStore     *store,
                 JsonObject  *section,
                 GError     **error)
{
  const char *prefix = SECTION ".settings";
  JsonNode *node = json_object_get_member (section, "settings");
  JsonObject *object;
  gint64 years, months;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  object = as_object (node, prefix, error);
  if (object == NULL ||
      !bb_handover_check_keys (object, prefix, settings_keys, G_N_ELEMENTS (settings_keys), error) ||
      !read_int_in_range (object, prefix, "vog_rerequest_years", FALSE, 1, MAX_TERM, &years, error) ||
      !read_int_in_range (object, prefix, "erase_after_months", FALSE, 1, MAX_TERM, &months, error))
    return FALSE;

  return write_meta (store, BB_VOLUNTEER_META_VOG_YEARS, years, error) &&
         write_meta (store, BB_VOLUNTEER_META_ERASE_MONTHS, months, error);
}

static gboolean
check_skill_name (const char  *name,
                  const char  *prefix,
                  const char  *key,
                  GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  if (name[0] == '\0' || g_utf8_strlen (name, -1) > 80 || strcmp (name, stripped) != 0)
    return data_error (error, _("The field “%s” must be a skill name of 1 to 80 characters without surrounding spaces."),
                       prefix, key);
  return TRUE;
}

/* A list of text values, each checked as a skill; @prefix names the list. */
static gboolean
read_skill_list (JsonArray    *array,
                 const char   *prefix,
                 GPtrArray    *out_names,
                 GError      **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *index = g_strdup_printf ("[%u]", i);
      g_autofree char *where = g_strconcat (prefix, index, NULL);
      const char *name;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The field “%s” must be text."), where);
          return FALSE;
        }
      name = json_node_get_string (node);
      if (!check_skill_name (name, where, NULL, error))
        return FALSE;
      if (!g_hash_table_add (seen, (gpointer) name))
        {
          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The field “%s” repeats “%s”."), where, name);
          return FALSE;
        }
      g_ptr_array_add (out_names, (gpointer) name);
    }
  return TRUE;
}

static gboolean
import_council_skills (BbStore     *store,
                       JsonObject  *section,
                       GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonArray *array;

  if (!read_array (section, SECTION, "skills", &array, error) ||
      !read_skill_list (array, SECTION ".skills", names, error))
    return FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      sqlite3_stmt *stmt = bb_store_prepare (store, "INSERT INTO council_skill (name) VALUES (?1)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (names, i), -1, SQLITE_TRANSIENT);
      if (!step_done (store, stmt, _("Could not save the skill"), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
import_caps (BbStore     *store,
             JsonObject  *section,
             GError     **error)
{
  g_autoptr(GHashTable) years = g_hash_table_new (g_direct_hash, g_direct_equal);
  JsonArray *array;

  if (!read_array (section, SECTION, "allowance_caps", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *prefix = g_strdup_printf (SECTION ".allowance_caps[%u]", i);
      JsonObject *object = as_object (json_array_get_element (array, i), prefix, error);
      gint64 values[G_N_ELEMENTS (cap_keys)];
      sqlite3_stmt *stmt;

      if (object == NULL ||
          !bb_handover_check_keys (object, prefix, cap_keys, G_N_ELEMENTS (cap_keys), error) ||
          !read_int_in_range (object, prefix, "year", FALSE, 2000, 2200, &values[0], error))
        return FALSE;
      for (guint k = 1; k < G_N_ELEMENTS (cap_keys); k++)
        if (!read_int_in_range (object, prefix, cap_keys[k], FALSE, 1, BB_MONEY_MAX_CENTS,
                                &values[k], error))
          return FALSE;
      if (!g_hash_table_add (years, GINT_TO_POINTER ((int) values[0])))
        return data_error (error, _("The field “%s” repeats a year."), prefix, "year");

      stmt = bb_store_prepare (store,
                               "INSERT INTO allowance_cap (year, hour_21_plus_cents,"
                               " hour_under_21_cents, month_cents, year_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
                               error);
      if (stmt == NULL)
        return FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (cap_keys); k++)
        sqlite3_bind_int64 (stmt, (int) k + 1, values[k]);
      if (!step_done (store, stmt, _("Could not save the allowance limits"), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_availability (JsonObject  *object,
                   const char  *prefix,
                   guint32     *out_mask,
                   GError     **error)
{
  g_autofree char *where = bb_handover_field_name (prefix, "availability");
  JsonObject *days = as_object (json_object_get_member (object, "availability"), where, error);

  *out_mask = 0;
  if (days == NULL ||
      !bb_handover_check_keys (days, where, day_keys, G_N_ELEMENTS (day_keys), error))
    return FALSE;

  for (guint d = 0; d < G_N_ELEMENTS (day_keys); d++)
    {
      g_autofree char *day_where = bb_handover_field_name (where, day_keys[d]);
      JsonArray *parts;

      if (!read_array (days, where, day_keys[d], &parts, error))
        return FALSE;
      for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
        {
          JsonNode *node = json_array_get_element (parts, i);
          const char *text = NULL;
          gboolean found = FALSE;

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            text = json_node_get_string (node);
          for (guint p = 0; text != NULL && p < G_N_ELEMENTS (part_keys); p++)
            if (strcmp (text, part_keys[p]) == 0)
              {
                *out_mask |= 1u << (d * BB_N_DAY_PARTS + p);
                found = TRUE;
              }
          if (!found)
            {
              g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                           _("The field “%s” may only hold “morning”, “afternoon” and “evening”."),
                           day_where);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Which field bb_volunteer_validate() complains about. */
static const char *
volunteer_error_field (int code)
{
  switch (code)
    {
    case BB_VOLUNTEER_ERROR_NAME: return "first_name";
    case BB_VOLUNTEER_ERROR_EMAIL: return "email";
    case BB_VOLUNTEER_ERROR_IBAN: return "iban";
    case BB_VOLUNTEER_ERROR_BIRTH_YEAR: return "birth_year";
    case BB_VOLUNTEER_ERROR_DATE: return "end_date";
    case BB_VOLUNTEER_ERROR_SKILL: return "skills";
    default: return "id";
    }
}

static gboolean
import_consents (BbStore     *store,
                 JsonObject  *object,
                 const char  *prefix,
                 const char  *volunteer_id,
                 GHashTable  *seen_ids,
                 GError     **error)
{
  g_autofree char *list_prefix = bb_handover_field_name (prefix, "consents");
  JsonArray *array;

  if (!read_array (object, prefix, "consents", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s[%u]", list_prefix, i);
      JsonObject *consent = as_object (json_array_get_element (array, i), where, error);
      const char *id, *kind_text, *date, *recorded_at;
      BbConsentKind kind;
      gboolean given;
      sqlite3_stmt *stmt;

      if (consent == NULL ||
          !bb_handover_check_keys (consent, where, consent_keys, G_N_ELEMENTS (consent_keys), error) ||
          !read_uuid (consent, where, "id", TRUE, &id, error) ||
          !bb_handover_read_string (consent, where, "kind", TRUE, &kind_text, error) ||
          !read_bool (consent, where, "given", &given, error) ||
          !read_date (consent, where, "date", TRUE, &date, error) ||
          !bb_handover_read_timestamp (consent, where, "recorded_at", &recorded_at, error) ||
          !check_unique (seen_ids, id, where, error))
        return FALSE;
      if (!bb_consent_kind_from_string (kind_text, &kind))
        return data_error (error, _("The field “%s” must be “photo”, “newsletter” or “share-contact”."),
                           where, "kind");

      stmt = bb_store_prepare (store,
                               "INSERT INTO volunteer_consent (id, volunteer_id, kind, given, date, recorded_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, volunteer_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, bb_consent_kind_to_string (kind), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, given ? 1 : 0);
      sqlite3_bind_text (stmt, 5, date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, recorded_at, -1, SQLITE_TRANSIENT);
      if (!step_done (store, stmt, _("Could not save the consent"), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_volunteer (BbStore      *store,
                  BbVolunteer  *v,
                  GError      **error)
{
  const char * const *skills = bb_volunteer_get_skills (v);
  sqlite3_stmt *stmt;

  /* Not bb_volunteer_save_in_transaction(): that stamps updated_at, and a
   * handover keeps every date exactly. */
  stmt = bb_store_prepare (store,
                           "INSERT INTO volunteer (id, first_name, last_name, email, phone, address,"
                           " age_band, birth_year, availability, roles, start_date, end_date, status,"
                           " stop_reason, emergency_contact, notes, vog_needed, vog_status, vog_date,"
                           " allowance_kind, allowance_cents, iban, created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                           " ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bb_volunteer_get_id (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, bb_volunteer_get_first_name (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, bb_volunteer_get_last_name (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, bb_volunteer_get_email (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, bb_volunteer_get_phone (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, bb_volunteer_get_address (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, bb_age_band_to_string (bb_volunteer_get_age_band (v)), -1, SQLITE_STATIC);
  if (bb_volunteer_get_birth_year (v) != 0)
    sqlite3_bind_int (stmt, 8, (int) bb_volunteer_get_birth_year (v));
  sqlite3_bind_int64 (stmt, 9, bb_volunteer_get_availability (v));
  sqlite3_bind_text (stmt, 10, bb_volunteer_get_roles (v), -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 11, bb_volunteer_get_start_date (v));
  bind_text_or_null (stmt, 12, bb_volunteer_get_end_date (v));
  sqlite3_bind_text (stmt, 13, bb_volunteer_status_to_string (bb_volunteer_get_status (v)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, bb_volunteer_get_stop_reason (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 15, bb_volunteer_get_emergency_contact (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 16, bb_volunteer_get_notes (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 17, bb_volunteer_get_vog_needed (v) ? 1 : 0);
  sqlite3_bind_text (stmt, 18, bb_vog_status_to_string (bb_volunteer_get_vog_status (v)), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 19, bb_volunteer_get_vog_date (v));
  sqlite3_bind_text (stmt, 20, bb_allowance_kind_to_string (bb_volunteer_get_allowance_kind (v)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 21, bb_volunteer_get_allowance_cents (v));
  sqlite3_bind_text (stmt, 22, bb_volunteer_get_iban (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 23, bb_volunteer_get_created_at (v), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 24, bb_volunteer_get_updated_at (v), -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, _("Could not save the volunteer"), error))
    return FALSE;

  for (guint i = 0; skills[i] != NULL; i++)
    {
      stmt = bb_store_prepare (store, "INSERT INTO volunteer_skill (volunteer_id, skill) VALUES (?1, ?2)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, bb_volunteer_get_id (v), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, skills[i], -1, SQLITE_TRANSIENT);
      if (!step_done (store, stmt, _("Could not save the volunteer’s skills"), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
import_volunteer (BbStore     *store,
                  JsonObject  *object,
                  const char  *prefix,
                  GHashTable  *volunteer_ids,
                  GHashTable  *consent_ids,
                  GError     **error)
{
  g_autoptr(BbVolunteer) v = bb_volunteer_new ();
  g_autoptr(GPtrArray) skills = g_ptr_array_new ();
  g_autoptr(GError) invalid = NULL;
  const char *id, *first_name, *last_name, *email, *phone, *address, *age_band_text;
  const char *roles, *start_date, *end_date, *status_text, *stop_reason, *emergency_contact;
  const char *notes, *vog_status_text, *vog_date, *allowance_kind_text, *iban;
  const char *created_at, *updated_at;
  g_autofree char *skills_prefix = bb_handover_field_name (prefix, "skills");
  gint64 birth_year, allowance_cents;
  gboolean vog_needed;
  guint32 availability;
  BbAgeBand age_band;
  BbVolunteerStatus status;
  BbVogStatus vog_status;
  BbAllowanceKind allowance_kind;
  JsonArray *skill_array;

  if (!bb_handover_check_keys (object, prefix, volunteer_keys, G_N_ELEMENTS (volunteer_keys), error) ||
      !read_uuid (object, prefix, "id", TRUE, &id, error) ||
      !read_text (object, prefix, "first_name", FALSE, &first_name, error) ||
      !read_text (object, prefix, "last_name", FALSE, &last_name, error) ||
      !read_text (object, prefix, "email", FALSE, &email, error) ||
      !read_text (object, prefix, "phone", FALSE, &phone, error) ||
      !read_text (object, prefix, "address", FALSE, &address, error) ||
      !bb_handover_read_string (object, prefix, "age_band", TRUE, &age_band_text, error) ||
      !read_int_in_range (object, prefix, "birth_year", TRUE, 1900, 2200, &birth_year, error) ||
      !read_availability (object, prefix, &availability, error) ||
      !read_array (object, prefix, "skills", &skill_array, error) ||
      !read_skill_list (skill_array, skills_prefix, skills, error) ||
      !read_text (object, prefix, "roles", FALSE, &roles, error) ||
      !read_date (object, prefix, "start_date", FALSE, &start_date, error) ||
      !read_date (object, prefix, "end_date", FALSE, &end_date, error) ||
      !bb_handover_read_string (object, prefix, "status", TRUE, &status_text, error) ||
      !read_text (object, prefix, "stop_reason", FALSE, &stop_reason, error) ||
      !read_text (object, prefix, "emergency_contact", FALSE, &emergency_contact, error) ||
      !read_text (object, prefix, "notes", FALSE, &notes, error) ||
      !read_bool (object, prefix, "vog_needed", &vog_needed, error) ||
      !bb_handover_read_string (object, prefix, "vog_status", TRUE, &vog_status_text, error) ||
      !read_date (object, prefix, "vog_date", FALSE, &vog_date, error) ||
      !bb_handover_read_string (object, prefix, "allowance_kind", TRUE, &allowance_kind_text, error) ||
      !read_int_in_range (object, prefix, "allowance_cents", FALSE, 0, G_GINT64_CONSTANT (100000000),
                          &allowance_cents, error) ||
      !read_text (object, prefix, "iban", FALSE, &iban, error) ||
      !bb_handover_read_timestamp (object, prefix, "created_at", &created_at, error) ||
      !bb_handover_read_timestamp (object, prefix, "updated_at", &updated_at, error))
    return FALSE;

  if (!bb_age_band_from_string (age_band_text, &age_band))
    return data_error (error, _("The field “%s” must be “unknown”, “under-21” or “21-plus”."),
                       prefix, "age_band");
  if (!bb_volunteer_status_from_string (status_text, &status))
    return data_error (error, _("The field “%s” must be “registered”, “active” or “stopped”."),
                       prefix, "status");
  if (!bb_vog_status_from_string (vog_status_text, &vog_status))
    return data_error (error, _("The field “%s” must be “not-needed”, “requested” or “received”."),
                       prefix, "vog_status");
  if (!bb_allowance_kind_from_string (allowance_kind_text, &allowance_kind))
    return data_error (error, _("The field “%s” must be “none”, “hourly”, “fixed” or “expenses”."),
                       prefix, "allowance_kind");
  if (!check_unique (volunteer_ids, id, prefix, error))
    return FALSE;

  bb_volunteer_set_id (v, id);
  bb_volunteer_set_first_name (v, first_name);
  bb_volunteer_set_last_name (v, last_name);
  bb_volunteer_set_email (v, email);
  bb_volunteer_set_phone (v, phone);
  bb_volunteer_set_address (v, address);
  bb_volunteer_set_age_band (v, age_band);
  bb_volunteer_set_birth_year (v, (guint) birth_year);
  bb_volunteer_set_availability (v, availability);
  g_ptr_array_add (skills, NULL);
  bb_volunteer_set_skills (v, (const char * const *) skills->pdata);
  bb_volunteer_set_roles (v, roles);
  bb_volunteer_set_start_date (v, start_date);
  bb_volunteer_set_end_date (v, end_date);
  bb_volunteer_set_status (v, status);
  bb_volunteer_set_stop_reason (v, stop_reason);
  bb_volunteer_set_emergency_contact (v, emergency_contact);
  bb_volunteer_set_notes (v, notes);
  bb_volunteer_set_vog_needed (v, vog_needed);
  bb_volunteer_set_vog_status (v, vog_status);
  bb_volunteer_set_vog_date (v, vog_date);
  bb_volunteer_set_allowance_kind (v, allowance_kind);
  bb_volunteer_set_allowance_cents (v, allowance_cents);
  bb_volunteer_set_iban (v, iban);
  bb_volunteer_set_created_at (v, created_at);
  bb_volunteer_set_updated_at (v, updated_at);

  /* The same rules as the volunteer form */
  if (!bb_volunteer_validate (v, &invalid))
    {
      g_autofree char *where = bb_handover_field_name (prefix, volunteer_error_field (invalid->code));

      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” is not valid: %s"), where, invalid->message);
      return FALSE;
    }

  return insert_volunteer (store, v, error) &&
         import_consents (store, object, prefix, id, consent_ids, error);
}

static gboolean
import_register (BbStore     *store,
                 JsonObject  *section,
                 GHashTable  *volunteer_ids,
                 GError     **error)
{
  g_autoptr(GHashTable) consent_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;

  if (!read_array (section, SECTION, "register", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *prefix = g_strdup_printf (SECTION ".register[%u]", i);
      JsonObject *object = as_object (json_array_get_element (array, i), prefix, error);

      if (object == NULL ||
          !import_volunteer (store, object, prefix, volunteer_ids, consent_ids, error))
        return FALSE;
    }
  return TRUE;
}

/* A volunteer id in a payment or hours line: null (anonymous, after an
 * erase) or one of the register's. */
static gboolean
read_volunteer_ref (JsonObject   *object,
                    const char   *prefix,
                    GHashTable   *volunteer_ids,
                    const char  **out_id,
                    GError      **error)
{
  if (!read_uuid (object, prefix, "volunteer_id", FALSE, out_id, error))
    return FALSE;
  if (*out_id != NULL && !g_hash_table_contains (volunteer_ids, *out_id))
    return data_error_value (error, _("The field “%s” refers to a volunteer “%s” who is not in the register."),
                             prefix, "volunteer_id", *out_id);
  return TRUE;
}

static gboolean
import_payments (BbStore     *store,
                 JsonObject  *section,
                 GHashTable  *volunteer_ids,
                 GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;

  if (!read_array (section, SECTION, "payments", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *prefix = g_strdup_printf (SECTION ".payments[%u]", i);
      JsonObject *object = as_object (json_array_get_element (array, i), prefix, error);
      const char *id, *volunteer_id, *date, *kind_text, *note, *created_at;
      gint64 amount, minutes;
      BbPaymentKind kind;
      sqlite3_stmt *stmt;

      if (object == NULL ||
          !bb_handover_check_keys (object, prefix, payment_keys, G_N_ELEMENTS (payment_keys), error) ||
          !read_uuid (object, prefix, "id", TRUE, &id, error) ||
          !read_volunteer_ref (object, prefix, volunteer_ids, &volunteer_id, error) ||
          !read_date (object, prefix, "date", TRUE, &date, error) ||
          !bb_handover_read_string (object, prefix, "kind", TRUE, &kind_text, error) ||
          !read_int_in_range (object, prefix, "amount_cents", FALSE, 1, BB_MONEY_MAX_CENTS, &amount, error) ||
          !read_int_in_range (object, prefix, "minutes", TRUE, 1, MAX_PAYMENT_MINUTES, &minutes, error) ||
          !read_text (object, prefix, "note", FALSE, &note, error) ||
          !bb_handover_read_timestamp (object, prefix, "created_at", &created_at, error) ||
          !check_unique (seen, id, prefix, error))
        return FALSE;
      if (!bb_payment_kind_from_string (kind_text, &kind))
        return data_error (error, _("The field “%s” must be “allowance” or “expense”."), prefix, "kind");

      stmt = bb_store_prepare (store,
                               "INSERT INTO volunteer_payment (id, volunteer_id, date, kind, amount_cents,"
                               " minutes, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 2, volunteer_id);
      sqlite3_bind_text (stmt, 3, date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, bb_payment_kind_to_string (kind), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, amount);
      if (minutes > 0)
        sqlite3_bind_int64 (stmt, 6, minutes);
      sqlite3_bind_text (stmt, 7, note, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, created_at, -1, SQLITE_TRANSIENT);
      if (!step_done (store, stmt, _("Could not save the payment"), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
import_hours (BbStore     *store,
              JsonObject  *section,
              GHashTable  *volunteer_ids,
              GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;

  if (!read_array (section, SECTION, "hours", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *prefix = g_strdup_printf (SECTION ".hours[%u]", i);
      JsonObject *object = as_object (json_array_get_element (array, i), prefix, error);
      const char *id, *volunteer_id, *activity_id, *task_id, *date, *note, *source, *created_at;
      gint64 minutes;
      sqlite3_stmt *stmt;

      /* activity_id and task_id point into the programme's section, which
       * has no foreign key from here: hours outlive a deleted activity. */
      if (object == NULL ||
          !bb_handover_check_keys (object, prefix, hours_keys, G_N_ELEMENTS (hours_keys), error) ||
          !read_uuid (object, prefix, "id", TRUE, &id, error) ||
          !read_volunteer_ref (object, prefix, volunteer_ids, &volunteer_id, error) ||
          !read_reference (object, prefix, "activity_id", &activity_id, error) ||
          !read_reference (object, prefix, "task_id", &task_id, error) ||
          !read_date (object, prefix, "date", TRUE, &date, error) ||
          !read_int_in_range (object, prefix, "minutes", FALSE, 1, 24 * 60, &minutes, error) ||
          !read_text (object, prefix, "note", FALSE, &note, error) ||
          !bb_handover_read_string (object, prefix, "source", TRUE, &source, error) ||
          !bb_handover_read_timestamp (object, prefix, "created_at", &created_at, error) ||
          !check_unique (seen, id, prefix, error))
        return FALSE;
      if (strcmp (source, "confirmed") != 0 && strcmp (source, "manual") != 0)
        return data_error (error, _("The field “%s” must be “confirmed” or “manual”."), prefix, "source");

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
      sqlite3_bind_int64 (stmt, 6, minutes);
      sqlite3_bind_text (stmt, 7, note, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, source, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, created_at, -1, SQLITE_TRANSIENT);
      if (!step_done (store, stmt, _("Could not save the hours"), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
bb_volunteer_handover_import (BbStore   *store,
                              JsonNode  *node,
                              GError   **error)
{
  g_autoptr(GHashTable) volunteer_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *section;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  section = as_object (node, SECTION, error);
  if (section == NULL ||
      !bb_handover_check_keys (section, SECTION, section_keys, G_N_ELEMENTS (section_keys), error))
    return FALSE;

  return import_settings (store, section, error) &&
         import_council_skills (store, section, error) &&
         import_caps (store, section, error) &&
         import_register (store, section, volunteer_ids, error) &&
         import_payments (store, section, volunteer_ids, error) &&
         import_hours (store, section, volunteer_ids, error);
}
