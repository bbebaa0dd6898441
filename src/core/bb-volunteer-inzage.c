/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bb-allowance.h"
#include "bb-date.h"
#include "bb-hours.h"
#include "bb-money.h"
#include "bb-store-private.h"
#include "bb-volunteer-inzage.h"
#include "bb-volunteer-private.h"

typedef struct {
  char     *kind;
  gboolean  given;
  char     *date;
  char     *recorded_at;
} Consent;

static void
consent_free (Consent *consent)
{
  g_free (consent->kind);
  g_free (consent->date);
  g_free (consent->recorded_at);
  g_free (consent);
}

static GPtrArray *
list_consents (BbStore     *store,
               const char  *id,
               GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) consent_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = bb_store_prepare (store,
                           "SELECT kind, given, date, recorded_at FROM volunteer_consent"
                           " WHERE volunteer_id = ?1 ORDER BY date, recorded_at",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Consent *consent = g_new0 (Consent, 1);

      consent->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      consent->given = sqlite3_column_int (stmt, 1) != 0;
      consent->date = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      consent->recorded_at = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (result, consent);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the consents"));
      return NULL;
    }
  return g_steal_pointer (&result);
}

typedef struct {
  BbVolunteer *volunteer;
  GPtrArray   *consents;
  GPtrArray   *hours;
  GPtrArray   *payments;
} Everything;

static void
everything_clear (Everything *all)
{
  g_clear_object (&all->volunteer);
  g_clear_pointer (&all->consents, g_ptr_array_unref);
  g_clear_pointer (&all->hours, g_ptr_array_unref);
  g_clear_pointer (&all->payments, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Everything, everything_clear)

static gboolean
collect (BbStore     *store,
         const char  *id,
         Everything  *all,
         GError     **error)
{
  memset (all, 0, sizeof *all);
  all->volunteer = bb_volunteer_get (store, id, error);
  if (all->volunteer == NULL)
    return FALSE;
  all->consents = list_consents (store, id, error);
  if (all->consents == NULL)
    return FALSE;
  all->hours = bb_hours_list_for_volunteer (store, id, error);
  if (all->hours == NULL)
    return FALSE;
  all->payments = bb_allowance_list_payments (store, id, 0, error);
  return all->payments != NULL;
}

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

char *
bb_volunteer_inzage_json (BbStore     *store,
                          const char  *volunteer_id,
                          GError     **error)
{
  static const char * const days[] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
  static const char * const parts[] = { "morning", "afternoon", "evening" };
  g_auto(Everything) all = { 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *now = bb_date_time_now_iso ();
  BbVolunteer *v;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (volunteer_id != NULL, NULL);

  if (!collect (store, volunteer_id, &all, error))
    return NULL;
  v = all.volunteer;

  json_builder_begin_object (builder);
  add_string (builder, "format", "buurtboek-volunteer-inzage");
  add_string (builder, "exported_at", now);
  json_builder_set_member_name (builder, "volunteer");
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
  for (guint d = 0; d < 7; d++)
    {
      json_builder_set_member_name (builder, days[d]);
      json_builder_begin_array (builder);
      for (guint p = 0; p < BB_N_DAY_PARTS; p++)
        if (bb_volunteer_is_available (v, (GDateWeekday) (d + 1), (BbDayPart) p))
          json_builder_add_string_value (builder, parts[p]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "skills");
  json_builder_begin_array (builder);
  for (const char * const *s = bb_volunteer_get_skills (v); *s != NULL; s++)
    json_builder_add_string_value (builder, *s);
  json_builder_end_array (builder);
  add_string (builder, "roles", bb_volunteer_get_roles (v));
  add_string (builder, "status", bb_volunteer_status_to_string (bb_volunteer_get_status (v)));
  add_string (builder, "stop_reason", bb_volunteer_get_stop_reason (v));
  add_string (builder, "start_date", bb_volunteer_get_start_date (v));
  add_string (builder, "end_date", bb_volunteer_get_end_date (v));
  add_string (builder, "emergency_contact", bb_volunteer_get_emergency_contact (v));
  add_string (builder, "notes", bb_volunteer_get_notes (v));
  json_builder_set_member_name (builder, "vog_needed");
  json_builder_add_boolean_value (builder, bb_volunteer_get_vog_needed (v));
  add_string (builder, "vog_status", bb_vog_status_to_string (bb_volunteer_get_vog_status (v)));
  add_string (builder, "vog_date", bb_volunteer_get_vog_date (v));
  add_string (builder, "allowance_kind", bb_allowance_kind_to_string (bb_volunteer_get_allowance_kind (v)));
  json_builder_set_member_name (builder, "allowance_cents");
  json_builder_add_int_value (builder, bb_volunteer_get_allowance_cents (v));
  add_string (builder, "iban", bb_volunteer_get_iban (v));
  add_string (builder, "created_at", bb_volunteer_get_created_at (v));
  add_string (builder, "updated_at", bb_volunteer_get_updated_at (v));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "consents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < all.consents->len; i++)
    {
      Consent *c = all.consents->pdata[i];

      json_builder_begin_object (builder);
      add_string (builder, "kind", c->kind);
      json_builder_set_member_name (builder, "given");
      json_builder_add_boolean_value (builder, c->given);
      add_string (builder, "date", c->date);
      add_string (builder, "recorded_at", c->recorded_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "hours");
  json_builder_begin_array (builder);
  for (guint i = 0; i < all.hours->len; i++)
    {
      BbHoursEntry *h = all.hours->pdata[i];

      json_builder_begin_object (builder);
      add_string (builder, "id", h->id);
      add_string (builder, "activity_id", h->activity_id);
      add_string (builder, "task_id", h->task_id);
      add_string (builder, "date", h->date);
      json_builder_set_member_name (builder, "minutes");
      json_builder_add_int_value (builder, h->minutes);
      add_string (builder, "note", h->note);
      add_string (builder, "source", h->source == BB_HOURS_SOURCE_CONFIRMED ? "confirmed" : "manual");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "payments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < all.payments->len; i++)
    {
      BbAllowancePayment *p = all.payments->pdata[i];

      json_builder_begin_object (builder);
      add_string (builder, "id", p->id);
      add_string (builder, "date", p->date);
      add_string (builder, "kind", bb_payment_kind_to_string (p->kind));
      json_builder_set_member_name (builder, "amount_cents");
      json_builder_add_int_value (builder, p->amount_cents);
      json_builder_set_member_name (builder, "minutes");
      json_builder_add_int_value (builder, p->minutes);
      add_string (builder, "note", p->note);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static void
row (GString    *out,
     const char *label,
     const char *value)
{
  g_autofree char *l = g_markup_escape_text (label, -1);
  g_autofree char *v = g_markup_escape_text (value != NULL ? value : "", -1);

  g_string_append_printf (out, "<tr><th>%s</th><td>%s</td></tr>\n", l, v);
}

char *
bb_volunteer_inzage_html (BbStore     *store,
                          const char  *volunteer_id,
                          GError     **error)
{
  g_auto(Everything) all = { 0 };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *skills = NULL;
  g_autofree char *now = bb_date_time_now_iso ();
  BbVolunteer *v;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  if (!collect (store, volunteer_id, &all, error))
    return NULL;
  v = all.volunteer;

  title = g_markup_printf_escaped (_("Everything stored about %s"), bb_volunteer_get_display_name (v));
  g_string_append_printf (out,
                          "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>\n"
                          "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em}"
                          "table{border-collapse:collapse;width:100%%}th,td{text-align:left;padding:.3em;"
                          "border-bottom:1px solid #ddd;vertical-align:top}th{width:35%%}</style>\n"
                          "</head><body>\n<h1>%s</h1>\n",
                          title, title);
  {
    g_autofree char *when = g_markup_printf_escaped (_("Exported on %s from the council file."), now);
    g_string_append_printf (out, "<p>%s</p>\n", when);
  }

  g_string_append_printf (out, "<h2>%s</h2>\n<table>\n", _("Details"));
  row (out, _("First name"), bb_volunteer_get_first_name (v));
  row (out, _("Last name"), bb_volunteer_get_last_name (v));
  row (out, _("E-mail"), bb_volunteer_get_email (v));
  row (out, _("Phone"), bb_volunteer_get_phone (v));
  row (out, _("Address"), bb_volunteer_get_address (v));
  if (bb_volunteer_get_birth_year (v) != 0)
    {
      g_autofree char *year = g_strdup_printf ("%u", bb_volunteer_get_birth_year (v));
      row (out, _("Birth year"), year);
    }
  skills = g_strjoinv (", ", (GStrv) bb_volunteer_get_skills (v));
  row (out, _("Skills"), skills);
  row (out, _("Roles"), bb_volunteer_get_roles (v));
  row (out, _("Status"), bb_volunteer_status_get_label (bb_volunteer_get_status (v)));
  row (out, _("Start date"), bb_volunteer_get_start_date (v));
  row (out, _("End date"), bb_volunteer_get_end_date (v));
  row (out, _("Emergency contact"), bb_volunteer_get_emergency_contact (v));
  row (out, _("Notes"), bb_volunteer_get_notes (v));
  row (out, _("VOG"), bb_vog_status_get_label (bb_volunteer_get_vog_status (v)));
  row (out, _("VOG issue date"), bb_volunteer_get_vog_date (v));
  row (out, _("Allowance agreement"), bb_allowance_kind_get_label (bb_volunteer_get_allowance_kind (v)));
  row (out, _("IBAN"), bb_volunteer_get_iban (v));
  g_string_append (out, "</table>\n");

  g_string_append_printf (out, "<h2>%s</h2>\n<table>\n", _("Consents"));
  if (all.consents->len == 0)
    row (out, _("None recorded"), "");
  for (guint i = 0; i < all.consents->len; i++)
    {
      Consent *c = all.consents->pdata[i];
      BbConsentKind kind = BB_CONSENT_PHOTO;
      g_autofree char *what = NULL;

      bb_consent_kind_from_string (c->kind, &kind);
      what = g_strdup_printf (c->given ? _("given on %s") : _("withdrawn on %s"), c->date);
      row (out, bb_consent_kind_get_label (kind), what);
    }
  g_string_append (out, "</table>\n");

  g_string_append_printf (out, "<h2>%s</h2>\n<table>\n", _("Hours"));
  if (all.hours->len == 0)
    row (out, _("None recorded"), "");
  for (guint i = 0; i < all.hours->len; i++)
    {
      BbHoursEntry *h = all.hours->pdata[i];
      g_autofree char *amount = bb_hours_format_minutes (h->minutes);
      g_autofree char *value = g_strdup_printf ("%s %s", amount, h->note);

      row (out, h->date, value);
    }
  g_string_append (out, "</table>\n");

  g_string_append_printf (out, "<h2>%s</h2>\n<table>\n", _("Payments"));
  if (all.payments->len == 0)
    row (out, _("None recorded"), "");
  for (guint i = 0; i < all.payments->len; i++)
    {
      BbAllowancePayment *p = all.payments->pdata[i];
      g_autofree char *amount = bb_money_format (p->amount_cents);
      g_autofree char *value = g_strdup_printf ("%s (%s) %s", amount,
                                                p->kind == BB_PAYMENT_EXPENSE ? _("expenses") : _("allowance"),
                                                p->note);

      row (out, p->date, value);
    }
  g_string_append (out, "</table>\n</body></html>\n");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
bb_volunteer_inzage_write (BbStore     *store,
                           const char  *volunteer_id,
                           const char  *path,
                           GError     **error)
{
  g_autofree char *json = NULL;
  g_autofree char *html = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  html = bb_volunteer_inzage_html (store, volunteer_id, error);
  if (html == NULL)
    return FALSE;

  if (g_str_has_suffix (path, ".json"))
    {
      g_autofree char *base = g_strndup (path, strlen (path) - strlen (".json"));
      g_autofree char *html_path = g_strconcat (base, ".html", NULL);

      json = bb_volunteer_inzage_json (store, volunteer_id, error);
      if (json == NULL)
        return FALSE;
      return g_file_set_contents (path, json, -1, error) &&
             g_file_set_contents (html_path, html, -1, error);
    }
  return g_file_set_contents (path, html, -1, error);
}
