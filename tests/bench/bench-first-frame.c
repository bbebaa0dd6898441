/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Prints when the first window of a program has painted its first frame
 * (CLOCK_REALTIME in ns, so the calling script can subtract the moment it
 * started the process) and the resident memory after a second of idling.
 *
 * Built twice: as "bench-app" around the real BbApplication (opening the
 * demo council, as build-aux/run does) and as "bench-minimal" around a bare
 * AdwApplication with one empty window, the reference. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sys/resource.h>
#include <time.h>

#ifdef BENCH_APP
# include "bb-application.h"
#else
# include <adwaita.h>
#endif

static gint64 first_frame_ns;
static gint64 first_frame_cpu_us;

static gint64
realtime_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* User and system time of the process so far: on a machine that other
 * work keeps busy, this says what start-up costs when the wall time
 * mostly says how long the process waited for a core. */
static gint64
cpu_us (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return -1;
  return ((gint64) usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static long
resident_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return -1;
  return strtol (line + strlen ("VmRSS:"), NULL, 10);
}

static gboolean
report_and_quit (gpointer data)
{
  GApplication *app = data;
  GList *windows;

  g_print ("first_frame_ns=%" G_GINT64_FORMAT " cpu_us=%" G_GINT64_FORMAT " rss_kb=%ld\n",
           first_frame_ns, first_frame_cpu_us, resident_kb ());
  /* Destroying a window removes it from the application's list, so never
   * walk that list while destroying: take the first one until none is left. */
  for (guint guard = 0; guard < 64; guard++)
    {
      windows = gtk_application_get_windows (GTK_APPLICATION (app));
      if (windows == NULL)
        break;
      gtk_window_destroy (windows->data);
    }
  g_application_quit (app);

  return G_SOURCE_REMOVE;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       data)
{
  if (first_frame_ns != 0)
    return;

  first_frame_ns = realtime_ns ();
  first_frame_cpu_us = cpu_us ();
  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, data);
  g_timeout_add_seconds (1, report_and_quit, data);
}

static void
on_window_realize_cb (GtkWidget *window,
                      gpointer   app)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), app);
}

static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window,
                    gpointer        data)
{
  if (first_frame_ns == 0)
    g_signal_connect (window, "realize", G_CALLBACK (on_window_realize_cb), app);
}

#ifndef BENCH_APP
static void
on_activate_cb (GApplication *app,
                gpointer      data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), adw_status_page_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 680);
  gtk_window_present (GTK_WINDOW (window));
}
#endif

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;

  setlocale (LC_ALL, "");

#ifdef BENCH_APP
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  app = GTK_APPLICATION (bb_application_new ());
#else
  app = GTK_APPLICATION (adw_application_new ("nl.buurtboek.BenchMinimal", G_APPLICATION_DEFAULT_FLAGS));
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);
#endif
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
