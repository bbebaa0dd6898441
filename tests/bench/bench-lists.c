/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The programme list benchmark: a council with N activities in one year;
 * the time to show the Programme section (read + first frame) and the
 * time per typed character to filter the list (filter + next frame), in
 * wall-clock and in CPU time of this process. For reference, the time to
 * draw a frame of the same window when nothing changed, and the number of
 * row widgets the list keeps. Prints key=value figures for
 * tests/bench/lists. Needs a display.
 *
 *   bench-lists [N_ACTIVITIES]      (default 5000)
 */

#include "config.h"

#include <time.h>

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

/* CPU time of this process: on a busy shared machine wall-clock time
 * also counts the other processes' turns. */
static gint64
cpu_time_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

/* Sorts @values. */
static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

/* The row widgets the list keeps (built, styled and measured). */
static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
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
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_frames = g_array_new (FALSE, FALSE, sizeof (double));
  const char *typed = "koffieochtend 12";
  g_autoptr(BbStore) store = NULL;
  GtkWindow *window;
  BbProgrammePage *page;
  GtkWidget *entry;
  GtkWidget *list;
  gint64 t0, t1, c0, c1;
  guint n_shown, rows_shown, matches = 0, max_rows = 0;
  double max_ms;
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
  list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), BB_TYPE_PROGRAMME_PAGE, "list_view"));

  /* Showing the section: the store is handed over while the page is on
   * screen, so it reads the programme and draws its first frame. */
  t0 = g_get_monotonic_time ();
  c0 = cpu_time_us ();
  g_object_set (page, "store", store, NULL);
  wait_for_frame (GTK_WIDGET (window));
  while (g_list_model_get_n_items (bb_programme_page_get_model (page)) == 0 ||
         count_rows (list) == 0)
    wait_for_frame (GTK_WIDGET (window));
  t1 = g_get_monotonic_time ();
  c1 = cpu_time_us ();
  rows_shown = count_rows (list);
  n_shown = g_list_model_get_n_items (bb_programme_page_get_model (page));
  g_print ("activities=%u occurrences=%u show_ms=%.1f show_cpu_ms=%.1f rows=%u ", n, n_shown, (t1 - t0) / 1000.0,
           (c1 - c0) / 1000.0, rows_shown);

  /* For reference: a frame of the same window with nothing changed. The
   * frame clock paints at most once per refresh (60 Hz here), so the
   * wall-clock time of any step that ends with a frame is at least the
   * wait for the next one. */
  for (guint i = 0; i < 16; i++)
    {
      double ms, cpu_ms;

      t0 = g_get_monotonic_time ();
      c0 = cpu_time_us ();
      wait_for_frame (GTK_WIDGET (window));
      t1 = g_get_monotonic_time ();
      c1 = cpu_time_us ();
      ms = (t1 - t0) / 1000.0;
      cpu_ms = (c1 - c0) / 1000.0;
      g_array_append_val (frames, ms);
      g_array_append_val (cpu_frames, cpu_ms);
    }
  g_print ("frame_ms=%.2f frame_cpu_ms=%.2f ", median (frames), median (cpu_frames));

  /* Typing, one character at a time, each up to the next frame. */
  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), BB_TYPE_PROGRAMME_PAGE, "search_entry"));
  for (const char *c = typed; *c != '\0'; c++)
    {
      double ms, cpu_ms;

      g_string_append_c (text, *c);
      t0 = g_get_monotonic_time ();
      c0 = cpu_time_us ();
      gtk_editable_set_text (GTK_EDITABLE (entry), text->str);
      /* Without the entry's typing delay: the filter's own cost. */
      g_signal_emit_by_name (entry, "search-changed");
      wait_for_frame (GTK_WIDGET (window));
      t1 = g_get_monotonic_time ();
      c1 = cpu_time_us ();
      ms = (t1 - t0) / 1000.0;
      cpu_ms = (c1 - c0) / 1000.0;
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu_ms);
      max_rows = MAX (max_rows, count_rows (list));
    }
  matches = g_list_model_get_n_items (bb_programme_page_get_model (page));
  /* And deleting it again, one character at a time (the list grows). */
  while (text->len > 0)
    {
      double ms, cpu_ms;

      g_string_truncate (text, text->len - 1);
      t0 = g_get_monotonic_time ();
      c0 = cpu_time_us ();
      gtk_editable_set_text (GTK_EDITABLE (entry), text->str);
      g_signal_emit_by_name (entry, "search-changed");
      wait_for_frame (GTK_WIDGET (window));
      t1 = g_get_monotonic_time ();
      c1 = cpu_time_us ();
      ms = (t1 - t0) / 1000.0;
      cpu_ms = (c1 - c0) / 1000.0;
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu_ms);
      max_rows = MAX (max_rows, count_rows (list));
    }
  g_assert_cmpuint (g_list_model_get_n_items (bb_programme_page_get_model (page)), ==, n_shown);
  g_print ("keystrokes=%u median_ms=%.2f", times->len, median (times));
  max_ms = g_array_index (times, double, times->len - 1);
  g_print (" max_ms=%.2f median_cpu_ms=%.2f max_rows=%u matches=%u\n", max_ms, median (cpu_times),
           max_rows, matches);

  gtk_window_destroy (window);
  g_string_free (text, TRUE);
  bb_store_close (store, NULL);
  bb_test_remove_tree (dir);
  return 0;
}
