/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The library benchmark: N documents with 2–10 KB bodies stored as peer
 * revisions (new_edits=false) in batches, then the time the deferred
 * full-text index takes to catch up (bb_library_flush_index, what the idle
 * source does after a pull), then the latency of bb_library_search() over
 * a fixed query set. Prints key=value figures for tests/bench/library.
 *
 *   bench-library [N] [BATCH] [ROUNDS]      (defaults 20000 500 5)
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "bb-library.h"
#include "bb-replica.h"
#include "bb-store-private.h"
#include "bb-test-util.h"

/* Common words first: the text has a Zipf-like spread, as real text does. */
static const char * const words[] = {
  "de", "het", "een", "en", "van", "in", "op", "voor", "met", "wijk",
  "buurt", "bewoners", "vrijwilligers", "wijkraad", "gemeente", "activiteit",
  "subsidie", "begroting", "vergadering", "bestuur", "straat", "plein",
  "buurthuis", "koffie", "ouderen", "kinderen", "jongeren", "school", "zorg",
  "welzijn", "wonen", "werk", "energie", "onderwijs", "feest", "burendag",
  "barbecue", "Koningsdag", "vergunning", "penningmeester", "secretaris",
  "voorzitter", "notulen", "jaarverslag", "reglement", "privacy", "AVG",
  "overeenkomst", "vergoeding", "verzekering", "opbouwwerker", "welzijnswerk",
  "bibliotheek", "moestuin", "groen", "afval", "veiligheid", "verlichting",
  "parkeren", "verkeer", "fietsen", "wandelen", "sport", "muziek", "cultuur",
  "taalcafé", "huiswerkklas", "boodschappen", "vervoer", "dorpsbus",
  "energiecoöperatie", "zonnepanelen", "isolatie", "warmtecamera", "café",
  "ontmoeting", "eenzaamheid", "mantelzorg", "participatie", "wijkbudget",
  "initiatief", "samenwerking", "netwerk", "professionals", "regelgeving",
  "concurrentie", "infrastructuur", "herinstitutionalisering", "innovatie",
  "draaiboek", "rooster", "checklist", "sjabloon", "praktijkvoorbeeld",
  "verantwoording", "aanvraag", "toekenning", "voorschot", "kasboek", "bon",
  "kascommissie", "ledenvergadering", "statuten", "stichting", "vereniging",
  "nieuwsbrief", "wijkkrant", "website", "facebook", "flyer", "affiche",
  "tent", "tafels", "stoelen", "aggregaat", "geluid", "EHBO", "brandweer",
  "politie", "wijkagent", "woningcorporatie", "huurders", "eigenaren",
  "speeltuin", "hondenuitlaatplaats", "bankje", "boom", "perk", "vijver",
};

static const char * const queries[] = {
  "vrijwil", "cafe", "subsidie begroting", "burendag", "koningsdag vergunning",
  "energiecooperatie", "opbouw", "huiswerk", "privacy avg", "dorpsbus",
  "moestuin groen", "penningmeester kascommissie", "wijkkrant", "herinst",
  "mantelzorg eenzaamheid", "zonnepan", "reglement", "taalcafe",
  "woningcorporatie huurders", "speeltuin",
};

/* Real text: a large vocabulary in a Zipf distribution (made-up words
 * of Dutch-looking syllables), and per document a handful of the topical
 * words above, so a topical word occurs in a few percent of the
 * documents, as in a real library. */
#define VOCABULARY 30000

static char **vocabulary;
static double *cumulative;

static void
make_vocabulary (GRand *rand)
{
  static const char * const syllables[] = {
    "ver", "be", "ge", "ont", "aan", "over", "on", "der", "lijk", "heid", "ing", "en", "te",
    "raad", "wijk", "huis", "straat", "werk", "zorg", "plan", "stad", "dorp", "kerk", "school",
    "pa", "ro", "me", "li", "ka", "do", "sa", "ne", "ti", "vo", "ha", "mo", "ste", "bo", "ri",
  };
  double total = 0;

  vocabulary = g_new0 (char *, VOCABULARY + 1);
  cumulative = g_new (double, VOCABULARY);
  for (guint i = 0; i < VOCABULARY; i++)
    {
      GString *word = g_string_new (NULL);
      guint n = 1 + (i > 50) + (i > 2000) + (guint) g_rand_int_range (rand, 0, 2);

      for (guint j = 0; j < n; j++)
        g_string_append (word, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
      vocabulary[i] = g_string_free (word, FALSE);
      total += 1.0 / (i + 1);
      cumulative[i] = total;
    }
  for (guint i = 0; i < VOCABULARY; i++)
    cumulative[i] /= total;
}

static const char *
pick_vocabulary_word (GRand *rand)
{
  double u = g_rand_double (rand);
  guint lo = 0, hi = VOCABULARY - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cumulative[mid] < u)
        lo = mid + 1;
      else
        hi = mid;
    }
  return vocabulary[lo];
}

static guint
pick_word (GRand *rand)
{
  return (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (words));
}

static char *
make_text (GRand *rand,
           gsize  min_bytes,
           gsize  max_bytes)
{
  gsize target = (gsize) g_rand_int_range (rand, (gint32) min_bytes, (gint32) max_bytes + 1);
  GString *out = g_string_sized_new (target + 64);
  guint in_sentence = 0;
  g_autofree guint *topics = g_new (guint, 8);

  for (guint i = 0; i < 8; i++)
    topics[i] = pick_word (rand);

  while (out->len < target)
    {
      const char *word = g_rand_int_range (rand, 0, 40) == 0 ? words[topics[g_rand_int_range (rand, 0, 8)]]
                                                             : pick_vocabulary_word (rand);

      if (in_sentence == 0)
        {
          if (out->len > 0)
            g_string_append (out, g_rand_int_range (rand, 0, 6) == 0 ? "\n\n" : " ");
          g_string_append_unichar (out, g_unichar_toupper (g_utf8_get_char (word)));
          g_string_append (out, g_utf8_next_char (word));
        }
      else
        {
          g_string_append_c (out, ' ');
          g_string_append (out, word);
        }
      if (++in_sentence > (guint) g_rand_int_range (rand, 6, 18))
        {
          g_string_append_c (out, '.');
          in_sentence = 0;
        }
    }
  return g_string_free (out, FALSE);
}

static JsonObject *
make_doc (GRand *rand,
          guint  index)
{
  JsonObject *doc = json_object_new ();
  JsonObject *origin = json_object_new ();
  JsonArray *themes = json_array_new ();
  JsonArray *tags = json_array_new ();
  g_autofree char *id = g_strdup_printf ("bench-%06u", index);
  g_autofree char *title = NULL;
  g_autofree char *summary = make_text (rand, 60, 160);
  g_autofree char *body = make_text (rand, 2048, 10240);
  g_autofree char *hash = NULL;
  g_autofree char *rev = NULL;

  title = g_strdup_printf ("%s %s %s", words[pick_word (rand)], words[g_rand_int_range (rand, 9, G_N_ELEMENTS (words))],
                           words[g_rand_int_range (rand, 9, G_N_ELEMENTS (words))]);
  json_array_add_string_element (themes, "topic-events");
  json_array_add_string_element (tags, words[g_rand_int_range (rand, 9, G_N_ELEMENTS (words))]);

  json_object_set_string_member (doc, "format", BB_LIBRARY_FORMAT);
  json_object_set_string_member (doc, "type", index % 3 == 0 ? "template" : "practice");
  json_object_set_string_member (doc, "title", title);
  json_object_set_string_member (doc, "summary", summary);
  json_object_set_string_member (doc, "body", body);
  json_object_set_array_member (doc, "themes", themes);
  json_object_set_array_member (doc, "tags", tags);
  json_object_set_string_member (doc, "language", "nl");
  json_object_set_string_member (doc, "licence", "CC-BY-4.0");
  json_object_set_string_member (origin, "council_id", "bench-peer");
  json_object_set_string_member (origin, "council_name", "Wijkraad Elders");
  json_object_set_string_member (origin, "municipality", "Ergens");
  json_object_set_object_member (doc, "origin", origin);

  hash = g_compute_checksum_for_string (G_CHECKSUM_MD5, body, -1);
  rev = g_strconcat ("1-", hash, NULL);
  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", rev);
  return doc;
}

static gint64
cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : (da > db ? 1 : 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 20000;
  guint batch = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 500;
  guint rounds = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 5;
  gint64 insert_us = 0;
  gint64 insert_cpu_us = 0;
  gint64 index_us;
  gint64 index_cpu_us;
  guint64 body_bytes = 0;
  guint results = 0;
  struct rusage usage;

  if (n == 0 || batch == 0 || rounds == 0)
    {
      g_printerr ("usage: bench-library [N] [BATCH] [ROUNDS]\n");
      return 2;
    }
  make_vocabulary (rand);

  dir = g_dir_make_tmp ("buurtboek-bench-library-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "Bench.buurtboek", NULL);
  backups = g_build_filename (dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad Bench");
  store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);

  for (guint done = 0; done < n; done += batch)
    {
      g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GPtrArray) errors = NULL;
      gint64 start;

      for (guint i = done; i < MIN (done + batch, n); i++)
        {
          JsonObject *doc = make_doc (rand, i);

          body_bytes += strlen (json_object_get_string_member (doc, "body"));
          g_ptr_array_add (docs, doc);
        }

      insert_cpu_us -= cpu_us ();
      start = g_get_monotonic_time ();
      if (!bb_replica_put_revisions (store, docs, NULL, &errors, &error) || errors->len > 0)
        g_error ("storing a batch failed: %s", error != NULL ? error->message : "per-document errors");
      insert_us += g_get_monotonic_time () - start;
      insert_cpu_us += cpu_us ();
    }

  /* The full-text index catches up (no main loop runs here, so the idle
   * source never did): the same work, in one call. */
  index_cpu_us = -cpu_us ();
  index_us = -g_get_monotonic_time ();
  if (bb_library_flush_index (store, 0, &error) != 0)
    g_error ("indexing failed: %s", error != NULL ? error->message : "documents left");
  index_us += g_get_monotonic_time ();
  index_cpu_us += cpu_us ();

  /* One untimed pass warms the page cache, as a library in use would be. */
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GListModel) model = bb_library_search (store, queries[q], NULL, 20, &error);

      g_assert_no_error (error);
    }

  for (guint r = 0; r < rounds; r++)
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        g_autoptr(GListModel) model = NULL;
        gint64 start = g_get_monotonic_time ();
        double ms;

        model = bb_library_search (store, queries[q], NULL, 20, &error);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_assert_no_error (error);
        g_array_append_val (latencies, ms);
        if (r == 0)
          results += g_list_model_get_n_items (model);
      }

  g_array_sort (latencies, compare_doubles);
  getrusage (RUSAGE_SELF, &usage);

  g_print ("docs=%u batch=%u body_mb=%.1f insert_ms=%.0f insert_cpu_ms=%.0f revs_per_s=%.0f revs_per_cpu_s=%.0f "
           "index_ms=%.0f index_cpu_ms=%.0f docs_indexed_per_s=%.0f queries=%u results=%u "
           "median_ms=%.2f p99_ms=%.2f max_ms=%.2f rss_kb=%ld\n",
           n, batch, body_bytes / 1048576.0, insert_us / 1000.0, insert_cpu_us / 1000.0, n / (insert_us / 1e6),
           n / (insert_cpu_us / 1e6), index_us / 1000.0, index_cpu_us / 1000.0, n / (index_us / 1e6),
           latencies->len, results,
           g_array_index (latencies, double, latencies->len / 2),
           g_array_index (latencies, double, MIN (latencies->len - 1, (guint) (latencies->len * 0.99))),
           g_array_index (latencies, double, latencies->len - 1),
           usage.ru_maxrss);

  /* No closing backup of a file that is thrown away. */
  bb_store_mark_backed_up (store);
  g_assert_true (bb_store_close (store, &error));
  g_clear_object (&store);
  bb_test_remove_tree (dir);
  return 0;
}
