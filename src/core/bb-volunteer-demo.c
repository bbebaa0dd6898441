/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "bb-allowance.h"
#include "bb-hours.h"
#include "bb-volunteer.h"
#include "bb-volunteer-private.h"

/* The demo council's volunteers. Every person, phone number and e-mail
 * address here is made up (voorbeeld.nl is not a real mail domain in use
 * by these people). Dates are relative to today, so the demo always shows
 * a VOG that is due, one volunteer listed for erasure and this year's
 * allowance payments within the limits. */

/* Availability masks: bit (weekday - 1) * 3 + part (see bb-volunteer.h). */
#define MORNING(day)   (1u << (((day) - 1) * 3 + 0))
#define AFTERNOON(day) (1u << (((day) - 1) * 3 + 1))
#define EVENING(day)   (1u << (((day) - 1) * 3 + 2))
#define WEEKDAY_EVENINGS (EVENING (1) | EVENING (2) | EVENING (3) | EVENING (4) | EVENING (5))
#define SATURDAY_ALL (MORNING (6) | AFTERNOON (6) | EVENING (6))
#define WEEKDAY_MORNINGS (MORNING (1) | MORNING (2) | MORNING (3) | MORNING (4) | MORNING (5))

typedef enum {
  VOG_NONE,          /* not needed */
  VOG_RECENT,        /* received a year ago */
  VOG_OLD,           /* received four years ago: due */
  VOG_REQUESTED,     /* requested, not in yet: missing */
  VOG_MISSING,       /* needed, nothing done yet */
} DemoVog;

typedef struct {
  const char        *first;
  const char        *last;
  const char        *phone;
  BbAgeBand          band;
  guint              birth_year;       /* 0 = unknown */
  const char        *skills;           /* ';'-separated */
  guint32            availability;
  const char        *roles;
  int                years_active;     /* start date this many years ago */
  BbVolunteerStatus  status;
  DemoVog            vog;
  gboolean           consents;         /* photo, newsletter and sharing given */
  const char        *notes;
} DemoVolunteer;

static const DemoVolunteer volunteers[] = {
  { "Anneke", "Jansen", "06 1203 4471", BB_AGE_BAND_21_PLUS, 1961, "evenementen;bar/catering;opbouw/afbouw",
    SATURDAY_ALL | WEEKDAY_EVENINGS, "coördinator bar", 9, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE,
    "Heeft de sleutel van het buurthuis." },
  { "Henk", "de Vries", "06 2314 5582", BB_AGE_BAND_21_PLUS, 1955, "opbouw/afbouw;klussen;vervoer",
    SATURDAY_ALL | WEEKDAY_MORNINGS, "materiaalbeheer", 12, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE,
    "Heeft een aanhanger." },
  { "Fatima", "El Amrani", "06 3425 6693", BB_AGE_BAND_21_PLUS, 1984, "kinderactiviteiten;taal;evenementen",
    AFTERNOON (3) | SATURDAY_ALL, "kinderactiviteiten", 4, BB_VOLUNTEER_STATUS_ACTIVE, VOG_RECENT, TRUE, "" },
  { "Joost", "Bakker", "06 4536 7704", BB_AGE_BAND_21_PLUS, 1978, "EHBO/BHV;evenementen;verkeersregelaar",
    SATURDAY_ALL | EVENING (4), "EHBO", 6, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE,
    "EHBO-diploma tot en met volgend jaar." },
  { "Marieke", "van den Heuvel", "040 201 4587", BB_AGE_BAND_21_PLUS, 1970, "administratie;wijkkrant",
    WEEKDAY_EVENINGS, "secretaris", 8, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Sanne", "Visser", "06 5647 8815", BB_AGE_BAND_21_PLUS, 1993, "fotografie;social media;wijkkrant",
    EVENING (2) | EVENING (4) | SATURDAY_ALL, "fotograaf", 3, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Kees", "Smit", "06 6758 9926", BB_AGE_BAND_21_PLUS, 1949, "ouderenbezoek;vervoer",
    WEEKDAY_MORNINGS | AFTERNOON (2) | AFTERNOON (4), "ouderenbezoek", 10, BB_VOLUNTEER_STATUS_ACTIVE,
    VOG_OLD, TRUE, "Rijdt op dinsdag naar de markt met buren zonder auto." },
  { "Ilse", "Meijer", "06 7869 0037", BB_AGE_BAND_21_PLUS, 1988, "kinderactiviteiten;groen",
    AFTERNOON (3) | MORNING (6), "", 2, BB_VOLUNTEER_STATUS_ACTIVE, VOG_REQUESTED, TRUE, "" },
  { "Mohamed", "Bouzid", "06 8970 1148", BB_AGE_BAND_21_PLUS, 1981, "klussen;opbouw/afbouw;taal",
    SATURDAY_ALL | EVENING (3), "", 5, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "Spreekt Arabisch en Frans." },
  { "Lotte", "de Boer", "06 1081 2259", BB_AGE_BAND_UNDER_21, 2007, "social media;fotografie;evenementen",
    EVENING (5) | SATURDAY_ALL, "", 1, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Gerrit", "Mulder", "06 2192 3360", BB_AGE_BAND_21_PLUS, 1952, "groen;klussen",
    WEEKDAY_MORNINGS, "coördinator groen", 11, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Ayşe", "Yılmaz", "06 3203 4471", BB_AGE_BAND_21_PLUS, 1975, "bar/catering;taal;evenementen",
    AFTERNOON (6) | EVENING (6) | AFTERNOON (7), "keuken", 4, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Pieter", "Dekker", "06 4314 5582", BB_AGE_BAND_21_PLUS, 1966, "buurtpreventie;klussen",
    WEEKDAY_EVENINGS, "buurtpreventie", 7, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, FALSE, "" },
  { "Noor", "Hendriks", "06 5425 6693", BB_AGE_BAND_UNDER_21, 2008, "kinderactiviteiten;evenementen",
    AFTERNOON (3) | SATURDAY_ALL, "", 1, BB_VOLUNTEER_STATUS_ACTIVE, VOG_MISSING, TRUE, "" },
  { "Wim", "van Dijk", "06 6536 7704", BB_AGE_BAND_21_PLUS, 1958, "bezorgen;wijkkrant",
    WEEKDAY_MORNINGS, "wijkkrant bezorgen", 9, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "Wijk Noord." },
  { "Esther", "Kok", "06 7647 8815", BB_AGE_BAND_21_PLUS, 1972, "ouderenbezoek;taal",
    MORNING (2) | MORNING (4) | AFTERNOON (4), "ouderenbezoek", 6, BB_VOLUNTEER_STATUS_ACTIVE, VOG_RECENT,
    TRUE, "" },
  { "Ruud", "Jacobs", "06 8758 9926", BB_AGE_BAND_21_PLUS, 1963, "administratie",
    WEEKDAY_EVENINGS, "penningmeester", 6, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Femke", "de Graaf", "06 9869 0037", BB_AGE_BAND_21_PLUS, 1990, "evenementen;social media",
    EVENING (1) | EVENING (3) | SATURDAY_ALL, "", 2, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Bram", "Peters", "06 1970 1148", BB_AGE_BAND_21_PLUS, 1985, "opbouw/afbouw;EHBO/BHV",
    SATURDAY_ALL, "", 3, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, FALSE, "" },
  { "Truus", "van Leeuwen", "06 2081 2259", BB_AGE_BAND_21_PLUS, 1947, "ouderenbezoek;bar/catering",
    MORNING (2) | MORNING (3) | AFTERNOON (3), "koffieochtend", 14, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE,
    "Zet al jaren de koffie op de koffieochtend." },
  { "Daan", "Willems", "06 3192 3360", BB_AGE_BAND_UNDER_21, 2006, "opbouw/afbouw;bezorgen",
    SATURDAY_ALL | AFTERNOON (3), "", 1, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Priya", "Ramdin", "06 4203 4471", BB_AGE_BAND_21_PLUS, 1983, "administratie;taal;kinderactiviteiten",
    EVENING (2) | AFTERNOON (6), "", 2, BB_VOLUNTEER_STATUS_ACTIVE, VOG_RECENT, TRUE, "" },
  { "Jan", "Verhoeven", "06 5314 5582", BB_AGE_BAND_21_PLUS, 1957, "groen;buurtpreventie",
    WEEKDAY_MORNINGS | EVENING (2), "", 8, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Mirjam", "Bos", "06 6425 6693", BB_AGE_BAND_21_PLUS, 1969, "wijkkrant;fotografie",
    EVENING (1) | EVENING (3), "redactie wijkkrant", 5, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Stefan", "Lammers", "06 7536 7704", BB_AGE_BAND_21_PLUS, 1980, "evenementen;opbouw/afbouw;bar/catering",
    SATURDAY_ALL | EVENING (5), "", 4, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Yvonne", "Koster", "06 8647 8815", BB_AGE_BAND_21_PLUS, 1964, "bar/catering;ouderenbezoek",
    MORNING (3) | AFTERNOON (3), "", 3, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Thijs", "Maas", "06 9758 9926", BB_AGE_BAND_21_PLUS, 1995, "social media;evenementen",
    EVENING (4) | SATURDAY_ALL | AFTERNOON (7), "", 1, BB_VOLUNTEER_STATUS_REGISTERED, VOG_NONE, FALSE,
    "Aangemeld op de burendag." },
  { "Ingrid", "Brouwer", "06 1869 0037", BB_AGE_BAND_21_PLUS, 1959, "bezorgen;wijkkrant",
    WEEKDAY_MORNINGS, "wijkkrant bezorgen", 7, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "Wijk Zuid." },
  { "Ahmed", "Benali", "06 2970 1148", BB_AGE_BAND_21_PLUS, 1977, "vervoer;klussen;buurtpreventie",
    EVENING (1) | EVENING (2) | SATURDAY_ALL, "", 3, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Hanneke", "Vermeulen", "06 3081 2259", BB_AGE_BAND_21_PLUS, 1974, "kinderactiviteiten;evenementen",
    AFTERNOON (3) | SATURDAY_ALL, "", 5, BB_VOLUNTEER_STATUS_ACTIVE, VOG_OLD, TRUE, "" },
  { "Rob", "van der Linden", "06 4192 3360", BB_AGE_BAND_21_PLUS, 1962, "klussen;groen;opbouw/afbouw",
    MORNING (6) | WEEKDAY_MORNINGS, "", 6, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Emma", "Schouten", "06 5203 4471", BB_AGE_BAND_UNDER_21, 2009, "kinderactiviteiten;fotografie",
    AFTERNOON (3) | SATURDAY_ALL, "", 1, BB_VOLUNTEER_STATUS_REGISTERED, VOG_NONE, FALSE,
    "Maatschappelijke stage." },
  { "Marco", "Hoekstra", "06 6314 5582", BB_AGE_BAND_21_PLUS, 1971, "EHBO/BHV;buurtpreventie;verkeersregelaar",
    EVENING (3) | SATURDAY_ALL, "EHBO", 4, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Corrie", "Wouters", "06 7425 6693", BB_AGE_BAND_21_PLUS, 1951, "ouderenbezoek;bar/catering",
    MORNING (2) | MORNING (4), "", 9, BB_VOLUNTEER_STATUS_ACTIVE, VOG_RECENT, TRUE, "" },
  { "Sem", "Dijkstra", "06 8536 7704", BB_AGE_BAND_21_PLUS, 1999, "opbouw/afbouw;social media",
    SATURDAY_ALL | EVENING (5), "", 2, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Liesbeth", "Kuipers", "06 9647 8815", BB_AGE_BAND_21_PLUS, 1967, "administratie;wijkkrant;taal",
    EVENING (2) | EVENING (4), "", 3, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  { "Tom", "Postma", "06 1758 9926", BB_AGE_BAND_21_PLUS, 1987, "evenementen;bar/catering",
    EVENING (5) | SATURDAY_ALL, "", 1, BB_VOLUNTEER_STATUS_REGISTERED, VOG_NONE, FALSE, "" },
  { "Gerda", "Huisman", "06 2869 0037", BB_AGE_BAND_21_PLUS, 1956, "groen;ouderenbezoek",
    WEEKDAY_MORNINGS, "", 7, BB_VOLUNTEER_STATUS_ACTIVE, VOG_NONE, TRUE, "" },
  /* The two who stopped: one last summer, one long ago (listed for erasure). */
  { "Frank", "Mol", "06 3970 1148", BB_AGE_BAND_21_PLUS, 1960, "klussen;opbouw/afbouw",
    SATURDAY_ALL, "", 6, BB_VOLUNTEER_STATUS_STOPPED, VOG_NONE, TRUE, "" },
  { "Rianne", "Groen", "06 4081 2259", BB_AGE_BAND_21_PLUS, 1982, "kinderactiviteiten;evenementen",
    AFTERNOON (3), "", 8, BB_VOLUNTEER_STATUS_STOPPED, VOG_RECENT, TRUE, "" },
};

/* The stopped volunteers, by last name: when and why. */
typedef struct {
  const char *last;
  int         months_ago;
  const char *reason;
} DemoStop;

static const DemoStop stops[] = {
  { "Mol", 5, "Verhuisd naar Eindhoven." },
  { "Groen", 36, "Geen tijd meer door werk." },
};

/* Allowance agreements and what was paid, by last name. */
typedef struct {
  const char      *last;
  BbAllowanceKind  kind;
  gint64           cents;        /* per hour or per month */
  const char      *iban;
} DemoAgreement;

static const DemoAgreement agreements[] = {
  { "Jansen", BB_ALLOWANCE_KIND_HOURLY, 450, "NL91ABNA0417164300" },
  { "de Boer", BB_ALLOWANCE_KIND_HOURLY, 250, "NL44RABO0123456789" },
  { "Jacobs", BB_ALLOWANCE_KIND_FIXED, 15000, "NL20INGB0001234567" },
  { "van Dijk", BB_ALLOWANCE_KIND_EXPENSES, 0, "NL66RABO0123456781" },
};

/* Manual hours (the programme adds the confirmed ones), by last name:
 * minutes per time, how many months back (one line per month). */
typedef struct {
  const char *last;
  guint       minutes;
  guint       months;
  const char *note;
} DemoHours;

static const DemoHours manual_hours[] = {
  { "van Dijk", 120, 6, "Wijkkrant bezorgd (Noord)" },
  { "Brouwer", 105, 6, "Wijkkrant bezorgd (Zuid)" },
  { "Smit", 90, 4, "Ouderenbezoek" },
  { "Kok", 60, 4, "Ouderenbezoek" },
  { "Bos", 240, 3, "Redactie wijkkrant" },
  { "Mulder", 180, 3, "Snoeien plantsoen Dommelpad" },
  { "Jacobs", 150, 2, "Kascommissie voorbereid" },
  { "van den Heuvel", 120, 2, "Notulen en post" },
};

static GDate *
months_ago (const GDate *today,
            int          months,
            guint        day)
{
  GDate *date = g_date_copy (today);

  g_date_set_day (date, 1);
  if (months > 0)
    g_date_subtract_months (date, (guint) months);
  g_date_set_day (date, (GDateDay) MIN (day, 28u));
  /* Never in the future: this month's line falls on or before today. */
  if (g_date_compare (date, today) > 0)
    g_date_set_day (date, g_date_get_day (today));
  return date;
}

static char *
iso (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static char *
iso_months_ago (const GDate *today,
                int          months,
                guint        day)
{
  g_autoptr(GDate) date = months_ago (today, months, day);

  return iso (date);
}

/* "Marieke van den Heuvel" → "marieke.vandenheuvel" */
static char *
email_for (const DemoVolunteer *d)
{
  g_autofree char *joined = g_strconcat (d->first, ".", d->last, NULL);
  g_autofree char *folded = bb_volunteer_fold (joined);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || *p == '.')
      g_string_append_c (out, *p);
  g_string_append (out, "@voorbeeld.nl");
  return g_string_free (out, FALSE);
}

static const char *
find_id (GHashTable *ids,
         const char *last)
{
  const char *id = g_hash_table_lookup (ids, last);

  g_assert (id != NULL);
  return id;
}

static gboolean
add_volunteer (BbStore              *store,
               const DemoVolunteer  *d,
               const GDate          *today,
               GHashTable           *ids,
               GError              **error)
{
  g_autoptr(BbVolunteer) v = bb_volunteer_new ();
  g_auto(GStrv) skills = g_strsplit (d->skills, ";", -1);
  g_autofree char *email = email_for (d);
  g_autofree char *start = iso_months_ago (today, d->years_active * 12 + 2, 1 + strlen (d->last) % 27);

  bb_volunteer_set_first_name (v, d->first);
  bb_volunteer_set_last_name (v, d->last);
  bb_volunteer_set_email (v, email);
  bb_volunteer_set_phone (v, d->phone);
  bb_volunteer_set_age_band (v, d->band);
  bb_volunteer_set_birth_year (v, d->birth_year);
  bb_volunteer_set_availability (v, d->availability);
  bb_volunteer_set_skills (v, (const char * const *) skills);
  bb_volunteer_set_roles (v, d->roles);
  bb_volunteer_set_start_date (v, start);
  bb_volunteer_set_status (v, d->status);
  bb_volunteer_set_notes (v, d->notes);

  switch (d->vog)
    {
    case VOG_NONE:
      break;
    case VOG_RECENT:
    case VOG_OLD:
      {
        g_autofree char *issued = iso_months_ago (today, d->vog == VOG_RECENT ? 13 : 49, 12);

        bb_volunteer_set_vog_needed (v, TRUE);
        bb_volunteer_set_vog_status (v, BB_VOG_RECEIVED);
        bb_volunteer_set_vog_date (v, issued);
      }
      break;
    case VOG_REQUESTED:
      bb_volunteer_set_vog_needed (v, TRUE);
      bb_volunteer_set_vog_status (v, BB_VOG_REQUESTED);
      break;
    case VOG_MISSING:
      bb_volunteer_set_vog_needed (v, TRUE);
      break;
    default:
      g_assert_not_reached ();
    }

  for (guint i = 0; i < G_N_ELEMENTS (stops); i++)
    if (strcmp (stops[i].last, d->last) == 0)
      {
        g_autofree char *end = iso_months_ago (today, stops[i].months_ago, 30);

        bb_volunteer_set_end_date (v, end);
        bb_volunteer_set_stop_reason (v, stops[i].reason);
      }

  for (guint i = 0; i < G_N_ELEMENTS (agreements); i++)
    if (strcmp (agreements[i].last, d->last) == 0)
      {
        bb_volunteer_set_allowance_kind (v, agreements[i].kind);
        bb_volunteer_set_allowance_cents (v, agreements[i].cents);
        bb_volunteer_set_iban (v, agreements[i].iban);
      }

  if (!bb_volunteer_save (store, v, error))
    return FALSE;
  g_hash_table_insert (ids, (gpointer) d->last, g_strdup (bb_volunteer_get_id (v)));

  if (d->consents)
    {
      /* Given when they started; one changed her mind about photos. */
      for (guint k = 0; k < BB_N_CONSENT_KINDS; k++)
        if (!bb_volunteer_record_consent (store, bb_volunteer_get_id (v), (BbConsentKind) k, TRUE,
                                          start, error))
          return FALSE;
      if (strcmp (d->last, "Visser") == 0)
        {
          g_autofree char *withdrawn = iso_months_ago (today, 4, 3);

          if (!bb_volunteer_record_consent (store, bb_volunteer_get_id (v), BB_CONSENT_PHOTO, FALSE,
                                            withdrawn, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
add_payment (BbStore        *store,
             const char     *volunteer_id,
             BbPaymentKind   kind,
             const char     *date,
             gint64          cents,
             guint           minutes,
             const char     *note,
             GError        **error)
{
  g_autoptr(BbAllowancePayment) payment = bb_allowance_payment_new ();

  payment->volunteer_id = g_strdup (volunteer_id);
  payment->kind = kind;
  payment->date = g_strdup (date);
  payment->amount_cents = cents;
  payment->minutes = minutes;
  g_free (payment->note);
  payment->note = g_strdup (note);
  return bb_allowance_add_payment (store, payment, NULL, error);
}

/* Well within every year's limits since 2023 (the lowest: €5.00 and
 * €2.75 an hour, €190 a month, €1,900 a year). */
static gboolean
add_payments (BbStore      *store,
              const GDate  *today,
              GHashTable   *ids,
              GError      **error)
{
  static const guint hours_paid[] = { 240, 360, 180, 300 };
  static const gint64 receipts[] = { 2340, 1195, 4780 };

  for (int m = 1; m <= 10; m++)
    {
      g_autofree char *date = iso_months_ago (today, m, 25);

      if (!add_payment (store, find_id (ids, "Jacobs"), BB_PAYMENT_ALLOWANCE, date, 15000, 0,
                        "Vaste vrijwilligersvergoeding", error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (hours_paid); i++)
    {
      g_autofree char *date = iso_months_ago (today, (int) i * 2 + 1, 28);

      if (!add_payment (store, find_id (ids, "Jansen"), BB_PAYMENT_ALLOWANCE, date,
                        450 * hours_paid[i] / 60, hours_paid[i], "Bar bij activiteiten", error) ||
          !add_payment (store, find_id (ids, "de Boer"), BB_PAYMENT_ALLOWANCE, date,
                        250 * hours_paid[i] / 60, hours_paid[i], "Social media en foto’s", error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (receipts); i++)
    {
      g_autofree char *date = iso_months_ago (today, (int) i * 3 + 1, 15);

      if (!add_payment (store, find_id (ids, "van Dijk"), BB_PAYMENT_EXPENSE, date, receipts[i], 0,
                        "Fietsreparatie en kilometers (bon)", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
bb_volunteer_add_demo (BbStore  *store,
                       GError  **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate today;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));

  /* The council's own skill beside the built-in list */
  if (!bb_volunteer_add_council_skill (store, "verkeersregelaar", error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (volunteers); i++)
    if (!add_volunteer (store, &volunteers[i], &today, ids, error))
      return FALSE;

  if (!add_payments (store, &today, ids, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (manual_hours); i++)
    for (guint m = 0; m < manual_hours[i].months; m++)
      {
        g_autofree char *date = iso_months_ago (&today, (int) m, 8 + i);

        if (!bb_hours_add_manual (store, find_id (ids, manual_hours[i].last), NULL, date,
                                  manual_hours[i].minutes, manual_hours[i].note, NULL, error))
          return FALSE;
      }

  return TRUE;
}
