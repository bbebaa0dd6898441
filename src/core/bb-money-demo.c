/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <cairo.h>

#include "bb-activity.h"
#include "bb-budget.h"
#include "bb-money-demo.h"
#include "bb-money-private.h"
#include "bb-ruleset.h"
#include "bb-subsidy.h"
#include "bb-volunteer.h"

/* The demo council's books: every shop, person and amount is made up, and
 * the figures are what a wijkraad of 4,500 residents typically spends.
 * The data is Dutch, like the council; the post names are the Dutch names
 * of the budget template. Random choices come from a fixed seed, so every
 * demo file has the same books (for a given year). */

#define DEMO_SEED 20251212

typedef enum {
  ACTIVITIES,
  PAPER,
  COMMUNICATION,
  VOLUNTEERS,
  ROOM,
  INSURANCE,
  BANK,
  MEETINGS,
  PURCHASES,
  CONTINGENCIES,
  SUBSIDY,
  CONTRIBUTIONS,
  ADVERTISEMENTS,
  SPONSORSHIP,
  N_POSTS
} DemoPost;

static const struct {
  const char *name;
  BbPostKind  kind;
  gint64      planned_cents;
  /* Why the actual amount differs, should it pass the threshold */
  const char *explanation;
} demo_posts[N_POSTS] = {
  { "Activiteiten", BB_POST_EXPENSE, 500000,
    "Het zomerfeest trok ruim twee keer zoveel bezoekers als verwacht: een tweede "
    "springkussen en extra catering. Gedekt uit hogere eigen bijdragen en de post onvoorzien." },
  { "Wijkkrant druk en bezorging", BB_POST_EXPENSE, 320000,
    "De drukker verhoogde in het voorjaar de papierprijs." },
  { "Communicatie en website", BB_POST_EXPENSE, 60000,
    "De nieuwe website is door een vrijwilliger gebouwd; alleen hosting, domeinnaam "
    "en flyers zijn betaald." },
  { "Vrijwilligers", BB_POST_EXPENSE, 150000,
    "Meer vrijwilligers dan begroot deden mee, dus ook de vrijwilligersavond was groter." },
  { "Huur ruimte", BB_POST_EXPENSE, 120000, "" },
  { "Verzekering", BB_POST_EXPENSE, 45000, "" },
  { "Bankkosten", BB_POST_EXPENSE, 18000, "" },
  { "Vergaderkosten", BB_POST_EXPENSE, 35000,
    "Twee vergaderingen vielen samen met een bewonersavond in het buurthuis." },
  { "Kleine aanschaffingen", BB_POST_EXPENSE, 50000, "" },
  { "Onvoorzien", BB_POST_EXPENSE, 30000,
    "Er was weinig onvoorzien; het overschot ving een deel van de extra activiteitskosten op." },
  { "Subsidie", BB_POST_INCOME, 1250000,
    "Het restant van de subsidie (20%) volgt na de vaststelling." },
  { "Eigen bijdragen", BB_POST_INCOME, 35000,
    "Meer deelnemers aan het zomerfeest en de sinterklaasviering betaalden een bijdrage." },
  { "Advertenties", BB_POST_INCOME, 25000, "" },
  { "Sponsoring", BB_POST_INCOME, 18000,
    "De Rabo ClubSupport-actie leverde minder stemmen op dan het jaar ervoor." },
};

/* For what no line above explains but the rule set still asks about. */
#define GENERIC_EXPLANATION "Kleine afwijking door prijsstijgingen in de loop van het jaar."

static const char * const shops[] = {
  "Jumbo Valkenswaard", "Albert Heijn Dommelen", "Action Valkenswaard", "Bakkerij Van Gils",
  "Slagerij Verhoeven", "Hema Valkenswaard", "Kruidvat Valkenswaard", "Groenteboer De Kempen",
  "Bouwmarkt Gamma", "Feestwinkel Party Pieter", "Lidl Valkenswaard",
};

static const char * const activity_items[] = {
  "boodschappen", "koffie, thee en koek", "knutselmateriaal", "prijsjes en cadeautjes",
  "versiering", "drinken en fruit", "bekers en servetten", "materiaal",
};

static const char * const months[] = {
  "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
  "september", "oktober", "november", "december",
};

typedef struct {
  BbStore    *store;
  GRand      *rand;
  int         year;
  int         last_month;   /* 12 for a complete year; this month for the current one */
  gboolean    complete;
  char       *today;
  char       *post_ids[N_POSTS];
  GPtrArray  *volunteers;   /* BbVolunteer, active ones */
  guint       next_volunteer;
  guint       n_written;
  guint       sequence;
} Demo;

static void
demo_clear (Demo *demo)
{
  for (guint i = 0; i < N_POSTS; i++)
    g_clear_pointer (&demo->post_ids[i], g_free);
}

/* A little receipt photo: paper, a shop header, lines of items and a
 * total, drawn as bars (no fonts: the demo must be quick). @seed makes
 * each one different, so none is stored as a duplicate of another. */
static cairo_status_t
append_png_bytes (void                *closure,
                  const unsigned char *data,
                  unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
make_receipt_png (guint32 seed,
                  gint64  cents)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 48, 72);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();
  GRand *rand = g_rand_new_with_seed (seed);
  int n_lines = 3 + (int)(seed % 5);

  cairo_set_source_rgb (cr, 0.45, 0.42, 0.38);   /* the table it lies on */
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.98, 0.97, 0.94);
  cairo_rectangle (cr, 6, 2, 36, 68);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.15, 0.15, 0.2);
  cairo_rectangle (cr, 12, 6, 24, 4);             /* the shop's name */
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.4);
  for (int i = 0; i < n_lines; i++)
    {
      double width = g_rand_int_range (rand, 10, 20);

      cairo_rectangle (cr, 9, 16 + i * 5, width, 2);
      cairo_rectangle (cr, 33 - (cents % 3), 16 + i * 5, 6, 2);
    }
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_rectangle (cr, 9, 60, 12, 3);             /* TOTAAL */
  cairo_rectangle (cr, 39 - 2 - (double)(cents % 1000) / 100.0, 60, 2 + (double)(cents % 1000) / 100.0, 3);
  cairo_fill (cr);

  cairo_surface_flush (surface);
  cairo_surface_write_to_png_stream (surface, append_png_bytes, png);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_rand_free (rand);

  return g_byte_array_free_to_bytes (png);
}

static char *
iso_date (int year,
          int month,
          int day)
{
  GDate date;

  day = CLAMP (day, 1, (int)g_date_get_days_in_month ((GDateMonth)month, (GDateYear)year));
  g_date_set_dmy (&date, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

/* Writes one transaction, booked wholly on @post, with a receipt for an
 * expense unless @receipt is FALSE. */
static gboolean
book (Demo        *demo,
      const char  *date,
      gint64       cents,
      BbAccount    account,
      DemoPost     post,
      const char  *description,
      const char  *counterparty,
      const char  *iban,
      const char  *activity_id,
      const char  *volunteer_id,
      gboolean     receipt,
      GError     **error)
{
  g_autoptr(BbTransaction) t = bb_transaction_new ();
  g_autofree char *receipt_id = NULL;

  /* This year's books stop today */
  if (!demo->complete && strcmp (date, demo->today) > 0)
    return TRUE;

  g_free (t->date);
  t->date = g_strdup (date);
  t->amount_cents = cents;
  t->account = account;
  g_free (t->description);
  t->description = g_strdup (description);
  g_free (t->counterparty);
  t->counterparty = g_strdup (counterparty);
  g_free (t->counterparty_iban);
  t->counterparty_iban = g_strdup (iban != NULL ? iban : "");
  t->activity_id = g_strdup (activity_id);
  t->volunteer_id = g_strdup (volunteer_id);
  if (account == BB_ACCOUNT_BANK)
    {
      g_free (t->bank_reference);
      t->bank_reference = g_strdup_printf ("%.4s%.2s%.2s%08u", date, date + 5, date + 8,
                                           ++demo->sequence);
    }
  bb_transaction_add_split (t, demo->post_ids[post], cents);

  if (!bb_ledger_write (demo->store, t, FALSE, NULL, error))
    return FALSE;
  demo->n_written++;

  if (receipt && cents < 0)
    {
      g_autoptr(GBytes) png = make_receipt_png (DEMO_SEED + demo->n_written * 7919, -cents);
      g_autofree char *name = g_strdup_printf ("bon-%s-%03u.png", date, demo->n_written);

      receipt_id = bb_ledger_write_receipt (demo->store, t->id, png, "image/png", name, error);
      if (receipt_id == NULL)
        return FALSE;
    }

  return TRUE;
}

static gint64
random_cents (Demo   *demo,
              gint64  from,
              gint64  to)
{
  return -(gint64)g_rand_int_range (demo->rand, (gint32)from, (gint32)to);
}

static BbVolunteer *
next_volunteer (Demo *demo)
{
  if (demo->volunteers->len == 0)
    return NULL;
  return g_ptr_array_index (demo->volunteers, demo->next_volunteer++ % demo->volunteers->len);
}

static gboolean
add_subsidy (Demo        *demo,
             gboolean     complete,
             GError     **error)
{
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autofree char *advance_date = iso_date (demo->year, 1, 20);

  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Gemeente Valkenswaard");
  g_free (subsidy->scheme);
  subsidy->scheme = g_strdup ("Subsidie leefbaarheid en wijkactiviteiten");
  g_free (subsidy->beschikking_number);
  subsidy->beschikking_number = g_strdup_printf ("Z/%02d/%06d", (demo->year - 1) % 100,
                                                 complete ? 412587 : 398114);
  g_free (subsidy->beschikking_date);
  subsidy->beschikking_date = iso_date (demo->year - 1, 12, complete ? 12 : 9);
  g_free (subsidy->period_start);
  subsidy->period_start = iso_date (demo->year, 1, 1);
  g_free (subsidy->period_end);
  subsidy->period_end = iso_date (demo->year, 12, 31);
  g_free (subsidy->ruleset_id);
  subsidy->ruleset_id = g_strdup (BB_RULESET_ID_MUNICIPAL);
  g_free (subsidy->notes);
  subsidy->notes = g_strdup ("Voorschot van 80% in januari; het restant na de vaststelling "
                             "op basis van de verantwoording.");
  subsidy->requested_cents = 1325000;
  subsidy->granted_cents = 1250000;
  bb_subsidy_add_advance (subsidy, advance_date, 1000000);
  if (!bb_subsidy_save (demo->store, subsidy, error))
    return FALSE;

  for (guint i = 0; i < N_POSTS; i++)
    {
      g_autoptr(BbBudgetPost) post = bb_budget_post_new (subsidy->id, demo_posts[i].kind,
                                                         demo_posts[i].name,
                                                         demo_posts[i].planned_cents);

      post->position = (int)i;
      if (!bb_budget_save_post (demo->store, post, error))
        return FALSE;
      demo->post_ids[i] = g_strdup (post->id);
    }

  return TRUE;
}

/* What comes back every month or every edition, whatever happens. */
static gboolean
add_regular (Demo    *demo,
             GError **error)
{
  g_autofree char *date = iso_date (demo->year, 1, 20);

  /* The advance of the subsidy */
  if (!book (demo, date, 1000000, BB_ACCOUNT_BANK, SUBSIDY,
             "Voorschot subsidie leefbaarheid en wijkactiviteiten", "Gemeente Valkenswaard",
             "NL29BNGH0285006478", NULL, NULL, FALSE, error))
    return FALSE;

  for (int month = 1; month <= demo->last_month; month++)
    {
      g_autofree char *first = iso_date (demo->year, month, 1);
      g_autofree char *last = iso_date (demo->year, month, 31);
      g_autofree char *rent = g_strdup_printf ("Huur zaal buurthuis %s", months[month - 1]);

      if (!book (demo, first, -10000, BB_ACCOUNT_BANK, ROOM, rent,
                 "Stichting Buurthuis De Hofnar", "NL47RABO0156734290", NULL, NULL, TRUE, error) ||
          !book (demo, last, -1495, BB_ACCOUNT_BANK, BANK, "Kosten Rabo BasisPakket Zakelijk",
                 "Rabobank", "", NULL, NULL, TRUE, error))
        return FALSE;

      /* The wijkkrant comes out every other month */
      if (month % 2 == 0)
        {
          g_autofree char *printed = iso_date (demo->year, month, 8);
          g_autofree char *what = g_strdup_printf ("Druk wijkkrant %s (1.900 ex.)", months[month - 1]);

          if (!book (demo, printed, random_cents (demo, 51500, 56000), BB_ACCOUNT_BANK, PAPER, what,
                     "Drukkerij De Kempen B.V.", "NL12INGB0007654321", NULL, NULL, TRUE, error))
            return FALSE;
        }

      /* Coffee and tea for the monthly meeting, mostly from the cash box */
      if (month != 7 && month != 8)
        {
          g_autofree char *meeting = iso_date (demo->year, month, 9 + month % 5);
          /* The cash box is filled by the contributions of a complete year */
          BbAccount account = month % 3 != 0 && demo->complete ? BB_ACCOUNT_CASH : BB_ACCOUNT_BANK;

          if (!book (demo, meeting, random_cents (demo, 2800, 4200), account, MEETINGS,
                     "Koffie, thee en koek vergadering", shops[month % 2], NULL, NULL, NULL,
                     month != 5, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Once a year, for a complete year. */
static gboolean
add_yearly (Demo    *demo,
            GError **error)
{
  static const struct {
    int         month, day;
    gint64      cents;
    DemoPost    post;
    const char *description;
    const char *counterparty;
  } once[] = {
    { 1, 31, -43750, INSURANCE, "Aansprakelijkheids- en ongevallenverzekering vrijwilligers", "Verzekeringen Kempenland" },
    { 2, 3, -17988, COMMUNICATION, "Hosting website dedommelhoek.nl (jaar)", "Hostnet B.V." },
    { 2, 3, -1499, COMMUNICATION, "Domeinnaam dedommelhoek.nl", "Hostnet B.V." },
    { 3, 18, -12450, COMMUNICATION, "Flyers voorjaarsschoonmaak (2.000 st.)", "Drukkerij De Kempen B.V." },
    { 9, 2, -12675, COMMUNICATION, "Flyers sinterklaasintocht en burendag", "Drukkerij De Kempen B.V." },
    { 4, 4, -18900, PURCHASES, "Partytent 3 x 6 m", "Bouwmarkt Gamma" },
    { 4, 4, -6495, PURCHASES, "Verlengkabels en kabelhaspel", "Bouwmarkt Gamma" },
    { 5, 22, -15990, PURCHASES, "Statafels (2) met rok", "Action Valkenswaard" },
    { 6, 10, -8995, PURCHASES, "EHBO-koffer", "Kruidvat Valkenswaard" },
    { 10, 14, -8500, CONTINGENCIES, "Vervanging gestolen spandoek", "Reclamebureau Dommeldal" },
    { 4, 27, -25000, ACTIVITIES, "Muziek en geluid Koningsdag", "Geluidsverhuur Van Dijk" },
    { 7, 5, -32500, ACTIVITIES, "Springkussen zomerfeest (2 st.)", "Verhuurbedrijf Springplezier" },
    { 7, 5, -45000, ACTIVITIES, "DJ en licht zomerfeest", "DJ Ruud Entertainment" },
    { 11, 29, -38000, ACTIVITIES, "Cadeautjes sinterklaasviering (95 kinderen)", "Speelgoedwinkel De Bonte Tol" },
    { 12, 12, -72000, VOLUNTEERS, "Vrijwilligersavond (buffet, 48 personen)", "Eetcafé De Hofnar" },
    { 6, 15, 18000, SPONSORSHIP, "Rabo ClubSupport", "Rabobank Kempenland" },
    { 3, 1, 5000, ADVERTISEMENTS, "Advertentie wijkkrant (jaar)", "Kapsalon Knipwerk" },
    { 3, 4, 5000, ADVERTISEMENTS, "Advertentie wijkkrant (jaar)", "Bakkerij Van Gils" },
    { 3, 9, 5000, ADVERTISEMENTS, "Advertentie wijkkrant (jaar)", "Fysiotherapie Dommelen" },
    { 3, 15, 5000, ADVERTISEMENTS, "Advertentie wijkkrant (jaar)", "Makelaardij Kempenhuis" },
    { 4, 2, 5000, ADVERTISEMENTS, "Advertentie wijkkrant (jaar)", "Slagerij Verhoeven" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (once); i++)
    {
      g_autofree char *date = iso_date (demo->year, once[i].month, once[i].day);

      /* One invoice went missing: the treasurer still has to find it */
      if (!book (demo, date, once[i].cents, BB_ACCOUNT_BANK, once[i].post, once[i].description,
                 once[i].counterparty, NULL, NULL, NULL, i != 9, error))
        return FALSE;
    }

  /* Contributions of participants, into the cash box */
  for (int i = 0; i < 8; i++)
    {
      static const int event_months[] = { 3, 4, 6, 7, 7, 9, 11, 12 };
      g_autofree char *date = iso_date (demo->year, event_months[i], 6 + i * 3);

      if (!book (demo, date, -random_cents (demo, 4000, 9000), BB_ACCOUNT_CASH, CONTRIBUTIONS,
                 "Eigen bijdragen deelnemers", "Deelnemers", NULL, NULL, NULL, FALSE, error))
        return FALSE;
    }

  /* Volunteers: reimbursements and a quarterly allowance for the three
   * who deliver the wijkkrant */
  for (int i = 0; i < 10; i++)
    {
      BbVolunteer *volunteer = next_volunteer (demo);
      const char *name = volunteer != NULL ? bb_volunteer_get_display_name (volunteer) : "Vrijwilliger";
      g_autofree char *date = iso_date (demo->year, 1 + i, 12 + i % 10);
      g_autofree char *what = g_strdup_printf ("Declaratie %s: boodschappen werkgroep", name);

      if (!book (demo, date, random_cents (demo, 1800, 6500), BB_ACCOUNT_BANK, VOLUNTEERS, what,
                 name, NULL, NULL, volunteer != NULL ? bb_volunteer_get_id (volunteer) : NULL,
                 TRUE, error))
        return FALSE;
    }
  for (int quarter = 1; quarter <= 4; quarter++)
    for (int i = 0; i < 3; i++)
      {
        BbVolunteer *volunteer = next_volunteer (demo);
        const char *name = volunteer != NULL ? bb_volunteer_get_display_name (volunteer) : "Bezorger";
        g_autofree char *date = iso_date (demo->year, quarter * 3, 28);
        g_autofree char *what = g_strdup_printf ("Vrijwilligersvergoeding bezorging wijkkrant K%d", quarter);

        if (!book (demo, date, -5000, BB_ACCOUNT_BANK, VOLUNTEERS, what, name, NULL, NULL,
                   volunteer != NULL ? bb_volunteer_get_id (volunteer) : NULL, TRUE, error))
          return FALSE;
      }

  return TRUE;
}

/* The small costs of activities: for each held occurrence of the
 * programme in the period a purchase or two linked to it; without a
 * programme for that year, spread over the year. */
static gboolean
add_activity_costs (Demo     *demo,
                    guint     n_wanted,
                    GError  **error)
{
  g_autoptr(GDateTime) from = g_date_time_new_utc (demo->year, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) year_end = g_date_time_new_utc (demo->year + 1, 1, 1, 0, 0, 0);
  GDateTime *to = g_date_time_compare (now, year_end) < 0 ? now : year_end;
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GPtrArray) held = g_ptr_array_new ();

  occurrences = bb_programme_list_occurrences (demo->store, from, to, NULL);
  for (guint i = 0; occurrences != NULL && i < occurrences->len; i++)
    {
      BbOccurrence *occurrence = g_ptr_array_index (occurrences, i);

      if (bb_occurrence_get_status (occurrence) != BB_ACTIVITY_STATUS_CANCELLED)
        g_ptr_array_add (held, occurrence);
    }

  for (guint i = 0; i < n_wanted; i++)
    {
      const char *shop = shops[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (shops))];
      const char *item = activity_items[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (activity_items))];
      BbAccount account = i % 19 == 4 && demo->complete ? BB_ACCOUNT_CASH : BB_ACCOUNT_BANK;
      g_autofree char *date = NULL;
      g_autofree char *what = NULL;
      const char *activity_id = NULL;

      if (held->len > 0)
        {
          BbOccurrence *occurrence = g_ptr_array_index (held, i % held->len);
          BbActivity *activity = bb_occurrence_get_activity (occurrence);
          g_autoptr(GDateTime) bought = g_date_time_add_days (bb_occurrence_get_start (occurrence),
                                                              -(int)(i % 3));

          date = g_date_time_format (bought, "%Y-%m-%d");
          what = g_strdup_printf ("%c%s %s", g_ascii_toupper (item[0]), item + 1,
                                  bb_activity_get_title (activity));
          activity_id = bb_activity_get_id (activity);
          /* Only the bought date must be in the period */
          if (g_date_time_get_year (bought) != demo->year)
            {
              g_free (date);
              date = iso_date (demo->year, 1, 2);
            }
        }
      else
        {
          int month = 1 + (int)(i * demo->last_month / n_wanted);

          date = iso_date (demo->year, month, g_rand_int_range (demo->rand, 1, 29));
          what = g_strdup_printf ("%c%s activiteit %s", g_ascii_toupper (item[0]), item + 1,
                                  months[month - 1]);
        }

      /* Three receipts are still missing */
      if (!book (demo, date, random_cents (demo, 2500, 12500), account, ACTIVITIES, what, shop,
                 NULL, activity_id, NULL, i % 23 != 11, error))
        return FALSE;
    }

  return TRUE;
}

/* As the treasurer would: explain what the rule set asks to explain. */
static gboolean
add_explanations (Demo        *demo,
                  const char  *subsidy_id,
                  GError     **error)
{
  g_autoptr(BbBudgetActual) actual = bb_budget_actual_compute (demo->store, subsidy_id, error);

  if (actual == NULL)
    return FALSE;

  for (guint i = 0; i < actual->lines->len; i++)
    {
      BbBudgetLine *line = g_ptr_array_index (actual->lines, i);
      const char *text = GENERIC_EXPLANATION;

      if (!line->explanation_required)
        continue;
      for (guint p = 0; p < N_POSTS; p++)
        if (g_strcmp0 (demo->post_ids[p], line->post->id) == 0 && *demo_posts[p].explanation != '\0')
          text = demo_posts[p].explanation;
      if (!bb_budget_set_explanation (demo->store, line->post->id, text, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
add_year (BbStore     *store,
          GPtrArray   *volunteers,
          int          year,
          gboolean     complete,
          GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  Demo demo = { store, NULL, year, 12, complete, today, { NULL, }, volunteers, 0, 0, 0 };
  g_autofree char *subsidy_id = NULL;
  gboolean ok = FALSE;

  demo.rand = g_rand_new_with_seed (DEMO_SEED + (guint32)complete);
  if (!complete)
    demo.last_month = g_date_time_get_month (now);

  if (!add_subsidy (&demo, complete, error))
    goto out;

  /* All bookings in one transaction: one write of the file, not 150 */
  if (!bb_store_begin (store, error))
    goto out;
  if (!add_regular (&demo, error) ||
      (complete && !add_yearly (&demo, error)) ||
      !add_activity_costs (&demo, complete ? 57 : MIN (2 * (guint)demo.last_month, 20), error))
    {
      bb_store_rollback (store);
      goto out;
    }
  if (!bb_store_commit (store, error))
    goto out;
  bb_store_emit_changed (store);

  /* The current year is not over: nothing to explain yet */
  if (complete)
    {
      g_autoptr(GPtrArray) subsidies = bb_subsidy_list (store, error);

      if (subsidies == NULL)
        goto out;
      for (guint i = 0; i < subsidies->len; i++)
        {
          BbSubsidy *subsidy = g_ptr_array_index (subsidies, i);
          g_autofree char *start = iso_date (year, 1, 1);

          if (g_strcmp0 (subsidy->period_start, start) == 0)
            subsidy_id = g_strdup (subsidy->id);
        }
      if (subsidy_id != NULL && !add_explanations (&demo, subsidy_id, error))
        goto out;
    }

  ok = TRUE;

out:
  g_rand_free (demo.rand);
  demo_clear (&demo);
  return ok;
}

gboolean
bb_money_add_demo (BbStore  *store,
                   GError  **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) volunteers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) all = NULL;
  int year = g_date_time_get_year (now);

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  /* Reimbursements and allowances go to the demo volunteers, if any */
  all = bb_volunteer_list_all (store, NULL);
  for (guint i = 0; all != NULL && i < g_list_model_get_n_items (all) && volunteers->len < 8; i++)
    {
      g_autoptr(BbVolunteer) volunteer = g_list_model_get_item (all, i);

      if (bb_volunteer_get_status (volunteer) == BB_VOLUNTEER_STATUS_ACTIVE)
        g_ptr_array_add (volunteers, g_steal_pointer (&volunteer));
    }

  /* Last year's subsidy is the one to account for now; this year's runs */
  return add_year (store, volunteers, year - 1, TRUE, error) &&
         add_year (store, volunteers, year, FALSE, error);
}
