/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drives the Volunteers section through its widgets under Xvfb: add a
 * volunteer in the dialog (with inline validation), find them by search,
 * log hours and see them in the detail; warn before a payment that breaks
 * an allowance limit. */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "bb-allowance.h"
#include "bb-hours.h"
#include "bb-test-util.h"
#include "bb-ui-resources.h"
#include "bb-volunteer.h"
#include "bb-volunteer-row.h"
#include "bb-volunteers-page.h"

typedef struct
{
  char             *dir;
  BbStore          *store;
  GtkWindow        *window;
  BbVolunteersPage *page;
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

/* An AdwActionRow whose subtitle is @subtitle, below @root. */
static GtkWidget *
find_subtitle (GtkWidget  *root,
               const char *subtitle)
{
  if (ADW_IS_ACTION_ROW (root) && g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (root)), subtitle) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_subtitle (child, subtitle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

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

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbVolunteer) other = bb_volunteer_new ();
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;

  f->dir = g_dir_make_tmp ("buurtboek-ui-volunteers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "Wijkraad Noord.buurtboek", NULL);
  backups = g_build_filename (f->dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad Noord");
  f->store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
  bb_volunteer_set_first_name (other, "Henk");
  bb_volunteer_set_last_name (other, "de Vries");
  g_assert_true (bb_volunteer_save (f->store, other, &error));
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 700);
  f->page = g_object_new (BB_TYPE_VOLUNTEERS_PAGE, "store", f->store, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  /* Nothing is read before the page is shown (start-up time). */
  g_assert_cmpuint (g_list_model_get_n_items (bb_volunteers_page_get_model (f->page)), ==, 0);
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
}

static gboolean
has_n_items (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (bb_volunteers_page_get_model (f->page)) ==
         GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->page), "expected"));
}

static void
expect_items (Fixture *f,
              guint    n)
{
  g_object_set_data (G_OBJECT (f->page), "expected", GUINT_TO_POINTER (n));
  g_assert_true (wait_for (has_n_items, f));
}

static void
test_add_search_hours (Fixture       *f,
                       gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  BbVolunteer *selected;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  expect_items (f, 1);

  /* Add Zoë through the dialog; mistakes are named before saving. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "volunteers.add", NULL);
  dialog = wait_dialog ();
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  g_assert_true (gtk_widget_get_visible (find_named (GTK_WIDGET (dialog), "error")));
  set_text (dialog, "first-name", "Zoë");
  set_text (dialog, "last-name", "van Beek");
  set_text (dialog, "email", "zoe@@example");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  set_text (dialog, "email", "zoe@example.nl");
  set_text (dialog, "phone", "06 1111 2222");
  set_text (dialog, "start-date", "31-02-2026");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  set_text (dialog, "start-date", "1-3-2026");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_named (GTK_WIDGET (dialog), "skill:fotografie")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_named (GTK_WIDGET (dialog), "available-6-1")), TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  g_assert_false (gtk_widget_get_visible (find_named (GTK_WIDGET (dialog), "error")));
  respond (dialog, "save");

  /* Saved, shown in the detail and in the list */
  expect_items (f, 2);
  selected = bb_volunteers_page_get_selected (f->page);
  g_assert_nonnull (selected);
  g_assert_cmpstr (bb_volunteer_get_display_name (selected), ==, "Zoë van Beek");
  g_assert_true (bb_volunteer_has_skill (selected, "fotografie"));
  g_assert_true (bb_volunteer_is_available (selected, G_DATE_SATURDAY, BB_DAY_PART_AFTERNOON));
  g_assert_cmpstr (bb_volunteer_get_start_date (selected), ==, "2026-03-01");
  id = g_strdup (bb_volunteer_get_id (selected));

  /* Find her by typing, without the accent, in capitals */
  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page), BB_TYPE_VOLUNTEERS_PAGE,
                                                     "search_entry"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "ZOE");
  expect_items (f, 1);
  {
    g_autoptr(BbVolunteer) found = g_list_model_get_item (bb_volunteers_page_get_model (f->page), 0);

    g_assert_cmpstr (bb_volunteer_get_id (found), ==, id);
  }
  gtk_editable_set_text (GTK_EDITABLE (entry), "fotografie zaterdag-niet");
  expect_items (f, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (
                     GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f->page), BB_TYPE_VOLUNTEERS_PAGE,
                                                               "list_stack"))), ==, "no-results");
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  expect_items (f, 2);

  /* Log hours in the detail; they show there at once */
  click (GTK_WIDGET (f->page), "log-hours");
  dialog = wait_dialog ();
  set_text (dialog, "hours", "25");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "log"));
  set_text (dialog, "date", "14-03-2026");
  set_text (dialog, "hours", "2:30");
  set_text (dialog, "note", "Foto’s bij de opening");
  respond (dialog, "log");
  g_assert_cmpint (bb_hours_total_for_volunteer (f->store, id, 0, &error), ==, 150);
  g_assert_no_error (error);
  g_assert_nonnull (find_subtitle (GTK_WIDGET (f->page), "Foto’s bij de opening"));
  g_assert_nonnull (find_subtitle (GTK_WIDGET (f->page), "2:30"));
}

static void
test_payment_warns_before_cap (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(BbVolunteer) anna = bb_volunteer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *warning;

  bb_volunteer_set_first_name (anna, "Anna");
  bb_volunteer_set_age_band (anna, BB_AGE_BAND_21_PLUS);
  bb_volunteer_set_allowance_kind (anna, BB_ALLOWANCE_KIND_HOURLY);
  g_assert_true (bb_volunteer_save (f->store, anna, &error));
  g_assert_no_error (error);
  expect_items (f, 2);
  bb_volunteers_page_select (f->page, bb_volunteer_get_id (anna));

  click (GTK_WIDGET (f->page), "add-payment");
  dialog = wait_dialog ();
  warning = find_named (GTK_WIDGET (dialog), "warning");
  set_text (dialog, "date", "15-05-2025");
  set_text (dialog, "amount", "200,00");
  set_text (dialog, "paid-hours", "40");
  /* Within €5.60 an hour and €210 a month of 2025 */
  g_assert_false (gtk_widget_get_visible (warning));
  set_text (dialog, "amount", "210,01");
  /* One cent over the month: warned before anything is written */
  g_assert_true (gtk_widget_get_visible (warning));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "pay"), ==, "_Record Anyway");
  payments = bb_allowance_list_payments (f->store, NULL, 0, &error);
  g_assert_cmpuint (payments->len, ==, 0);
  set_text (dialog, "amount", "210,00");
  g_assert_false (gtk_widget_get_visible (warning));
  respond (dialog, "pay");
  g_clear_pointer (&payments, g_ptr_array_unref);
  payments = bb_allowance_list_payments (f->store, NULL, 0, &error);
  g_assert_cmpuint (payments->len, ==, 1);
}

/* The names the list's row widgets show. */
static void
collect_row_names (GtkWidget  *root,
                   GPtrArray  *names)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (BB_IS_VOLUNTEER_ROW (child))
        g_ptr_array_add (names, g_strdup (bb_volunteer_row_get_title (BB_VOLUNTEER_ROW (child))));
      collect_row_names (child, names);
    }
}

/* Each letter typed narrows the list and each one erased widens it, to
 * exactly the volunteers a search from scratch finds, in the same order,
 * and the rows on screen show those volunteers, not ones that went. */
static void
test_type_and_erase (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const people[][2] = {
    { "Anneke", "van der Meer" }, { "Joost", "van den Berg" }, { "Fatima", "El Amrani" },
    { "Noor", "van Dam" }, { "Zoë", "Öztürk" }, { "Daan", "de Vries" }, { "Priya", "Ramdin" },
  };
  const char *typed = "van d";
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  GtkWidget *list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page), BB_TYPE_VOLUNTEERS_PAGE,
                                                               "list_view"));
  guint previous = 0;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(BbVolunteer) v = bb_volunteer_new ();

      bb_volunteer_set_first_name (v, people[i][0]);
      bb_volunteer_set_last_name (v, people[i][1]);
      g_assert_true (bb_volunteer_save (f->store, v, &error));
      g_assert_no_error (error);
    }
  expect_items (f, G_N_ELEMENTS (people) + 1);
  all = bb_volunteer_list_all (f->store, &error);
  g_assert_no_error (error);
  previous = g_list_model_get_n_items (all);

  /* Typed letter by letter, then erased letter by letter */
  for (int step = 1; step <= 2 * (int) strlen (typed); step++)
    {
      int length = step <= (int) strlen (typed) ? step : 2 * (int) strlen (typed) - step;
      g_autofree char *text = g_strndup (typed, (gsize) length);
      GListModel *shown = bb_volunteers_page_get_model (f->page);
      g_autoptr(GPtrArray) expected = g_ptr_array_new ();
      g_autoptr(GPtrArray) on_screen = g_ptr_array_new_with_free_func (g_free);
      guint n;

      bb_volunteers_page_set_search (f->page, text);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        {
          g_autoptr(BbVolunteer) v = g_list_model_get_item (all, i);

          if (bb_volunteer_matches (v, text))
            g_ptr_array_add (expected, (gpointer) bb_volunteer_get_id (v));
        }
      n = g_list_model_get_n_items (shown);
      g_assert_cmpuint (n, ==, expected->len);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BbVolunteer) v = g_list_model_get_item (shown, i);

          g_assert_cmpstr (bb_volunteer_get_id (v), ==, g_ptr_array_index (expected, i));
        }
      if (step <= (int) strlen (typed))
        g_assert_cmpuint (n, <=, previous);
      else
        g_assert_cmpuint (n, >=, previous);
      previous = n;

      /* The rows drawn show volunteers the search found */
      collect_row_names (list, on_screen);
      g_assert_cmpuint (on_screen->len, >=, MIN (n, 3));
      for (guint i = 0; i < on_screen->len; i++)
        {
          gboolean found = FALSE;

          for (guint j = 0; j < n && !found; j++)
            {
              g_autoptr(BbVolunteer) v = g_list_model_get_item (shown, j);

              found = g_str_equal (bb_volunteer_get_display_name (v), g_ptr_array_index (on_screen, i));
            }
          g_assert_true (found);
        }
    }
  /* Narrowed on the way and all back at the end */
  g_assert_cmpuint (previous, ==, G_N_ELEMENTS (people) + 1);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_resources_register (bb_ui_get_resource ());

  g_test_add ("/bb/ui/volunteers/add-search-hours", Fixture, NULL,
              fixture_setup, test_add_search_hours, fixture_teardown);
  g_test_add ("/bb/ui/volunteers/payment-warns-before-cap", Fixture, NULL,
              fixture_setup, test_payment_warns_before_cap, fixture_teardown);
  g_test_add ("/bb/ui/volunteers/type-and-erase", Fixture, NULL,
              fixture_setup, test_type_and_erase, fixture_teardown);

  return g_test_run ();
}
