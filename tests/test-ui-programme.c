/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drives the Programme section through its widgets under Xvfb: create an
 * activity with a task, assign a volunteer, mark it done and confirm the
 * hours, which then count for the volunteer. */

#include "config.h"

#include <adwaita.h>

#include "bb-activity.h"
#include "bb-hours.h"
#include "bb-programme-page.h"
#include "bb-programme-row.h"
#include "bb-ui-resources.h"
#include "bb-volunteer.h"
#include "bb-test-util.h"

typedef struct
{
  char            *dir;
  BbStore         *store;
  GtkWindow       *window;
  BbProgrammePage *page;
  char            *volunteer_id;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return TRUE;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The visible message dialog, if any. */
static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return find_dialog () == NULL;
}

static AdwMessageDialog *
wait_dialog (void)
{
  g_assert_true (wait_for (has_dialog, NULL));
  return find_dialog ();
}

static void
set_text (AdwMessageDialog *dialog,
          const char       *name,
          const char       *text)
{
  GtkWidget *widget = find_named (GTK_WIDGET (dialog), name);

  g_assert_nonnull (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Clicks the dialog's button for @response, as a user would. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), adw_message_dialog_get_response_label (dialog, response));

  g_assert_nonnull (button);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (wait_for (no_dialog, NULL));
}

static void
click (GtkWidget  *root,
       const char *name)
{
  GtkWidget *button = find_named (root, name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static char *
add_volunteer (BbStore    *store,
               const char *first,
               const char *last)
{
  g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();
  g_autoptr(GError) error = NULL;

  bb_volunteer_set_first_name (volunteer, first);
  bb_volunteer_set_last_name (volunteer, last);
  bb_volunteer_set_status (volunteer, BB_VOLUNTEER_STATUS_ACTIVE);
  g_assert_true (bb_volunteer_save (store, volunteer, &error));
  g_assert_no_error (error);
  return g_strdup (bb_volunteer_get_id (volunteer));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;

  f->dir = g_dir_make_tmp ("buurtboek-ui-programme-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "Wijkraad Zuid.buurtboek", NULL);
  backups = g_build_filename (f->dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad Zuid");
  f->store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
  f->volunteer_id = add_volunteer (f->store, "Fatima", "el Amrani");

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 700);
  f->page = g_object_new (BB_TYPE_PROGRAMME_PAGE, "store", f->store, NULL);
  bb_programme_page_set_year (f->page, 2026);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  g_assert_true (wait_for ((Condition) gtk_widget_get_mapped, f->page));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  AdwMessageDialog *dialog;

  while ((dialog = find_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (bb_store_close (f->store, NULL));
  g_clear_object (&f->store);
  bb_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->volunteer_id);
}

static void
create_activity (Fixture    *f,
                 const char *title,
                 const char *date,
                 const char *start,
                 const char *end)
{
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->page), "programme.new-activity", NULL);
  dialog = wait_dialog ();
  set_text (dialog, "title", "");
  /* An empty title cannot be saved; the form says why. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  g_assert_true (gtk_widget_get_visible (find_named (GTK_WIDGET (dialog), "error")));
  set_text (dialog, "title", title);
  set_text (dialog, "date", date);
  set_text (dialog, "start", start);
  set_text (dialog, "end", end);
  set_text (dialog, "location", "Speeltuin De Eik");
  respond (dialog, "save");
}

static void
add_task (Fixture    *f,
          const char *role,
          const char *start,
          const char *end)
{
  AdwMessageDialog *dialog;

  click (GTK_WIDGET (f->page), "add-task");
  dialog = wait_dialog ();
  set_text (dialog, "role", role);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (GTK_WIDGET (dialog), "needed")), 2);
  set_text (dialog, "task-start", start);
  set_text (dialog, "task-end", end);
  respond (dialog, "save");
}

/* Clicks "Assign Volunteer…" on the first task and picks the first person. */
static void
assign_first (Fixture *f)
{
  AdwMessageDialog *dialog;
  GtkWidget *list;
  GtkListBoxRow *row;

  click (GTK_WIDGET (f->page), "assign");
  dialog = wait_dialog ();
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "assign");
  list = find_named (GTK_WIDGET (dialog), "candidates");
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  g_assert_nonnull (row);
  g_signal_emit_by_name (list, "row-activated", row);
}

static void
test_activity_task_volunteer_hours (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) hours = NULL;
  AdwMessageDialog *dialog;
  BbOccurrence *selected;
  GListModel *model = bb_programme_page_get_model (f->page);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  create_activity (f, "Burendag", "26-09-2026", "13:00", "17:00");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  selected = bb_programme_page_get_selected (f->page);
  g_assert_nonnull (selected);
  g_assert_cmpstr (bb_activity_get_title (bb_occurrence_get_activity (selected)), ==, "Burendag");

  add_task (f, "bar", "12:30", "17:30");
  /* The page reads the file again after each change. */
  selected = bb_programme_page_get_selected (f->page);
  tasks = bb_programme_list_tasks (f->store, bb_activity_get_id (bb_occurrence_get_activity (selected)), &error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpuint (bb_task_get_short (g_ptr_array_index (tasks, 0)), ==, 2);

  assign_first (f);
  g_assert_true (wait_for (no_dialog, NULL));
  g_clear_pointer (&tasks, g_ptr_array_unref);
  selected = bb_programme_page_get_selected (f->page);
  tasks = bb_programme_list_tasks (f->store, bb_activity_get_id (bb_occurrence_get_activity (selected)), &error);
  g_assert_cmpuint (bb_task_get_n_assigned (g_ptr_array_index (tasks, 0)), ==, 1);
  g_assert_cmpstr (bb_task_get_volunteers (g_ptr_array_index (tasks, 0))[0], ==, f->volunteer_id);

  /* Mark as done: 120 counted; the hours come pre-filled from the task
   * window (12:30–17:30 = 5 hours); Fatima stayed half an hour longer. */
  click (GTK_WIDGET (f->page), "done");
  dialog = wait_dialog ();
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "mark-done");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_named (GTK_WIDGET (dialog), "hours-0"))),
                     ==, 5.0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (GTK_WIDGET (dialog), "hours-0")), 5.5);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (GTK_WIDGET (dialog), "participants")), 120);
  respond (dialog, "done");

  /* The volunteer's hours show it. */
  g_assert_cmpint (bb_hours_total_for_volunteer (f->store, f->volunteer_id, 2026, &error), ==, 330);
  hours = bb_hours_list_for_volunteer (f->store, f->volunteer_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hours->len, ==, 1);
  g_assert_cmpstr (((BbHoursEntry *) g_ptr_array_index (hours, 0))->date, ==, "2026-09-26");
  g_assert_cmpint (((BbHoursEntry *) g_ptr_array_index (hours, 0))->source, ==, BB_HOURS_SOURCE_CONFIRMED);

  selected = bb_programme_page_get_selected (f->page);
  g_assert_cmpint (bb_occurrence_get_status (selected), ==, BB_ACTIVITY_STATUS_DONE);
  g_assert_cmpint (bb_occurrence_get_actual_participants (selected), ==, 120);
  g_assert_cmpint (bb_occurrence_get_status (g_list_model_get_item (model, 0)), ==, BB_ACTIVITY_STATUS_DONE);
  g_object_unref (g_list_model_get_item (model, 0));
}

static gboolean
has_one_item (gpointer model)
{
  return g_list_model_get_n_items (model) == 1;
}

static void
test_double_booking_and_search (Fixture       *f,
                                gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GListModel *model = bb_programme_page_get_model (f->page);
  GtkWidget *entry;

  create_activity (f, "Zomerfeest", "20-06-2026", "12:00", "18:00");
  add_task (f, "bar", "12:00", "16:00");
  assign_first (f);
  g_assert_true (wait_for (no_dialog, NULL));

  create_activity (f, "Wijkschouw", "20-06-2026", "15:00", "17:00");
  add_task (f, "gids", "15:00", "17:00");
  assign_first (f);
  /* Fatima is on the bar until 16:00: the page warns before assigning. */
  dialog = wait_dialog ();
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "double-booking");
  respond (dialog, "cancel");
  g_assert_cmpuint (bb_programme_count_short (f->store,
                                              bb_activity_get_id (bb_occurrence_get_activity (bb_programme_page_get_selected (f->page))),
                                              NULL), ==, 2);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page), BB_TYPE_PROGRAMME_PAGE, "search_entry"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "SCHOUW");
  g_assert_true (wait_for (has_one_item, model));
}

static void
add_activity (BbStore    *store,
              const char *title,
              int         month,
              int         day)
{
  g_autoptr(BbActivity) activity = bb_activity_new ();
  g_autoptr(GDateTime) start = bb_programme_time_new (2199, month, day, 10, 0);
  g_autoptr(GDateTime) end = g_date_time_add_hours (start, 2);
  g_autoptr(GError) error = NULL;

  bb_activity_set_title (activity, title);
  bb_activity_set_times (activity, start, end);
  g_assert_true (bb_programme_save_activity (store, activity, &error));
  g_assert_no_error (error);
}

static BbProgrammeRow *
find_row (GtkWidget  *root,
          const char *title)
{
  if (BB_IS_PROGRAMME_ROW (root) && g_strcmp0 (bb_programme_row_get_title (BB_PROGRAMME_ROW (root)), title) == 0)
    return BB_PROGRAMME_ROW (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      BbProgrammeRow *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  GListModel *model;
  guint       n;
} Count;

static gboolean
has_count (gpointer data)
{
  Count *count = data;

  return g_list_model_get_n_items (count->model) == count->n;
}

/* Types @text and checks the list holds @n dates; a stricter or looser
 * search only tests part of the list, so it must end where a search from
 * scratch would. */
static void
search (Fixture    *f,
        const char *text,
        guint       n)
{
  GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page), BB_TYPE_PROGRAMME_PAGE,
                                                                "search_entry"));
  Count count = { bb_programme_page_get_model (f->page), n };

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
  g_assert_true (wait_for (has_count, &count));
}

/* The month heading of the row showing @title (NULL: none). */
static const char *
heading_of (Fixture    *f,
            const char *title)
{
  BbProgrammeRow *row = find_row (GTK_WIDGET (f->page), title);

  g_assert_nonnull (row);
  return bb_programme_row_get_heading (row);
}

/* Typing narrows the list and erasing widens it again, and each row has
 * a month heading exactly when the row above it is in another month: also
 * for a row that stays while the rows around it come and go. */
static void
test_search_narrows_and_widens (Fixture       *f,
                                gconstpointer  data)
{
  const char *december = bb_programme_month_name (12);

  bb_programme_page_set_year (f->page, 2199);
  add_activity (f->store, "Koffieochtend januari", 1, 13);
  add_activity (f->store, "Koffieochtend februari", 2, 10);
  add_activity (f->store, "Koningsdag", 4, 27);
  add_activity (f->store, "Burendag", 9, 26);
  add_activity (f->store, "Kerstmarkt", 12, 12);
  add_activity (f->store, "Kerstborrel", 12, 19);

  search (f, "", 6);
  g_assert_cmpstr (heading_of (f, "Kerstmarkt"), ==, december);
  g_assert_null (heading_of (f, "Kerstborrel"));

  search (f, "k", 5);
  search (f, "ko", 3);
  search (f, "kof", 2);
  search (f, "ko", 3);
  search (f, "ko d", 3);
  search (f, "ko dag", 1);
  /* One word fewer: looser. */
  search (f, "dag", 2);
  /* Another word: neither stricter nor looser. */
  search (f, "markt", 1);
  g_assert_cmpstr (heading_of (f, "Kerstmarkt"), ==, december);

  search (f, "kerst", 2);
  g_assert_cmpstr (heading_of (f, "Kerstmarkt"), ==, december);
  g_assert_null (heading_of (f, "Kerstborrel"));
  /* Kerstmarkt goes: Kerstborrel is the first of December now. */
  search (f, "kerstb", 1);
  g_assert_cmpstr (heading_of (f, "Kerstborrel"), ==, december);
  search (f, "kerst", 2);
  g_assert_null (heading_of (f, "Kerstborrel"));
  search (f, "KERSTMARKT  ", 1);
  search (f, "", 6);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_resources_register (bb_ui_get_resource ());

  g_test_add ("/bb/ui/programme/activity-task-volunteer-hours", Fixture, NULL,
              fixture_setup, test_activity_task_volunteer_hours, fixture_teardown);
  g_test_add ("/bb/ui/programme/double-booking-and-search", Fixture, NULL,
              fixture_setup, test_double_booking_and_search, fixture_teardown);
  g_test_add ("/bb/ui/programme/search-narrows-and-widens", Fixture, NULL,
              fixture_setup, test_search_narrows_and_widens, fixture_teardown);

  return g_test_run ();
}
