/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The programme list benchmark: a council with N activities in one year;
 * the time to show the Programme section (read + first frame) and the
 * time per typed character to filter the list (filter + next frame).
 * Prints key=value figures for tests/bench/lists. Needs a display.
 *
 *   bench-lists [N_ACTIVITIES]      (default 5000)
 */

#include "config.h"

#include <adwaita.h>

#include "bb-activity.h"
#include "bb-programme-page.h"
#include "bb-store-private.h"
#include "bb-test-util.h"
#include "bb-ui-resources.h"

static const char * const titles[] = {
  "Koffieochtend", "Burendag", "Wijkschouw", "Paaseieren zoeken", "Koningsdag", "Halloween",
  "Sinterklaas", "Kerstmarkt", "Taalcafé", "Repair café", "Moestuin", "Buurtpreventie-ronde",
  "Zomerfeest", "Buitenbioscoop", "Algemene ledenvergadering", "Bestuursvergadering",
};
static const char * const themes[] = {
  "feest & ontmoeting", "kinderen & jeugd", "ouderen", "groen & schoon", "veiligheid",
  "communicatie", "vergadering",
};
static const char * const places[] = {
  "Buurthuis De Schakel", "Wijkpark De Hoeven", "Dorpsplein", "Speeltuin Dommelstraat", "Bibliotheek",
};

static gboolean painted;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       data)
{
  painted = TRUE;
}

static void
wait_for_frame (GtkWidget *widget)
{
  painted = FALSE;
  gtk_widget_queue_draw (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

static void
fill (BbStore *store,
      guint    n,
      int      year)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *now = g_strdup ("2026-01-01T00:00:00Z");
  GRand *rand = g_rand_new_with_seed (42);
  sqlite3_stmt *stmt;

  g_assert_true (bb_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      int day = g_rand_int_range (rand, 0, 365);
      int hour = g_rand_int_range (rand, 9, 20);
      GDate date;
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;
      g_autofree char *title = g_strdup_printf ("%s %u", titles[i % G_N_ELEMENTS (titles)], i);

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, 1, 1, year);
      g_date_add_days (&date, day);
      start = bb_programme_time_new (year, g_date_get_month (&date), g_date_get_day (&date), hour, 0);
      end = g_date_time_add_hours (start, 2);

      stmt = bb_store_prepare (store,
                               "INSERT INTO activity (id, title, theme, starts_at, ends_at, location,"
                               " status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                               &error);
      g_assert_nonnull (stmt);
      sqlite3_bind_text (stmt, 1, bb_store_new_id (), -1, g_free);
      sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, themes[i % G_N_ELEMENTS (themes)], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, bb_programme_time_to_string (start), -1, g_free);
      sqlite3_bind_text (stmt, 5, bb_programme_time_to_string (end), -1, g_free);
      sqlite3_bind_text (stmt, 6, places[i % G_N_ELEMENTS (places)], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, i % 3 == 0 ? "done" : "planned", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  g_assert_true (bb_store_commit (store, &error));
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5000;
  const int year = 2026;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-bench-lists-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "Bench.buurtboek", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  const char *typed = "koffieochtend 12";
  g_autoptr(BbStore) store = NULL;
  GtkWindow *window;
  BbProgrammePage *page;
  GtkWidget *entry;
  gint64 t0, t1;
  GString *text = g_string_new (NULL);

  gtk_init ();
  adw_init ();
  g_resources_register (bb_ui_get_resource ());

  bb_council_set_name (council, "Wijkraad Bench");
  store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
  fill (store, n, year);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1000, 700);
  page = g_object_new (BB_TYPE_PROGRAMME_PAGE, NULL);
  bb_programme_page_set_year (page, year);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (page)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), NULL);
  wait_for_frame (GTK_WIDGET (window));

  /* Showing the section: the store is handed over while the page is on
   * screen, so it reads the programme and draws its first frame. */
  t0 = g_get_monotonic_time ();
  g_object_set (page, "store", store, NULL);
  wait_for_frame (GTK_WIDGET (window));
  t1 = g_get_monotonic_time ();
  g_print ("activities=%u occurrences=%u show_ms=%.1f ", n,
           g_list_model_get_n_items (bb_programme_page_get_model (page)), (t1 - t0) / 1000.0);

  /* Typing, one character at a time, each up to the next frame. */
  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), BB_TYPE_PROGRAMME_PAGE, "search_entry"));
  for (const char *c = typed; *c != '\0'; c++)
    {
      double ms;

      g_string_append_c (text, *c);
      t0 = g_get_monotonic_time ();
      gtk_editable_set_text (GTK_EDITABLE (entry), text->str);
      /* Without the entry's typing delay: the filter's own cost. */
      g_signal_emit_by_name (entry, "search-changed");
      wait_for_frame (GTK_WIDGET (window));
      t1 = g_get_monotonic_time ();
      ms = (t1 - t0) / 1000.0;
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_double);
  g_print ("keystrokes=%u median_ms=%.2f max_ms=%.2f matches=%u\n", times->len,
           g_array_index (times, double, times->len / 2), g_array_index (times, double, times->len - 1),
           g_list_model_get_n_items (bb_programme_page_get_model (page)));

  gtk_window_destroy (window);
  g_string_free (text, TRUE);
  bb_store_close (store, NULL);
  bb_test_remove_tree (dir);
  return 0;
}
