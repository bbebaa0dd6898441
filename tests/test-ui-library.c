/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The library section of a real window under Xvfb, driven through its
 * widgets and actions as a user would: write a document, find it by a word
 * of its body, read it; a hostile document shows its HTML as text. */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "bb-application.h"
#include "bb-lazy-page.h"
#include "bb-library.h"
#include "bb-library-editor.h"
#include "bb-library-page.h"
#include "bb-window.h"
#include "bb-test-util.h"

static BbApplication *app;
static char *tmp_home;

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

typedef struct {
  BbWindow      *window;
  BbLibraryPage *page;
  BbStore       *store;   /* owned by the window */
} Fixture;

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static gpointer
page_child (Fixture    *fixture,
            const char *name)
{
  return child (fixture->page, BB_TYPE_LIBRARY_PAGE, name);
}

/* The editor is made when first needed. */
static gpointer
get_editor (Fixture *fixture)
{
  GtkWidget *editor = gtk_stack_get_child_by_name (page_child (fixture, "content_stack"), "editor");

  g_assert_true (BB_IS_LIBRARY_EDITOR (editor));
  return editor;
}

static gpointer
editor_child (Fixture    *fixture,
              const char *name)
{
  return child (get_editor (fixture), BB_TYPE_LIBRARY_EDITOR, name);
}

static const char *
visible_name (Fixture    *fixture,
              const char *stack)
{
  return gtk_stack_get_visible_child_name (page_child (fixture, stack));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = g_strdup_printf ("library-%u.buurtboek", g_random_int ());
  AdwViewStack *sections;
  BbLazyPage *lazy;
  BbStore *store;

  path = g_build_filename (tmp_home, name, NULL);
  bb_council_set_name (council, "Wijkraad Strijp");
  bb_council_set_municipality (council, "Eindhoven");
  store = bb_store_create (path, council, tmp_home, &error);
  g_assert_no_error (error);

  fixture->window = bb_window_new (app);
  bb_window_set_store (fixture->window, store);
  fixture->store = store;
  g_object_unref (store);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (wait_for ((Condition) gtk_widget_get_mapped, fixture->window));

  sections = child (fixture->window, BB_TYPE_WINDOW, "sections");
  lazy = BB_LAZY_PAGE (adw_view_stack_get_child_by_name (sections, "library"));
  g_assert_nonnull (lazy);
  /* Not even built before it is shown. */
  g_assert_null (bb_lazy_page_get_page (lazy));
  adw_view_stack_set_visible_child_name (sections, "library");
  fixture->page = BB_LIBRARY_PAGE (bb_lazy_page_get_page (lazy));
  g_assert_nonnull (fixture->page);
  g_assert_true (wait_for ((Condition) gtk_widget_get_mapped, fixture->page));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint
count_rows (Fixture *fixture)
{
  GtkListBox *list_box = page_child (fixture, "list_box");
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list_box)); row; row = gtk_widget_get_next_sibling (row))
    n++;

  return n;
}

static guint
count_documents (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) docs = bb_library_list (fixture->store, NULL, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (docs);
}

/* Every label under @widget, depth first, in reading order. */
static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, labels);
}

static GtkLabel *
find_label_with_text (GtkWidget  *root,
                      const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (root, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
        return g_ptr_array_index (labels, i);
    }

  return NULL;
}

static void
write_document (Fixture    *fixture,
                const char *title,
                const char *body)
{
  GtkTextView *body_view;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "library.new", NULL));
  g_assert_cmpstr (visible_name (fixture, "content_stack"), ==, "editor");

  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "title_row")), title);
  body_view = editor_child (fixture, "body_view");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (body_view), body, -1);
  g_assert_true (gtk_widget_activate_action (get_editor (fixture), "editor.save", NULL));
}

static gboolean
list_has_one_row (gpointer data)
{
  return count_rows (data) == 1 &&
         g_strcmp0 (visible_name (data, "list_stack"), "list") == 0;
}

static gboolean
shows_no_results (gpointer data)
{
  return g_strcmp0 (visible_name (data, "list_stack"), "no-results") == 0;
}

static void
test_write_find_read (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *editor;
  GtkSearchEntry *search_entry = page_child (fixture, "search_entry");
  GtkListBox *list_box = page_child (fixture, "list_box");
  GtkListBoxRow *row;
  GtkLabel *label;
  g_autoptr(GPtrArray) row_labels = g_ptr_array_new ();
  gboolean highlighted = FALSE;

  /* An empty library says so and offers to start. */
  g_assert_cmpstr (visible_name (fixture, "main_stack"), ==, "empty");

  /* A title is required: the editor says so and nothing is stored. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "library.new", NULL));
  editor = get_editor (fixture);
  g_assert_cmpstr (visible_name (fixture, "main_stack"), ==, "library");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "title_error_label")));
  g_assert_true (gtk_widget_has_css_class (editor_child (fixture, "title_row"), "error"));
  g_assert_cmpstr (visible_name (fixture, "content_stack"), ==, "editor");
  g_assert_cmpuint (count_documents (fixture), ==, 0);
  g_assert_true (gtk_widget_activate_action (editor, "editor.cancel", NULL));
  g_assert_cmpstr (visible_name (fixture, "main_stack"), ==, "empty");

  write_document (fixture, "Draaiboek burendag",
                  "# Opbouw\n\n"
                  "De **springkussens** komen om negen uur.\n\n"
                  "- tafels\n- stoelen\n");
  g_assert_cmpstr (visible_name (fixture, "content_stack"), ==, "reader");
  write_document (fixture, "Notulen ALV", "De kascommissie keurt de jaarrekening goed.\n");
  g_assert_cmpuint (count_documents (fixture), ==, 2);
  g_assert_cmpuint (count_rows (fixture), ==, 2);

  /* Search as you type, by the start of a word in the body only. */
  gtk_editable_set_text (GTK_EDITABLE (search_entry), "springkuss");
  g_assert_true (wait_for (list_has_one_row, fixture));
  row = gtk_list_box_get_row_at_index (list_box, 0);
  collect_labels (GTK_WIDGET (row), row_labels);
  g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (row_labels, 0)), ==, "Draaiboek burendag");
  /* The matching word is marked in the snippet. */
  for (guint i = 0; i < row_labels->len; i++)
    highlighted |= strstr (gtk_label_get_label (g_ptr_array_index (row_labels, i)), ">springkussens</span>") != NULL;
  g_assert_true (highlighted);

  /* A word no document has. */
  gtk_editable_set_text (GTK_EDITABLE (search_entry), "zwembad");
  g_assert_true (wait_for (shows_no_results, fixture));

  /* Open the hit and read the rendered body. */
  gtk_editable_set_text (GTK_EDITABLE (search_entry), "springkuss");
  g_assert_true (wait_for (list_has_one_row, fixture));
  g_signal_emit_by_name (list_box, "row-activated", gtk_list_box_get_row_at_index (list_box, 0));
  g_assert_cmpstr (visible_name (fixture, "content_stack"), ==, "reader");
  g_assert_cmpstr (gtk_label_get_text (page_child (fixture, "title_label")), ==, "Draaiboek burendag");

  label = find_label_with_text (page_child (fixture, "body_box"), "Opbouw");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "title-1"));
  label = find_label_with_text (page_child (fixture, "body_box"), "De springkussens komen om negen uur.");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_label (label), ==, "De <b>springkussens</b> komen om negen uur.");
  g_assert_nonnull (find_label_with_text (page_child (fixture, "body_box"), "stoelen"));
  g_assert_nonnull (find_label_with_text (page_child (fixture, "body_box"), "•"));
}

static void
test_delete_and_undo (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BbLibraryDocument) doc = bb_library_document_new ();
  g_autoptr(BbLibraryDocument) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  bb_library_document_set_title (doc, "Privacyverklaring");
  bb_library_document_set_body (doc, "Wij bewaren alleen wat nodig is.");
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  g_assert_no_error (error);
  id = g_strdup (bb_library_document_get_id (doc));

  g_assert_true (bb_library_page_show_document (fixture->page, id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "library.delete", NULL));
  g_assert_null (bb_library_get (fixture->store, id, NULL));
  g_assert_cmpstr (visible_name (fixture, "main_stack"), ==, "empty");

  /* The toast's Undo brings it back, as it was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "library.undo-delete", "s", id));
  back = bb_library_get (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bb_library_document_get_title (back), ==, "Privacyverklaring");
  g_assert_cmpstr (visible_name (fixture, "main_stack"), ==, "library");
  g_assert_cmpstr (visible_name (fixture, "content_stack"), ==, "reader");
  g_assert_cmpuint (count_rows (fixture), ==, 1);
}

static void
test_hostile_document (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(BbLibraryDocument) doc = bb_library_document_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *body_box;

  bb_library_document_set_title (doc, "<b>Gratis</b> & <span size='99999'>geld</span>");
  bb_library_document_set_body (doc,
                                "<script>alert('x')</script>\n"
                                "\n"
                                "Klik [hier](javascript:alert(1)) of <img src=x onerror=alert(1)>.\n");
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  g_assert_no_error (error);

  g_assert_true (bb_library_page_show_document (fixture->page, bb_library_document_get_id (doc)));
  body_box = page_child (fixture, "body_box");

  /* The title and the HTML show as the characters typed. */
  g_assert_cmpstr (gtk_label_get_text (page_child (fixture, "title_label")), ==,
                   "<b>Gratis</b> & <span size='99999'>geld</span>");
  g_assert_nonnull (find_label_with_text (body_box, "<script>alert('x')</script>"));
  g_assert_nonnull (find_label_with_text (body_box, "Klik hier of <img src=x onerror=alert(1)>."));

  /* No link to javascript: anywhere on the page. */
  collect_labels (body_box, labels);
  for (guint i = 0; i < labels->len; i++)
    g_assert_null (strstr (gtk_label_get_label (g_ptr_array_index (labels, i)), "<a "));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_home = g_dir_make_tmp ("buurtboek-ui-library-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", tmp_home, TRUE);
  g_setenv ("XDG_DATA_HOME", tmp_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", tmp_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", tmp_home, TRUE);
  g_setenv ("BUURTBOEK_BACKUP_DIR", tmp_home, TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LANGUAGE");

  gtk_test_init (&argc, &argv, NULL);

  app = bb_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/bb/ui/library/write-find-read", Fixture, NULL,
              fixture_set_up, test_write_find_read, fixture_tear_down);
  g_test_add ("/bb/ui/library/delete-and-undo", Fixture, NULL,
              fixture_set_up, test_delete_and_undo, fixture_tear_down);
  g_test_add ("/bb/ui/library/hostile-document", Fixture, NULL,
              fixture_set_up, test_hostile_document, fixture_tear_down);

  ret = g_test_run ();

  g_object_unref (app);
  bb_test_remove_tree (tmp_home);
  g_free (tmp_home);

  return ret;
}
