/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "bb-handover.h"
#include "bb-library.h"
#include "bb-replica.h"
#include "bb-store-private.h"
#include "bb-test-util.h"

typedef struct
{
  char    *dir;
  BbStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-library-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Zuid.buurtboek", NULL);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad Zuid");
  bb_council_set_municipality (council, "Tilburg");
  fixture->store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  bb_store_close (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Helpers */

static BbLibraryDocument *
save_new (BbStore          *store,
          BbLibraryDocType  type,
          const char       *title,
          const char       *summary,
          const char       *body,
          const char       *theme,
          const char       *tag)
{
  g_autoptr(GError) error = NULL;
  BbLibraryDocument *doc = bb_library_document_new ();
  const char *themes[] = { theme, NULL };
  const char *tags[] = { tag, NULL };

  bb_library_document_set_doc_type (doc, type);
  bb_library_document_set_title (doc, title);
  bb_library_document_set_summary (doc, summary);
  bb_library_document_set_body (doc, body);
  bb_library_document_set_themes (doc, themes);
  bb_library_document_set_tags (doc, tags);
  g_assert_true (bb_library_save (store, doc, &error));
  g_assert_no_error (error);
  return doc;
}

/* A document from another council, as a peer sends it. */
static void
put_foreign (BbStore    *store,
             const char *id,
             const char *title,
             const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *text = g_strdup_printf ("{\"_id\": \"%s\", \"_rev\": \"1-abc\","
                                           " \"format\": \"" BB_LIBRARY_FORMAT "\", \"type\": \"template\","
                                           " \"title\": \"%s\", \"summary\": \"Van de buren\", \"body\": \"# Kop\\n\\nTekst.\","
                                           " \"themes\": [\"topic-events\"], \"tags\": [\"buren\"], \"language\": \"nl\","
                                           " \"licence\": \"CC-BY-SA-4.0\","
                                           " \"origin\": {\"council_id\": \"council-noord\", \"council_name\": \"Wijkraad Noord\","
                                           " \"municipality\": \"Breda\"}%s}",
                                           id, title, extra != NULL ? extra : "");
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_ptr_array_add (docs, json_object_ref (json_node_get_object (node)));
  g_assert_true (bb_replica_put_revisions (store, docs, NULL, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 0);
}

static char *
search_titles (BbStore               *store,
               const char            *query,
               const BbLibraryFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) results = bb_library_search (store, query, filter, 0, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(BbLibrarySearchResult) result = g_list_model_get_item (results, i);
      g_autofree char *plain = bb_library_marked_to_plain (bb_library_search_result_get_title (result));

      g_string_append_printf (out, "%s%s", i > 0 ? " | " : "", plain);
    }
  return g_string_free (out, FALSE);
}

static char *
list_titles (BbStore               *store,
             const BbLibraryFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) docs = bb_library_list (store, filter, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (docs); i++)
    {
      g_autoptr(BbLibraryDocument) doc = g_list_model_get_item (docs, i);

      g_string_append_printf (out, "%s%s", i > 0 ? " | " : "", bb_library_document_get_title (doc));
    }
  return g_string_free (out, FALSE);
}

/* Tests */

static void
test_save_update (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbLibraryDocument) doc = bb_library_document_new ();
  g_autoptr(BbLibraryDocument) read = NULL;
  g_autoptr(BbLibraryDocument) stale = NULL;
  g_autofree char *first_rev = NULL;
  const char *themes[] = { "domain-care", "topic-volunteers", NULL };
  const char *tags[] = { " AVG ", "privacy", "AVG", "", NULL };
  const char *bad_themes[] = { "no-such-theme", NULL };

  g_assert_cmpstr (bb_library_document_get_licence (doc), ==, "CC-BY-4.0");
  g_assert_cmpstr (bb_library_document_get_language (doc), ==, "nl");

  /* A title is required. */
  bb_library_document_set_title (doc, "   ");
  g_assert_false (bb_library_save (fixture->store, doc, &error));
  g_assert_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_TITLE);
  g_clear_error (&error);
  g_assert_null (bb_library_document_get_id (doc));

  bb_library_document_set_title (doc, "  Privacyverklaring  ");
  bb_library_document_set_themes (doc, bad_themes);
  g_assert_false (bb_library_save (fixture->store, doc, &error));
  g_assert_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_THEME);
  g_clear_error (&error);

  bb_library_document_set_doc_type (doc, BB_LIBRARY_DOC_TEMPLATE);
  bb_library_document_set_themes (doc, themes);
  bb_library_document_set_tags (doc, tags);
  bb_library_document_set_body (doc, "# Privacyverklaring\n\nWij bewaren uw gegevens *niet* langer dan nodig.");
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  g_assert_no_error (error);

  g_assert_nonnull (bb_library_document_get_id (doc));
  g_assert_true (g_str_has_prefix (bb_library_document_get_rev (doc), "1-"));
  g_assert_cmpstr (bb_library_document_get_title (doc), ==, "Privacyverklaring");
  g_assert_cmpstr (bb_library_document_get_origin_council_id (doc), ==, bb_store_get_council_id (fixture->store));
  g_assert_cmpstr (bb_library_document_get_origin_council_name (doc), ==, "Wijkraad Zuid");
  g_assert_cmpstr (bb_library_document_get_origin_municipality (doc), ==, "Tilburg");
  g_assert_true (bb_library_document_get_is_own (doc));
  g_assert_nonnull (bb_library_document_get_created_at (doc));
  g_assert_cmpstr (bb_library_document_get_created_at (doc), ==, bb_library_document_get_updated_at (doc));
  first_rev = g_strdup (bb_library_document_get_rev (doc));

  read = bb_library_get (fixture->store, bb_library_document_get_id (doc), &error);
  g_assert_no_error (error);
  g_assert_cmpint (bb_library_document_get_doc_type (read), ==, BB_LIBRARY_DOC_TEMPLATE);
  g_assert_cmpstr (bb_library_document_get_body (read), ==, bb_library_document_get_body (doc));
  g_assert_cmpstrv (bb_library_document_get_themes (read), themes);
  g_assert_cmpuint (g_strv_length ((GStrv) bb_library_document_get_tags (read)), ==, 2);
  g_assert_cmpstr (bb_library_document_get_tags (read)[0], ==, "AVG");
  g_assert_true (bb_library_document_get_is_own (read));

  /* Two editors: the second save of the old revision is a conflict and
   * loses nothing. */
  stale = bb_library_get (fixture->store, bb_library_document_get_id (doc), &error);
  bb_library_document_set_summary (doc, "Voor de website");
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bb_library_document_get_rev (doc), "2-"));
  bb_library_document_set_summary (stale, "Iets anders");
  g_assert_false (bb_library_save (fixture->store, stale, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&read);
  read = bb_library_get (fixture->store, bb_library_document_get_id (doc), &error);
  g_assert_cmpstr (bb_library_document_get_summary (read), ==, "Voor de website");
  g_assert_cmpstr (bb_library_document_get_created_at (read), ==, bb_library_document_get_created_at (doc));
}

static void
test_delete_undelete (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbLibraryDocument) doc = bb_library_document_new ();
  g_autoptr(BbLibraryDocument) back = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("naam;rol\nAnna;voorzitter\n", 25);
  g_autoptr(GBytes) read = NULL;
  g_autofree char *tombstone = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *titles = NULL;
  const char *id;

  bb_library_document_set_title (doc, "Draaiboek burendag");
  bb_library_document_set_body (doc, "Begin om tien uur met koffie.");
  bb_library_document_add_attachment_bytes (doc, "rooster.csv", "text/csv", content);
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  g_assert_no_error (error);
  id = bb_library_document_get_id (doc);
  g_assert_cmpuint (g_list_model_get_n_items (bb_library_document_get_attachments (doc)), ==, 1);
  {
    g_autoptr(BbLibraryAttachment) att = g_list_model_get_item (bb_library_document_get_attachments (doc), 0);

    g_assert_false (bb_library_attachment_get_pending (att));
    g_assert_nonnull (bb_library_attachment_get_digest (att));
    g_assert_cmpint (bb_library_attachment_get_length (att), ==, 25);
  }

  g_assert_true (bb_library_delete (fixture->store, id, &tombstone, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (tombstone, "2-"));
  g_assert_null (bb_library_get (fixture->store, id, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  titles = list_titles (fixture->store, NULL);
  g_assert_cmpstr (titles, ==, "");
  g_clear_pointer (&titles, g_free);
  titles = search_titles (fixture->store, "koffie", NULL);
  g_assert_cmpstr (titles, ==, "");
  g_clear_pointer (&titles, g_free);

  /* The undo toast: the text and the attachment come back. */
  g_assert_true (bb_library_undelete (fixture->store, id, &restored, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (restored, "3-"));
  back = bb_library_get (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bb_library_document_get_body (back), ==, "Begin om tien uur met koffie.");
  read = bb_library_get_attachment_bytes (fixture->store, id, NULL, "rooster.csv", &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, content));
  titles = search_titles (fixture->store, "koffie", NULL);
  g_assert_cmpstr (titles, ==, "Draaiboek burendag");

  /* Undeleting a live document is refused. */
  g_assert_false (bb_library_undelete (fixture->store, id, NULL, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT);
}

/* Deleting removes conflicting versions too, so nothing resurrects. */
static void
test_delete_conflicts (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbLibraryDocument) doc = NULL;
  g_autoptr(GPtrArray) leaves = NULL;

  put_foreign (fixture->store, "shared", "Versie A", NULL);
  {
    g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    g_autoptr(JsonNode) node = json_from_string ("{\"_id\": \"shared\", \"_rev\": \"1-zzz\", \"format\": \"" BB_LIBRARY_FORMAT "\","
                                                 " \"type\": \"practice\", \"title\": \"Versie B\"}", &error);

    g_ptr_array_add (docs, json_object_ref (json_node_get_object (node)));
    g_assert_true (bb_replica_put_revisions (fixture->store, docs, NULL, NULL, &error));
  }

  doc = bb_library_get (fixture->store, "shared", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bb_library_document_get_title (doc), ==, "Versie B");
  g_assert_true (bb_library_document_get_has_conflicts (doc));

  g_assert_true (bb_library_delete (fixture->store, "shared", NULL, &error));
  g_assert_no_error (error);
  leaves = bb_replica_get_leaves (fixture->store, "shared", &error);
  g_assert_cmpuint (leaves->len, ==, 2);
  for (guint i = 0; i < leaves->len; i++)
    g_assert_true (((BbReplicaLeaf *) g_ptr_array_index (leaves, i))->deleted);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *titles = NULL;
  g_autoptr(BbLibraryDocument) a = NULL;
  g_autoptr(BbLibraryDocument) b = NULL;
  g_autoptr(BbLibraryDocument) c = NULL;
  g_autoptr(BbLibraryDocument) d = NULL;
  g_autoptr(BbLibraryDocument) e = NULL;
  g_autoptr(BbLibraryDocument) f = bb_library_document_new ();
  g_autoptr(GBytes) png = g_bytes_new_static ("\x89PNG\r\n\x1a\n", 8);

  a = save_new (fixture->store, BB_LIBRARY_DOC_PRACTICE, "Buurtcafé in de bibliotheek",
                "Elke vrijdag koffie", "Het café draait op vrijwilligers.", "domain-welfare", "ontmoeting");
  b = save_new (fixture->store, BB_LIBRARY_DOC_TEMPLATE, "Vrijwilligersovereenkomst",
                "Model", "Afspraken tussen wijkraad en vrijwilliger.", "topic-volunteers", "contract");
  c = save_new (fixture->store, BB_LIBRARY_DOC_PRACTICE, "Jaarverslag",
                "Wat we deden", "Dit jaar hielpen twaalf vrijwilligers bij de burendag. Ook vergaderden we.",
                "topic-organisation", "verslag");
  d = save_new (fixture->store, BB_LIBRARY_DOC_PRACTICE, "Notulen",
                "", "Alleen een vergadering.", "topic-organisation", "energiecoöperatie");
  e = save_new (fixture->store, BB_LIBRARY_DOC_TEMPLATE, "Privacy <script>alert(1)</script>",
                "", "Tekst", NULL, NULL);

  bb_library_document_set_title (f, "Kraampjesplan");
  bb_library_document_add_attachment_bytes (f, "plattegrond-markt.png", "image/png", png);
  g_assert_true (bb_library_save (fixture->store, f, &error));
  g_assert_no_error (error);

  /* Diacritics folded both ways. */
  titles = search_titles (fixture->store, "cafe", NULL);
  g_assert_cmpstr (titles, ==, "Buurtcafé in de bibliotheek");
  g_clear_pointer (&titles, g_free);
  titles = search_titles (fixture->store, "CAFÉ", NULL);
  g_assert_cmpstr (titles, ==, "Buurtcafé in de bibliotheek");
  g_clear_pointer (&titles, g_free);

  /* Prefixes, and the title before the body. */
  titles = search_titles (fixture->store, "vrijwil", NULL);
  g_assert_true (g_str_has_prefix (titles, "Vrijwilligersovereenkomst | "));
  g_assert_nonnull (strstr (titles, "Jaarverslag"));
  g_assert_nonnull (strstr (titles, "Buurtcafé"));
  g_clear_pointer (&titles, g_free);

  /* All words must occur. */
  titles = search_titles (fixture->store, "vrijwilligers burendag", NULL);
  g_assert_cmpstr (titles, ==, "Jaarverslag");
  g_clear_pointer (&titles, g_free);

  /* Tags and attachment names count. */
  titles = search_titles (fixture->store, "energiecooperatie", NULL);
  g_assert_cmpstr (titles, ==, "Notulen");
  g_clear_pointer (&titles, g_free);
  titles = search_titles (fixture->store, "plattegrond", NULL);
  g_assert_cmpstr (titles, ==, "Kraampjesplan");
  g_clear_pointer (&titles, g_free);

  /* Input that is FTS5 syntax is only text. */
  titles = search_titles (fixture->store, "\"NOT* (OR) NEAR(^", NULL);
  g_assert_cmpstr (titles, ==, "");
  g_clear_pointer (&titles, g_free);
  titles = search_titles (fixture->store, "   ", NULL);
  g_assert_cmpstr (titles, ==, "");
  g_clear_pointer (&titles, g_free);

  /* Highlights: markers around the match, safe markup. */
  {
    g_autoptr(GListModel) results = bb_library_search (fixture->store, "burendag", NULL, 10, &error);
    g_autoptr(BbLibrarySearchResult) hit = NULL;
    g_autofree char *markup = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
    hit = g_list_model_get_item (results, 0);
    markup = bb_library_marked_to_markup (bb_library_search_result_get_snippet (hit));
    g_assert_nonnull (strstr (markup, "<b>burendag</b>"));
    g_assert_cmpstr (bb_library_document_get_title (bb_library_search_result_get_document (hit)), ==, "Jaarverslag");
  }
  {
    g_autoptr(GListModel) results = bb_library_search (fixture->store, "script", NULL, 10, &error);
    g_autoptr(BbLibrarySearchResult) hit = g_list_model_get_item (results, 0);
    g_autofree char *markup = bb_library_marked_to_markup (bb_library_search_result_get_title (hit));

    g_assert_cmpstr (markup, ==, "Privacy &lt;<b>script</b>&gt;alert(1)&lt;/<b>script</b>&gt;");
  }

  /* Filters by type and theme. */
  {
    BbLibraryFilter filter = BB_LIBRARY_FILTER_INIT;

    filter.any_type = FALSE;
    filter.type = BB_LIBRARY_DOC_TEMPLATE;
    titles = search_titles (fixture->store, "vrijwil", &filter);
    g_assert_cmpstr (titles, ==, "Vrijwilligersovereenkomst");
    g_clear_pointer (&titles, g_free);

    filter.any_type = TRUE;
    filter.theme = "topic-organisation";
    titles = search_titles (fixture->store, "vergader", &filter);
    g_assert_nonnull (strstr (titles, "Jaarverslag"));
    g_assert_nonnull (strstr (titles, "Notulen"));
    g_clear_pointer (&titles, g_free);
    titles = list_titles (fixture->store, &filter);
    g_assert_cmpstr (titles, ==, "Jaarverslag | Notulen");
    g_clear_pointer (&titles, g_free);
  }

  /* An edit moves the index along with the winner. */
  bb_library_document_set_title (d, "Notulen oktober");
  bb_library_document_set_tags (d, NULL);
  g_assert_true (bb_library_save (fixture->store, d, &error));
  titles = search_titles (fixture->store, "energiecooperatie", NULL);
  g_assert_cmpstr (titles, ==, "");
  g_clear_pointer (&titles, g_free);
  titles = search_titles (fixture->store, "oktober", NULL);
  g_assert_cmpstr (titles, ==, "Notulen oktober");
}

static void
test_list_origin (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BbLibraryDocument) own = NULL;
  g_autoptr(GError) error = NULL;
  BbLibraryFilter filter = BB_LIBRARY_FILTER_INIT;
  g_autofree char *titles = NULL;

  own = save_new (fixture->store, BB_LIBRARY_DOC_PRACTICE, "Zomerfeest", "", "", NULL, NULL);
  put_foreign (fixture->store, "noord-1", "Avondvierdaagse", NULL);
  /* Not a library document: kept in the replica, never listed. */
  {
    g_autoptr(JsonObject) body = json_object_new ();

    json_object_set_string_member (body, "title", "Iets anders");
    g_assert_true (bb_replica_put (fixture->store, "other", NULL, body, FALSE, NULL, NULL, &error));
  }

  titles = list_titles (fixture->store, NULL);
  g_assert_cmpstr (titles, ==, "Avondvierdaagse | Zomerfeest");
  g_clear_pointer (&titles, g_free);

  filter.origin_council = "council-noord";
  titles = list_titles (fixture->store, &filter);
  g_assert_cmpstr (titles, ==, "Avondvierdaagse");
  g_clear_pointer (&titles, g_free);

  filter.origin_council = bb_store_get_council_id (fixture->store);
  titles = list_titles (fixture->store, &filter);
  g_assert_cmpstr (titles, ==, "Zomerfeest");
}

/* The page of a long list: the first N by title, and how many there are;
 * and each origin council once, for the filter. */
static void
test_list_limited_origins (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) first = NULL;
  g_autoptr(GListModel) none = NULL;
  g_autoptr(GPtrArray) origins = NULL;
  BbLibraryFilter filter = BB_LIBRARY_FILTER_INIT;
  const char *titles[] = { "Zomerfeest", "avondwandeling", "Burendag", "Ééndaagse" };
  guint total = 0;
  gboolean seen_own = FALSE, seen_noord = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    g_object_unref (save_new (fixture->store, BB_LIBRARY_DOC_PRACTICE, titles[i], "", "", NULL, NULL));
  put_foreign (fixture->store, "noord-1", "Avondvierdaagse", NULL);
  put_foreign (fixture->store, "noord-2", "Buurtbus", NULL);

  /* The same order as bb_library_list(), cut after three. */
  first = bb_library_list_limited (fixture->store, NULL, 3, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (first), ==, 3);
  {
    g_autoptr(GListModel) all = bb_library_list (fixture->store, NULL, &error);

    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(BbLibraryDocument) a = g_list_model_get_item (first, i);
        g_autoptr(BbLibraryDocument) b = g_list_model_get_item (all, i);

        g_assert_cmpstr (bb_library_document_get_title (a), ==, bb_library_document_get_title (b));
      }
  }

  /* Limit 0 only counts; a filter counts what it lets through. */
  filter.origin_council = "council-noord";
  none = bb_library_list_limited (fixture->store, &filter, 0, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
  g_assert_cmpuint (total, ==, 2);

  origins = bb_library_list_origins (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (origins->len, ==, 2);
  for (guint i = 0; i < origins->len; i++)
    {
      BbLibraryOrigin *origin = g_ptr_array_index (origins, i);

      if (g_strcmp0 (origin->council_id, "council-noord") == 0)
        {
          g_assert_cmpstr (origin->name, ==, "Wijkraad Noord");
          g_assert_cmpstr (origin->municipality, ==, "Breda");
          seen_noord = TRUE;
        }
      else
        {
          g_assert_cmpstr (origin->council_id, ==, bb_store_get_council_id (fixture->store));
          g_assert_cmpstr (origin->name, ==, "Wijkraad Zuid");
          seen_own = TRUE;
        }
    }
  g_assert_true (seen_own && seen_noord);
}

static void
test_use_as_own (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbLibraryDocument) original = NULL;
  g_autoptr(BbLibraryDocument) copy = NULL;
  g_autoptr(BbLibraryDocument) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  sqlite3_stmt *stmt = NULL;

  put_foreign (fixture->store, "noord-2", "Vergunning Koningsdag",
               ", \"_attachments\": {\"checklist.txt\": {\"content_type\": \"text/plain\", \"data\": \"MS4gQWFudnJhZ2Vu\"}}");
  original = bb_library_get (fixture->store, "noord-2", &error);
  g_assert_no_error (error);
  g_assert_false (bb_library_document_get_is_own (original));
  g_assert_cmpstr (bb_library_document_get_origin_council_name (original), ==, "Wijkraad Noord");

  copy = bb_library_use_as_own (fixture->store, "noord-2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bb_library_document_get_id (copy), !=, "noord-2");
  g_assert_true (bb_library_document_get_is_own (copy));
  g_assert_cmpstr (bb_library_document_get_origin_council_name (copy), ==, "Wijkraad Zuid");
  g_assert_cmpstr (bb_library_document_get_title (copy), ==, "Vergunning Koningsdag");
  g_assert_cmpint (bb_library_document_get_doc_type (copy), ==, BB_LIBRARY_DOC_TEMPLATE);
  /* The attribution and the original licence stay with the copy. */
  g_assert_cmpstr (bb_library_document_get_licence (copy), ==, "CC-BY-SA-4.0");
  g_assert_cmpstr (bb_library_document_get_derived_from_id (copy), ==, "noord-2");
  g_assert_cmpstr (bb_library_document_get_derived_from_rev (copy), ==, "1-abc");
  g_assert_cmpstr (bb_library_document_get_derived_from_council (copy), ==, "Wijkraad Noord");
  g_assert_cmpstr (bb_library_document_get_derived_from_licence (copy), ==, "CC-BY-SA-4.0");

  /* Read back from the store, and the attachment shares its content. */
  again = bb_library_get (fixture->store, bb_library_document_get_id (copy), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bb_library_document_get_derived_from_council (again), ==, "Wijkraad Noord");
  bytes = bb_library_get_attachment_bytes (fixture->store, bb_library_document_get_id (copy), NULL, "checklist.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "1. Aanvragen", 12);
  g_assert_cmpint (sqlite3_prepare_v2 (bb_store_get_db (fixture->store), "SELECT count(*) FROM replica_blob", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);

  /* An own document cannot be taken over again. */
  g_assert_null (bb_library_use_as_own (fixture->store, bb_library_document_get_id (copy), &error));
  g_assert_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_OWN);
}

/* A newer peer's fields survive an edit here. */
static void
test_unknown_fields_kept (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbLibraryDocument) doc = NULL;
  g_autoptr(JsonObject) stored = NULL;
  const char *theme_list[] = { "topic-events", "own-from-noord", NULL };

  put_foreign (fixture->store, "noord-3", "Straatfeest", ", \"future\": {\"x\": 1}, \"themes\": [\"topic-events\", \"own-from-noord\"]");
  doc = bb_library_get (fixture->store, "noord-3", &error);
  g_assert_no_error (error);
  /* A peer's own theme id is allowed to stay although unknown here. */
  g_assert_cmpstrv (bb_library_document_get_themes (doc), theme_list);
  bb_library_document_set_summary (doc, "Aangepast");
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  g_assert_no_error (error);

  stored = bb_replica_get (fixture->store, "noord-3", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (stored, "future"));
  g_assert_cmpstr (json_object_get_string_member (stored, "summary"), ==, "Aangepast");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored, "origin"), "council_name"), ==, "Wijkraad Noord");

  /* Wrong types are named. */
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"format\": \"" BB_LIBRARY_FORMAT "\", \"title\": 5}", NULL);
    g_autoptr(BbLibraryDocument) bad = bb_library_document_new_from_json ("x", "1-a", json_node_get_object (node), &error);

    g_assert_null (bad);
    g_assert_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_FIELD);
    g_assert_nonnull (strstr (error->message, "title"));
  }
}

static void
test_themes (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) themes = NULL;
  g_autofree char *own_id = NULL;
  g_autofree char *found = NULL;
  g_autofree char *label = NULL;
  BbLibraryTheme *last;

  themes = bb_library_list_themes (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (themes->len, ==, 16);
  g_assert_cmpstr (((BbLibraryTheme *) g_ptr_array_index (themes, 0))->id, ==, "obstacle-regulation");
  g_assert_cmpint (((BbLibraryTheme *) g_ptr_array_index (themes, 5))->group, ==, BB_LIBRARY_THEME_DOMAIN);
  g_clear_pointer (&themes, g_ptr_array_unref);

  g_assert_true (bb_library_add_theme (fixture->store, "Groen in de wijk", &own_id, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (own_id, "own-"));
  themes = bb_library_list_themes (fixture->store, &error);
  g_assert_cmpuint (themes->len, ==, 17);
  last = g_ptr_array_index (themes, 16);
  g_assert_cmpstr (last->label, ==, "Groen in de wijk");
  g_assert_cmpint (last->group, ==, BB_LIBRARY_THEME_OWN);

  found = bb_library_find_theme (fixture->store, "groen IN de wijk");
  g_assert_cmpstr (found, ==, own_id);
  g_clear_pointer (&found, g_free);
  found = bb_library_find_theme (fixture->store, "Volunteers");
  g_assert_cmpstr (found, ==, "topic-volunteers");
  g_clear_pointer (&found, g_free);
  found = bb_library_find_theme (fixture->store, "domain-energy");
  g_assert_cmpstr (found, ==, "domain-energy");
  label = bb_library_get_theme_label (fixture->store, "own-unknown-here");
  g_assert_cmpstr (label, ==, "own-unknown-here");

  g_assert_false (bb_library_add_theme (fixture->store, "Groen in de wijk", NULL, &error));
  g_assert_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_THEME);
  g_clear_error (&error);
  g_assert_false (bb_library_add_theme (fixture->store, "Care", NULL, &error));
  g_assert_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_THEME);
  g_clear_error (&error);
  g_assert_false (bb_library_remove_theme (fixture->store, "domain-care", &error));
  g_assert_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_THEME);
  g_clear_error (&error);

  /* An own theme can tag a document, then go. */
  {
    g_autoptr(BbLibraryDocument) doc = save_new (fixture->store, BB_LIBRARY_DOC_PRACTICE, "Geveltuinen", "", "", own_id, NULL);
    g_autoptr(BbLibraryDocument) read = NULL;

    g_assert_true (bb_library_remove_theme (fixture->store, own_id, &error));
    g_assert_no_error (error);
    read = bb_library_get (fixture->store, bb_library_document_get_id (doc), &error);
    g_assert_cmpstr (bb_library_document_get_themes (read)[0], ==, own_id);
  }
}

static void
test_save_attachment_to (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbLibraryDocument) doc = bb_library_document_new ();
  g_autofree char *path = g_build_filename (fixture->dir, "uit.txt", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (path);
  g_autoptr(GFile) source = NULL;
  g_autofree char *source_path = g_build_filename (fixture->dir, "bron.md", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(BbLibraryAttachment) att = NULL;

  g_assert_true (g_file_set_contents (source_path, "# Sjabloon\n", -1, &error));
  source = g_file_new_for_path (source_path);
  bb_library_document_set_title (doc, "Sjabloon");
  g_assert_true (bb_library_document_add_attachment_file (doc, source, NULL, &error));
  g_assert_no_error (error);
  att = g_list_model_get_item (bb_library_document_get_attachments (doc), 0);
  g_assert_cmpstr (bb_library_attachment_get_name (att), ==, "bron.md");
  g_assert_true (bb_library_attachment_get_pending (att));
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  g_assert_no_error (error);

  g_assert_true (bb_library_save_attachment_to (fixture->store, bb_library_document_get_id (doc), NULL,
                                                "bron.md", dest, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "# Sjabloon\n");

  g_assert_false (bb_library_save_attachment_to (fixture->store, bb_library_document_get_id (doc), NULL,
                                                 "bron.md", dest, FALSE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  /* Removing it from the document and saving drops it from the new
   * revision only. */
  g_assert_true (bb_library_document_remove_attachment (doc, "bron.md"));
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  g_assert_null (bb_library_get_attachment_bytes (fixture->store, bb_library_document_get_id (doc), NULL, "bron.md", &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);
}

/* Export and import give the same trees, winners, attachments and
 * themes: nothing of the history is lost in a handover. */
static void
test_handover_round_trip (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbLibraryDocument) doc = bb_library_document_new ();
  g_autoptr(GBytes) content = g_bytes_new_static ("tekst", 5);
  g_autoptr(BbStore) imported = NULL;
  g_autofree char *json_path = g_build_filename (fixture->dir, "overdracht.json", NULL);
  g_autofree char *new_path = g_build_filename (fixture->dir, "Nieuw.buurtboek", NULL);
  g_autofree char *backups = g_build_filename (fixture->dir, "backups", NULL);
  g_autofree char *theme_id = NULL;
  g_autofree char *titles = NULL;
  const char *ids[] = { NULL, "noord-1", "gone", NULL };
  g_autoptr(GPtrArray) themes = NULL;

  g_assert_true (bb_library_add_theme (fixture->store, "Groen", &theme_id, &error));
  bb_library_document_set_title (doc, "Huishoudelijk reglement");
  bb_library_document_add_attachment_bytes (doc, "reglement.txt", "text/plain", content);
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  bb_library_document_set_body (doc, "Artikel 1. Wijziging.");
  g_assert_true (bb_library_save (fixture->store, doc, &error));
  g_assert_no_error (error);
  ids[0] = bb_library_document_get_id (doc);

  /* A conflict from a peer, and a deleted document. */
  put_foreign (fixture->store, "noord-1", "Avondvierdaagse", NULL);
  {
    g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    g_autoptr(JsonNode) node = json_from_string ("{\"_id\": \"noord-1\", \"_rev\": \"1-zzz\", \"format\": \"" BB_LIBRARY_FORMAT "\","
                                                 " \"type\": \"practice\", \"title\": \"Avondvierdaagse B\"}", &error);

    g_ptr_array_add (docs, json_object_ref (json_node_get_object (node)));
    g_assert_true (bb_replica_put_revisions (fixture->store, docs, NULL, NULL, &error));
  }
  put_foreign (fixture->store, "gone", "Weg", NULL);
  g_assert_true (bb_library_delete (fixture->store, "gone", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (bb_handover_export_file (fixture->store, json_path, &error));
  g_assert_no_error (error);
  imported = bb_handover_import_file (json_path, new_path, backups, &error);
  g_assert_no_error (error);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) before = bb_replica_get_leaves (fixture->store, ids[i], &error);
      g_autoptr(GPtrArray) after = bb_replica_get_leaves (imported, ids[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (before->len, ==, after->len);
      for (guint j = 0; j < before->len; j++)
        {
          BbReplicaLeaf *a = g_ptr_array_index (before, j);
          BbReplicaLeaf *b = g_ptr_array_index (after, j);
          g_autoptr(JsonObject) doc_a = bb_replica_get (fixture->store, ids[i], a->rev,
                                                        BB_REPLICA_GET_REVS | BB_REPLICA_GET_ATTACHMENTS, &error);
          g_autoptr(JsonObject) doc_b = bb_replica_get (imported, ids[i], b->rev,
                                                        BB_REPLICA_GET_REVS | BB_REPLICA_GET_ATTACHMENTS, &error);
          g_autofree char *text_a = NULL;
          g_autofree char *text_b = NULL;

          g_assert_no_error (error);
          g_assert_cmpstr (a->rev, ==, b->rev);
          g_assert_cmpint (a->deleted, ==, b->deleted);
          text_a = bb_replica_canonical_json (doc_a);
          text_b = bb_replica_canonical_json (doc_b);
          g_assert_cmpstr (text_a, ==, text_b);
        }
    }

  titles = search_titles (imported, "reglement", NULL);
  g_assert_cmpstr (titles, ==, "Huishoudelijk reglement");
  themes = bb_library_list_themes (imported, &error);
  g_assert_cmpstr (((BbLibraryTheme *) g_ptr_array_index (themes, 16))->id, ==, theme_id);

  /* The imported file goes on from there. */
  {
    g_autoptr(BbLibraryDocument) again = bb_library_get (imported, ids[0], &error);

    g_assert_no_error (error);
    bb_library_document_set_summary (again, "Nu met samenvatting");
    g_assert_true (bb_library_save (imported, again, &error));
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (bb_library_document_get_rev (again), "3-"));
    g_assert_cmpint (bb_replica_get_update_seq (imported), >, 4);
  }

  g_assert_true (bb_store_close (imported, &error));
  g_assert_no_error (error);
}

/* A damaged library section is a data error naming the field, and no
 * file is made. */
static void
test_handover_bad (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(BbStore) imported = NULL;
  g_autoptr(BbLibraryDocument) doc = NULL;
  g_autofree char *new_path = g_build_filename (fixture->dir, "Nieuw.buurtboek", NULL);
  JsonObject *blob;

  doc = bb_library_document_new ();
  bb_library_document_set_title (doc, "Met bijlage");
  {
    g_autoptr(GBytes) content = g_bytes_new_static ("abc", 3);

    bb_library_document_add_attachment_bytes (doc, "a.txt", "text/plain", content);
  }
  g_assert_true (bb_library_save (fixture->store, doc, &error));

  document = bb_handover_export (fixture->store, &error);
  g_assert_no_error (error);
  blob = json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (json_node_get_object (document), "library"), "blobs"), 0);
  json_object_set_string_member (blob, "data", "YWJk");

  imported = bb_handover_import (document, new_path, NULL, &error);
  g_assert_null (imported);
  g_assert_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA);
  g_assert_nonnull (strstr (error->message, "library.blobs[0].sha256"));
  g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
}

static void
test_markup (void)
{
  g_autofree char *markup = bb_library_marked_to_markup ("a & " BB_LIBRARY_MATCH_START "<b>" BB_LIBRARY_MATCH_END " c");
  g_autofree char *plain = bb_library_marked_to_plain ("x" BB_LIBRARY_MATCH_START "y" BB_LIBRARY_MATCH_END "z");

  g_assert_cmpstr (markup, ==, "a &amp; <b>&lt;b&gt;</b> c");
  g_assert_cmpstr (plain, ==, "xyz");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bb/library/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("save-update", test_save_update);
  ADD ("delete-undelete", test_delete_undelete);
  ADD ("delete-conflicts", test_delete_conflicts);
  ADD ("search", test_search);
  ADD ("list-origin", test_list_origin);
  ADD ("list-limited-origins", test_list_limited_origins);
  ADD ("use-as-own", test_use_as_own);
  ADD ("unknown-fields", test_unknown_fields_kept);
  ADD ("themes", test_themes);
  ADD ("save-attachment-to", test_save_attachment_to);
  ADD ("handover/round-trip", test_handover_round_trip);
  ADD ("handover/bad", test_handover_bad);
  g_test_add_func ("/bb/library/markup", test_markup);

#undef ADD

  return g_test_run ();
}
