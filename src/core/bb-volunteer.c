/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-date.h"
#include "bb-store-private.h"
#include "bb-validate.h"
#include "bb-volunteer.h"
#include "bb-volunteer-private.h"

#define ALL_AVAILABLE ((1u << (7 * BB_N_DAY_PARTS)) - 1)
#define META_VOG_YEARS BB_VOLUNTEER_META_VOG_YEARS
#define META_ERASE_MONTHS BB_VOLUNTEER_META_ERASE_MONTHS
#define DEFAULT_VOG_YEARS 3
#define DEFAULT_ERASE_MONTHS 24

struct _BbVolunteer
{
  GObject            parent_instance;

  char              *id;
  char              *first_name;
  char              *last_name;
  char              *display_name;
  char              *search_key;
  char              *email;
  char              *phone;
  char              *address;
  BbAgeBand          age_band;
  guint              birth_year;
  guint32            availability;
  GStrv              skills;
  char              *roles;
  char              *start_date;
  char              *end_date;
  BbVolunteerStatus  status;
  char              *stop_reason;
  char              *emergency_contact;
  char              *notes;
  gboolean           vog_needed;
  BbVogStatus        vog_status;
  char              *vog_date;
  BbAllowanceKind    allowance_kind;
  gint64             allowance_cents;
  char              *iban;
  char              *created_at;
  char              *updated_at;
};

G_DEFINE_FINAL_TYPE (BbVolunteer, bb_volunteer, G_TYPE_OBJECT)

G_DEFINE_QUARK (bb-volunteer-error-quark, bb_volunteer_error)

/* Enumerations as stored */

static const char * const status_keys[] = { "registered", "active", "stopped" };
static const char * const age_band_keys[] = { "unknown", "under-21", "21-plus" };
static const char * const vog_keys[] = { "not-needed", "requested", "received" };
static const char * const allowance_keys[] = { "none", "hourly", "fixed", "expenses" };
static const char * const consent_keys[] = { "photo", "newsletter", "share-contact" };

static gboolean
key_lookup (const char * const *keys,
            guint               n_keys,
            const char         *text,
            int                *out)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < n_keys; i++)
    if (strcmp (keys[i], text) == 0)
      {
        *out = (int) i;
        return TRUE;
      }
  return FALSE;
}

#define DEFINE_KEYS(func_prefix, Type, keys)                                     \
  const char *                                                                   \
  func_prefix##_to_string (Type value)                                           \
  {                                                                              \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (keys), NULL);            \
    return keys[value];                                                          \
  }                                                                              \
  gboolean                                                                       \
  func_prefix##_from_string (const char *text,                                   \
                             Type       *out)                                    \
  {                                                                              \
    int v;                                                                       \
    if (!key_lookup (keys, G_N_ELEMENTS (keys), text, &v))                       \
      return FALSE;                                                              \
    *out = (Type) v;                                                             \
    return TRUE;                                                                 \
  }

DEFINE_KEYS (bb_volunteer_status, BbVolunteerStatus, status_keys)
DEFINE_KEYS (bb_age_band, BbAgeBand, age_band_keys)
DEFINE_KEYS (bb_vog_status, BbVogStatus, vog_keys)
DEFINE_KEYS (bb_allowance_kind, BbAllowanceKind, allowance_keys)
DEFINE_KEYS (bb_consent_kind, BbConsentKind, consent_keys)

const char *
bb_volunteer_status_get_label (BbVolunteerStatus status)
{
  switch (status)
    {
    case BB_VOLUNTEER_STATUS_REGISTERED: return C_("volunteer status", "Signed up");
    case BB_VOLUNTEER_STATUS_ACTIVE: return C_("volunteer status", "Active");
    case BB_VOLUNTEER_STATUS_STOPPED: return C_("volunteer status", "Stopped");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
bb_vog_status_get_label (BbVogStatus status)
{
  switch (status)
    {
    case BB_VOG_NOT_NEEDED: return C_("VOG status", "Not needed");
    case BB_VOG_REQUESTED: return C_("VOG status", "Requested");
    case BB_VOG_RECEIVED: return C_("VOG status", "Received");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
bb_allowance_kind_get_label (BbAllowanceKind kind)
{
  switch (kind)
    {
    case BB_ALLOWANCE_KIND_NONE: return C_("allowance agreement", "None");
    case BB_ALLOWANCE_KIND_HOURLY: return C_("allowance agreement", "Per hour");
    case BB_ALLOWANCE_KIND_FIXED: return C_("allowance agreement", "Fixed per month");
    case BB_ALLOWANCE_KIND_EXPENSES: return C_("allowance agreement", "Expenses only");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
bb_consent_kind_get_label (BbConsentKind kind)
{
  switch (kind)
    {
    case BB_CONSENT_PHOTO: return _("Photos");
    case BB_CONSENT_NEWSLETTER: return _("Newsletter");
    case BB_CONSENT_SHARE_CONTACT: return _("Share contact details with other volunteers");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
bb_day_part_get_label (BbDayPart part)
{
  switch (part)
    {
    case BB_DAY_PART_MORNING: return C_("day part", "Morning");
    case BB_DAY_PART_AFTERNOON: return C_("day part", "Afternoon");
    case BB_DAY_PART_EVENING: return C_("day part", "Evening");
    default: g_return_val_if_reached (NULL);
    }
}

/* The list the issue names; councils add their own in council_skill. */
static const char * const default_skills[] = {
  "administratie",
  "bar/catering",
  "bezorgen",
  "EHBO/BHV",
  "evenementen",
  "fotografie",
  "groen",
  "kinderactiviteiten",
  "klussen",
  "buurtpreventie",
  "opbouw/afbouw",
  "ouderenbezoek",
  "social media",
  "taal",
  "vervoer",
  "wijkkrant",
  NULL
};

const char * const *
bb_volunteer_default_skills (void)
{
  return default_skills;
}

/* ISO dates */

gboolean
bb_volunteer_parse_iso_date (const char *text,
                             GDate      *out_date)
{
  guint y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  y = (guint) g_ascii_strtoull (text, NULL, 10);
  m = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (y < 1900 || y > 2200 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  if (out_date != NULL)
    g_date_set_dmy (out_date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

/* Object */

static void
invalidate_derived (BbVolunteer *self)
{
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->search_key, g_free);
}

static void
set_string (BbVolunteer  *self,
            char        **field,
            const char   *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  invalidate_derived (self);
}

/* Empty text stored as NULL, for the nullable date columns. */
static void
set_nullable (BbVolunteer  *self,
              char        **field,
              const char   *value)
{
  set_string (self, field, value != NULL && value[0] != '\0' ? value : NULL);
}

static void
bb_volunteer_finalize (GObject *object)
{
  BbVolunteer *self = BB_VOLUNTEER (object);

  g_free (self->id);
  g_free (self->first_name);
  g_free (self->last_name);
  g_free (self->display_name);
  g_free (self->search_key);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->address);
  g_strfreev (self->skills);
  g_free (self->roles);
  g_free (self->start_date);
  g_free (self->end_date);
  g_free (self->stop_reason);
  g_free (self->emergency_contact);
  g_free (self->notes);
  g_free (self->vog_date);
  g_free (self->iban);
  g_free (self->created_at);
  g_free (self->updated_at);

  G_OBJECT_CLASS (bb_volunteer_parent_class)->finalize (object);
}

static void
bb_volunteer_class_init (BbVolunteerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_volunteer_finalize;
}

static void
bb_volunteer_init (BbVolunteer *self)
{
  self->first_name = g_strdup ("");
  self->last_name = g_strdup ("");
  self->email = g_strdup ("");
  self->phone = g_strdup ("");
  self->address = g_strdup ("");
  self->skills = g_new0 (char *, 1);
  self->roles = g_strdup ("");
  self->stop_reason = g_strdup ("");
  self->emergency_contact = g_strdup ("");
  self->notes = g_strdup ("");
  self->iban = g_strdup ("");
  self->status = BB_VOLUNTEER_STATUS_REGISTERED;
}

BbVolunteer *
bb_volunteer_new (void)
{
  return g_object_new (BB_TYPE_VOLUNTEER, NULL);
}

BbVolunteer *
bb_volunteer_copy (BbVolunteer *self)
{
  BbVolunteer *copy;

  g_return_val_if_fail (BB_IS_VOLUNTEER (self), NULL);

  copy = bb_volunteer_new ();
  bb_volunteer_set_id (copy, self->id);
  bb_volunteer_set_first_name (copy, self->first_name);
  bb_volunteer_set_last_name (copy, self->last_name);
  bb_volunteer_set_email (copy, self->email);
  bb_volunteer_set_phone (copy, self->phone);
  bb_volunteer_set_address (copy, self->address);
  copy->age_band = self->age_band;
  copy->birth_year = self->birth_year;
  copy->availability = self->availability;
  bb_volunteer_set_skills (copy, (const char * const *) self->skills);
  bb_volunteer_set_roles (copy, self->roles);
  bb_volunteer_set_start_date (copy, self->start_date);
  bb_volunteer_set_end_date (copy, self->end_date);
  copy->status = self->status;
  bb_volunteer_set_stop_reason (copy, self->stop_reason);
  bb_volunteer_set_emergency_contact (copy, self->emergency_contact);
  bb_volunteer_set_notes (copy, self->notes);
  copy->vog_needed = self->vog_needed;
  copy->vog_status = self->vog_status;
  bb_volunteer_set_vog_date (copy, self->vog_date);
  copy->allowance_kind = self->allowance_kind;
  copy->allowance_cents = self->allowance_cents;
  bb_volunteer_set_iban (copy, self->iban);
  bb_volunteer_set_created_at (copy, self->created_at);
  bb_volunteer_set_updated_at (copy, self->updated_at);

  return copy;
}

#define STRING_ACCESSORS(field)                                                  \
  const char *                                                                   \
  bb_volunteer_get_##field (BbVolunteer *self)                                   \
  {                                                                              \
    g_return_val_if_fail (BB_IS_VOLUNTEER (self), NULL);                         \
    return self->field;                                                          \
  }                                                                              \
  void                                                                           \
  bb_volunteer_set_##field (BbVolunteer *self,                                   \
                            const char  *value)                                  \
  {                                                                              \
    g_return_if_fail (BB_IS_VOLUNTEER (self));                                   \
    set_string (self, &self->field, value != NULL ? value : "");                 \
  }

#define NULLABLE_ACCESSORS(field)                                                \
  const char *                                                                   \
  bb_volunteer_get_##field (BbVolunteer *self)                                   \
  {                                                                              \
    g_return_val_if_fail (BB_IS_VOLUNTEER (self), NULL);                         \
    return self->field;                                                          \
  }                                                                              \
  void                                                                           \
  bb_volunteer_set_##field (BbVolunteer *self,                                   \
                            const char  *value)                                  \
  {                                                                              \
    g_return_if_fail (BB_IS_VOLUNTEER (self));                                   \
    set_nullable (self, &self->field, value);                                    \
  }

#define PLAIN_ACCESSORS(Type, field)                                             \
  Type                                                                           \
  bb_volunteer_get_##field (BbVolunteer *self)                                   \
  {                                                                              \
    g_return_val_if_fail (BB_IS_VOLUNTEER (self), (Type) 0);                     \
    return self->field;                                                          \
  }                                                                              \
  void                                                                           \
  bb_volunteer_set_##field (BbVolunteer *self,                                   \
                            Type         value)                                  \
  {                                                                              \
    g_return_if_fail (BB_IS_VOLUNTEER (self));                                   \
    self->field = value;                                                         \
  }

NULLABLE_ACCESSORS (id)
STRING_ACCESSORS (first_name)
STRING_ACCESSORS (last_name)
STRING_ACCESSORS (email)
STRING_ACCESSORS (phone)
STRING_ACCESSORS (address)
STRING_ACCESSORS (roles)
NULLABLE_ACCESSORS (start_date)
NULLABLE_ACCESSORS (end_date)
STRING_ACCESSORS (stop_reason)
STRING_ACCESSORS (emergency_contact)
STRING_ACCESSORS (notes)
NULLABLE_ACCESSORS (vog_date)
STRING_ACCESSORS (iban)
NULLABLE_ACCESSORS (created_at)
NULLABLE_ACCESSORS (updated_at)
PLAIN_ACCESSORS (BbAgeBand, age_band)
PLAIN_ACCESSORS (guint, birth_year)
PLAIN_ACCESSORS (BbVolunteerStatus, status)
PLAIN_ACCESSORS (gboolean, vog_needed)
PLAIN_ACCESSORS (BbVogStatus, vog_status)
PLAIN_ACCESSORS (BbAllowanceKind, allowance_kind)
PLAIN_ACCESSORS (gint64, allowance_cents)

const char *
bb_volunteer_get_display_name (BbVolunteer *self)
{
  g_return_val_if_fail (BB_IS_VOLUNTEER (self), NULL);

  if (self->display_name == NULL)
    {
      g_autofree char *joined = g_strjoin (" ", self->first_name, self->last_name, NULL);
      g_strstrip (joined);
      self->display_name = joined[0] != '\0' ? g_steal_pointer (&joined)
                                             : g_strdup (_("Unnamed volunteer"));
    }
  return self->display_name;
}

BbAgeBand
bb_volunteer_get_age_band_on (BbVolunteer *self,
                              const GDate *date)
{
  int age_this_year;

  g_return_val_if_fail (BB_IS_VOLUNTEER (self), BB_AGE_BAND_UNKNOWN);
  g_return_val_if_fail (date != NULL, BB_AGE_BAND_UNKNOWN);

  if (self->birth_year == 0)
    return self->age_band;

  /* Without a birthday, someone who turns 21 this year may still be 20. */
  age_this_year = (int) g_date_get_year (date) - (int) self->birth_year;
  return age_this_year > 21 ? BB_AGE_BAND_21_PLUS : BB_AGE_BAND_UNDER_21;
}

static guint
availability_bit (GDateWeekday weekday,
                  BbDayPart    part)
{
  return ((guint) weekday - 1) * BB_N_DAY_PARTS + (guint) part;
}

gboolean
bb_volunteer_is_available (BbVolunteer  *self,
                           GDateWeekday  weekday,
                           BbDayPart     part)
{
  g_return_val_if_fail (BB_IS_VOLUNTEER (self), FALSE);
  g_return_val_if_fail (g_date_valid_weekday (weekday), FALSE);
  g_return_val_if_fail ((guint) part < BB_N_DAY_PARTS, FALSE);

  return (self->availability & (1u << availability_bit (weekday, part))) != 0;
}

void
bb_volunteer_set_available (BbVolunteer  *self,
                            GDateWeekday  weekday,
                            BbDayPart     part,
                            gboolean      available)
{
  guint32 bit;

  g_return_if_fail (BB_IS_VOLUNTEER (self));
  g_return_if_fail (g_date_valid_weekday (weekday));
  g_return_if_fail ((guint) part < BB_N_DAY_PARTS);

  bit = 1u << availability_bit (weekday, part);
  if (available)
    self->availability |= bit;
  else
    self->availability &= ~bit;
}

guint32
bb_volunteer_get_availability (BbVolunteer *self)
{
  g_return_val_if_fail (BB_IS_VOLUNTEER (self), 0);
  return self->availability;
}

void
bb_volunteer_set_availability (BbVolunteer *self,
                               guint32      mask)
{
  g_return_if_fail (BB_IS_VOLUNTEER (self));
  self->availability = mask & ALL_AVAILABLE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

const char * const *
bb_volunteer_get_skills (BbVolunteer *self)
{
  g_return_val_if_fail (BB_IS_VOLUNTEER (self), NULL);
  return (const char * const *) self->skills;
}

void
bb_volunteer_set_skills (BbVolunteer        *self,
                         const char * const *skills)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  g_return_if_fail (BB_IS_VOLUNTEER (self));

  for (guint i = 0; skills != NULL && skills[i] != NULL; i++)
    {
      g_autofree char *skill = g_strstrip (g_strdup (skills[i]));
      gboolean seen = FALSE;

      if (skill[0] == '\0')
        continue;
      for (guint j = 0; j < list->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (list, j), skill) == 0;
      if (!seen)
        g_ptr_array_add (list, g_steal_pointer (&skill));
    }
  g_ptr_array_sort (list, compare_strings);
  g_ptr_array_add (list, NULL);

  g_strfreev (self->skills);
  self->skills = (GStrv) g_ptr_array_steal (list, NULL);
  invalidate_derived (self);
}

gboolean
bb_volunteer_has_skill (BbVolunteer *self,
                        const char  *skill)
{
  g_return_val_if_fail (BB_IS_VOLUNTEER (self), FALSE);
  g_return_val_if_fail (skill != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->skills, skill);
}

/* Lower case without accents, so "Zoë" is found by "zoe". */
char *
bb_volunteer_fold (const char *text)
{
  g_autofree char *normalized = NULL;
  g_autofree char *lower = NULL;
  GString *out;
  const char *p;

  /* Most names and addresses are plain ASCII: lower case is all folding
   * does to them, and the list filter folds 10,000 of them at once. */
  for (p = text != NULL ? text : ""; *p != '\0' && (guchar) *p < 0x80; p++)
    ;
  if (*p == '\0')
    return g_ascii_strdown (text != NULL ? text : "", -1);

  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (normalized == NULL)
    return g_strdup ("");
  lower = g_utf8_casefold (normalized, -1);
  out = g_string_sized_new (strlen (lower));
  for (p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static const char *
get_search_key (BbVolunteer *self)
{
  if (self->search_key == NULL)
    {
      g_autofree char *skills = g_strjoinv (" ", self->skills);
      g_autofree char *all = g_strjoin (" ", self->first_name, self->last_name, self->email,
                                        self->phone, skills, self->roles, NULL);
      self->search_key = bb_volunteer_fold (all);
    }
  return self->search_key;
}

gboolean
bb_volunteer_matches (BbVolunteer *self,
                      const char  *query)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  const char *key;

  g_return_val_if_fail (BB_IS_VOLUNTEER (self), FALSE);

  if (query == NULL || query[0] == '\0')
    return TRUE;

  folded = bb_volunteer_fold (query);
  words = g_strsplit_set (folded, " \t", -1);
  key = get_search_key (self);
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0' && strstr (key, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
bb_volunteer_matches_folded (BbVolunteer        *self,
                             const char * const *folded_words)
{
  const char *key = get_search_key (self);

  for (guint i = 0; folded_words[i] != NULL; i++)
    if (folded_words[i][0] != '\0' && strstr (key, folded_words[i]) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
bb_volunteer_vog_is_due (BbVolunteer *self,
                         const GDate *today,
                         guint        rerequest_years,
                         GDate       *out_due)
{
  GDate issued;

  g_return_val_if_fail (BB_IS_VOLUNTEER (self), FALSE);
  g_return_val_if_fail (today != NULL, FALSE);

  if (out_due != NULL)
    g_date_clear (out_due, 1);

  if (!self->vog_needed || self->status == BB_VOLUNTEER_STATUS_STOPPED)
    return FALSE;
  if (self->vog_status != BB_VOG_RECEIVED || !bb_volunteer_parse_iso_date (self->vog_date, &issued))
    return TRUE;

  g_date_add_years (&issued, rerequest_years);
  if (out_due != NULL)
    *out_due = issued;
  return g_date_compare (&issued, today) <= 0;
}

static gboolean
set_field_error (GError           **error,
                 BbVolunteerError   code,
                 const char        *message)
{
  g_set_error_literal (error, BB_VOLUNTEER_ERROR, code, message);
  return FALSE;
}

gboolean
bb_volunteer_validate (BbVolunteer  *self,
                       GError      **error)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GError) local_error = NULL;
  GDate start, end;

  g_return_val_if_fail (BB_IS_VOLUNTEER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  first = g_strstrip (g_strdup (self->first_name));
  last = g_strstrip (g_strdup (self->last_name));
  bb_volunteer_set_first_name (self, first);
  bb_volunteer_set_last_name (self, last);
  if (!g_utf8_validate (first, -1, NULL) || !g_utf8_validate (last, -1, NULL))
    return set_field_error (error, BB_VOLUNTEER_ERROR_NAME, _("The name is not valid text."));
  if (first[0] == '\0' && last[0] == '\0')
    return set_field_error (error, BB_VOLUNTEER_ERROR_NAME, _("Type a first or last name."));
  if (g_utf8_strlen (first, -1) > 200 || g_utf8_strlen (last, -1) > 200)
    return set_field_error (error, BB_VOLUNTEER_ERROR_NAME, _("The name is too long (at most 200 characters)."));

  if (!bb_validate_email (self->email, &local_error))
    {
      g_set_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_EMAIL, "%s", local_error->message);
      return FALSE;
    }

  if (self->iban[0] != '\0')
    {
      g_autofree char *normalized = NULL;

      if (!bb_validate_iban (self->iban, &normalized, &local_error))
        {
          g_set_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_IBAN, "%s", local_error->message);
          return FALSE;
        }
      bb_volunteer_set_iban (self, normalized);
    }

  if (self->birth_year != 0 && (self->birth_year < 1900 || self->birth_year > 2200))
    return set_field_error (error, BB_VOLUNTEER_ERROR_BIRTH_YEAR,
                            _("The birth year must be a year such as 1987."));

  if ((self->start_date != NULL && !bb_volunteer_parse_iso_date (self->start_date, &start)) ||
      (self->end_date != NULL && !bb_volunteer_parse_iso_date (self->end_date, &end)) ||
      (self->vog_date != NULL && !bb_volunteer_parse_iso_date (self->vog_date, NULL)))
    return set_field_error (error, BB_VOLUNTEER_ERROR_DATE, _("A date is not a valid date."));
  if (self->start_date != NULL && self->end_date != NULL && g_date_compare (&end, &start) < 0)
    return set_field_error (error, BB_VOLUNTEER_ERROR_DATE, _("The end date is before the start date."));

  if (self->allowance_cents < 0 || self->allowance_cents > G_GINT64_CONSTANT (100000000))
    return set_field_error (error, BB_VOLUNTEER_ERROR_NAME, _("The allowance amount is not valid."));

  for (guint i = 0; self->skills[i] != NULL; i++)
    if (!g_utf8_validate (self->skills[i], -1, NULL) || g_utf8_strlen (self->skills[i], -1) > 80)
      return set_field_error (error, BB_VOLUNTEER_ERROR_SKILL, _("A skill name is too long or not valid text."));

  return TRUE;
}

/* Store */

#define VOLUNTEER_COLUMNS \
  "id, first_name, last_name, email, phone, address, age_band, birth_year," \
  " availability, roles, start_date, end_date, status, stop_reason," \
  " emergency_contact, notes, vog_needed, vog_status, vog_date," \
  " allowance_kind, allowance_cents, iban, created_at, updated_at"

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static BbVolunteer *
volunteer_from_row (sqlite3_stmt *stmt)
{
  BbVolunteer *self = bb_volunteer_new ();
  int v;

  self->id = g_strdup (column_text (stmt, 0));
  g_free (self->first_name);
  self->first_name = g_strdup (column_text (stmt, 1));
  g_free (self->last_name);
  self->last_name = g_strdup (column_text (stmt, 2));
  g_free (self->email);
  self->email = g_strdup (column_text (stmt, 3));
  g_free (self->phone);
  self->phone = g_strdup (column_text (stmt, 4));
  g_free (self->address);
  self->address = g_strdup (column_text (stmt, 5));
  if (key_lookup (age_band_keys, G_N_ELEMENTS (age_band_keys), column_text (stmt, 6), &v))
    self->age_band = (BbAgeBand) v;
  self->birth_year = (guint) sqlite3_column_int (stmt, 7);
  self->availability = (guint32) sqlite3_column_int64 (stmt, 8) & ALL_AVAILABLE;
  g_free (self->roles);
  self->roles = g_strdup (column_text (stmt, 9));
  self->start_date = g_strdup (column_text (stmt, 10));
  self->end_date = g_strdup (column_text (stmt, 11));
  if (key_lookup (status_keys, G_N_ELEMENTS (status_keys), column_text (stmt, 12), &v))
    self->status = (BbVolunteerStatus) v;
  g_free (self->stop_reason);
  self->stop_reason = g_strdup (column_text (stmt, 13));
  g_free (self->emergency_contact);
  self->emergency_contact = g_strdup (column_text (stmt, 14));
  g_free (self->notes);
  self->notes = g_strdup (column_text (stmt, 15));
  self->vog_needed = sqlite3_column_int (stmt, 16) != 0;
  if (key_lookup (vog_keys, G_N_ELEMENTS (vog_keys), column_text (stmt, 17), &v))
    self->vog_status = (BbVogStatus) v;
  self->vog_date = g_strdup (column_text (stmt, 18));
  if (key_lookup (allowance_keys, G_N_ELEMENTS (allowance_keys), column_text (stmt, 19), &v))
    self->allowance_kind = (BbAllowanceKind) v;
  self->allowance_cents = sqlite3_column_int64 (stmt, 20);
  g_free (self->iban);
  self->iban = g_strdup (column_text (stmt, 21));
  self->created_at = g_strdup (column_text (stmt, 22));
  self->updated_at = g_strdup (column_text (stmt, 23));

  return self;
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

/* Attaches skills to volunteers by id, in one pass over the table. */
static gboolean
load_skills (BbStore     *store,
             GHashTable  *by_id,
             const char  *only_id,
             GError     **error)
{
  g_autoptr(GHashTable) lists = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                        (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer key, value;
  sqlite3_stmt *stmt;
  int rc;

  stmt = bb_store_prepare (store,
                           only_id != NULL
                             ? "SELECT volunteer_id, skill FROM volunteer_skill WHERE volunteer_id = ?1"
                             : "SELECT volunteer_id, skill FROM volunteer_skill",
                           error);
  if (stmt == NULL)
    return FALSE;
  if (only_id != NULL)
    sqlite3_bind_text (stmt, 1, only_id, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbVolunteer *volunteer = g_hash_table_lookup (by_id, column_text (stmt, 0));
      GPtrArray *list;

      if (volunteer == NULL)
        continue;
      list = g_hash_table_lookup (lists, volunteer);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (lists, volunteer, list);
        }
      g_ptr_array_add (list, g_strdup (column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the volunteers’ skills"));
      return FALSE;
    }

  g_hash_table_iter_init (&iter, lists);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *list = value;

      g_ptr_array_add (list, NULL);
      bb_volunteer_set_skills (key, (const char * const *) list->pdata);
    }
  return TRUE;
}

GPtrArray *
bb_volunteer_list_array (BbStore  *store,
                         GError  **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  stmt = bb_store_prepare (store,
                           "SELECT " VOLUNTEER_COLUMNS " FROM volunteer"
                           " ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id",
                           error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbVolunteer *volunteer = volunteer_from_row (stmt);

      g_ptr_array_add (result, volunteer);
      g_hash_table_insert (by_id, volunteer->id, volunteer);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the volunteers"));
      return NULL;
    }

  if (!load_skills (store, by_id, NULL, error))
    return NULL;

  return g_steal_pointer (&result);
}

GListModel *
bb_volunteer_list_all (BbStore  *store,
                       GError  **error)
{
  g_autoptr(GPtrArray) all = bb_volunteer_list_array (store, error);
  GListStore *model;

  if (all == NULL)
    return NULL;

  model = g_list_store_new (BB_TYPE_VOLUNTEER);
  g_list_store_splice (model, 0, 0, all->pdata, all->len);
  return G_LIST_MODEL (model);
}

static int
compare_collation_keys (gconstpointer a,
                        gconstpointer b,
                        gpointer      keys)
{
  return strcmp (g_hash_table_lookup (keys, *(const char * const *) a),
                 g_hash_table_lookup (keys, *(const char * const *) b));
}

/* Hands the skills gathered in @list to @volunteer, sorted as
 * bb_volunteer_set_skills() sorts them. */
static void
give_row_skills (BbVolunteer *volunteer,
                 GPtrArray   *list,
                 GHashTable  *keys)
{
  if (volunteer == NULL || list->len == 0)
    {
      g_ptr_array_set_size (list, 0);
      return;
    }
  g_ptr_array_sort_with_data (list, compare_collation_keys, keys);
  g_ptr_array_add (list, NULL);
  g_strfreev (volunteer->skills);
  volunteer->skills = (GStrv) g_ptr_array_steal (list, NULL);
}

/* The skills for the light list. The table's key brings each volunteer's
 * skills together, and each distinct skill is collated once, not every
 * time two skills of one volunteer are compared. */
static gboolean
load_row_skills (BbStore     *store,
                 GHashTable  *by_id,
                 GError     **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *current_id = NULL;
  BbVolunteer *current = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = bb_store_prepare (store, "SELECT volunteer_id, skill FROM volunteer_skill ORDER BY volunteer_id", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = column_text (stmt, 0);
      const char *skill = column_text (stmt, 1);

      if (id == NULL || skill == NULL)
        continue;
      if (current_id == NULL || strcmp (id, current_id) != 0)
        {
          give_row_skills (current, list, keys);
          g_free (current_id);
          current_id = g_strdup (id);
          current = g_hash_table_lookup (by_id, id);
        }
      if (current == NULL)
        continue;
      if (!g_hash_table_contains (keys, skill))
        g_hash_table_insert (keys, g_strdup (skill), g_utf8_collate_key (skill, -1));
      g_ptr_array_add (list, g_strdup (skill));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the volunteers’ skills"));
      return FALSE;
    }
  give_row_skills (current, list, keys);
  return TRUE;
}

/* The order of bb_volunteer_list_array(): last name, first name (both
 * as SQLite's NOCASE, ASCII letters without case), id. */
static int
compare_list_order (gconstpointer a,
                    gconstpointer b)
{
  const BbVolunteer *va = *(BbVolunteer * const *) a;
  const BbVolunteer *vb = *(BbVolunteer * const *) b;
  int c = g_ascii_strcasecmp (va->last_name, vb->last_name);

  if (c == 0)
    c = g_ascii_strcasecmp (va->first_name, vb->first_name);
  return c != 0 ? c : strcmp (va->id, vb->id);
}

GListModel *
bb_volunteer_list_rows (BbStore  *store,
                        GError  **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  GListStore *model;
  sqlite3_stmt *stmt;
  int rc, v;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  /* Sorted here rather than by SQLite, which would sort whole rows with
   * a case-blind collation. */
  stmt = bb_store_prepare (store,
                           "SELECT id, first_name, last_name, email, phone, availability, roles, end_date,"
                           " status, vog_needed, vog_status, vog_date FROM volunteer",
                           error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbVolunteer *volunteer = bb_volunteer_new ();

      volunteer->id = g_strdup (column_text (stmt, 0));
      g_free (volunteer->first_name);
      volunteer->first_name = g_strdup (column_text (stmt, 1));
      g_free (volunteer->last_name);
      volunteer->last_name = g_strdup (column_text (stmt, 2));
      g_free (volunteer->email);
      volunteer->email = g_strdup (column_text (stmt, 3));
      g_free (volunteer->phone);
      volunteer->phone = g_strdup (column_text (stmt, 4));
      volunteer->availability = (guint32) sqlite3_column_int64 (stmt, 5) & ALL_AVAILABLE;
      g_free (volunteer->roles);
      volunteer->roles = g_strdup (column_text (stmt, 6));
      volunteer->end_date = g_strdup (column_text (stmt, 7));
      if (key_lookup (status_keys, G_N_ELEMENTS (status_keys), column_text (stmt, 8), &v))
        volunteer->status = (BbVolunteerStatus) v;
      volunteer->vog_needed = sqlite3_column_int (stmt, 9) != 0;
      if (key_lookup (vog_keys, G_N_ELEMENTS (vog_keys), column_text (stmt, 10), &v))
        volunteer->vog_status = (BbVogStatus) v;
      volunteer->vog_date = g_strdup (column_text (stmt, 11));

      g_ptr_array_add (result, volunteer);
      g_hash_table_insert (by_id, volunteer->id, volunteer);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the volunteers"));
      return NULL;
    }

  if (!load_row_skills (store, by_id, error))
    return NULL;

  g_ptr_array_sort (result, compare_list_order);
  /* Folded now, so the first typed letter does not fold 10,000 keys. */
  for (guint i = 0; i < result->len; i++)
    get_search_key (g_ptr_array_index (result, i));

  model = g_list_store_new (BB_TYPE_VOLUNTEER);
  g_list_store_splice (model, 0, 0, result->pdata, result->len);
  return G_LIST_MODEL (model);
}

BbVolunteer *
bb_volunteer_get (BbStore     *store,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(BbVolunteer) volunteer = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = bb_store_prepare (store, "SELECT " VOLUNTEER_COLUMNS " FROM volunteer WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    volunteer = volunteer_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the volunteer"));
      return NULL;
    }
  if (volunteer == NULL)
    {
      g_set_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_NOT_FOUND,
                   _("There is no volunteer with id “%s”."), id);
      return NULL;
    }

  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (by_id, volunteer->id, volunteer);
  if (!load_skills (store, by_id, id, error))
    return NULL;

  return g_steal_pointer (&volunteer);
}

gboolean
bb_volunteer_exists (BbStore     *store,
                     const char  *id,
                     GError     **error)
{
  sqlite3_stmt *stmt = bb_store_prepare (store, "SELECT 1 FROM volunteer WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the volunteer"));
  else
    g_set_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_NOT_FOUND,
                 _("There is no volunteer with id “%s”."), id);
  return FALSE;
}

gboolean
bb_volunteer_save_in_transaction (BbStore      *store,
                                  BbVolunteer  *volunteer,
                                  GError      **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_VOLUNTEER (volunteer), FALSE);

  if (!bb_volunteer_validate (volunteer, error))
    return FALSE;

  now = bb_date_time_now_iso ();
  if (volunteer->id == NULL)
    {
      g_autofree char *id = bb_store_new_id ();
      bb_volunteer_set_id (volunteer, id);
    }
  if (volunteer->created_at == NULL)
    bb_volunteer_set_created_at (volunteer, now);
  bb_volunteer_set_updated_at (volunteer, now);

  stmt = bb_store_prepare (store,
                           "INSERT INTO volunteer (id, first_name, last_name, email, phone, address,"
                           " age_band, birth_year, availability, roles, start_date, end_date, status,"
                           " stop_reason, emergency_contact, notes, vog_needed, vog_status, vog_date,"
                           " allowance_kind, allowance_cents, iban, created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                           " ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)"
                           " ON CONFLICT (id) DO UPDATE SET first_name = ?2, last_name = ?3, email = ?4,"
                           " phone = ?5, address = ?6, age_band = ?7, birth_year = ?8, availability = ?9,"
                           " roles = ?10, start_date = ?11, end_date = ?12, status = ?13, stop_reason = ?14,"
                           " emergency_contact = ?15, notes = ?16, vog_needed = ?17, vog_status = ?18,"
                           " vog_date = ?19, allowance_kind = ?20, allowance_cents = ?21, iban = ?22,"
                           " updated_at = ?24",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, volunteer->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, volunteer->first_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, volunteer->last_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, volunteer->email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, volunteer->phone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, volunteer->address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, age_band_keys[volunteer->age_band], -1, SQLITE_STATIC);
  if (volunteer->birth_year != 0)
    sqlite3_bind_int (stmt, 8, (int) volunteer->birth_year);
  sqlite3_bind_int64 (stmt, 9, volunteer->availability);
  sqlite3_bind_text (stmt, 10, volunteer->roles, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 11, volunteer->start_date);
  bind_text_or_null (stmt, 12, volunteer->end_date);
  sqlite3_bind_text (stmt, 13, status_keys[volunteer->status], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, volunteer->stop_reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 15, volunteer->emergency_contact, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 16, volunteer->notes, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 17, volunteer->vog_needed ? 1 : 0);
  sqlite3_bind_text (stmt, 18, vog_keys[volunteer->vog_status], -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 19, volunteer->vog_date);
  sqlite3_bind_text (stmt, 20, allowance_keys[volunteer->allowance_kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 21, volunteer->allowance_cents);
  sqlite3_bind_text (stmt, 22, volunteer->iban, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 23, volunteer->created_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 24, volunteer->updated_at, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, _("Could not save the volunteer"), error))
    return FALSE;

  stmt = bb_store_prepare (store, "DELETE FROM volunteer_skill WHERE volunteer_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, volunteer->id, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, _("Could not save the volunteer’s skills"), error))
    return FALSE;

  for (guint i = 0; volunteer->skills[i] != NULL; i++)
    {
      stmt = bb_store_prepare (store, "INSERT INTO volunteer_skill (volunteer_id, skill) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, volunteer->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, volunteer->skills[i], -1, SQLITE_TRANSIENT);
      if (!step_done (store, stmt, _("Could not save the volunteer’s skills"), error))
        return FALSE;
    }

  return TRUE;
}

gboolean
bb_volunteer_save (BbStore      *store,
                   BbVolunteer  *volunteer,
                   GError      **error)
{
  g_autoptr(BbVolunteer) work = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_VOLUNTEER (volunteer), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Work on a copy so a failed save leaves the caller's object as it was
   * (no id handed out for a row that was rolled back). */
  work = bb_volunteer_copy (volunteer);
  if (!bb_store_begin (store, error))
    return FALSE;
  if (!bb_volunteer_save_in_transaction (store, work, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;

  bb_volunteer_set_id (volunteer, work->id);
  bb_volunteer_set_first_name (volunteer, work->first_name);
  bb_volunteer_set_last_name (volunteer, work->last_name);
  bb_volunteer_set_iban (volunteer, work->iban);
  bb_volunteer_set_created_at (volunteer, work->created_at);
  bb_volunteer_set_updated_at (volunteer, work->updated_at);
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_volunteer_stop (BbStore     *store,
                   const char  *id,
                   const char  *end_date,
                   const char  *reason,
                   GError     **error)
{
  g_autoptr(BbVolunteer) volunteer = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  volunteer = bb_volunteer_get (store, id, error);
  if (volunteer == NULL)
    return FALSE;
  bb_volunteer_set_status (volunteer, BB_VOLUNTEER_STATUS_STOPPED);
  bb_volunteer_set_end_date (volunteer, end_date);
  bb_volunteer_set_stop_reason (volunteer, reason);
  return bb_volunteer_save (store, volunteer, error);
}

gboolean
bb_volunteer_erase (BbStore     *store,
                    const char  *id,
                    GError     **error)
{
  static const char * const steps[] = {
    /* Explicit, so the hours stay even if a foreign key is ever changed. */
    "UPDATE volunteer_hours SET volunteer_id = NULL WHERE volunteer_id = ?1",
    "UPDATE volunteer_payment SET volunteer_id = NULL WHERE volunteer_id = ?1",
    "DELETE FROM volunteer_consent WHERE volunteer_id = ?1",
    "DELETE FROM volunteer_skill WHERE volunteer_id = ?1",
    "DELETE FROM volunteer WHERE id = ?1",
  };

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;
  if (!bb_volunteer_exists (store, id, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      sqlite3_stmt *stmt = bb_store_prepare (store, steps[i], error);

      if (stmt == NULL)
        {
          bb_store_rollback (store);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (!step_done (store, stmt, _("Could not erase the volunteer"), error))
        {
          bb_store_rollback (store);
          return FALSE;
        }
    }
  if (!bb_store_commit (store, error))
    return FALSE;

  bb_store_emit_changed (store);
  return TRUE;
}

/* Skills */

GStrv
bb_volunteer_list_skills (BbStore  *store,
                          GError  **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  for (guint i = 0; default_skills[i] != NULL; i++)
    {
      g_ptr_array_add (all, g_strdup (default_skills[i]));
      g_hash_table_add (seen, (gpointer) default_skills[i]);
    }

  stmt = bb_store_prepare (store,
                           "SELECT name FROM council_skill"
                           " UNION SELECT DISTINCT skill FROM volunteer_skill",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!g_hash_table_contains (seen, column_text (stmt, 0)))
      g_ptr_array_add (all, g_strdup (column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the skills"));
      return NULL;
    }

  g_ptr_array_sort (all, compare_strings);
  g_ptr_array_add (all, NULL);
  return (GStrv) g_ptr_array_steal (all, NULL);
}

gboolean
bb_volunteer_add_council_skill (BbStore     *store,
                                const char  *skill,
                                GError     **error)
{
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (skill != NULL, FALSE);

  name = g_strstrip (g_strdup (skill));
  if (name[0] == '\0' || !g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > 80)
    return set_field_error (error, BB_VOLUNTEER_ERROR_SKILL,
                            _("A skill needs a name of at most 80 characters."));

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store, "INSERT OR IGNORE INTO council_skill (name) VALUES (?1)", error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, _("Could not save the skill"), error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

/* Consents */

gboolean
bb_volunteer_record_consent (BbStore       *store,
                             const char    *volunteer_id,
                             BbConsentKind  kind,
                             gboolean       given,
                             const char    *date,
                             GError       **error)
{
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (volunteer_id != NULL, FALSE);
  g_return_val_if_fail ((guint) kind < BB_N_CONSENT_KINDS, FALSE);

  if (!bb_volunteer_parse_iso_date (date, NULL))
    return set_field_error (error, BB_VOLUNTEER_ERROR_DATE, _("The consent needs a valid date."));

  if (!bb_store_begin (store, error))
    return FALSE;
  if (!bb_volunteer_exists (store, volunteer_id, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  stmt = bb_store_prepare (store,
                           "INSERT INTO volunteer_consent (id, volunteer_id, kind, given, date, recorded_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  id = bb_store_new_id ();
  now = bb_date_time_now_iso ();
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, volunteer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, consent_keys[kind], -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, given ? 1 : 0);
  sqlite3_bind_text (stmt, 5, date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, _("Could not save the consent"), error))
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
bb_volunteer_get_consent (BbStore        *store,
                          const char     *volunteer_id,
                          BbConsentKind   kind,
                          gboolean       *out_given,
                          char          **out_date,
                          GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (volunteer_id != NULL, FALSE);
  g_return_val_if_fail ((guint) kind < BB_N_CONSENT_KINDS, FALSE);

  if (out_given != NULL)
    *out_given = FALSE;
  if (out_date != NULL)
    *out_date = NULL;

  stmt = bb_store_prepare (store,
                           "SELECT given, date FROM volunteer_consent WHERE volunteer_id = ?1 AND kind = ?2"
                           " ORDER BY date DESC, recorded_at DESC, rowid DESC LIMIT 1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, volunteer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, consent_keys[kind], -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (out_given != NULL)
        *out_given = sqlite3_column_int (stmt, 0) != 0;
      if (out_date != NULL)
        *out_date = g_strdup (column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the consents"));
  return rc == SQLITE_ROW;
}

/* Settings */

static guint
read_meta_uint (BbStore    *store,
                const char *key,
                guint       fallback)
{
  sqlite3_stmt *stmt = bb_store_prepare (store, "SELECT value FROM meta WHERE key = ?1", NULL);
  guint64 value = fallback;

  if (stmt == NULL)
    return fallback;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW &&
      !g_ascii_string_to_unsigned (column_text (stmt, 0), 10, 1, 1200, &value, NULL))
    value = fallback;
  sqlite3_reset (stmt);
  return (guint) value;
}

static gboolean
write_meta_uint (BbStore     *store,
                 const char  *key,
                 guint        value,
                 GError     **error)
{
  g_autofree char *text = g_strdup_printf ("%u", value);
  sqlite3_stmt *stmt;

  if (value < 1 || value > 1200)
    {
      g_set_error_literal (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_DATE,
                           _("The term must be between 1 and 1200."));
      return FALSE;
    }
  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, _("Could not save the setting"), error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

guint
bb_volunteer_get_vog_rerequest_years (BbStore *store)
{
  g_return_val_if_fail (BB_IS_STORE (store), DEFAULT_VOG_YEARS);
  return read_meta_uint (store, META_VOG_YEARS, DEFAULT_VOG_YEARS);
}

gboolean
bb_volunteer_set_vog_rerequest_years (BbStore  *store,
                                      guint     years,
                                      GError  **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  return write_meta_uint (store, META_VOG_YEARS, years, error);
}

guint
bb_volunteer_get_erase_after_months (BbStore *store)
{
  g_return_val_if_fail (BB_IS_STORE (store), DEFAULT_ERASE_MONTHS);
  return read_meta_uint (store, META_ERASE_MONTHS, DEFAULT_ERASE_MONTHS);
}

gboolean
bb_volunteer_set_erase_after_months (BbStore  *store,
                                     guint     months,
                                     GError  **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  return write_meta_uint (store, META_ERASE_MONTHS, months, error);
}

/* Lists */

GPtrArray *
bb_volunteer_list_vog_due (BbStore      *store,
                           const GDate  *today,
                           GError      **error)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *due;
  guint years;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL, NULL);

  all = bb_volunteer_list_array (store, error);
  if (all == NULL)
    return NULL;
  years = bb_volunteer_get_vog_rerequest_years (store);
  due = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < all->len; i++)
    if (bb_volunteer_vog_is_due (g_ptr_array_index (all, i), today, years, NULL))
      g_ptr_array_add (due, g_object_ref (g_ptr_array_index (all, i)));
  return due;
}

gboolean
bb_volunteer_is_for_erasure (BbVolunteer *self,
                             const GDate *today,
                             guint        months)
{
  GDate limit;

  if (self->status != BB_VOLUNTEER_STATUS_STOPPED ||
      !bb_volunteer_parse_iso_date (self->end_date, &limit))
    return FALSE;
  g_date_add_months (&limit, months);
  return g_date_compare (&limit, today) < 0;
}

GPtrArray *
bb_volunteer_list_for_erasure (BbStore      *store,
                               const GDate  *today,
                               GError      **error)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *result;
  guint months;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL, NULL);

  all = bb_volunteer_list_array (store, error);
  if (all == NULL)
    return NULL;
  months = bb_volunteer_get_erase_after_months (store);
  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < all->len; i++)
    if (bb_volunteer_is_for_erasure (g_ptr_array_index (all, i), today, months))
      g_ptr_array_add (result, g_object_ref (g_ptr_array_index (all, i)));
  return result;
}

typedef struct {
  BbVolunteer *volunteer;
  int          score;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a;
  const Candidate *cb = b;
  int by_name;

  if (ca->score != cb->score)
    return cb->score - ca->score;
  by_name = g_utf8_collate (ca->volunteer->last_name, cb->volunteer->last_name);
  if (by_name != 0)
    return by_name;
  return g_utf8_collate (ca->volunteer->first_name, cb->volunteer->first_name);
}

GPtrArray *
bb_volunteer_who_can_help (BbStore             *store,
                           const char          *skill,
                           GDateWeekday         weekday,
                           BbDayPart            part,
                           const char * const  *busy_ids,
                           GError             **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  GPtrArray *result;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (g_date_valid_weekday (weekday), NULL);

  all = bb_volunteer_list_array (store, error);
  if (all == NULL)
    return NULL;

  for (guint i = 0; i < all->len; i++)
    {
      BbVolunteer *volunteer = g_ptr_array_index (all, i);
      gboolean has_skill = skill == NULL || bb_volunteer_has_skill (volunteer, skill);
      gboolean available = bb_volunteer_is_available (volunteer, weekday, part);
      Candidate candidate = { volunteer, 0 };

      if (volunteer->status == BB_VOLUNTEER_STATUS_STOPPED)
        continue;
      if (busy_ids != NULL && g_strv_contains (busy_ids, volunteer->id))
        continue;
      if (!has_skill && !available)
        continue;
      /* The right skill matters most; being free at that time next;
       * active volunteers before those who only signed up. */
      candidate.score = (has_skill ? 4 : 0) + (available ? 2 : 0) +
                        (volunteer->status == BB_VOLUNTEER_STATUS_ACTIVE ? 1 : 0);
      g_array_append_val (candidates, candidate);
    }

  g_array_sort (candidates, compare_candidates);
  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < candidates->len; i++)
    g_ptr_array_add (result, g_object_ref (g_array_index (candidates, Candidate, i).volunteer));
  return result;
}
