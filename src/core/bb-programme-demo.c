/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "bb-activity.h"
#include "bb-programme-demo.h"
#include "bb-volunteer.h"

/* The demo council's year: this year's programme of a wijkraad with about
 * fifteen activities. What lies in the past is done (participants,
 * confirmed hours) or cancelled; the rest is planned or confirmed. */

typedef struct {
  const char *task;
  int         needed;
  int         from_minutes;   /* relative to the activity's start */
  int         to_minutes;
} DemoTask;

typedef struct {
  const char *title;
  const char *theme;
  int         month;
  int         weekday;        /* 1 = Monday … 7 = Sunday; 0: @nth is the day of the month */
  int         nth;            /* nth weekday of the month, -1 the last */
  int         hour, minute;
  int         minutes;
  const char *location;
  const char *target_group;
  const char *partners;
  int         expected;
  const char *rrule;
  const char *cancelled;      /* reason, or NULL */
  const char *description;
  DemoTask    tasks[5];
} DemoActivity;

static const DemoActivity demo[] = {
  { "Nieuwjaarsreceptie", "feest & ontmoeting", 1, 6, 2, 16, 0, 180, "Buurthuis De Schakel", "alle bewoners", "",
    120, NULL, NULL, "Proosten op het nieuwe jaar, met een terugblik van de voorzitter.",
    { { "opbouw", 3, -90, 0 }, { "bar", 2, 0, 180 }, { "afbouw", 3, 180, 240 } } },
  { "Koffieochtend", "ouderen", 1, 2, 2, 10, 0, 120, "Buurthuis De Schakel", "ouderen en iedereen die aanschuift", "",
    20, "FREQ=MONTHLY;BYDAY=2TU", NULL, "Elke tweede dinsdag: koffie, thee en een praatje.",
    { { "koffie schenken", 2, -30, 120 } } },
  { "Wijkschouw met de gemeente", "groen & schoon", 3, 6, 3, 10, 0, 120, "Start bij de speeltuin Dommelstraat", "",
    "gemeente Valkenswaard, woningcorporatie", 15, NULL, NULL, "Samen langs losse stoeptegels, zwerfvuil en donkere plekken.",
    { { "gids", 2, 0, 120 } } },
  { "Paaseieren zoeken", "kinderen & jeugd", 4, 6, 1, 10, 0, 120, "Wijkpark De Hoeven", "kinderen tot 12 jaar", "",
    80, NULL, NULL, "Eieren zoeken in het park, met limonade na afloop.",
    { { "eieren verstoppen", 4, -90, 0 }, { "EHBO", 1, 0, 120 }, { "kinderactiviteit", 3, 0, 120 } } },
  { "Koningsdag", "feest & ontmoeting", 4, 0, 27, 9, 0, 480, "Dorpsplein", "alle bewoners", "Oranjecomité",
    400, NULL, NULL, "Vrijmarkt, kinderspelen en muziek op het plein.",
    { { "opbouw", 4, -90, 0 }, { "kinderspelen", 3, 60, 300 }, { "bar", 3, 0, 480 }, { "EHBO", 2, 0, 480 },
      { "afbouw", 4, 480, 570 } } },
  { "Algemene ledenvergadering", "vergadering", 5, 3, -1, 20, 0, 120, "Buurthuis De Schakel", "leden", "",
    40, NULL, NULL, "Jaarverslag, financieel verslag en verslag van de kascommissie.",
    { { "notuleren", 1, 0, 120 } } },
  { "Zomerfeest", "feest & ontmoeting", 6, 6, -1, 14, 0, 480, "Wijkpark De Hoeven", "alle bewoners", "Scouting De Dommel",
    250, NULL, NULL, "Springkussen, barbecue en een bandje in de avond.",
    { { "opbouw", 4, -120, 0 }, { "bar", 3, 0, 480 }, { "barbecue", 2, 180, 360 }, { "EHBO", 1, 0, 480 } } },
  { "Buitenbioscoop", "feest & ontmoeting", 8, 5, 3, 21, 0, 150, "Wijkpark De Hoeven", "alle bewoners", "",
    100, NULL, "Onweer voorspeld", "Een familiefilm op groot scherm.", { { "techniek", 2, -60, 150 } } },
  { "Burendag", "feest & ontmoeting", 9, 6, 4, 13, 0, 240, "Speeltuin Dommelstraat", "alle bewoners",
    "Oranje Fonds", 170, NULL, NULL, "Samen de speeltuin opknappen, daarna soep voor iedereen.",
    { { "klussen", 6, 0, 180 }, { "soep koken", 2, -60, 240 } } },
  { "Buurtpreventie-avond", "veiligheid", 10, 4, 1, 19, 30, 120, "Buurthuis De Schakel", "", "wijkagent",
    30, NULL, NULL, "De wijkagent vertelt over inbraakpreventie in de donkere maanden.", { { "gastheer", 1, -30, 120 } } },
  { "Halloween", "kinderen & jeugd", 10, 0, 31, 17, 30, 150, "Wijkpark De Hoeven", "kinderen en ouders", "",
    75, NULL, NULL, "Spokentocht door het park.",
    { { "route uitzetten", 3, -120, 0 }, { "spoken", 6, 0, 150 }, { "EHBO", 1, 0, 150 } } },
  { "Sinterklaas in de wijk", "kinderen & jeugd", 11, 6, 4, 13, 0, 120, "Buurthuis De Schakel", "kinderen tot 10 jaar",
    "", 60, NULL, NULL, "Sinterklaas en zijn pieten bezoeken het buurthuis.",
    { { "opbouw", 2, -60, 0 }, { "kinderactiviteit", 3, 0, 120 } } },
  { "Kerstmarkt", "feest & ontmoeting", 12, 6, 2, 15, 0, 240, "Dorpsplein", "alle bewoners", "ondernemers Dorpsstraat",
    300, NULL, NULL, "Kraampjes, glühwein en een koor.",
    { { "opbouw", 4, -120, 0 }, { "bar", 2, 0, 240 }, { "afbouw", 4, 240, 300 } } },
  { "Wijkkrant bezorgen", "communicatie", 3, 1, 1, 9, 0, 180, "Hele wijk", "alle huishoudens", "",
    0, "FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO;COUNT=4", NULL, "De wijkkrant in alle brievenbussen.",
    { { "bezorgen", 8, 0, 180 } } },
};

/* The @nth @weekday of @month (1 = Monday), or the last when @nth is -1;
 * with @weekday 0, day @nth of the month. */
static GDate
pick_date (int year,
           int month,
           int weekday,
           int nth)
{
  GDate date;

  g_date_clear (&date, 1);
  if (weekday == 0)
    {
      g_date_set_dmy (&date, (GDateDay) nth, (GDateMonth) month, (GDateYear) year);
      /* Koningsdag moves to Saturday when 27 April is a Sunday. */
      if (month == 4 && nth == 27 && g_date_get_weekday (&date) == G_DATE_SUNDAY)
        g_date_subtract_days (&date, 1);
      return date;
    }

  if (nth > 0)
    {
      g_date_set_dmy (&date, 1, (GDateMonth) month, (GDateYear) year);
      while ((int) g_date_get_weekday (&date) != weekday)
        g_date_add_days (&date, 1);
      g_date_add_days (&date, 7 * (guint) (nth - 1));
    }
  else
    {
      g_date_set_dmy (&date, g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year),
                      (GDateMonth) month, (GDateYear) year);
      while ((int) g_date_get_weekday (&date) != weekday)
        g_date_subtract_days (&date, 1);
    }
  return date;
}

/* Deterministic "counted" figures: a little under or over the expectation. */
static int
demo_participants (int expected,
                   guint i)
{
  static const int percent[] = { 92, 105, 84, 110, 97, 88, 101 };

  return expected * percent[i % G_N_ELEMENTS (percent)] / 100;
}

gboolean
bb_programme_add_demo (BbStore  *store,
                       GError  **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (bb_programme_get_timezone ());
  g_autoptr(GListModel) volunteers = bb_volunteer_list_all (store, NULL);
  int year = g_date_time_get_year (now);
  guint n_volunteers = volunteers != NULL ? g_list_model_get_n_items (volunteers) : 0;
  guint next_volunteer = 0;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      const DemoActivity *d = &demo[i];
      g_autoptr(BbActivity) activity = bb_activity_new ();
      GDate date = pick_date (year, d->month, d->weekday, d->nth);
      g_autoptr(GDateTime) start = bb_programme_time_new (year, d->month, g_date_get_day (&date), d->hour, d->minute);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (start, d->minutes);
      g_autoptr(GDateTime) from = NULL;
      g_autoptr(GDateTime) to = NULL;
      g_autoptr(GPtrArray) occurrences = NULL;

      bb_activity_set_title (activity, d->title);
      bb_activity_set_theme (activity, d->theme);
      bb_activity_set_times (activity, start, end);
      bb_activity_set_location (activity, d->location);
      bb_activity_set_target_group (activity, d->target_group);
      bb_activity_set_partners (activity, d->partners);
      bb_activity_set_expected_participants (activity, d->expected);
      bb_activity_set_description (activity, d->description);
      bb_activity_set_open_to_all (activity, !g_str_equal (d->target_group, "leden"));
      bb_activity_set_rrule (activity, d->rrule != NULL ? d->rrule : "");
      bb_activity_set_status (activity, g_date_time_compare (start, now) > 0 && d->month > 10
                                          ? BB_ACTIVITY_STATUS_PLANNED : BB_ACTIVITY_STATUS_CONFIRMED);
      if (!bb_programme_save_activity (store, activity, error))
        return FALSE;

      for (guint t = 0; t < G_N_ELEMENTS (d->tasks) && d->tasks[t].task != NULL; t++)
        {
          const DemoTask *dt = &d->tasks[t];
          g_autoptr(GDateTime) task_start = g_date_time_add_minutes (start, dt->from_minutes);
          g_autoptr(GDateTime) task_end = g_date_time_add_minutes (start, dt->to_minutes);
          g_autoptr(BbTask) task = bb_task_new (bb_activity_get_id (activity), dt->task, dt->needed,
                                                task_start, task_end);

          if (!bb_programme_save_task (store, task, error))
            return FALSE;

          /* Most tasks get all their people; every third one is one short. */
          for (int v = 0; v < dt->needed - ((i + t) % 3 == 0 ? 1 : 0) && n_volunteers > 0; v++)
            {
              g_autoptr(BbVolunteer) volunteer = g_list_model_get_item (volunteers, next_volunteer++ % n_volunteers);

              if (!bb_programme_assign (store, bb_task_get_id (task), bb_volunteer_get_id (volunteer), error))
                return FALSE;
            }
        }

      if (d->cancelled != NULL)
        {
          if (!bb_programme_cancel_occurrence (store, bb_activity_get_id (activity), NULL, d->cancelled, error))
            return FALSE;
          continue;
        }

      /* What is over was held: participants and confirmed hours. */
      from = bb_programme_time_new (year, 1, 1, 0, 0);
      occurrences = bb_activity_expand (activity, from, now, error);
      if (occurrences == NULL)
        return FALSE;
      for (guint o = 0; o < occurrences->len; o++)
        {
          BbOccurrence *occurrence = g_ptr_array_index (occurrences, o);
          g_autoptr(GPtrArray) lines = NULL;

          if (g_date_time_compare (bb_occurrence_get_end (occurrence), now) > 0)
            continue;
          /* The koffieochtend has a summer break in July. */
          if (d->rrule != NULL && g_date_time_get_month (bb_occurrence_get_start (occurrence)) == 7)
            {
              if (!bb_programme_cancel_occurrence (store, bb_activity_get_id (activity),
                                                   bb_occurrence_get_recurrence_id (occurrence),
                                                   "Zomerstop", error))
                return FALSE;
              continue;
            }
          lines = bb_programme_prefill_hours (store, occurrence, error);
          if (lines == NULL ||
              !bb_programme_mark_done (store, occurrence, demo_participants (MAX (d->expected, 10), i + o),
                                       d->expected >= 150 ? BB_COUNT_METHOD_ESTIMATED : BB_COUNT_METHOD_COUNTED,
                                       lines, error))
            return FALSE;
        }
      (void) to;
    }

  return TRUE;
}
