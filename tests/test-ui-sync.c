/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The conflicts dialog in a real window under Xvfb: a document changed by
 * two councils shows both versions with their origin; keeping one or
 * merging by editing leaves one live version. */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "bb-conflicts-dialog.h"
#include "bb-council.h"
#include "bb-replica.h"
#include "bb-sync-conflicts.h"
#include "bb-test-util.h"
#include "bb-ui-resources.h"

static gboolean
is_label_with (GtkWidget  *widget,
               const char *text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL &&
         gtk_widget_get_mapped (widget);
}

static gboolean
is_row_with (GtkWidget  *widget,
             const char *text)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget) &&
         strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) != NULL;
}

static gboolean
is_button_with (GtkWidget  *widget,
                const char *text)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
         strcmp (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0;
}

static gboolean
is_text_view (GtkWidget  *widget,
              const char *unused)
{
  return GTK_IS_TEXT_VIEW (widget) && gtk_widget_get_mapped (widget);
}

/* The @nth (0-based) match, depth first. */
static GtkWidget *
find_nth (GtkWidget  *root,
          gboolean  (*match) (GtkWidget *, const char *),
          const char *text,
          guint      *nth)
{
  if (match (root, text))
    {
      if (*nth == 0)
        return root;
      (*nth)--;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_nth (child, match, text, nth);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find (GtkWidget  *root,
      gboolean  (*match) (GtkWidget *, const char *),
      const char *text,
      guint       nth)
{
  return find_nth (root, match, text, &nth);
}

static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* BB_TEST_SHOT=prefix: pictures of the dialog, for looking at it. */
static void
maybe_screenshot (GtkWidget  *widget,
                  const char *name)
{
  const char *prefix = g_getenv ("BB_TEST_SHOT");
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (prefix == NULL)
    return;
  path = g_strdup_printf ("%s-%s.png", prefix, name);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  gdk_texture_save_to_png (texture, path);
}

static JsonObject *
version (const char *rev,
         const char *parent,
         const char *council,
         const char *title)
{
  JsonObject *doc = json_object_new ();
  JsonObject *origin = json_object_new ();
  JsonObject *revisions = json_object_new ();
  JsonArray *ids = json_array_new ();

  json_object_set_string_member (doc, "_id", "burendag");
  json_object_set_string_member (doc, "_rev", rev);
  json_array_add_string_element (ids, strchr (rev, '-') + 1);
  if (parent != NULL)
    json_array_add_string_element (ids, parent);
  json_object_set_int_member (revisions, "start", rev[0] - '0');
  json_object_set_array_member (revisions, "ids", ids);
  json_object_set_object_member (doc, "_revisions", revisions);
  json_object_set_string_member (doc, "format", "buurtboek-library/1");
  json_object_set_string_member (doc, "type", "practice");
  json_object_set_string_member (doc, "title", title);
  json_object_set_string_member (doc, "summary", "Zo organiseert u een burendag in de straat.");
  json_object_set_string_member (doc, "body", "# Draaiboek\n\n1. Vergunning aanvragen\n2. Buren uitnodigen");
  json_object_set_string_member (doc, "updated_at", "2026-05-01T10:00:00Z");
  json_object_set_string_member (origin, "council_id", council);
  json_object_set_string_member (origin, "council_name", council);
  json_object_set_string_member (origin, "municipality", "Valkenswaard");
  json_object_set_object_member (doc, "origin", origin);
  return doc;
}

static BbStore *
make_conflicted_store (const char *dir)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *path = g_build_filename (dir, "Dommelhoek.buurtboek", NULL);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  BbStore *store;

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  store = bb_store_create (path, council, dir, &error);
  g_assert_no_error (error);
  g_ptr_array_add (docs, version ("1-aaaa", NULL, "Wijkraad De Dommelhoek", "Burendag"));
  g_ptr_array_add (docs, version ("2-bbbb", "aaaa", "Wijkraad De Dommelhoek", "Burendag in de Dommelhoek"));
  g_ptr_array_add (docs, version ("2-cccc", "aaaa", "Wijkraad Oosterpark met een heel lange naam die moet afbreken",
                                  "Burendag Oosterpark"));
  g_assert_true (bb_replica_put_revisions (store, docs, NULL, &errors, &error));
  g_assert_no_error (error);
  return store;
}

static GtkWidget *
open_dialog (BbStore *store)
{
  GtkWidget *dialog = bb_conflicts_dialog_new (NULL, store);
  GtkWidget *row;
  const char *width = g_getenv ("BB_TEST_WIDTH");

  gtk_window_set_default_size (GTK_WINDOW (dialog), width != NULL ? atoi (width) : 900, 640);
  gtk_window_present (GTK_WINDOW (dialog));
  settle ();
  maybe_screenshot (dialog, "list");

  row = find (dialog, is_row_with, "Burendag Oosterpark", 0);
  g_assert_nonnull (row);
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  settle ();

  /* Both versions side by side, with their origin */
  g_assert_nonnull (find (dialog, is_label_with, "Wijkraad De Dommelhoek, Valkenswaard", 0));
  g_assert_nonnull (find (dialog, is_label_with, "Wijkraad Oosterpark met een heel lange naam", 0));
  g_assert_nonnull (find (dialog, is_label_with, "Shown until you choose", 0));
  maybe_screenshot (dialog, "versions");
  return dialog;
}

static void
test_keep (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bb-test-ui-sync-XXXXXX", &error);
  g_autoptr(BbStore) store = make_conflicted_store (dir);
  GtkWidget *dialog = open_dialog (store);
  GtkWidget *keep;
  g_autofree char *winner = NULL;

  g_assert_cmpint (bb_sync_conflicts_count (store, NULL), ==, 1);
  /* The second card is the version the automatic rule did not show */
  keep = find (dialog, is_button_with, "_Keep This Version", 1);
  g_assert_nonnull (keep);
  g_signal_emit_by_name (keep, "clicked");
  settle ();

  g_assert_cmpint (bb_sync_conflicts_count (store, NULL), ==, 0);
  winner = bb_replica_get_winning_rev (store, "burendag", NULL, &error);
  g_assert_cmpstr (winner, ==, "2-bbbb");
  g_assert_nonnull (find (dialog, is_label_with, "Every document in the library has one current version.", 0));
  maybe_screenshot (dialog, "empty");

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (bb_store_close (store, &error));
  bb_test_remove_tree (dir);
}

static void
test_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bb-test-ui-sync-XXXXXX", &error);
  g_autoptr(BbStore) store = make_conflicted_store (dir);
  GtkWidget *dialog = open_dialog (store);
  GtkWidget *merge;
  GtkWidget *view;
  g_autoptr(JsonObject) doc = NULL;

  merge = find (dialog, is_button_with, "_Merge From This…", 0);
  g_assert_nonnull (merge);
  g_signal_emit_by_name (merge, "clicked");
  settle ();
  view = find (dialog, is_text_view, NULL, 0);
  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                            "# Draaiboek\n\nSamen met Oosterpark.", -1);
  maybe_screenshot (dialog, "merge");
  g_signal_emit_by_name (find (dialog, is_button_with, "_Save Merged Version", 0), "clicked");
  settle ();

  g_assert_cmpint (bb_sync_conflicts_count (store, NULL), ==, 0);
  doc = bb_replica_get (store, "burendag", NULL, BB_REPLICA_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "body"), ==, "# Draaiboek\n\nSamen met Oosterpark.");
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Burendag Oosterpark");

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (bb_store_close (store, &error));
  bb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_resources_register (bb_ui_get_resource ());

  g_test_add_func ("/bb/ui/conflicts/keep", test_keep);
  g_test_add_func ("/bb/ui/conflicts/merge", test_merge);

  return g_test_run ();
}
