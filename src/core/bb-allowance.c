/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bb-allowance.h"
#include "bb-date.h"
#include "bb-money.h"
#include "bb-store-private.h"
#include "bb-volunteer-private.h"
#include "bb-volunteer-resources.h"

#define CAPS_RESOURCE "/nl/buurtboek/Buurtboek/core/bb-allowance-caps.json"

G_DEFINE_QUARK (bb-allowance-error-quark, bb_allowance_error)

G_DEFINE_BOXED_TYPE (BbAllowancePayment, bb_allowance_payment,
                     bb_allowance_payment_copy, bb_allowance_payment_free)

const char *
bb_payment_kind_to_string (BbPaymentKind kind)
{
  return kind == BB_PAYMENT_EXPENSE ? "expense" : "allowance";
}

gboolean
bb_payment_kind_from_string (const char    *text,
                             BbPaymentKind *out)
{
  if (g_strcmp0 (text, "allowance") == 0)
    *out = BB_PAYMENT_ALLOWANCE;
  else if (g_strcmp0 (text, "expense") == 0)
    *out = BB_PAYMENT_EXPENSE;
  else
    return FALSE;
  return TRUE;
}

BbAllowancePayment *
bb_allowance_payment_new (void)
{
  BbAllowancePayment *payment = g_new0 (BbAllowancePayment, 1);

  payment->note = g_strdup ("");
  return payment;
}

BbAllowancePayment *
bb_allowance_payment_copy (const BbAllowancePayment *payment)
{
  BbAllowancePayment *copy = g_new0 (BbAllowancePayment, 1);

  copy->id = g_strdup (payment->id);
  copy->volunteer_id = g_strdup (payment->volunteer_id);
  copy->date = g_strdup (payment->date);
  copy->kind = payment->kind;
  copy->amount_cents = payment->amount_cents;
  copy->minutes = payment->minutes;
  copy->note = g_strdup (payment->note);
  copy->created_at = g_strdup (payment->created_at);
  return copy;
}

void
bb_allowance_payment_free (BbAllowancePayment *payment)
{
  if (payment == NULL)
    return;
  g_free (payment->id);
  g_free (payment->volunteer_id);
  g_free (payment->date);
  g_free (payment->note);
  g_free (payment->created_at);
  g_free (payment);
}

/* Caps */

static gboolean
read_cap_member (JsonObject  *object,
                 const char  *name,
                 gint64      *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return *out > 0;
}

/* The shipped figures, parsed once. */
static GArray *
shipped_caps (GError **error)
{
  static GArray *caps;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GArray) parsed = NULL;
  JsonNode *root;
  JsonNode *years;

  if (g_once_init_enter (&caps))
    {
      bytes = g_resource_lookup_data (bb_volunteer_get_resource (), CAPS_RESOURCE,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      parser = json_parser_new ();
      parsed = g_array_new (FALSE, FALSE, sizeof (BbAllowanceCaps));
      if (bytes != NULL &&
          json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL) &&
          (root = json_parser_get_root (parser)) != NULL &&
          JSON_NODE_HOLDS_OBJECT (root) &&
          (years = json_object_get_member (json_node_get_object (root), "years")) != NULL &&
          JSON_NODE_HOLDS_ARRAY (years))
        {
          JsonArray *array = json_node_get_array (years);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);
              BbAllowanceCaps entry = { 0 };
              gint64 year = 0;

              if (!JSON_NODE_HOLDS_OBJECT (item))
                break;
              if (!read_cap_member (json_node_get_object (item), "year", &year) ||
                  !read_cap_member (json_node_get_object (item), "hour_21_plus", &entry.hour_21_plus_cents) ||
                  !read_cap_member (json_node_get_object (item), "hour_under_21", &entry.hour_under_21_cents) ||
                  !read_cap_member (json_node_get_object (item), "month", &entry.month_cents) ||
                  !read_cap_member (json_node_get_object (item), "year_total", &entry.year_cents))
                break;
              entry.year = (int) year;
              g_array_append_val (parsed, entry);
            }
        }
      g_once_init_leave (&caps, g_steal_pointer (&parsed));
    }

  if (caps->len == 0)
    {
      g_set_error_literal (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_DATA,
                           _("The built-in allowance limits could not be read."));
      return NULL;
    }
  return caps;
}

static gboolean
stored_caps (BbStore         *store,
             int              year,
             BbAllowanceCaps *out)
{
  sqlite3_stmt *stmt;
  gboolean found;

  if (store == NULL)
    return FALSE;
  stmt = bb_store_prepare (store,
                           "SELECT hour_21_plus_cents, hour_under_21_cents, month_cents, year_cents"
                           " FROM allowance_cap WHERE year = ?1",
                           NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    {
      out->year = year;
      out->hour_21_plus_cents = sqlite3_column_int64 (stmt, 0);
      out->hour_under_21_cents = sqlite3_column_int64 (stmt, 1);
      out->month_cents = sqlite3_column_int64 (stmt, 2);
      out->year_cents = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  return found;
}

gboolean
bb_allowance_get_caps (BbStore          *store,
                       int               year,
                       BbAllowanceCaps  *out_caps,
                       GError          **error)
{
  GArray *caps;

  g_return_val_if_fail (store == NULL || BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_caps != NULL, FALSE);

  if (stored_caps (store, year, out_caps))
    return TRUE;

  caps = shipped_caps (error);
  if (caps == NULL)
    return FALSE;
  for (guint i = 0; i < caps->len; i++)
    if (g_array_index (caps, BbAllowanceCaps, i).year == year)
      {
        *out_caps = g_array_index (caps, BbAllowanceCaps, i);
        return TRUE;
      }

  g_set_error (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_NO_CAPS,
               _("Buurtboek does not know the tax-free allowance limits for %d. "
                 "Add that year’s figures (per hour, per month, per year) before recording allowances."),
               year);
  return FALSE;
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

GArray *
bb_allowance_list_cap_years (BbStore *store)
{
  GArray *years = g_array_new (FALSE, FALSE, sizeof (int));
  GArray *caps = shipped_caps (NULL);

  for (guint i = 0; caps != NULL && i < caps->len; i++)
    g_array_append_val (years, g_array_index (caps, BbAllowanceCaps, i).year);

  if (store != NULL)
    {
      sqlite3_stmt *stmt = bb_store_prepare (store, "SELECT year FROM allowance_cap", NULL);

      while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        {
          int year = sqlite3_column_int (stmt, 0);
          gboolean seen = FALSE;

          for (guint i = 0; i < years->len && !seen; i++)
            seen = g_array_index (years, int, i) == year;
          if (!seen)
            g_array_append_val (years, year);
        }
      if (stmt != NULL)
        sqlite3_reset (stmt);
    }

  g_array_sort (years, compare_ints);
  return years;
}

gboolean
bb_allowance_set_caps (BbStore                *store,
                       const BbAllowanceCaps  *caps,
                       GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (caps != NULL, FALSE);

  if (caps->year < 2000 || caps->year > 2200)
    {
      g_set_error (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_DATE,
                   _("%d is not a year for allowance limits."), caps->year);
      return FALSE;
    }
  if (caps->hour_21_plus_cents <= 0 || caps->hour_under_21_cents <= 0 ||
      caps->month_cents <= 0 || caps->year_cents <= 0 ||
      caps->year_cents > BB_MONEY_MAX_CENTS)
    {
      g_set_error_literal (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_AMOUNT,
                           _("Every allowance limit must be more than zero."));
      return FALSE;
    }

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store,
                           "INSERT OR REPLACE INTO allowance_cap (year, hour_21_plus_cents,"
                           " hour_under_21_cents, month_cents, year_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
                           error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, caps->year);
  sqlite3_bind_int64 (stmt, 2, caps->hour_21_plus_cents);
  sqlite3_bind_int64 (stmt, 3, caps->hour_under_21_cents);
  sqlite3_bind_int64 (stmt, 4, caps->month_cents);
  sqlite3_bind_int64 (stmt, 5, caps->year_cents);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not save the allowance limits"));
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

gint64
bb_allowance_caps_hourly (const BbAllowanceCaps *caps,
                          BbAgeBand              band)
{
  g_return_val_if_fail (caps != NULL, 0);
  return band == BB_AGE_BAND_UNDER_21 ? caps->hour_under_21_cents : caps->hour_21_plus_cents;
}

/* Check */

BbAllowanceBreach
bb_allowance_check (const BbAllowanceCaps    *caps,
                    BbAgeBand                 band,
                    GPtrArray                *existing,
                    const BbAllowancePayment *payment)
{
  BbAllowanceBreach broken = BB_CAP_NONE;
  gint64 month_total;
  gint64 year_total;

  g_return_val_if_fail (caps != NULL, BB_CAP_NONE);
  g_return_val_if_fail (payment != NULL && payment->date != NULL, BB_CAP_NONE);

  if (payment->kind != BB_PAYMENT_ALLOWANCE)
    return BB_CAP_NONE;

  month_total = payment->amount_cents;
  year_total = payment->amount_cents;
  for (guint i = 0; existing != NULL && i < existing->len; i++)
    {
      const BbAllowancePayment *other = g_ptr_array_index (existing, i);

      if (other->kind != BB_PAYMENT_ALLOWANCE || other->date == NULL ||
          (payment->id != NULL && g_strcmp0 (other->id, payment->id) == 0) ||
          strncmp (other->date, payment->date, 4) != 0)
        continue;
      year_total += other->amount_cents;
      if (strncmp (other->date, payment->date, 7) == 0)
        month_total += other->amount_cents;
    }

  /* amount / hours <= rate, in integers: amount * 60 <= rate * minutes. */
  if (payment->minutes > 0 &&
      payment->amount_cents * 60 > bb_allowance_caps_hourly (caps, band) * (gint64) payment->minutes)
    broken |= BB_CAP_HOUR;
  if (month_total > caps->month_cents)
    broken |= BB_CAP_MONTH;
  if (year_total > caps->year_cents)
    broken |= BB_CAP_YEAR;

  return broken;
}

char *
bb_allowance_describe_breach (BbAllowanceBreach      broken,
                              const BbAllowanceCaps *caps,
                              BbAgeBand              band)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  g_return_val_if_fail (caps != NULL, NULL);

  if (broken == BB_CAP_NONE)
    return g_strdup (_("Within the tax-free limits."));

  if (broken & BB_CAP_HOUR)
    {
      g_autofree char *amount = bb_money_format (bb_allowance_caps_hourly (caps, band));
      g_ptr_array_add (parts, g_strdup_printf (band == BB_AGE_BAND_UNDER_21
                                                 ? _("more than %s per hour (under 21)")
                                                 : _("more than %s per hour"),
                                               amount));
    }
  if (broken & BB_CAP_MONTH)
    {
      g_autofree char *amount = bb_money_format (caps->month_cents);
      g_ptr_array_add (parts, g_strdup_printf (_("more than %s in this month"), amount));
    }
  if (broken & BB_CAP_YEAR)
    {
      g_autofree char *amount = bb_money_format (caps->year_cents);
      g_ptr_array_add (parts, g_strdup_printf (_("more than %s in %d"), amount, caps->year));
    }
  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (_(", "), (char **) parts->pdata);

  /* TRANSLATORS: %s lists the broken limits, e.g. "more than € 210,00 in this month" */
  return g_strdup_printf (_("This payment goes over the tax-free allowance: %s. "
                            "Then the whole allowance becomes taxable."),
                          joined);
}

/* Payments */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

GPtrArray *
bb_allowance_list_payments (BbStore     *store,
                            const char  *volunteer_id,
                            int          year,
                            GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allowance_payment_free);
  g_autofree char *prefix = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  stmt = bb_store_prepare (store,
                           "SELECT id, volunteer_id, date, kind, amount_cents, minutes, note, created_at"
                           " FROM volunteer_payment"
                           " WHERE (?1 IS NULL OR volunteer_id = ?1) AND (?2 IS NULL OR substr (date, 1, 4) = ?2)"
                           " ORDER BY date, created_at, id",
                           error);
  if (stmt == NULL)
    return NULL;
  if (volunteer_id != NULL)
    sqlite3_bind_text (stmt, 1, volunteer_id, -1, SQLITE_TRANSIENT);
  if (year > 0)
    {
      prefix = g_strdup_printf ("%04d", year);
      sqlite3_bind_text (stmt, 2, prefix, -1, SQLITE_TRANSIENT);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbAllowancePayment *payment = g_new0 (BbAllowancePayment, 1);

      payment->id = g_strdup (column_text (stmt, 0));
      payment->volunteer_id = g_strdup (column_text (stmt, 1));
      payment->date = g_strdup (column_text (stmt, 2));
      bb_payment_kind_from_string (column_text (stmt, 3), &payment->kind);
      payment->amount_cents = sqlite3_column_int64 (stmt, 4);
      payment->minutes = (guint) sqlite3_column_int (stmt, 5);
      payment->note = g_strdup (column_text (stmt, 6));
      payment->created_at = g_strdup (column_text (stmt, 7));
      g_ptr_array_add (result, payment);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the payments"));
      return NULL;
    }
  return g_steal_pointer (&result);
}

static gboolean
validate_payment (const BbAllowancePayment  *payment,
                  GDate                     *out_date,
                  GError                   **error)
{
  if (!bb_volunteer_parse_iso_date (payment->date, out_date))
    {
      g_set_error_literal (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_DATE,
                           _("The payment needs a valid date."));
      return FALSE;
    }
  if (payment->amount_cents <= 0 || payment->amount_cents > BB_MONEY_MAX_CENTS)
    {
      g_set_error_literal (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_AMOUNT,
                           _("The amount must be more than zero."));
      return FALSE;
    }
  if (payment->minutes > 100000)
    {
      g_set_error_literal (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_AMOUNT,
                           _("The number of hours is too large."));
      return FALSE;
    }
  return TRUE;
}

gboolean
bb_allowance_check_payment (BbStore                   *store,
                            const BbAllowancePayment  *payment,
                            BbAllowanceBreach         *out_broken,
                            GError                   **error)
{
  g_autoptr(BbVolunteer) volunteer = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  BbAllowanceCaps caps;
  GDate date;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (payment != NULL, FALSE);
  g_return_val_if_fail (out_broken != NULL, FALSE);

  *out_broken = BB_CAP_NONE;
  if (!validate_payment (payment, &date, error))
    return FALSE;
  if (payment->kind == BB_PAYMENT_EXPENSE)
    return TRUE;
  if (payment->volunteer_id == NULL)
    {
      g_set_error_literal (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_VOLUNTEER,
                           _("An allowance is paid to a volunteer: choose one."));
      return FALSE;
    }
  volunteer = bb_volunteer_get (store, payment->volunteer_id, error);
  if (volunteer == NULL)
    return FALSE;
  if (!bb_allowance_get_caps (store, g_date_get_year (&date), &caps, error))
    return FALSE;
  existing = bb_allowance_list_payments (store, payment->volunteer_id, g_date_get_year (&date), error);
  if (existing == NULL)
    return FALSE;

  *out_broken = bb_allowance_check (&caps, bb_volunteer_get_age_band_on (volunteer, &date),
                                    existing, payment);
  return TRUE;
}

gboolean
bb_allowance_add_payment (BbStore                   *store,
                          const BbAllowancePayment  *payment,
                          char                     **out_id,
                          GError                   **error)
{
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (payment != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_payment (payment, NULL, error))
    return FALSE;
  if (payment->volunteer_id == NULL)
    {
      g_set_error_literal (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_VOLUNTEER,
                           _("A payment belongs to a volunteer: choose one."));
      return FALSE;
    }

  if (!bb_store_begin (store, error))
    return FALSE;
  if (!bb_volunteer_exists (store, payment->volunteer_id, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  stmt = bb_store_prepare (store,
                           "INSERT INTO volunteer_payment (id, volunteer_id, date, kind, amount_cents,"
                           " minutes, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  id = payment->id != NULL ? g_strdup (payment->id) : bb_store_new_id ();
  now = bb_date_time_now_iso ();
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, payment->volunteer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, payment->date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, bb_payment_kind_to_string (payment->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, payment->amount_cents);
  if (payment->minutes > 0)
    sqlite3_bind_int (stmt, 6, (int) payment->minutes);
  sqlite3_bind_text (stmt, 7, payment->note != NULL ? payment->note : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, payment->created_at != NULL ? payment->created_at : now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not save the payment"));
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_allowance_delete_payment (BbStore     *store,
                             const char  *id,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store, "DELETE FROM volunteer_payment WHERE id = ?1", error);
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
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not delete the payment"));
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_allowance_year_overview (BbStore              *store,
                            const char           *volunteer_id,
                            int                   year,
                            BbAllowanceOverview  *out,
                            GError              **error)
{
  g_autoptr(BbVolunteer) volunteer = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) earlier = g_ptr_array_new ();

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (volunteer_id != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->year = year;

  volunteer = bb_volunteer_get (store, volunteer_id, error);
  if (volunteer == NULL)
    return FALSE;
  payments = bb_allowance_list_payments (store, volunteer_id, year, error);
  if (payments == NULL)
    return FALSE;
  out->has_caps = bb_allowance_get_caps (store, year, &out->caps, NULL);

  for (guint i = 0; i < payments->len; i++)
    {
      BbAllowancePayment *payment = g_ptr_array_index (payments, i);
      GDate date;
      guint month;

      if (!bb_volunteer_parse_iso_date (payment->date, &date))
        continue;
      out->n_payments++;
      if (payment->kind == BB_PAYMENT_EXPENSE)
        {
          out->expenses_cents += payment->amount_cents;
          continue;
        }
      month = g_date_get_month (&date);
      out->month_cents[month - 1] += payment->amount_cents;
      out->year_cents += payment->amount_cents;
      out->band = bb_volunteer_get_age_band_on (volunteer, &date);
      if (out->has_caps)
        out->broken |= bb_allowance_check (&out->caps, out->band, earlier, payment);
      g_ptr_array_add (earlier, payment);
    }
  if (out->n_payments == 0)
    {
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, 1, G_DATE_JANUARY, (GDateYear) CLAMP (year, 1, 9999));
      out->band = bb_volunteer_get_age_band_on (volunteer, &date);
    }
  return TRUE;
}
