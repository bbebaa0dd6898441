/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-handover-private.h"
#include "bb-money.h"
#include "bb-money-handover.h"
#include "bb-money-private.h"
#include "bb-ruleset.h"

/* The money tables go into the handover one array per table, each record
 * with exactly the table's columns, so that an import gives the same rows
 * back: ids, dates of creation and all. One description of each table
 * drives both directions; docs/handover-format.md describes the same
 * fields. The schema's own constraints (CHECK, UNIQUE, REFERENCES) are the
 * last line of defence; the checks here come first so that a message can
 * name the field. */

/* Matches the receipt limit in bb-ledger.c. */
#define RECEIPT_MAX_BYTES (25 * 1024 * 1024)

typedef enum {
  COL_ID,          /* the record's id: 1–64 of A–Z a–z 0–9 - _ */
  COL_REF,         /* another record's id; the schema checks it exists */
  COL_REF_NULL,    /* the same, or null */
  COL_TEXT,        /* any string, "" included */
  COL_NAME,        /* a string with more than spaces */
  COL_TEXT_NULL,   /* a non-empty string, or null */
  COL_DATE,        /* YYYY-MM-DD */
  COL_DATE_EMPTY,  /* YYYY-MM-DD or "" */
  COL_TIMESTAMP,   /* ISO 8601 with a time zone */
  COL_INT,         /* min … max */
  COL_ENUM,        /* one of choices */
  COL_RULESET,     /* a rule set definition (object), stored as its JSON */
  COL_BASE64,      /* bytes, written as base64 */
} ColumnKind;

typedef struct {
  const char         *name;
  ColumnKind          kind;
  gint64              min;
  gint64              max;
  const char * const *choices;
  const char         *target;   /* COL_REF*: the table referred to */
} Column;

typedef struct {
  const char   *text;     /* points into the document or owned */
  char         *owned;
  gint64        number;
  GBytes       *bytes;
} Value;

typedef struct _Table Table;
struct _Table {
  const char    *key;
  const char    *table;
  const Column  *columns;
  guint          n_columns;
  const char    *order;
  /* Checks across fields of one record; @values in column order. */
  gboolean     (*check_record) (const Table  *table,
                                Value        *values,
                                const char   *field,
                                GError      **error);
};

static const char * const kinds[] = { "expense", "income", NULL };
static const char * const accounts[] = { "bank", "cash", NULL };

#define MAX_CENTS BB_MONEY_MAX_CENTS

static const Column ruleset_columns[] = {
  { "id", COL_ID, 0, 0, NULL },
  { "name", COL_NAME, 0, 0, NULL },
  { "definition", COL_RULESET, 0, 0, NULL },
  { "created_at", COL_TIMESTAMP, 0, 0, NULL },
  { "updated_at", COL_TIMESTAMP, 0, 0, NULL },
};

static const Column subsidy_columns[] = {
  { "id", COL_ID, 0, 0, NULL },
  { "grantor", COL_NAME, 0, 0, NULL },
  { "scheme", COL_TEXT, 0, 0, NULL },
  { "beschikking_number", COL_TEXT, 0, 0, NULL },
  { "beschikking_date", COL_DATE_EMPTY, 0, 0, NULL },
  { "period_start", COL_DATE, 0, 0, NULL },
  { "period_end", COL_DATE, 0, 0, NULL },
  { "requested_cents", COL_INT, 0, MAX_CENTS, NULL },
  { "granted_cents", COL_INT, 0, MAX_CENTS, NULL },
  { "ruleset_id", COL_ID, 0, 0, NULL },
  { "notes", COL_TEXT, 0, 0, NULL },
  { "created_at", COL_TIMESTAMP, 0, 0, NULL },
  { "updated_at", COL_TIMESTAMP, 0, 0, NULL },
};

static const Column advance_columns[] = {
  { "id", COL_ID, 0, 0, NULL },
  { "subsidy_id", COL_REF, 0, 0, NULL, "subsidy" },
  { "date", COL_DATE, 0, 0, NULL },
  { "amount_cents", COL_INT, 1, MAX_CENTS, NULL },
};

static const Column post_columns[] = {
  { "id", COL_ID, 0, 0, NULL },
  { "subsidy_id", COL_REF, 0, 0, NULL, "subsidy" },
  { "kind", COL_ENUM, 0, 0, kinds },
  { "name", COL_NAME, 0, 0, NULL },
  { "planned_cents", COL_INT, 0, MAX_CENTS, NULL },
  { "explanation", COL_TEXT, 0, 0, NULL },
  { "position", COL_INT, 0, G_MAXINT32, NULL },
};

static const Column transaction_columns[] = {
  { "id", COL_ID, 0, 0, NULL },
  { "date", COL_DATE, 0, 0, NULL },
  { "amount_cents", COL_INT, -MAX_CENTS, MAX_CENTS, NULL },
  { "description", COL_TEXT, 0, 0, NULL },
  { "counterparty", COL_TEXT, 0, 0, NULL },
  { "counterparty_iban", COL_TEXT, 0, 0, NULL },
  { "account", COL_ENUM, 0, 0, accounts },
  { "activity_id", COL_REF_NULL, 0, 0, NULL, "activity" },
  { "volunteer_id", COL_REF_NULL, 0, 0, NULL, "volunteer" },
  { "bank_reference", COL_TEXT, 0, 0, NULL },
  { "dedupe_key", COL_TEXT_NULL, 0, 0, NULL },
  { "created_at", COL_TIMESTAMP, 0, 0, NULL },
  { "updated_at", COL_TIMESTAMP, 0, 0, NULL },
};

static const Column split_columns[] = {
  { "id", COL_ID, 0, 0, NULL },
  { "transaction_id", COL_REF, 0, 0, NULL, "ledger_transaction" },
  { "post_id", COL_REF_NULL, 0, 0, NULL, "budget_post" },
  { "amount_cents", COL_INT, -MAX_CENTS, MAX_CENTS, NULL },
  { "position", COL_INT, 0, G_MAXINT32, NULL },
};

static const Column receipt_columns[] = {
  { "id", COL_ID, 0, 0, NULL },
  { "sha256", COL_TEXT, 0, 0, NULL },
  { "content_type", COL_NAME, 0, 0, NULL },
  { "filename", COL_TEXT, 0, 0, NULL },
  { "size", COL_INT, 1, RECEIPT_MAX_BYTES, NULL },
  { "data", COL_BASE64, 0, 0, NULL },
  { "created_at", COL_TIMESTAMP, 0, 0, NULL },
};

static const Column receipt_link_columns[] = {
  { "transaction_id", COL_REF, 0, 0, NULL, "ledger_transaction" },
  { "receipt_id", COL_REF, 0, 0, NULL, "receipt" },
  { "position", COL_INT, 0, G_MAXINT32, NULL },
};

static void
set_data_error (GError     **error,
                const char  *field,
                const char  *problem)
{
  g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
               /* Translators: the first %s is a field such as
                * “money.transactions[3].date”, the second says what is wrong */
               _("The handover document’s field “%s” is not valid: %s"), field, problem);
}

static gboolean
check_ruleset_record (G_GNUC_UNUSED const Table *table,
                      Value        *values,
                      const char   *field,
                      GError      **error)
{
  g_autofree char *where = bb_handover_field_name (field, "id");

  /* The built-in ones come with Buurtboek, never from a document. */
  if (bb_ruleset_get_builtin (values[0].text) != NULL ||
      g_str_has_prefix (values[0].text, "builtin-"))
    {
      set_data_error (error, where, _("this id is reserved for the built-in rule sets"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_subsidy_record (G_GNUC_UNUSED const Table *table,
                      Value        *values,
                      const char   *field,
                      GError      **error)
{
  /* period_start (5) and period_end (6) are ISO dates, so text order is
   * date order. */
  if (strcmp (values[6].text, values[5].text) < 0)
    {
      g_autofree char *where = bb_handover_field_name (field, "period_end");
      set_data_error (error, where, _("the period ends before it starts"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_nonzero_amount (const Table  *table,
                      Value        *values,
                      const char   *field,
                      GError      **error)
{
  guint amount_column = 0;

  for (guint i = 0; i < table->n_columns; i++)
    if (strcmp (table->columns[i].name, "amount_cents") == 0)
      amount_column = i;

  if (values[amount_column].number == 0)
    {
      g_autofree char *where = bb_handover_field_name (field, "amount_cents");
      set_data_error (error, where, _("an amount of zero is not a transaction"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_receipt_record (G_GNUC_UNUSED const Table *table,
                      Value        *values,
                      const char   *field,
                      GError      **error)
{
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, values[5].bytes);

  if ((gint64)g_bytes_get_size (values[5].bytes) != values[4].number)
    {
      g_autofree char *where = bb_handover_field_name (field, "size");
      set_data_error (error, where, _("it differs from the size of the data"));
      return FALSE;
    }
  if (g_ascii_strcasecmp (sha256, values[1].text) != 0)
    {
      g_autofree char *where = bb_handover_field_name (field, "sha256");
      set_data_error (error, where, _("it does not match the data; the receipt is damaged"));
      return FALSE;
    }
  /* Stored the way bb-ledger.c computes it, so the same photo attached
   * later is found again. */
  g_free (values[1].owned);
  values[1].owned = g_steal_pointer (&sha256);
  values[1].text = values[1].owned;
  return TRUE;
}

/* In the order of import: a record only refers to records before it. */
static const Table tables[] = {
  { "rulesets", "money_ruleset", ruleset_columns, G_N_ELEMENTS (ruleset_columns),
    "created_at, id", check_ruleset_record },
  { "subsidies", "subsidy", subsidy_columns, G_N_ELEMENTS (subsidy_columns),
    "period_start, created_at, id", check_subsidy_record },
  { "advances", "subsidy_advance", advance_columns, G_N_ELEMENTS (advance_columns),
    "subsidy_id, date, id", NULL },
  { "posts", "budget_post", post_columns, G_N_ELEMENTS (post_columns),
    "subsidy_id, kind, position, id", NULL },
  { "transactions", "ledger_transaction", transaction_columns, G_N_ELEMENTS (transaction_columns),
    "date, created_at, id", check_nonzero_amount },
  { "splits", "ledger_split", split_columns, G_N_ELEMENTS (split_columns),
    "transaction_id, position, id", check_nonzero_amount },
  { "receipts", "receipt", receipt_columns, G_N_ELEMENTS (receipt_columns),
    "created_at, id", check_receipt_record },
  { "receipt_links", "ledger_receipt", receipt_link_columns, G_N_ELEMENTS (receipt_link_columns),
    "transaction_id, position, receipt_id", NULL },
};

static char *
column_list (const Table *table)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", table->columns[i].name);
  return g_string_free (list, FALSE);
}

static gboolean
sqlite_failed (BbStore     *store,
               int          rc,
               GError     **error)
{
  bb_store_set_sqlite_error (error, bb_store_get_db (store), rc,
                             _("Could not write the money section of the handover"));
  return FALSE;
}

/* Export */

static gboolean
export_column (JsonBuilder   *builder,
               const Column  *column,
               sqlite3_stmt  *stmt,
               int            i,
               GError       **error)
{
  json_builder_set_member_name (builder, column->name);

  if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
    {
      json_builder_add_null_value (builder);
      return TRUE;
    }

  switch (column->kind)
    {
    case COL_INT:
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, i));
      break;

    case COL_RULESET:
      {
        g_autoptr(JsonParser) parser = json_parser_new ();

        /* The schema only stores valid JSON (json_valid) */
        if (!json_parser_load_from_data (parser, bb_money_column_text (stmt, i), -1, error))
          return FALSE;
        json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
      }
      break;

    case COL_BASE64:
      {
        g_autofree char *text = g_base64_encode (sqlite3_column_blob (stmt, i),
                                                 sqlite3_column_bytes (stmt, i));
        json_builder_add_string_value (builder, text);
      }
      break;

    case COL_ID:
    case COL_REF:
    case COL_REF_NULL:
    case COL_TEXT:
    case COL_NAME:
    case COL_TEXT_NULL:
    case COL_DATE:
    case COL_DATE_EMPTY:
    case COL_TIMESTAMP:
    case COL_ENUM:
    default:
      json_builder_add_string_value (builder, bb_money_column_text (stmt, i));
      break;
    }

  return TRUE;
}

static gboolean
export_table (BbStore      *store,
              JsonBuilder  *builder,
              const Table  *table,
              GError      **error)
{
  g_autofree char *columns = column_list (table);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s ORDER BY %s",
                                          columns, table->table, table->order);
  sqlite3_stmt *stmt;
  int rc;

  /* Not cached: run once per export, and the receipts query would keep
   * a statement around that holds every photo. */
  rc = sqlite3_prepare_v2 (bb_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return sqlite_failed (store, rc, error);

  json_builder_set_member_name (builder, table->key);
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      for (guint i = 0; i < table->n_columns; i++)
        if (!export_column (builder, &table->columns[i], stmt, (int)i, error))
          {
            sqlite3_finalize (stmt);
            return FALSE;
          }
      json_builder_end_object (builder);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_failed (store, rc, error);
  json_builder_end_array (builder);

  return TRUE;
}

gboolean
bb_money_handover_export (BbStore      *store,
                          JsonBuilder  *builder,
                          GError      **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (JSON_IS_BUILDER (builder), FALSE);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (!export_table (store, builder, &tables[i], error))
      return FALSE;
  json_builder_end_object (builder);

  return TRUE;
}

/* Import */

static gboolean
id_is_valid (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > 64)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* Only the form Buurtboek writes, so no two spellings of one day exist. */
static gboolean
iso_date_is_valid (const char *text)
{
  guint year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = (guint)g_ascii_strtoull (text, NULL, 10);
  month = (guint)g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint)g_ascii_strtoull (text + 8, NULL, 10);
  return year >= 1 && g_date_valid_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

/* bb_ruleset_from_json() reads what it knows and passes over the rest,
 * which suits a rule set typed by hand; a handover must not lose a key
 * without a word. */
static gboolean
check_ruleset_keys (JsonObject  *definition,
                    const char  *where,
                    GError     **error)
{
  static const char * const keys[] = {
    "name", "tiers", "deadline", "variance_threshold_percent", "required_attachments",
  };
  static const char * const tier_keys[] = { "up_to_cents", "content" };
  static const char * const deadline_keys[] = { "type", "weeks", "month", "day", "date" };
  JsonNode *node;

  if (!bb_handover_check_keys (definition, where, keys, G_N_ELEMENTS (keys), error))
    return FALSE;

  node = json_object_get_member (definition, "deadline");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *field = bb_handover_field_name (where, "deadline");

      if (!bb_handover_check_keys (json_node_get_object (node), field, deadline_keys,
                                   G_N_ELEMENTS (deadline_keys), error))
        return FALSE;
    }

  node = json_object_get_member (definition, "tiers");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *tiers = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (tiers); i++)
        {
          JsonNode *tier = json_array_get_element (tiers, i);
          g_autofree char *field = g_strdup_printf ("%s.tiers[%u]", where, i);

          if (JSON_NODE_HOLDS_OBJECT (tier) &&
              !bb_handover_check_keys (json_node_get_object (tier), field, tier_keys,
                                       G_N_ELEMENTS (tier_keys), error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
read_value (JsonObject    *object,
            const char    *field,
            const Column  *column,
            Value         *value,
            GError       **error)
{
  g_autofree char *where = bb_handover_field_name (field, column->name);
  const char *text = NULL;

  switch (column->kind)
    {
    case COL_INT:
      if (!bb_handover_read_int (object, field, column->name, &value->number, error))
        return FALSE;
      if (value->number < column->min || value->number > column->max)
        {
          g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, column->min);
          g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, column->max);
          g_autofree char *problem =
            /* Translators: %s and %s are whole numbers */
            g_strdup_printf (_("it must be between %s and %s"), min, max);
          set_data_error (error, where, problem);
          return FALSE;
        }
      return TRUE;

    case COL_RULESET:
      {
        JsonNode *node = json_object_get_member (object, column->name);
        g_autoptr(BbRuleset) ruleset = NULL;
        g_autoptr(GError) invalid = NULL;
        g_autofree char *json = NULL;

        if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
          {
            g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                         _("The handover document’s field “%s” must be an object."), where);
            return FALSE;
          }
        if (!check_ruleset_keys (json_node_get_object (node), where, error))
          return FALSE;
        json = json_to_string (node, FALSE);
        ruleset = bb_ruleset_from_json (json, &invalid);
        if (ruleset == NULL)
          {
            set_data_error (error, where, invalid->message);
            return FALSE;
          }
        /* Stored as Buurtboek writes it */
        value->owned = bb_ruleset_to_json (ruleset);
        value->text = value->owned;
      }
      return TRUE;

    case COL_TIMESTAMP:
      return bb_handover_read_timestamp (object, field, column->name, &value->text, error);

    case COL_REF_NULL:
    case COL_TEXT_NULL:
      if (!bb_handover_read_string (object, field, column->name, FALSE, &text, error))
        return FALSE;
      if (text == NULL)
        {
          /* null, but the key must be there: a forgotten link is not "no link" */
          if (json_object_get_member (object, column->name) == NULL)
            {
              g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                           _("The field “%s” is missing."), where);
              return FALSE;
            }
          value->text = NULL;
          return TRUE;
        }
      if (column->kind == COL_REF_NULL && !id_is_valid (text))
        {
          set_data_error (error, where, _("it is not an id"));
          return FALSE;
        }
      if (column->kind == COL_TEXT_NULL && *text == '\0')
        {
          set_data_error (error, where, _("write null instead of an empty text"));
          return FALSE;
        }
      value->text = text;
      return TRUE;

    case COL_ID:
    case COL_REF:
    case COL_TEXT:
    case COL_NAME:
    case COL_DATE:
    case COL_DATE_EMPTY:
    case COL_ENUM:
    case COL_BASE64:
    default:
      break;
    }

  if (!bb_handover_read_string (object, field, column->name, TRUE, &text, error))
    return FALSE;
  value->text = text;

  switch (column->kind)
    {
    case COL_ID:
    case COL_REF:
      if (!id_is_valid (text))
        {
          set_data_error (error, where, _("it is not an id"));
          return FALSE;
        }
      break;

    case COL_NAME:
      {
        g_autofree char *stripped = g_strstrip (g_strdup (text));

        if (*stripped == '\0')
          {
            set_data_error (error, where, _("it must not be empty"));
            return FALSE;
          }
      }
      break;

    case COL_DATE_EMPTY:
      if (*text == '\0')
        break;
      G_GNUC_FALLTHROUGH;
    case COL_DATE:
      if (!iso_date_is_valid (text))
        {
          set_data_error (error, where, _("it must be a date written as YYYY-MM-DD"));
          return FALSE;
        }
      break;

    case COL_ENUM:
      if (!g_strv_contains (column->choices, text))
        {
          g_autofree char *choices = g_strjoinv (", ", (char **)column->choices);
          g_autofree char *problem =
            /* Translators: %s is a list of the allowed values */
            g_strdup_printf (_("it must be one of %s"), choices);
          set_data_error (error, where, problem);
          return FALSE;
        }
      break;

    case COL_BASE64:
      {
        gsize length = strlen (text);
        gsize size = 0;
        guchar *data;

        /* g_base64_decode skips what is not base64; a damaged text must
         * not turn into a different receipt without a word. */
        if (length % 4 != 0 || length > (gsize)RECEIPT_MAX_BYTES / 3 * 4 + 4)
          {
            set_data_error (error, where, _("it is not base64 or too large"));
            return FALSE;
          }
        for (gsize i = 0; i < length; i++)
          if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/' &&
              !(text[i] == '=' && i >= length - 2))
            {
              set_data_error (error, where, _("it is not base64 or too large"));
              return FALSE;
            }
        data = g_base64_decode (text, &size);
        value->bytes = g_bytes_new_take (data, size);
        if (size == 0)
          {
            set_data_error (error, where, _("a receipt cannot be empty"));
            return FALSE;
          }
      }
      break;

    case COL_TEXT:
    case COL_REF_NULL:
    case COL_TEXT_NULL:
    case COL_TIMESTAMP:
    case COL_INT:
    case COL_RULESET:
    default:
      break;
    }

  return TRUE;
}

static void
values_clear (Value *values,
              guint  n_values)
{
  for (guint i = 0; i < n_values; i++)
    {
      g_clear_pointer (&values[i].owned, g_free);
      g_clear_pointer (&values[i].bytes, g_bytes_unref);
    }
}

/* Which reference of the record points nowhere, to name it. */
static void
name_missing_reference (BbStore      *store,
                        const Table  *table,
                        Value        *values,
                        const char   *field,
                        GError      **error)
{
  for (guint i = 0; i < table->n_columns; i++)
    {
      const Column *column = &table->columns[i];
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;
      gboolean exists;

      if (column->target == NULL || values[i].text == NULL)
        continue;
      sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?1", column->target);
      stmt = bb_store_prepare (store, sql, NULL);
      if (stmt == NULL)
        continue;
      sqlite3_bind_text (stmt, 1, values[i].text, -1, SQLITE_STATIC);
      exists = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (!exists)
        {
          g_autofree char *where = bb_handover_field_name (field, column->name);
          set_data_error (error, where, _("it refers to a record that is not in the document"));
          return;
        }
    }

  set_data_error (error, field, _("it refers to a record that is not in the document"));
}

static gboolean
insert_failed (BbStore      *store,
               const Table  *table,
               Value        *values,
               int           rc,
               const char   *field,
               GError      **error)
{
  switch (sqlite3_extended_errcode (bb_store_get_db (store)))
    {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      set_data_error (error, field, _("it repeats a record that is already in the document"));
      return FALSE;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      name_missing_reference (store, table, values, field, error);
      return FALSE;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      set_data_error (error, field, _("a value is out of range"));
      return FALSE;
    default:
      return sqlite_failed (store, rc, error);
    }
}

static gboolean
import_record (BbStore      *store,
               const Table  *table,
               const char   *sql,
               JsonNode     *element,
               const char   *field,
               GError      **error)
{
  Value values[16] = { { NULL, NULL, 0, NULL }, };
  JsonObject *object;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  g_assert (table->n_columns <= G_N_ELEMENTS (values));

  if (!JSON_NODE_HOLDS_OBJECT (element))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The handover document’s field “%s” must be an object."), field);
      return FALSE;
    }
  object = json_node_get_object (element);

  {
    const char *known[16];

    for (guint i = 0; i < table->n_columns; i++)
      known[i] = table->columns[i].name;
    if (!bb_handover_check_keys (object, field, known, table->n_columns, error))
      return FALSE;
  }

  for (guint i = 0; i < table->n_columns; i++)
    if (!read_value (object, field, &table->columns[i], &values[i], error))
      goto out;

  if (table->check_record != NULL && !table->check_record (table, values, field, error))
    goto out;

  stmt = bb_store_prepare (store, sql, error);
  if (stmt == NULL)
    goto out;
  for (guint i = 0; i < table->n_columns; i++)
    {
      int index = (int)i + 1;

      if (table->columns[i].kind == COL_INT)
        sqlite3_bind_int64 (stmt, index, values[i].number);
      else if (table->columns[i].kind == COL_BASE64)
        sqlite3_bind_blob64 (stmt, index, g_bytes_get_data (values[i].bytes, NULL),
                             g_bytes_get_size (values[i].bytes), SQLITE_STATIC);
      else if (values[i].text != NULL)
        sqlite3_bind_text (stmt, index, values[i].text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, index);
    }
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      insert_failed (store, table, values, rc, field, error);
      goto out;
    }

  ok = TRUE;

out:
  values_clear (values, table->n_columns);
  return ok;
}

static gboolean
import_table (BbStore      *store,
              JsonObject   *section,
              const Table  *table,
              GError      **error)
{
  g_autofree char *where = bb_handover_field_name ("money", table->key);
  g_autofree char *columns = NULL;
  g_autofree char *sql = NULL;
  GString *params;
  JsonNode *node = json_object_get_member (section, table->key);
  JsonArray *array;

  /* A document without money has none of these */
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The handover document’s field “%s” must be a list."), where);
      return FALSE;
    }
  array = json_node_get_array (node);

  columns = column_list (table);
  params = g_string_new (NULL);
  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (params, "%s?%u", i > 0 ? ", " : "", i + 1);
  sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)", table->table, columns, params->str);
  g_string_free (params, TRUE);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *field = g_strdup_printf ("%s[%u]", where, i);

      if (!import_record (store, table, sql, json_array_get_element (array, i), field, error))
        return FALSE;
    }

  return TRUE;
}

/* What only holds across records: a subsidy's rule set exists, and the
 * split lines of a transaction add up to its amount, as bb-ledger.c
 * demands of every transaction it saves. */
static gboolean
check_across (BbStore  *store,
              GError  **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *id = NULL;
  int rc;

  stmt = bb_store_prepare (store,
                           "SELECT s.id FROM subsidy s WHERE s.ruleset_id NOT IN (?1, ?2)"
                           " AND NOT EXISTS (SELECT 1 FROM money_ruleset r WHERE r.id = s.ruleset_id)"
                           " LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, BB_RULESET_ID_NATIONAL, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, BB_RULESET_ID_MUNICIPAL, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = g_strdup (bb_money_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sqlite_failed (store, rc, error);
  if (id != NULL)
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   /* Translators: %s is a subsidy's id */
                   _("The subsidy “%s” in the handover document uses a rule set that is not in the document."),
                   id);
      return FALSE;
    }

  stmt = bb_store_prepare (store,
                           "SELECT t.id FROM ledger_transaction t"
                           " JOIN (SELECT transaction_id, SUM (amount_cents) AS total"
                           "       FROM ledger_split GROUP BY transaction_id) s"
                           " ON s.transaction_id = t.id WHERE s.total <> t.amount_cents LIMIT 1",
                           error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = g_strdup (bb_money_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sqlite_failed (store, rc, error);
  if (id != NULL)
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   /* Translators: %s is a transaction's id */
                   _("The split lines of transaction “%s” in the handover document do not add up to its amount."),
                   id);
      return FALSE;
    }

  return TRUE;
}

gboolean
bb_money_handover_import (BbStore   *store,
                          JsonNode  *node,
                          GError   **error)
{
  const char *keys[G_N_ELEMENTS (tables)];
  JsonObject *section;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The handover document’s field “%s” must be an object."), "money");
      return FALSE;
    }
  section = json_node_get_object (node);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    keys[i] = tables[i].key;
  if (!bb_handover_check_keys (section, "money", keys, G_N_ELEMENTS (keys), error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (!import_table (store, section, &tables[i], error))
      return FALSE;

  return check_across (store, error);
}
