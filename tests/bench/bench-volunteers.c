/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The volunteer list benchmark: a council with N volunteers; the time to
 * show the Volunteers section (read + first frame) and the time per typed
 * character to filter the list (filter + next frame). Prints key=value
 * figures for tests/bench/lists. Needs a display.
 *
 *   bench-volunteers [N_VOLUNTEERS]      (default 10000)
 */

#include "config.h"

#include <time.h>

#include <adwaita.h>

#include "bb-store-private.h"
#include "bb-test-util.h"
#include "bb-ui-resources.h"
#include "bb-volunteer.h"
#include "bb-volunteers-page.h"

static const char * const first_names[] = {
  "Anneke", "Henk", "Fatima", "Joost", "Marieke", "Sanne", "Kees", "Ilse", "Mohamed", "Lotte",
  "Gerrit", "Ayşe", "Pieter", "Noor", "Wim", "Esther", "Ruud", "Femke", "Bram", "Truus", "Daan",
  "Priya", "Jan", "Mirjam", "Stefan", "Yvonne", "Thijs", "Ingrid", "Ahmed", "Zoë",
};
static const char * const last_names[] = {
  "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
  "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
  "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "El Amrani",
  "Yılmaz", "Bouzid", "Ramdin", "Öztürk",
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

/* Straight into the tables in one transaction: generating is not what is
 * measured. */
static void
fill (BbStore *store,
      guint    n)
{
  const char * const *skills = bb_volunteer_default_skills ();
  guint n_skills = g_strv_length ((GStrv) skills);
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (5);

  g_assert_true (bb_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
      const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
      g_autofree char *id = bb_store_new_id ();
      g_autofree char *email = g_strdup_printf ("vrijwilliger%u@voorbeeld.nl", i);
      g_autofree char *phone = g_strdup_printf ("06 %04u %04u", g_rand_int_range (rand, 1000, 9999), i);
      sqlite3_stmt *stmt;
      guint first_skill = (guint) g_rand_int_range (rand, 0, (gint32) n_skills);

      stmt = bb_store_prepare (store,
                               "INSERT INTO volunteer (id, first_name, last_name, email, phone, availability,"
                               " status, vog_needed, created_at, updated_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                               &error);
      g_assert_nonnull (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, first, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, last, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, g_rand_int_range (rand, 0, 1 << 21));
      sqlite3_bind_text (stmt, 7, i % 10 == 0 ? "stopped" : i % 4 == 0 ? "registered" : "active", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 8, i % 7 == 0);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);

      for (guint k = 0; k < 2; k++)
        {
          stmt = bb_store_prepare (store, "INSERT INTO volunteer_skill (volunteer_id, skill) VALUES (?1, ?2)",
                                   &error);
          g_assert_nonnull (stmt);
          sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, skills[(first_skill + k * 5) % n_skills], -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
          sqlite3_reset (stmt);
        }
    }
  g_assert_true (bb_store_commit (store, &error));
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-bench-volunteers-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "Bench.buurtboek", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 c0, c1;
  /* A name, then a phone number's digits: the list narrows and widens. */
  const char *typed = "van der meer 06 1";
  g_autoptr(BbStore) store = NULL;
  GtkWindow *window;
  BbVolunteersPage *page;
  gint64 t0, t1;
  GString *text = g_string_new (NULL);

  gtk_init ();
  adw_init ();
  g_resources_register (bb_ui_get_resource ());

  bb_council_set_name (council, "Wijkraad Bench");
  store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
  fill (store, n);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1000, 700);
  page = g_object_new (BB_TYPE_VOLUNTEERS_PAGE, NULL);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (page)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), NULL);
  wait_for_frame (GTK_WIDGET (window));

  /* Showing the section: the store is handed over while the page is on
   * screen, so it reads the register and draws its first frame. */
  t0 = g_get_monotonic_time ();
  c0 = cpu_time_us ();
  g_object_set (page, "store", store, NULL);
  wait_for_frame (GTK_WIDGET (window));
  t1 = g_get_monotonic_time ();
  c1 = cpu_time_us ();
  g_print ("volunteers=%u shown=%u show_ms=%.1f show_cpu_ms=%.1f ", n,
           g_list_model_get_n_items (bb_volunteers_page_get_model (page)), (t1 - t0) / 1000.0,
           (c1 - c0) / 1000.0);

  /* Typing, one character at a time, each up to the next frame (without
   * the search entry's typing delay: the filter's own cost). */
  for (const char *c = typed; *c != '\0'; c++)
    {
      double ms;

      g_string_append_c (text, *c);
      t0 = g_get_monotonic_time ();
      c0 = cpu_time_us ();
      bb_volunteers_page_set_search (page, text->str);
      wait_for_frame (GTK_WIDGET (window));
      t1 = g_get_monotonic_time ();
      c1 = cpu_time_us ();
      ms = (t1 - t0) / 1000.0;
      g_array_append_val (times, ms);
      ms = (c1 - c0) / 1000.0;
      g_array_append_val (cpu_times, ms);
    }
  g_array_sort (times, compare_double);
  g_array_sort (cpu_times, compare_double);
  g_print ("keystrokes=%u median_ms=%.2f max_ms=%.2f median_cpu_ms=%.2f matches=%u ", times->len,
           g_array_index (times, double, times->len / 2), g_array_index (times, double, times->len - 1),
           g_array_index (cpu_times, double, cpu_times->len / 2),
           g_list_model_get_n_items (bb_volunteers_page_get_model (page)));

  /* The read alone (CPU, best of three): the light list the page shows
   * and, for comparison, the whole volunteers. */
  for (guint which = 0; which < 2; which++)
    {
      double best = G_MAXDOUBLE;

      for (guint i = 0; i < 3; i++)
        {
          g_autoptr(GListModel) read = NULL;

          c0 = cpu_time_us ();
          read = which == 0 ? bb_volunteer_list_rows (store, &error) : bb_volunteer_list_all (store, &error);
          c1 = cpu_time_us ();
          g_assert_no_error (error);
          best = MIN (best, (c1 - c0) / 1000.0);
        }
      g_print (which == 0 ? "read_rows_cpu_ms=%.1f " : "read_all_cpu_ms=%.1f\n", best);
    }

  gtk_window_destroy (window);
  g_string_free (text, TRUE);
  bb_store_close (store, NULL);
  bb_test_remove_tree (dir);
  return 0;
}
