/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-council.h"
#include "bb-store.h"
#include "bb-validate.h"

/* A file name for a council is cut at this many characters, and never
 * at more bytes than this, so the suffix still fits in NAME_MAX. */
#define SUGGEST_MAX_CHARS 80
#define SUGGEST_MAX_BYTES 200

struct _BbCouncil
{
  GObject      parent_instance;

  char        *id;
  char        *name;
  char        *municipality;
  BbLegalForm  legal_form;
  char        *kvk_number;
  char        *iban;
  char        *contact_name;
  char        *email;
  char        *phone;
  guint        residents;
  char        *created_at;
  char        *updated_at;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_MUNICIPALITY,
  PROP_LEGAL_FORM,
  PROP_KVK_NUMBER,
  PROP_IBAN,
  PROP_CONTACT_NAME,
  PROP_EMAIL,
  PROP_PHONE,
  PROP_RESIDENTS,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BbCouncil, bb_council, G_TYPE_OBJECT)

G_DEFINE_QUARK (bb-council-error-quark, bb_council_error)

/* Every string field is owned and never NULL, so views can bind to it
 * without checks. Notifies only when the value really changes. */
static void
set_string_field (BbCouncil   *self,
                  char       **field,
                  const char  *value,
                  int          prop_id)
{
  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
bb_council_finalize (GObject *object)
{
  BbCouncil *self = (BbCouncil *)object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->municipality);
  g_free (self->kvk_number);
  g_free (self->iban);
  g_free (self->contact_name);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->created_at);
  g_free (self->updated_at);

  G_OBJECT_CLASS (bb_council_parent_class)->finalize (object);
}

static void
bb_council_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BbCouncil *self = BB_COUNCIL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_MUNICIPALITY:
      g_value_set_string (value, self->municipality);
      break;

    case PROP_LEGAL_FORM:
      g_value_set_enum (value, self->legal_form);
      break;

    case PROP_KVK_NUMBER:
      g_value_set_string (value, self->kvk_number);
      break;

    case PROP_IBAN:
      g_value_set_string (value, self->iban);
      break;

    case PROP_CONTACT_NAME:
      g_value_set_string (value, self->contact_name);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;

    case PROP_RESIDENTS:
      g_value_set_uint (value, self->residents);
      break;

    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_string (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_council_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  BbCouncil *self = BB_COUNCIL (object);

  switch (prop_id)
    {
    case PROP_ID:
      bb_council_set_id (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      bb_council_set_name (self, g_value_get_string (value));
      break;

    case PROP_MUNICIPALITY:
      bb_council_set_municipality (self, g_value_get_string (value));
      break;

    case PROP_LEGAL_FORM:
      bb_council_set_legal_form (self, g_value_get_enum (value));
      break;

    case PROP_KVK_NUMBER:
      bb_council_set_kvk_number (self, g_value_get_string (value));
      break;

    case PROP_IBAN:
      bb_council_set_iban (self, g_value_get_string (value));
      break;

    case PROP_CONTACT_NAME:
      bb_council_set_contact_name (self, g_value_get_string (value));
      break;

    case PROP_EMAIL:
      bb_council_set_email (self, g_value_get_string (value));
      break;

    case PROP_PHONE:
      bb_council_set_phone (self, g_value_get_string (value));
      break;

    case PROP_RESIDENTS:
      bb_council_set_residents (self, g_value_get_uint (value));
      break;

    case PROP_CREATED_AT:
      bb_council_set_created_at (self, g_value_get_string (value));
      break;

    case PROP_UPDATED_AT:
      bb_council_set_updated_at (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              (G_PARAM_READWRITE |
                               G_PARAM_EXPLICIT_NOTIFY |
                               G_PARAM_STATIC_STRINGS));
}

static void
bb_council_class_init (BbCouncilClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bb_council_finalize;
  object_class->get_property = bb_council_get_property;
  object_class->set_property = bb_council_set_property;

  properties[PROP_ID] = string_property ("id");
  properties[PROP_NAME] = string_property ("name");
  properties[PROP_MUNICIPALITY] = string_property ("municipality");
  properties[PROP_LEGAL_FORM] =
    g_param_spec_enum ("legal-form", NULL, NULL,
                       BB_TYPE_LEGAL_FORM,
                       BB_LEGAL_FORM_INFORMAL,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));
  properties[PROP_KVK_NUMBER] = string_property ("kvk-number");
  properties[PROP_IBAN] = string_property ("iban");
  properties[PROP_CONTACT_NAME] = string_property ("contact-name");
  properties[PROP_EMAIL] = string_property ("email");
  properties[PROP_PHONE] = string_property ("phone");
  /* The column is a signed 64-bit integer; validation sets the real limit. */
  properties[PROP_RESIDENTS] =
    g_param_spec_uint ("residents", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));
  properties[PROP_CREATED_AT] = string_property ("created-at");
  properties[PROP_UPDATED_AT] = string_property ("updated-at");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bb_council_init (BbCouncil *self)
{
  self->id = g_strdup ("");
  self->name = g_strdup ("");
  self->municipality = g_strdup ("");
  self->legal_form = BB_LEGAL_FORM_INFORMAL;
  self->kvk_number = g_strdup ("");
  self->iban = g_strdup ("");
  self->contact_name = g_strdup ("");
  self->email = g_strdup ("");
  self->phone = g_strdup ("");
  self->created_at = g_strdup ("");
  self->updated_at = g_strdup ("");
}

const char *
bb_legal_form_to_string (BbLegalForm form)
{
  switch (form)
    {
    case BB_LEGAL_FORM_INFORMAL:
      return "informal";

    case BB_LEGAL_FORM_STICHTING:
      return "stichting";

    case BB_LEGAL_FORM_VERENIGING:
      return "vereniging";

    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
bb_legal_form_from_string (const char  *text,
                           BbLegalForm *out_form)
{
  static const BbLegalForm forms[] = {
    BB_LEGAL_FORM_INFORMAL,
    BB_LEGAL_FORM_STICHTING,
    BB_LEGAL_FORM_VERENIGING,
  };

  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      if (g_str_equal (text, bb_legal_form_to_string (forms[i])))
        {
          if (out_form != NULL)
            *out_form = forms[i];
          return TRUE;
        }
    }

  return FALSE;
}

const char *
bb_legal_form_get_label (BbLegalForm form)
{
  switch (form)
    {
    case BB_LEGAL_FORM_INFORMAL:
      return _("Informal group");

    case BB_LEGAL_FORM_STICHTING:
      return _("Foundation (stichting)");

    case BB_LEGAL_FORM_VERENIGING:
      return _("Association (vereniging)");

    default:
      g_return_val_if_reached (NULL);
    }
}

BbCouncil *
bb_council_new (void)
{
  return g_object_new (BB_TYPE_COUNCIL, NULL);
}

BbCouncil *
bb_council_copy (BbCouncil *self)
{
  BbCouncil *copy;

  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);

  /* A fresh object has no listeners, so the setters' notifications
   * cost nothing here. */
  copy = bb_council_new ();
  bb_council_set_id (copy, self->id);
  bb_council_set_name (copy, self->name);
  bb_council_set_municipality (copy, self->municipality);
  bb_council_set_legal_form (copy, self->legal_form);
  bb_council_set_kvk_number (copy, self->kvk_number);
  bb_council_set_iban (copy, self->iban);
  bb_council_set_contact_name (copy, self->contact_name);
  bb_council_set_email (copy, self->email);
  bb_council_set_phone (copy, self->phone);
  bb_council_set_residents (copy, self->residents);
  bb_council_set_created_at (copy, self->created_at);
  bb_council_set_updated_at (copy, self->updated_at);

  return copy;
}

const char *
bb_council_get_id (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->id;
}

void
bb_council_set_id (BbCouncil  *self,
                   const char *id)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->id, id, PROP_ID);
}

const char *
bb_council_get_name (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->name;
}

void
bb_council_set_name (BbCouncil  *self,
                     const char *name)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->name, name, PROP_NAME);
}

const char *
bb_council_get_municipality (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->municipality;
}

void
bb_council_set_municipality (BbCouncil  *self,
                             const char *municipality)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->municipality, municipality, PROP_MUNICIPALITY);
}

BbLegalForm
bb_council_get_legal_form (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), BB_LEGAL_FORM_INFORMAL);
  return self->legal_form;
}

void
bb_council_set_legal_form (BbCouncil   *self,
                           BbLegalForm  form)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  g_return_if_fail (form >= BB_LEGAL_FORM_INFORMAL && form <= BB_LEGAL_FORM_VERENIGING);

  if (self->legal_form == form)
    return;

  self->legal_form = form;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEGAL_FORM]);
}

const char *
bb_council_get_kvk_number (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->kvk_number;
}

void
bb_council_set_kvk_number (BbCouncil  *self,
                           const char *kvk_number)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->kvk_number, kvk_number, PROP_KVK_NUMBER);
}

const char *
bb_council_get_iban (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->iban;
}

void
bb_council_set_iban (BbCouncil  *self,
                     const char *iban)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->iban, iban, PROP_IBAN);
}

const char *
bb_council_get_contact_name (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->contact_name;
}

void
bb_council_set_contact_name (BbCouncil  *self,
                             const char *contact_name)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->contact_name, contact_name, PROP_CONTACT_NAME);
}

const char *
bb_council_get_email (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->email;
}

void
bb_council_set_email (BbCouncil  *self,
                      const char *email)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->email, email, PROP_EMAIL);
}

const char *
bb_council_get_phone (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->phone;
}

void
bb_council_set_phone (BbCouncil  *self,
                      const char *phone)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->phone, phone, PROP_PHONE);
}

guint
bb_council_get_residents (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), 0);
  return self->residents;
}

void
bb_council_set_residents (BbCouncil *self,
                          guint      residents)
{
  g_return_if_fail (BB_IS_COUNCIL (self));

  if (self->residents == residents)
    return;

  self->residents = residents;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESIDENTS]);
}

const char *
bb_council_get_created_at (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->created_at;
}

void
bb_council_set_created_at (BbCouncil  *self,
                           const char *created_at)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->created_at, created_at, PROP_CREATED_AT);
}

const char *
bb_council_get_updated_at (BbCouncil *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL (self), NULL);
  return self->updated_at;
}

void
bb_council_set_updated_at (BbCouncil  *self,
                           const char *updated_at)
{
  g_return_if_fail (BB_IS_COUNCIL (self));
  set_string_field (self, &self->updated_at, updated_at, PROP_UPDATED_AT);
}

/* Leading and trailing white space is never meant; dropping it here
 * keeps "Dommelhoek " and "Dommelhoek" from being two different names. */
static void
strip_field (BbCouncil  *self,
             char      **field,
             int         prop_id)
{
  g_autofree char *stripped = g_strstrip (g_strdup (*field));

  set_string_field (self, field, stripped, prop_id);
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    {
      if (!g_ascii_isspace (*text))
        return FALSE;
    }

  return TRUE;
}

static gboolean
propagate_field_error (GError         **error,
                       GError          *local_error,
                       BbCouncilError   code)
{
  g_set_error_literal (error, BB_COUNCIL_ERROR, code, local_error->message);
  g_error_free (local_error);
  return FALSE;
}

gboolean
bb_council_validate (BbCouncil  *self,
                     GError    **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (BB_IS_COUNCIL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  strip_field (self, &self->name, PROP_NAME);
  strip_field (self, &self->municipality, PROP_MUNICIPALITY);
  strip_field (self, &self->contact_name, PROP_CONTACT_NAME);
  strip_field (self, &self->email, PROP_EMAIL);
  strip_field (self, &self->phone, PROP_PHONE);

  if (self->name[0] == '\0')
    {
      g_set_error_literal (error, BB_COUNCIL_ERROR, BB_COUNCIL_ERROR_NAME,
                           _("Every council needs a name."));
      return FALSE;
    }

  /* KvK number, IBAN and e-mail address are optional: an informal group
   * has no KvK registration and may not have a bank account yet. The
   * validators normalise, so the field changes (and notifies) once. */
  if (is_blank (self->kvk_number))
    {
      bb_council_set_kvk_number (self, "");
    }
  else
    {
      g_autofree char *normalized = NULL;

      if (!bb_validate_kvk (self->kvk_number, &normalized, &local_error))
        return propagate_field_error (error, local_error, BB_COUNCIL_ERROR_KVK);

      bb_council_set_kvk_number (self, normalized);
    }

  if (is_blank (self->iban))
    {
      bb_council_set_iban (self, "");
    }
  else
    {
      g_autofree char *normalized = NULL;

      if (!bb_validate_iban (self->iban, &normalized, &local_error))
        return propagate_field_error (error, local_error, BB_COUNCIL_ERROR_IBAN);

      bb_council_set_iban (self, normalized);
    }

  if (self->email[0] != '\0' &&
      !bb_validate_email (self->email, &local_error))
    return propagate_field_error (error, local_error, BB_COUNCIL_ERROR_EMAIL);

  if (self->residents > BB_COUNCIL_MAX_RESIDENTS)
    {
      g_set_error_literal (error, BB_COUNCIL_ERROR, BB_COUNCIL_ERROR_RESIDENTS,
                           _("The number of residents cannot be more than one million."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_unsafe_in_file_name (gunichar c)
{
  return c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' ||
         c == '"' || c == '<' || c == '>' || c == '|' ||
         g_unichar_iscntrl (c) ||
         c == 0x2028 || c == 0x2029;  /* line and paragraph separators */
}

static gboolean
is_trimmed_from_file_name (gunichar c)
{
  /* Leading dots hide the file or walk up ("../"); a leading dash reads as
   * an option on a command line; trailing dots and spaces are dropped by
   * some file systems, which would make two names collide. */
  return c == '.' || c == ' ' || c == '-' || g_unichar_isspace (c);
}

/* Returns a newly allocated, file-name-safe form of @name, without suffix. */
static char *
make_file_stem (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name != NULL ? name : "", -1);
  g_autoptr(GString) stem = g_string_new (NULL);
  const char *start;
  const char *end;
  const char *p;
  guint n_chars = 0;

  for (p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_unsafe_in_file_name (c))
        g_string_append_c (stem, '-');
      else
        g_string_append_unichar (stem, c);
    }

  /* Trim, cut to length, then trim again: the cut may expose a space. */
  for (guint pass = 0; pass < 2; pass++)
    {
      start = stem->str;
      while (*start != '\0' && is_trimmed_from_file_name (g_utf8_get_char (start)))
        start = g_utf8_next_char (start);

      end = stem->str + stem->len;
      while (end > start)
        {
          const char *prev = g_utf8_prev_char (end);

          if (!is_trimmed_from_file_name (g_utf8_get_char (prev)))
            break;
          end = prev;
        }

      if (pass == 0)
        {
          const char *cut = start;

          n_chars = 0;
          while (cut < end && n_chars < SUGGEST_MAX_CHARS)
            {
              const char *next = g_utf8_next_char (cut);

              if (next - start > SUGGEST_MAX_BYTES)
                break;
              cut = next;
              n_chars++;
            }
          end = cut;
        }

      g_string_truncate (stem, end - stem->str);
      g_string_erase (stem, 0, start - stem->str);
    }

  if (stem->len == 0)
    g_string_assign (stem, "Council");

  return g_string_free (g_steal_pointer (&stem), FALSE);
}

static gboolean
path_is_taken (const char *path)
{
  /* A dangling symbolic link is taken too: writing through it would
   * create a file somewhere else. */
  return g_file_test (path, G_FILE_TEST_EXISTS) ||
         g_file_test (path, G_FILE_TEST_IS_SYMLINK);
}

char *
bb_council_suggest_path (const char *directory,
                         const char *council_name)
{
  g_autofree char *stem = NULL;

  g_return_val_if_fail (directory != NULL, NULL);

  stem = make_file_stem (council_name);

  for (guint n = 1; ; n++)
    {
      g_autofree char *basename = NULL;
      g_autofree char *path = NULL;

      if (n == 1)
        basename = g_strconcat (stem, BB_STORE_FILE_SUFFIX, NULL);
      else
        basename = g_strdup_printf ("%s (%u)%s", stem, n, BB_STORE_FILE_SUFFIX);

      path = g_build_filename (directory, basename, NULL);
      if (!path_is_taken (path))
        return g_steal_pointer (&path);
    }
}
