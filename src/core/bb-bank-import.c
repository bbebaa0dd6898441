/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Bank statements: CAMT.053 (ISO 20022, read with libxml2) and the CSV
 * exports of ING, Rabobank and ABN AMRO. Parsing is pure (bytes in, entries
 * out); writing is one SQLite transaction. Every entry gets a dedupe key so
 * importing the same file twice adds nothing: the bank's own reference
 * when there is one, else a hash of date, amount, counterparty and
 * description with the entry's rank among identical entries in the file.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "bb-bank-import.h"
#include "bb-date.h"
#include "bb-ledger.h"
#include "bb-money.h"
#include "bb-money-private.h"

G_DEFINE_QUARK (bb-bank-import-error-quark, bb_bank_import_error)

#define CAMT053_NS_PREFIX "urn:iso:std:iso:20022:tech:xsd:camt.053.001."

const char *
bb_bank_format_get_label (BbBankFormat format)
{
  switch (format)
    {
    case BB_BANK_FORMAT_CAMT053:
      return _("CAMT.053 bank statement");
    case BB_BANK_FORMAT_ING_CSV:
      return _("ING CSV export");
    case BB_BANK_FORMAT_RABOBANK_CSV:
      return _("Rabobank CSV export");
    case BB_BANK_FORMAT_ABN_AMRO_TXT:
      return _("ABN AMRO export");
    default:
      g_return_val_if_reached ("");
    }
}

static void
entry_free (gpointer data)
{
  BbBankEntry *entry = data;

  g_clear_object (&entry->transaction);
  g_free (entry->suggested_post_id);
  g_free (entry);
}

void
bb_bank_statement_free (BbBankStatement *self)
{
  if (self == NULL)
    return;
  g_free (self->account_iban);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_free (self);
}

static BbBankStatement *
statement_new (BbBankFormat format)
{
  BbBankStatement *self = g_new0 (BbBankStatement, 1);

  self->format = format;
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  return self;
}

static char *
normalise_iban (const char *text)
{
  GString *iban = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (iban, g_ascii_toupper (*p));
  return g_string_free (iban, FALSE);
}

/* Collapses runs of whitespace (banks pad fields to fixed widths). */
static char *
tidy (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static void
add_entry (BbBankStatement *self,
           const char      *date,
           gint64           amount_cents,
           const char      *counterparty,
           const char      *iban,
           const char      *description,
           const char      *reference)
{
  BbBankEntry *entry = g_new0 (BbBankEntry, 1);
  BbTransaction *t = bb_transaction_new ();

  g_free (t->date);
  t->date = g_strdup (date);
  t->amount_cents = amount_cents;
  g_free (t->counterparty);
  t->counterparty = tidy (counterparty);
  g_free (t->counterparty_iban);
  t->counterparty_iban = normalise_iban (iban);
  g_free (t->description);
  t->description = tidy (description);
  g_free (t->bank_reference);
  t->bank_reference = g_strdup (reference ? reference : "");
  t->account = BB_ACCOUNT_BANK;
  entry->transaction = t;
  g_ptr_array_add (self->entries, entry);
}

/* The keys are made once all entries are read, so identical entries on
 * the same day (two coffee receipts of € 4,50) get different ranks. */
static void
assign_dedupe_keys (BbBankStatement *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *account = self->account_iban ? self->account_iban : "";

  for (guint i = 0; i < self->entries->len; i++)
    {
      BbTransaction *t = ((BbBankEntry *)g_ptr_array_index (self->entries, i))->transaction;
      g_autofree char *key = NULL;

      if (*t->bank_reference != '\0')
        key = g_strdup_printf ("ref:%s:%s", account, t->bank_reference);
      else
        {
          g_autofree char *fields = g_strdup_printf ("%s\x1f%s\x1f%" G_GINT64_FORMAT "\x1f%s\x1f%s\x1f%s",
                                                     account, t->date, t->amount_cents,
                                                     t->counterparty, t->counterparty_iban,
                                                     t->description);
          guint rank = GPOINTER_TO_UINT (g_hash_table_lookup (seen, fields));
          g_autofree char *ranked = g_strdup_printf ("%s\x1f%u", fields, rank);

          g_hash_table_replace (seen, g_strdup (fields), GUINT_TO_POINTER (rank + 1));
          g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ranked, -1);

          key = g_strconcat ("hash:", digest, NULL);
        }
      g_free (t->dedupe_key);
      t->dedupe_key = g_steal_pointer (&key);
    }
}

static gboolean
malformed (GError     **error,
           const char  *filename,
           guint        line,
           const char  *what,
           const char  *value)
{
  g_autofree char *shown = g_utf8_make_valid (value ? value : "", MIN (strlen (value ? value : ""), 40));

  if (line > 0)
    g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_MALFORMED,
                 /* Translators: “bank.csv”, line 12: the amount “12,3,4” is not valid. */
                 _("“%s”, line %u: the %s “%s” is not valid. Nothing was imported."),
                 filename, line, what, shown);
  else
    g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_MALFORMED,
                 _("“%s”: the %s “%s” is not valid. Nothing was imported."),
                 filename, what, shown);
  return FALSE;
}

static gboolean
parse_compact_date (const char *text,
                    char      **out_iso)
{
  GDate date;
  guint y, m, d;

  if (text == NULL || strlen (text) != 8 || strspn (text, "0123456789") != 8)
    return FALSE;
  y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  m = (text[4] - '0') * 10 + (text[5] - '0');
  d = (text[6] - '0') * 10 + (text[7] - '0');
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  *out_iso = bb_date_to_iso (&date);
  return TRUE;
}

static gboolean
parse_any_date (const char *text,
                char      **out_iso)
{
  GDate date;

  if (parse_compact_date (text, out_iso))
    return TRUE;
  if (text == NULL || !bb_date_parse (text, &date, NULL))
    return FALSE;
  *out_iso = bb_date_to_iso (&date);
  return TRUE;
}

/* CAMT.053 */

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         strcmp ((const char *)node->name, name) == 0;
}

static xmlNode *
child (xmlNode    *node,
       const char *name)
{
  if (node == NULL)
    return NULL;
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (is_element (c, name))
      return c;
  return NULL;
}

/* "A/B/C" below @node. */
static xmlNode *
path (xmlNode    *node,
      const char *steps)
{
  g_auto(GStrv) names = g_strsplit (steps, "/", -1);

  for (guint i = 0; names[i] != NULL && node != NULL; i++)
    node = child (node, names[i]);
  return node;
}

static char *
text_of (xmlNode *node)
{
  xmlChar *content;
  char *text;

  if (node == NULL)
    return g_strdup ("");
  content = xmlNodeGetContent (node);
  text = g_strstrip (g_strdup ((const char *)content));
  xmlFree (content);
  return text;
}

static char *
attribute_of (xmlNode    *node,
              const char *name)
{
  xmlChar *value;
  char *text;

  if (node == NULL)
    return NULL;
  value = xmlGetProp (node, (const xmlChar *)name);
  text = value ? g_strdup ((const char *)value) : NULL;
  xmlFree (value);
  return text;
}

/* Name of a party: .02 has Cdtr/Nm, .08 has Cdtr/Pty/Nm. */
static char *
party_name (xmlNode *parties,
            const char *role)
{
  xmlNode *party = child (parties, role);
  xmlNode *name = child (party, "Nm");

  if (name == NULL)
    name = path (party, "Pty/Nm");
  return text_of (name);
}

static gboolean
parse_camt_entry (BbBankStatement  *self,
                  xmlNode          *ntry,
                  const char       *filename,
                  guint             index,
                  GError          **error)
{
  g_autofree char *amount_text = text_of (child (ntry, "Amt"));
  g_autofree char *indicator = text_of (child (ntry, "CdtDbtInd"));
  g_autofree char *date_text = NULL;
  g_autofree char *date = NULL;
  g_autofree char *reference = text_of (child (ntry, "AcctSvcrRef"));
  g_autofree char *counterparty = NULL;
  g_autofree char *iban = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  xmlNode *tx = path (ntry, "NtryDtls/TxDtls");
  xmlNode *parties = child (tx, "RltdPties");
  gboolean credit;
  gint64 cents;

  date_text = text_of (path (ntry, "BookgDt/Dt"));
  if (*date_text == '\0')
    {
      g_free (date_text);
      date_text = text_of (path (ntry, "BookgDt/DtTm"));
      if (strlen (date_text) > 10)
        date_text[10] = '\0';
    }
  if (!parse_any_date (date_text, &date))
    {
      g_autofree char *what = g_strdup_printf (_("booking date of entry %u"), index + 1);
      return malformed (error, filename, 0, what, date_text);
    }

  if (strcmp (indicator, "CRDT") == 0)
    credit = TRUE;
  else if (strcmp (indicator, "DBIT") == 0)
    credit = FALSE;
  else
    {
      g_autofree char *what = g_strdup_printf (_("credit/debit indicator of entry %u"), index + 1);
      return malformed (error, filename, 0, what, indicator);
    }

  if (!bb_money_parse (amount_text, &cents, NULL) || cents <= 0)
    {
      g_autofree char *what = g_strdup_printf (_("amount of entry %u"), index + 1);
      return malformed (error, filename, 0, what, amount_text);
    }

  /* The other party: the creditor of a payment, the debtor of a receipt. */
  counterparty = party_name (parties, credit ? "Dbtr" : "Cdtr");
  iban = text_of (path (parties, credit ? "DbtrAcct/Id/IBAN" : "CdtrAcct/Id/IBAN"));

  for (xmlNode *c = child (child (tx, "RmtInf"), "Ustrd"); c != NULL; c = c->next)
    if (is_element (c, "Ustrd"))
      {
        g_autofree char *line = text_of (c);

        if (description->len > 0)
          g_string_append_c (description, ' ');
        g_string_append (description, line);
      }
  if (description->len == 0)
    {
      g_autofree char *info = text_of (child (ntry, "AddtlNtryInf"));
      g_string_append (description, info);
    }
  if (*reference == '\0')
    {
      g_free (reference);
      reference = text_of (path (tx, "Refs/AcctSvcrRef"));
    }

  add_entry (self, date, credit ? cents : -cents, counterparty, iban, description->str, reference);
  return TRUE;
}

static BbBankStatement *
parse_camt (GBytes      *data,
            const char  *filename,
            GError     **error)
{
  g_autoptr(BbBankStatement) self = statement_new (BB_BANK_FORMAT_CAMT053);
  gsize size;
  const char *bytes = g_bytes_get_data (data, &size);
  xmlDoc *doc;
  xmlNode *root, *report;
  guint n_statements = 0, n_skipped = 0;
  g_autofree char *skipped_currency = NULL;

  /* No network, no entity expansion: a statement is plain data. */
  doc = xmlReadMemory (bytes, (int)MIN (size, G_MAXINT), filename, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
  if (doc == NULL)
    {
      const xmlError *xml_error = xmlGetLastError ();

      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_MALFORMED,
                   _("“%s” is not well-formed XML (line %d). Nothing was imported."),
                   filename, xml_error ? xml_error->line : 0);
      return NULL;
    }

  root = xmlDocGetRootElement (doc);
  if (!is_element (root, "Document") || root->ns == NULL ||
      !g_str_has_prefix ((const char *)root->ns->href, CAMT053_NS_PREFIX))
    {
      xmlFreeDoc (doc);
      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_NOT_STATEMENT,
                   _("“%s” is XML but not a CAMT.053 bank statement."), filename);
      return NULL;
    }

  report = child (root, "BkToCstmrStmt");
  for (xmlNode *stmt = report ? report->children : NULL; stmt != NULL; stmt = stmt->next)
    {
      g_autofree char *iban = NULL;
      g_autofree char *currency = NULL;
      guint index = 0;

      if (!is_element (stmt, "Stmt"))
        continue;
      n_statements++;

      iban = text_of (path (stmt, "Acct/Id/IBAN"));
      currency = text_of (path (stmt, "Acct/Ccy"));
      if (*currency == '\0')
        {
          /* Older files leave the account currency out: take the first amount's. */
          xmlNode *ntry = child (stmt, "Ntry");
          g_free (currency);
          currency = attribute_of (child (ntry, "Amt"), "Ccy");
          if (currency == NULL)
            currency = g_strdup ("EUR");
        }
      if (strcmp (currency, "EUR") != 0)
        {
          n_skipped++;
          g_ptr_array_add (self->warnings,
                           g_strdup_printf (_("The statement of account %s is in %s and was skipped: the ledger is kept in euros."),
                                            *iban ? iban : "?", currency));
          g_free (skipped_currency);
          skipped_currency = g_steal_pointer (&currency);
          continue;
        }
      if (self->account_iban == NULL && *iban != '\0')
        self->account_iban = normalise_iban (iban);

      for (xmlNode *ntry = stmt->children; ntry != NULL; ntry = ntry->next)
        {
          g_autofree char *entry_currency = NULL;

          if (!is_element (ntry, "Ntry"))
            continue;
          entry_currency = attribute_of (child (ntry, "Amt"), "Ccy");
          if (entry_currency != NULL && strcmp (entry_currency, "EUR") != 0)
            {
              g_ptr_array_add (self->warnings,
                               g_strdup_printf (_("Entry %u is in %s and was skipped: the ledger is kept in euros."),
                                                index + 1, entry_currency));
              index++;
              continue;
            }
          if (!parse_camt_entry (self, ntry, filename, index++, error))
            {
              xmlFreeDoc (doc);
              return NULL;
            }
        }
    }
  xmlFreeDoc (doc);

  if (n_statements == 0)
    {
      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_MALFORMED,
                   _("“%s” is a CAMT.053 file without any statement (Stmt). Nothing was imported."), filename);
      return NULL;
    }
  if (n_skipped == n_statements)
    {
      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_CURRENCY,
                   _("“%s” is a statement in %s; Buurtboek keeps the ledger in euros. Nothing was imported."),
                   filename, skipped_currency);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* CSV */

/* RFC 4180 records: quoted fields may hold the separator, doubled quotes
 * and line breaks. Returns GPtrArray of GStrv, each with its first line. */
typedef struct {
  GStrv fields;
  guint line;
} CsvRow;

static void
csv_row_free (gpointer data)
{
  CsvRow *row = data;

  g_strfreev (row->fields);
  g_free (row);
}

static GPtrArray *
csv_split (const char *text,
           char        separator,
           const char *filename,
           GError    **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (csv_row_free);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE, was_quoted = FALSE;
  guint line = 1, row_line = 1;
  const char *p = text;

  for (;; p++)
    {
      char c = *p;

      if (quoted)
        {
          if (c == '\0')
            {
              g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_MALFORMED,
                           _("“%s”, line %u: a quoted field is never closed. Nothing was imported."),
                           filename, row_line);
              return NULL;
            }
          if (c == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            {
              if (c == '\n')
                line++;
              g_string_append_c (field, c);
            }
          continue;
        }

      if (c == '"' && field->len == 0 && !was_quoted)
        {
          quoted = was_quoted = TRUE;
          continue;
        }
      if (c == separator)
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          continue;
        }
      if (c == '\r' && p[1] == '\n')
        continue;
      if (c == '\n' || c == '\r' || c == '\0')
        {
          gboolean blank = fields->len == 0 && field->len == 0 && !was_quoted;

          if (!blank)
            {
              CsvRow *row = g_new0 (CsvRow, 1);

              g_ptr_array_add (fields, g_strdup (field->str));
              g_ptr_array_add (fields, NULL);
              row->fields = (GStrv)g_ptr_array_steal (fields, NULL);
              row->line = row_line;
              g_ptr_array_add (rows, row);
              g_ptr_array_set_free_func (fields, g_free);
            }
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          if (c == '\0')
            break;
          line++;
          row_line = line;
          continue;
        }
      g_string_append_c (field, c);
    }
  return g_steal_pointer (&rows);
}

static int
column_index (GStrv        header,
              const char  *name)
{
  for (guint i = 0; header[i] != NULL; i++)
    {
      g_autofree char *h = g_strstrip (g_strdup (header[i]));
      if (g_ascii_strcasecmp (h, name) == 0)
        return (int)i;
    }
  return -1;
}

static const char *
field_at (CsvRow *row,
          int     index)
{
  if (index < 0 || (guint)index >= g_strv_length (row->fields))
    return "";
  return row->fields[index];
}

static gboolean
parse_signed_amount (const char *text,
                     gint64     *out_cents)
{
  /* "+1.234,56" and "-12,50": bb_money_parse knows the sign and groups. */
  return bb_money_parse (text, out_cents, NULL) && *out_cents != 0;
}

static BbBankStatement *
parse_ing (GPtrArray   *rows,
           const char  *filename,
           GError     **error)
{
  g_autoptr(BbBankStatement) self = statement_new (BB_BANK_FORMAT_ING_CSV);
  GStrv header = ((CsvRow *)g_ptr_array_index (rows, 0))->fields;
  int c_date = column_index (header, "Datum");
  int c_name = column_index (header, "Naam / Omschrijving");
  int c_account = column_index (header, "Rekening");
  int c_counter = column_index (header, "Tegenrekening");
  int c_sign = column_index (header, "Af Bij");
  int c_amount = column_index (header, "Bedrag (EUR)");
  int c_kind = column_index (header, "Mutatiesoort");
  int c_message = column_index (header, "Mededelingen");

  if (c_date < 0 || c_sign < 0 || c_amount < 0)
    {
      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_MALFORMED,
                   _("“%s” looks like an ING export but lacks the columns “Datum”, “Af Bij” or “Bedrag (EUR)”."),
                   filename);
      return NULL;
    }

  for (guint i = 1; i < rows->len; i++)
    {
      CsvRow *row = g_ptr_array_index (rows, i);
      g_autofree char *date = NULL;
      g_autofree char *description = NULL;
      const char *sign = field_at (row, c_sign);
      gint64 cents;

      if (!parse_compact_date (field_at (row, c_date), &date) &&
          !parse_any_date (field_at (row, c_date), &date))
        return malformed (error, filename, row->line, _("date"), field_at (row, c_date)), NULL;
      if (!parse_signed_amount (field_at (row, c_amount), &cents) || cents < 0)
        return malformed (error, filename, row->line, _("amount"), field_at (row, c_amount)), NULL;
      if (g_ascii_strcasecmp (sign, "Af") == 0)
        cents = -cents;
      else if (g_ascii_strcasecmp (sign, "Bij") != 0)
        return malformed (error, filename, row->line, _("“Af Bij” value"), sign), NULL;

      if (self->account_iban == NULL && *field_at (row, c_account) != '\0')
        self->account_iban = normalise_iban (field_at (row, c_account));

      description = g_strdup (field_at (row, c_message));
      if (*description == '\0')
        {
          g_free (description);
          description = g_strdup (field_at (row, c_kind));
        }
      add_entry (self, date, cents, field_at (row, c_name), field_at (row, c_counter), description, NULL);
    }
  return g_steal_pointer (&self);
}

static BbBankStatement *
parse_rabobank (GPtrArray   *rows,
                const char  *filename,
                GError     **error)
{
  g_autoptr(BbBankStatement) self = statement_new (BB_BANK_FORMAT_RABOBANK_CSV);
  GStrv header = ((CsvRow *)g_ptr_array_index (rows, 0))->fields;
  int c_iban = column_index (header, "IBAN/BBAN");
  int c_currency = column_index (header, "Munt");
  int c_seq = column_index (header, "Volgnr");
  int c_date = column_index (header, "Datum");
  int c_amount = column_index (header, "Bedrag");
  int c_counter = column_index (header, "Tegenrekening IBAN/BBAN");
  int c_name = column_index (header, "Naam tegenpartij");
  int c_desc[3] = {
    column_index (header, "Omschrijving-1"),
    column_index (header, "Omschrijving-2"),
    column_index (header, "Omschrijving-3"),
  };
  guint skipped = 0;
  const char *skipped_currency = NULL;

  if (c_date < 0 || c_amount < 0)
    {
      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_MALFORMED,
                   _("“%s” looks like a Rabobank export but lacks the columns “Datum” or “Bedrag”."),
                   filename);
      return NULL;
    }

  for (guint i = 1; i < rows->len; i++)
    {
      CsvRow *row = g_ptr_array_index (rows, i);
      g_autofree char *date = NULL;
      g_autoptr(GString) description = g_string_new (NULL);
      g_autofree char *reference = NULL;
      gint64 cents;

      if (c_currency >= 0 && *field_at (row, c_currency) != '\0' &&
          strcmp (field_at (row, c_currency), "EUR") != 0)
        {
          skipped++;
          skipped_currency = field_at (row, c_currency);
          g_ptr_array_add (self->warnings,
                           g_strdup_printf (_("Line %u is in %s and was skipped: the ledger is kept in euros."),
                                            row->line, skipped_currency));
          continue;
        }
      if (!parse_any_date (field_at (row, c_date), &date))
        return malformed (error, filename, row->line, _("date"), field_at (row, c_date)), NULL;
      if (!parse_signed_amount (field_at (row, c_amount), &cents))
        return malformed (error, filename, row->line, _("amount"), field_at (row, c_amount)), NULL;

      if (self->account_iban == NULL && *field_at (row, c_iban) != '\0')
        self->account_iban = normalise_iban (field_at (row, c_iban));
      for (guint d = 0; d < G_N_ELEMENTS (c_desc); d++)
        if (*field_at (row, c_desc[d]) != '\0')
          {
            if (description->len > 0)
              g_string_append_c (description, ' ');
            g_string_append (description, field_at (row, c_desc[d]));
          }
      /* The sequence number is unique per account: the bank's reference. */
      if (*field_at (row, c_seq) != '\0')
        reference = g_strdup_printf ("volgnr-%s", field_at (row, c_seq));
      add_entry (self, date, cents, field_at (row, c_name), field_at (row, c_counter),
                 description->str, reference);
    }

  if (self->entries->len == 0 && skipped > 0)
    {
      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_CURRENCY,
                   _("“%s” is a statement in %s; Buurtboek keeps the ledger in euros. Nothing was imported."),
                   filename, skipped_currency);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* "/TRTP/SEPA OVERBOEKING/IBAN/NL..../BIC/.../NAME/X/REMI/Y/EREF/Z" */
static char *
sepa_tag (const char *description,
          const char *tag)
{
  g_autofree char *needle = g_strdup_printf ("/%s/", tag);
  const char *start = strstr (description, needle);
  const char *end;
  static const char * const next_tags[] = {
    "/TRTP/", "/IBAN/", "/BIC/", "/NAME/", "/REMI/", "/EREF/", "/CSID/", "/MARF/", "/ORDP/", "/BENM/", "/ID/", NULL
  };

  if (start == NULL)
    return NULL;
  start += strlen (needle);
  end = start + strlen (start);
  for (guint i = 0; next_tags[i] != NULL; i++)
    {
      const char *hit = strstr (start, next_tags[i]);
      if (hit != NULL && hit < end)
        end = hit;
    }
  return g_strndup (start, end - start);
}

static BbBankStatement *
parse_abn_amro (GPtrArray   *rows,
                const char  *filename,
                GError     **error)
{
  g_autoptr(BbBankStatement) self = statement_new (BB_BANK_FORMAT_ABN_AMRO_TXT);
  guint skipped = 0;
  const char *skipped_currency = NULL;

  /* No header: account, currency, date, start balance, end balance,
   * value date, amount, description. */
  for (guint i = 0; i < rows->len; i++)
    {
      CsvRow *row = g_ptr_array_index (rows, i);
      g_autofree char *date = NULL;
      g_autofree char *name = NULL;
      g_autofree char *iban = NULL;
      g_autofree char *remittance = NULL;
      const char *raw = field_at (row, 7);
      gint64 cents;

      if (g_strv_length (row->fields) < 8)
        return malformed (error, filename, row->line, _("line"), row->fields[0]), NULL;
      if (strcmp (field_at (row, 1), "EUR") != 0)
        {
          skipped++;
          skipped_currency = field_at (row, 1);
          g_ptr_array_add (self->warnings,
                           g_strdup_printf (_("Line %u is in %s and was skipped: the ledger is kept in euros."),
                                            row->line, skipped_currency));
          continue;
        }
      if (!parse_compact_date (field_at (row, 2), &date))
        return malformed (error, filename, row->line, _("date"), field_at (row, 2)), NULL;
      if (!parse_signed_amount (field_at (row, 6), &cents))
        return malformed (error, filename, row->line, _("amount"), field_at (row, 6)), NULL;
      if (self->account_iban == NULL)
        self->account_iban = normalise_iban (field_at (row, 0));

      name = sepa_tag (raw, "NAME");
      iban = sepa_tag (raw, "IBAN");
      remittance = sepa_tag (raw, "REMI");
      if (name == NULL && g_str_has_prefix (raw, "BEA"))
        {
          /* Card payments: "BEA   NR:XXXX   01.02.25/13.45 Albert Heijn 1234,PAS123" */
          const char *slash = strchr (raw, '/');
          const char *space = slash ? strchr (slash, ' ') : NULL;
          const char *comma = space ? strchr (space, ',') : NULL;

          if (space != NULL)
            name = comma ? g_strndup (space + 1, comma - space - 1) : g_strdup (space + 1);
        }
      add_entry (self, date, cents, name, iban, remittance ? remittance : raw, NULL);
    }

  if (self->entries->len == 0 && skipped > 0)
    {
      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_CURRENCY,
                   _("“%s” is a statement in %s; Buurtboek keeps the ledger in euros. Nothing was imported."),
                   filename, skipped_currency);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
looks_like_abn_amro (const char *first_line)
{
  g_auto(GStrv) fields = g_strsplit (first_line, "\t", -1);
  g_autofree char *date = NULL;

  return g_strv_length (fields) >= 8 && parse_compact_date (fields[2], &date);
}

BbBankStatement *
bb_bank_statement_parse (GBytes      *data,
                         const char  *filename,
                         GError     **error)
{
  g_autofree char *name = g_path_get_basename (filename ? filename : "statement");
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(BbBankStatement) self = NULL;
  g_autofree char *first_line = NULL;
  const char *bytes;
  gsize size;

  g_return_val_if_fail (data != NULL, NULL);

  bytes = g_bytes_get_data (data, &size);
  if (size >= 3 && memcmp (bytes, "\xef\xbb\xbf", 3) == 0)
    {
      bytes += 3;
      size -= 3;
    }
  while (size > 0 && g_ascii_isspace (*bytes))
    {
      bytes++;
      size--;
    }
  if (size == 0)
    {
      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_EMPTY,
                   _("“%s” is empty."), name);
      return NULL;
    }

  if (*bytes == '<')
    {
      g_autoptr(GBytes) xml = g_bytes_new (bytes, size);

      self = parse_camt (xml, name, error);
    }
  else
    {
      /* Rabobank used Windows-1252 for years; UTF-8 files pass through. */
      if (memchr (bytes, '\0', size) != NULL)
        goto not_statement;
      if (g_utf8_validate_len (bytes, size, NULL))
        text = g_strndup (bytes, size);
      else
        {
          text = g_convert (bytes, size, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
          if (text == NULL)
            goto not_statement;
        }

      first_line = g_strndup (text, strcspn (text, "\r\n"));
      if (strstr (first_line, "Af Bij") != NULL)
        {
          char separator = strchr (first_line, ';') != NULL ? ';' : ',';

          rows = csv_split (text, separator, name, error);
          if (rows == NULL)
            return NULL;
          self = parse_ing (rows, name, error);
        }
      else if (strstr (first_line, "IBAN/BBAN") != NULL && strstr (first_line, "Volgnr") != NULL)
        {
          rows = csv_split (text, ',', name, error);
          if (rows == NULL)
            return NULL;
          self = parse_rabobank (rows, name, error);
        }
      else if (looks_like_abn_amro (first_line))
        {
          rows = csv_split (text, '\t', name, error);
          if (rows == NULL)
            return NULL;
          self = parse_abn_amro (rows, name, error);
        }
      else
        goto not_statement;
    }

  if (self == NULL)
    return NULL;
  if (self->entries->len == 0)
    {
      g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_EMPTY,
                   _("“%s” holds no transactions."), name);
      return NULL;
    }
  assign_dedupe_keys (self);
  return g_steal_pointer (&self);

not_statement:
  g_set_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_NOT_STATEMENT,
               _("“%s” is not a bank statement Buurtboek can read. Use a CAMT.053 file or the CSV export of ING, Rabobank or ABN AMRO."),
               name);
  return NULL;
}

gboolean
bb_bank_statement_prepare (BbBankStatement  *self,
                           BbStore          *store,
                           GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    {
      BbBankEntry *entry = g_ptr_array_index (self->entries, i);
      BbTransaction *t = entry->transaction;

      stmt = bb_store_prepare (store, "SELECT 1 FROM ledger_transaction WHERE dedupe_key = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, t->dedupe_key, -1, SQLITE_TRANSIENT);
      entry->duplicate = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);

      g_clear_pointer (&entry->suggested_post_id, g_free);
      if (!entry->duplicate)
        {
          g_autoptr(GError) local_error = NULL;

          entry->suggested_post_id = bb_ledger_suggest_post (store, t->counterparty, t->counterparty_iban,
                                                             t->date, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
        }
    }
  return TRUE;
}

gboolean
bb_bank_statement_import (BbBankStatement  *self,
                          BbStore          *store,
                          guint            *out_added,
                          guint            *out_skipped,
                          GError          **error)
{
  guint added = 0, skipped = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < self->entries->len; i++)
    {
      BbBankEntry *entry = g_ptr_array_index (self->entries, i);
      g_autoptr(BbTransaction) t = bb_transaction_copy (entry->transaction);
      gboolean inserted = FALSE;

      g_free (t->id);
      t->id = g_strdup ("");
      bb_transaction_clear_splits (t);
      if (entry->suggested_post_id != NULL)
        bb_transaction_add_split (t, entry->suggested_post_id, t->amount_cents);

      if (!bb_ledger_write (store, t, TRUE, &inserted, error))
        {
          bb_store_rollback (store);
          return FALSE;
        }
      if (inserted)
        added++;
      else
        skipped++;
      entry->duplicate = !inserted;
    }

  if (!bb_store_commit (store, error))
    return FALSE;
  if (added > 0)
    bb_store_emit_changed (store);
  if (out_added != NULL)
    *out_added = added;
  if (out_skipped != NULL)
    *out_skipped = skipped;
  return TRUE;
}
