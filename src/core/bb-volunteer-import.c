/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "bb-store-private.h"
#include "bb-volunteer-import.h"
#include "bb-volunteer-private.h"

G_DEFINE_QUARK (bb-volunteer-import-error-quark, bb_volunteer_import_error)

/* Field names, with the headers (folded, no accents) each is guessed from. */
static const struct {
  const char *key;
  const char *label;
  const char *headers;   /* '|' separated */
} fields[BB_N_VOLUNTEER_FIELDS] = {
  { "ignore", N_("Do not import"), "" },
  { "id", N_("Id"), "id|uuid" },
  { "first_name", N_("First name"), "voornaam|voornamen|roepnaam|first name|first_name|firstname|given name" },
  { "last_name", N_("Last name"), "achternaam|naam achter|familienaam|tussenvoegsel en achternaam|last name|last_name|lastname|surname" },
  { "full_name", N_("Full name"), "naam|volledige naam|name|full name|full_name" },
  { "email", N_("E-mail"), "e-mail|email|e-mailadres|emailadres|mail|e-mail adres" },
  { "phone", N_("Phone"), "telefoon|telefoonnummer|tel|tel.|mobiel|mobiel nummer|gsm|phone|telephone|mobile" },
  { "address", N_("Address"), "adres|straat|woonadres|address" },
  { "birth_year", N_("Birth year"), "geboortejaar|jaar van geboorte|birth year|birth_year" },
  { "age_band", N_("Age band"), "leeftijdscategorie|leeftijd|age band|age_band" },
  { "skills", N_("Skills"), "vaardigheden|interesses|vaardigheden en interesses|skills|interests" },
  { "roles", N_("Roles"), "rollen|rol|functie|taken|roles|role" },
  { "status", N_("Status"), "status" },
  { "start_date", N_("Start date"), "startdatum|begindatum|lid sinds|sinds|start date|start_date" },
  { "end_date", N_("End date"), "einddatum|gestopt op|end date|end_date" },
  { "emergency_contact", N_("Emergency contact"), "noodcontact|contactpersoon nood|in geval van nood|ice|emergency contact|emergency_contact" },
  { "notes", N_("Notes"), "opmerkingen|notities|opmerking|notes|note" },
  { "iban", N_("IBAN"), "iban|rekeningnummer|bankrekening" },
};

const char *
bb_volunteer_field_to_string (BbVolunteerField field)
{
  g_return_val_if_fail ((guint) field < BB_N_VOLUNTEER_FIELDS, NULL);
  return fields[field].key;
}

gboolean
bb_volunteer_field_from_string (const char       *text,
                                BbVolunteerField *out)
{
  for (guint i = 0; i < BB_N_VOLUNTEER_FIELDS; i++)
    if (g_strcmp0 (text, fields[i].key) == 0)
      {
        *out = (BbVolunteerField) i;
        return TRUE;
      }
  return FALSE;
}

const char *
bb_volunteer_field_get_label (BbVolunteerField field)
{
  g_return_val_if_fail ((guint) field < BB_N_VOLUNTEER_FIELDS, NULL);
  return _(fields[field].label);
}

typedef struct {
  guint      line;
  GPtrArray *cells;   /* char* */
} Record;

static void
record_free (Record *record)
{
  g_ptr_array_unref (record->cells);
  g_free (record);
}

struct _BbVolunteerImport
{
  char              separator;
  const char       *encoding;
  GPtrArray        *header;      /* char* */
  GPtrArray        *records;     /* Record* */
  BbVolunteerField *mapping;
  GPtrArray        *valid;       /* BbVolunteer* */
  GArray           *valid_lines; /* guint */
  GPtrArray        *problems;    /* BbImportProblem* */
};

static void
problem_free (BbImportProblem *problem)
{
  g_free (problem->message);
  g_free (problem);
}

void
bb_volunteer_import_free (BbVolunteerImport *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->header, g_ptr_array_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->valid, g_ptr_array_unref);
  g_clear_pointer (&self->valid_lines, g_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_free (self->mapping);
  g_free (self);
}

/* Reading */

static char
detect_separator (const char *text)
{
  guint commas = 0, semicolons = 0, tabs = 0;
  gboolean quoted = FALSE;

  /* Count in the header line only, outside quotes. */
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && (*p == '\n' || *p == '\r'))
        break;
      else if (!quoted && *p == ',')
        commas++;
      else if (!quoted && *p == ';')
        semicolons++;
      else if (!quoted && *p == '\t')
        tabs++;
    }
  if (semicolons >= commas && semicolons >= tabs && semicolons > 0)
    return ';';
  if (tabs > commas)
    return '\t';
  return ',';
}

/* RFC 4180, tolerant of bare LF line ends. */
static GPtrArray *
parse_records (const char  *text,
               char         separator,
               GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  g_autoptr(GString) cell = g_string_new (NULL);
  Record *record = NULL;
  guint line = 1;
  guint quote_line = 0;
  gboolean quoted = FALSE;
  gboolean was_quoted = FALSE;
  const char *p = text;

  while (TRUE)
    {
      char c = *p;

      if (record == NULL)
        {
          record = g_new0 (Record, 1);
          record->line = line;
          record->cells = g_ptr_array_new_with_free_func (g_free);
        }

      if (quoted)
        {
          if (c == '\0')
            {
              record_free (record);
              g_set_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_SYNTAX,
                           _("Line %u: a quoted field is never closed (a \" is missing)."), quote_line);
              return NULL;
            }
          if (c == '"' && p[1] == '"')
            {
              g_string_append_c (cell, '"');
              p += 2;
              continue;
            }
          if (c == '"')
            {
              quoted = FALSE;
              p++;
              continue;
            }
          if (c == '\n')
            line++;
          if (c != '\r' || p[1] != '\n')
            g_string_append_c (cell, c);
          p++;
          continue;
        }

      if (c == '"' && cell->len == 0 && !was_quoted)
        {
          quoted = TRUE;
          was_quoted = TRUE;
          quote_line = line;
          p++;
          continue;
        }

      if (c == separator || c == '\n' || c == '\r' || c == '\0')
        {
          g_ptr_array_add (record->cells, was_quoted ? g_strdup (cell->str)
                                                     : g_strstrip (g_strdup (cell->str)));
          g_string_truncate (cell, 0);
          was_quoted = FALSE;

          if (c == separator)
            {
              p++;
              continue;
            }

          /* End of a record: skip blank lines. */
          {
            gboolean blank = TRUE;

            for (guint i = 0; i < record->cells->len && blank; i++)
              blank = ((char *) record->cells->pdata[i])[0] == '\0';
            if (blank)
              record_free (record);
            else
              g_ptr_array_add (records, record);
            record = NULL;
          }

          if (c == '\0')
            break;
          if (c == '\r' && p[1] == '\n')
            p++;
          p++;
          line++;
          continue;
        }

      g_string_append_c (cell, c);
      p++;
    }

  return g_steal_pointer (&records);
}

static BbVolunteerField
guess_field (const char *header)
{
  g_autofree char *folded = bb_volunteer_fold (header);

  g_strstrip (folded);
  for (guint i = 1; i < BB_N_VOLUNTEER_FIELDS; i++)
    {
      g_auto(GStrv) names = g_strsplit (fields[i].headers, "|", -1);

      if (g_strv_contains ((const char * const *) names, folded))
        return (BbVolunteerField) i;
    }
  return BB_VOLUNTEER_FIELD_IGNORE;
}

BbVolunteerImport *
bb_volunteer_import_new (GBytes  *data,
                         GError **error)
{
  g_autoptr(BbVolunteerImport) self = g_new0 (BbVolunteerImport, 1);
  g_autofree char *converted = NULL;
  const char *text;
  gsize size;
  Record *header;

  g_return_val_if_fail (data != NULL, NULL);

  text = g_bytes_get_data (data, &size);
  if (text == NULL)
    text = "";
  if (memchr (text, '\0', size) != NULL)
    {
      g_set_error_literal (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_ENCODING,
                           _("This is not a CSV text file (it contains binary data). "
                             "Save the spreadsheet as CSV first."));
      return NULL;
    }

  /* UTF-8 with or without a BOM; anything else is taken as Windows-1252,
   * what Excel writes on a Dutch Windows. */
  if (size >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      size -= 3;
    }
  if (g_utf8_validate (text, (gssize) size, NULL))
    {
      converted = g_strndup (text, size);
      self->encoding = "UTF-8";
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      converted = g_convert (text, (gssize) size, "UTF-8", "WINDOWS-1252", NULL, NULL, &local_error);
      if (converted == NULL)
        {
          g_set_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_ENCODING,
                       _("The file is neither UTF-8 nor Windows-1252 text: %s"), local_error->message);
          return NULL;
        }
      self->encoding = "WINDOWS-1252";
    }

  self->separator = detect_separator (converted);
  self->records = parse_records (converted, self->separator, error);
  if (self->records == NULL)
    return NULL;
  if (self->records->len == 0)
    {
      g_set_error_literal (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_EMPTY,
                           _("The file is empty: there is no header row."));
      return NULL;
    }

  header = g_ptr_array_steal_index (self->records, 0);
  self->header = g_ptr_array_ref (header->cells);
  record_free (header);
  self->mapping = g_new0 (BbVolunteerField, self->header->len);
  for (guint i = 0; i < self->header->len; i++)
    {
      BbVolunteerField field = guess_field (self->header->pdata[i]);

      /* A field is guessed for its first column only. */
      for (guint j = 0; j < i; j++)
        if (field != BB_VOLUNTEER_FIELD_IGNORE && self->mapping[j] == field)
          field = BB_VOLUNTEER_FIELD_IGNORE;
      self->mapping[i] = field;
    }

  return g_steal_pointer (&self);
}

char
bb_volunteer_import_get_separator (BbVolunteerImport *self)
{
  return self->separator;
}

const char *
bb_volunteer_import_get_encoding (BbVolunteerImport *self)
{
  return self->encoding;
}

guint
bb_volunteer_import_get_n_columns (BbVolunteerImport *self)
{
  return self->header->len;
}

const char *
bb_volunteer_import_get_header (BbVolunteerImport *self,
                                guint              column)
{
  g_return_val_if_fail (column < self->header->len, NULL);
  return self->header->pdata[column];
}

guint
bb_volunteer_import_get_n_records (BbVolunteerImport *self)
{
  return self->records->len;
}

BbVolunteerField
bb_volunteer_import_get_mapping (BbVolunteerImport *self,
                                 guint              column)
{
  g_return_val_if_fail (column < self->header->len, BB_VOLUNTEER_FIELD_IGNORE);
  return self->mapping[column];
}

void
bb_volunteer_import_set_mapping (BbVolunteerImport *self,
                                 guint              column,
                                 BbVolunteerField   field)
{
  g_return_if_fail (column < self->header->len);
  g_return_if_fail ((guint) field < BB_N_VOLUNTEER_FIELDS);
  self->mapping[column] = field;
}

gboolean
bb_volunteer_import_map (BbVolunteerImport  *self,
                         const char         *spec,
                         GError            **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *wanted = NULL;
  BbVolunteerField field;
  guint64 number;
  int column = -1;

  g_return_val_if_fail (spec != NULL, FALSE);

  parts = g_strsplit (spec, "=", 2);
  if (g_strv_length (parts) != 2)
    {
      g_set_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_MAPPING,
                   _("“%s” is not a mapping: write COLUMN=FIELD, for example Voornaam=first_name."), spec);
      return FALSE;
    }
  if (!bb_volunteer_field_from_string (g_strstrip (parts[1]), &field))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < BB_N_VOLUNTEER_FIELDS; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", fields[i].key);
      g_set_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_MAPPING,
                   _("“%s” is not a field. Fields: %s."), parts[1], names->str);
      return FALSE;
    }

  wanted = bb_volunteer_fold (g_strstrip (parts[0]));
  for (guint i = 0; i < self->header->len && column < 0; i++)
    {
      g_autofree char *folded = bb_volunteer_fold (self->header->pdata[i]);

      if (strcmp (g_strstrip (folded), wanted) == 0)
        column = (int) i;
    }
  if (column < 0 && g_ascii_string_to_unsigned (parts[0], 10, 1, self->header->len, &number, NULL))
    column = (int) number - 1;
  if (column < 0)
    {
      g_set_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_MAPPING,
                   _("The file has no column “%s”."), parts[0]);
      return FALSE;
    }

  self->mapping[column] = field;
  return TRUE;
}

/* Preparing */

static char *
digits_only (const char *phone)
{
  GString *out = g_string_new (NULL);

  for (const char *p = phone; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static char *
name_phone_key (BbVolunteer *volunteer)
{
  g_autofree char *name = bb_volunteer_fold (bb_volunteer_get_display_name (volunteer));
  g_autofree char *digits = digits_only (bb_volunteer_get_phone (volunteer));

  if (digits[0] == '\0')
    return NULL;
  return g_strconcat (name, "\n", digits, NULL);
}

static void
add_problem (BbVolunteerImport *self,
             guint              line,
             char              *message)
{
  BbImportProblem *problem = g_new0 (BbImportProblem, 1);

  problem->line = line;
  problem->message = message;
  g_ptr_array_add (self->problems, problem);
}

static gboolean
parse_age_band (const char *text,
                BbAgeBand  *out)
{
  g_autofree char *folded = bb_volunteer_fold (text);

  if (bb_age_band_from_string (folded, out))
    return TRUE;
  if (strstr (folded, "onder") != NULL || strstr (folded, "<") != NULL || strstr (folded, "under") != NULL)
    *out = BB_AGE_BAND_UNDER_21;
  else if (strstr (folded, "21") != NULL || strstr (folded, "volwassen") != NULL)
    *out = BB_AGE_BAND_21_PLUS;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_status (const char        *text,
              BbVolunteerStatus *out)
{
  g_autofree char *folded = bb_volunteer_fold (text);

  if (bb_volunteer_status_from_string (folded, out))
    return TRUE;
  if (strcmp (folded, "aangemeld") == 0 || strcmp (folded, "nieuw") == 0)
    *out = BB_VOLUNTEER_STATUS_REGISTERED;
  else if (strcmp (folded, "actief") == 0 || strcmp (folded, "ja") == 0)
    *out = BB_VOLUNTEER_STATUS_ACTIVE;
  else if (strcmp (folded, "gestopt") == 0 || strcmp (folded, "inactief") == 0)
    *out = BB_VOLUNTEER_STATUS_STOPPED;
  else
    return FALSE;
  return TRUE;
}

/* ISO or Dutch day-month-year (1-2-2024, 01/02/2024). */
static char *
parse_any_date (const char *text)
{
  GDate date;
  guint d, m, y;
  char sep;

  if (bb_volunteer_parse_iso_date (text, NULL))
    return g_strdup (text);
  if (sscanf (text, "%u%c%u%*c%u", &d, &sep, &m, &y) == 4 && (sep == '-' || sep == '/' || sep == '.') &&
      y >= 1900 && y <= 2200 && g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    {
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
      return g_strdup_printf ("%04u-%02u-%02u", y, m, d);
    }
  return NULL;
}

/* Fills @volunteer from one record; FALSE with a translated reason. */
static gboolean
fill_volunteer (BbVolunteerImport  *self,
                Record             *record,
                BbVolunteer        *volunteer,
                char              **out_reason)
{
  for (guint i = 0; i < self->header->len; i++)
    {
      const char *value = i < record->cells->len ? record->cells->pdata[i] : "";
      const char *header = self->header->pdata[i];

      if (value[0] == '\0')
        continue;

      switch (self->mapping[i])
        {
        case BB_VOLUNTEER_FIELD_IGNORE:
          break;
        case BB_VOLUNTEER_FIELD_ID:
          bb_volunteer_set_id (volunteer, value);
          break;
        case BB_VOLUNTEER_FIELD_FIRST_NAME:
          bb_volunteer_set_first_name (volunteer, value);
          break;
        case BB_VOLUNTEER_FIELD_LAST_NAME:
          bb_volunteer_set_last_name (volunteer, value);
          break;
        case BB_VOLUNTEER_FIELD_FULL_NAME:
          {
            g_autofree char *copy = g_strstrip (g_strdup (value));
            char *space = strchr (copy, ' ');

            if (space != NULL)
              {
                *space = '\0';
                bb_volunteer_set_last_name (volunteer, g_strstrip (space + 1));
              }
            bb_volunteer_set_first_name (volunteer, copy);
          }
          break;
        case BB_VOLUNTEER_FIELD_EMAIL:
          bb_volunteer_set_email (volunteer, value);
          break;
        case BB_VOLUNTEER_FIELD_PHONE:
          bb_volunteer_set_phone (volunteer, value);
          break;
        case BB_VOLUNTEER_FIELD_ADDRESS:
          bb_volunteer_set_address (volunteer, value);
          break;
        case BB_VOLUNTEER_FIELD_BIRTH_YEAR:
          {
            guint64 year;

            if (!g_ascii_string_to_unsigned (value, 10, 1900, 2200, &year, NULL))
              {
                *out_reason = g_strdup_printf (_("column “%s”: “%s” is not a birth year"), header, value);
                return FALSE;
              }
            bb_volunteer_set_birth_year (volunteer, (guint) year);
          }
          break;
        case BB_VOLUNTEER_FIELD_AGE_BAND:
          {
            BbAgeBand band;

            if (!parse_age_band (value, &band))
              {
                *out_reason = g_strdup_printf (_("column “%s”: “%s” is not an age band (under 21 or 21+)"),
                                               header, value);
                return FALSE;
              }
            bb_volunteer_set_age_band (volunteer, band);
          }
          break;
        case BB_VOLUNTEER_FIELD_SKILLS:
          {
            g_auto(GStrv) skills = g_strsplit_set (value, ",;|\n", -1);
            bb_volunteer_set_skills (volunteer, (const char * const *) skills);
          }
          break;
        case BB_VOLUNTEER_FIELD_ROLES:
          bb_volunteer_set_roles (volunteer, value);
          break;
        case BB_VOLUNTEER_FIELD_STATUS:
          {
            BbVolunteerStatus status;

            if (!parse_status (value, &status))
              {
                *out_reason = g_strdup_printf (_("column “%s”: “%s” is not a status (aangemeld, actief or gestopt)"),
                                               header, value);
                return FALSE;
              }
            bb_volunteer_set_status (volunteer, status);
          }
          break;
        case BB_VOLUNTEER_FIELD_START_DATE:
        case BB_VOLUNTEER_FIELD_END_DATE:
          {
            g_autofree char *date = parse_any_date (value);

            if (date == NULL)
              {
                *out_reason = g_strdup_printf (_("column “%s”: “%s” is not a date"), header, value);
                return FALSE;
              }
            if (self->mapping[i] == BB_VOLUNTEER_FIELD_START_DATE)
              bb_volunteer_set_start_date (volunteer, date);
            else
              bb_volunteer_set_end_date (volunteer, date);
          }
          break;
        case BB_VOLUNTEER_FIELD_EMERGENCY_CONTACT:
          bb_volunteer_set_emergency_contact (volunteer, value);
          break;
        case BB_VOLUNTEER_FIELD_NOTES:
          bb_volunteer_set_notes (volunteer, value);
          break;
        case BB_VOLUNTEER_FIELD_IBAN:
          bb_volunteer_set_iban (volunteer, value);
          break;
        case BB_N_VOLUNTEER_FIELDS:
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

gboolean
bb_volunteer_import_prepare (BbVolunteerImport  *self,
                             BbStore            *store,
                             GError            **error)
{
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GHashTable) emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) name_phones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean has_name = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  for (guint i = 0; i < self->header->len; i++)
    has_name |= self->mapping[i] == BB_VOLUNTEER_FIELD_FIRST_NAME ||
                self->mapping[i] == BB_VOLUNTEER_FIELD_LAST_NAME ||
                self->mapping[i] == BB_VOLUNTEER_FIELD_FULL_NAME;
  if (!has_name)
    {
      g_set_error_literal (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_MAPPING,
                           _("No column holds the name: map a column to first name, last name or full name "
                             "(headers such as “voornaam” and “achternaam” are found by themselves)."));
      return FALSE;
    }

  existing = bb_volunteer_list_array (store, error);
  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < existing->len; i++)
    {
      BbVolunteer *volunteer = existing->pdata[i];
      char *key = name_phone_key (volunteer);

      g_hash_table_add (ids, g_strdup (bb_volunteer_get_id (volunteer)));
      if (bb_volunteer_get_email (volunteer)[0] != '\0')
        g_hash_table_replace (emails, g_utf8_casefold (bb_volunteer_get_email (volunteer), -1),
                              g_strdup (bb_volunteer_get_display_name (volunteer)));
      if (key != NULL)
        g_hash_table_replace (name_phones, key, g_strdup (bb_volunteer_get_display_name (volunteer)));
    }

  g_clear_pointer (&self->valid, g_ptr_array_unref);
  g_clear_pointer (&self->valid_lines, g_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->valid = g_ptr_array_new_with_free_func (g_object_unref);
  self->valid_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);

  for (guint r = 0; r < self->records->len; r++)
    {
      Record *record = self->records->pdata[r];
      g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();
      g_autoptr(GError) local_error = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *email_key = NULL;
      g_autofree char *np_key = NULL;
      const char *other;
      gboolean update = FALSE;

      if (record->cells->len > self->header->len)
        {
          add_problem (self, record->line,
                       g_strdup_printf (_("Line %u has %u fields, the header has %u (is a quote missing?)."),
                                        record->line, record->cells->len, self->header->len));
          continue;
        }
      if (!fill_volunteer (self, record, volunteer, &reason))
        {
          add_problem (self, record->line, g_strdup_printf (_("Line %u: %s."), record->line, reason));
          continue;
        }
      if (!bb_volunteer_validate (volunteer, &local_error))
        {
          add_problem (self, record->line, g_strdup_printf (_("Line %u: %s"), record->line, local_error->message));
          continue;
        }

      /* A known id updates that volunteer; then it is no duplicate of itself. */
      if (bb_volunteer_get_id (volunteer) != NULL)
        {
          update = g_hash_table_contains (ids, bb_volunteer_get_id (volunteer));
          if (!update && !g_uuid_string_is_valid (bb_volunteer_get_id (volunteer)))
            {
              add_problem (self, record->line,
                           g_strdup_printf (_("Line %u: “%s” is not a volunteer id."),
                                            record->line, bb_volunteer_get_id (volunteer)));
              continue;
            }
        }

      if (bb_volunteer_get_email (volunteer)[0] != '\0')
        email_key = g_utf8_casefold (bb_volunteer_get_email (volunteer), -1);
      np_key = name_phone_key (volunteer);
      if (!update && email_key != NULL && (other = g_hash_table_lookup (emails, email_key)) != NULL)
        {
          add_problem (self, record->line,
                       g_strdup_printf (_("Line %u: %s has the same e-mail address as %s; skipped as a duplicate."),
                                        record->line, bb_volunteer_get_display_name (volunteer), other));
          continue;
        }
      if (!update && np_key != NULL && (other = g_hash_table_lookup (name_phones, np_key)) != NULL)
        {
          add_problem (self, record->line,
                       g_strdup_printf (_("Line %u: %s has the same name and phone number as %s; skipped as a duplicate."),
                                        record->line, bb_volunteer_get_display_name (volunteer), other));
          continue;
        }

      if (email_key != NULL)
        g_hash_table_replace (emails, g_steal_pointer (&email_key),
                              g_strdup_printf (_("line %u"), record->line));
      if (np_key != NULL)
        g_hash_table_replace (name_phones, g_steal_pointer (&np_key),
                              g_strdup_printf (_("line %u"), record->line));
      if (bb_volunteer_get_id (volunteer) != NULL)
        g_hash_table_add (ids, g_strdup (bb_volunteer_get_id (volunteer)));
      g_ptr_array_add (self->valid, g_steal_pointer (&volunteer));
      g_array_append_val (self->valid_lines, record->line);
    }

  return TRUE;
}

GPtrArray *
bb_volunteer_import_get_valid (BbVolunteerImport *self)
{
  return self->valid;
}

GPtrArray *
bb_volunteer_import_get_problems (BbVolunteerImport *self)
{
  return self->problems;
}

guint
bb_volunteer_import_get_line (BbVolunteerImport *self,
                              guint              valid_index)
{
  g_return_val_if_fail (self->valid_lines != NULL && valid_index < self->valid_lines->len, 0);
  return g_array_index (self->valid_lines, guint, valid_index);
}

gboolean
bb_volunteer_import_commit (BbVolunteerImport  *self,
                            BbStore            *store,
                            guint              *out_n_imported,
                            GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (self->valid != NULL, FALSE);

  if (self->valid->len == 0)
    {
      g_set_error_literal (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_NOTHING,
                           _("There is no valid row to import."));
      return FALSE;
    }

  if (!bb_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < self->valid->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!bb_volunteer_save_in_transaction (store, self->valid->pdata[i], &local_error))
        {
          bb_store_rollback (store);
          g_set_error (error, local_error->domain, local_error->code, _("Line %u: %s"),
                       g_array_index (self->valid_lines, guint, i), local_error->message);
          return FALSE;
        }
    }
  if (!bb_store_commit (store, error))
    return FALSE;

  if (out_n_imported != NULL)
    *out_n_imported = self->valid->len;
  bb_store_emit_changed (store);
  return TRUE;
}

/* Export */

char *
bb_volunteer_export_csv (BbStore  *store,
                         GError  **error)
{
  static const BbVolunteerField columns[] = {
    BB_VOLUNTEER_FIELD_ID, BB_VOLUNTEER_FIELD_FIRST_NAME, BB_VOLUNTEER_FIELD_LAST_NAME,
    BB_VOLUNTEER_FIELD_EMAIL, BB_VOLUNTEER_FIELD_PHONE, BB_VOLUNTEER_FIELD_ADDRESS,
    BB_VOLUNTEER_FIELD_BIRTH_YEAR, BB_VOLUNTEER_FIELD_AGE_BAND, BB_VOLUNTEER_FIELD_SKILLS,
    BB_VOLUNTEER_FIELD_ROLES, BB_VOLUNTEER_FIELD_STATUS, BB_VOLUNTEER_FIELD_START_DATE,
    BB_VOLUNTEER_FIELD_END_DATE, BB_VOLUNTEER_FIELD_EMERGENCY_CONTACT, BB_VOLUNTEER_FIELD_NOTES,
    BB_VOLUNTEER_FIELD_IBAN,
  };
  g_autoptr(GPtrArray) all = NULL;
  GString *out;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  all = bb_volunteer_list_array (store, error);
  if (all == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    g_string_append_printf (out, "%s%s", c > 0 ? "," : "", fields[columns[c]].key);
  g_string_append (out, "\r\n");

  for (guint i = 0; i < all->len; i++)
    {
      BbVolunteer *v = all->pdata[i];

      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          g_autofree char *owned = NULL;
          const char *value = "";

          switch (columns[c])
            {
            case BB_VOLUNTEER_FIELD_ID: value = bb_volunteer_get_id (v); break;
            case BB_VOLUNTEER_FIELD_FIRST_NAME: value = bb_volunteer_get_first_name (v); break;
            case BB_VOLUNTEER_FIELD_LAST_NAME: value = bb_volunteer_get_last_name (v); break;
            case BB_VOLUNTEER_FIELD_EMAIL: value = bb_volunteer_get_email (v); break;
            case BB_VOLUNTEER_FIELD_PHONE: value = bb_volunteer_get_phone (v); break;
            case BB_VOLUNTEER_FIELD_ADDRESS: value = bb_volunteer_get_address (v); break;
            case BB_VOLUNTEER_FIELD_BIRTH_YEAR:
              if (bb_volunteer_get_birth_year (v) != 0)
                value = owned = g_strdup_printf ("%u", bb_volunteer_get_birth_year (v));
              break;
            case BB_VOLUNTEER_FIELD_AGE_BAND: value = bb_age_band_to_string (bb_volunteer_get_age_band (v)); break;
            case BB_VOLUNTEER_FIELD_SKILLS:
              value = owned = g_strjoinv (";", (GStrv) bb_volunteer_get_skills (v));
              break;
            case BB_VOLUNTEER_FIELD_ROLES: value = bb_volunteer_get_roles (v); break;
            case BB_VOLUNTEER_FIELD_STATUS: value = bb_volunteer_status_to_string (bb_volunteer_get_status (v)); break;
            case BB_VOLUNTEER_FIELD_START_DATE: value = bb_volunteer_get_start_date (v); break;
            case BB_VOLUNTEER_FIELD_END_DATE: value = bb_volunteer_get_end_date (v); break;
            case BB_VOLUNTEER_FIELD_EMERGENCY_CONTACT: value = bb_volunteer_get_emergency_contact (v); break;
            case BB_VOLUNTEER_FIELD_NOTES: value = bb_volunteer_get_notes (v); break;
            case BB_VOLUNTEER_FIELD_IBAN: value = bb_volunteer_get_iban (v); break;
            case BB_VOLUNTEER_FIELD_IGNORE:
            case BB_VOLUNTEER_FIELD_FULL_NAME:
            case BB_N_VOLUNTEER_FIELDS:
            default:
              g_assert_not_reached ();
            }
          if (c > 0)
            g_string_append_c (out, ',');
          bb_hours_csv_append_field (out, value, ',', FALSE);
        }
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}
