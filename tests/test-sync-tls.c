/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The peer endpoint over https with a council's self-signed certificate,
 * and the replicator that trusts it only by its pinned fingerprint: in one
 * process, and as `buurtboek-cli serve --tls` and `sync --fingerprint`. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bb-council.h"
#include "bb-replica.h"
#include "bb-replicator.h"
#include "bb-store.h"
#include "bb-sync.h"
#include "bb-sync-peers.h"
#include "bb-sync-scheduler.h"
#include "bb-sync-server.h"
#include "bb-sync-tls.h"
#include "bb-test-util.h"

static char *config_home;

typedef struct {
  char             *dir;
  BbStore          *a;
  BbStore          *b;
  BbSyncServer     *server;
  GTlsCertificate  *certificate;
  char             *fingerprint;
  char             *url;        /* https://127.0.0.1:PORT/library */
} Fixture;

static BbStore *
make_store (Fixture    *fixture,
            const char *name)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *path = g_strdup_printf ("%s/%s.buurtboek", fixture->dir, name);
  g_autofree char *backups = g_build_filename (fixture->dir, "backups", NULL);
  g_autoptr(GError) error = NULL;
  BbStore *store;

  bb_council_set_name (council, name);
  store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
  return store;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) urls = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-sync-tls-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->a = make_store (fixture, "Wijkraad Noord");
  fixture->b = make_store (fixture, "Wijkraad Zuid");

  path = g_build_filename (fixture->dir, "zuid.pem", NULL);
  fixture->certificate = bb_sync_tls_load_or_create (path, "Wijkraad Zuid", &error);
  g_assert_no_error (error);
  fixture->fingerprint = bb_sync_tls_fingerprint (fixture->certificate);

  fixture->server = bb_sync_server_new (fixture->b);
  bb_sync_server_set_tls_certificate (fixture->server, fixture->certificate);
  g_assert_true (bb_sync_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  /* The address peers are shown says https */
  urls = bb_sync_server_dup_urls (fixture->server);
  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  fixture->url = g_strdup_printf ("https://127.0.0.1:%u/library", bb_sync_server_get_port (fixture->server));
  g_assert_cmpstr (urls[0], ==, fixture->url);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  bb_sync_server_stop (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_clear_object (&fixture->certificate);
  bb_store_close (fixture->a, NULL);
  bb_store_close (fixture->b, NULL);
  g_clear_object (&fixture->a);
  g_clear_object (&fixture->b);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->fingerprint);
  g_free (fixture->url);
}

static char *
put_doc (BbStore    *store,
         const char *id,
         const char *title)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *rev = NULL;

  json_object_set_string_member (body, "type", "practice");
  json_object_set_string_member (body, "title", title);
  g_assert_true (bb_replica_put (store, id, NULL, body, FALSE, NULL, &rev, &error));
  g_assert_no_error (error);
  return rev;
}

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
run_sync (BbReplicator     *replicator,
          BbSyncDirection   direction,
          GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bb_replicator_run_async (replicator, direction, NULL, on_run_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return bb_replicator_run_finish (replicator, result, error);
}

static gint64
doc_count (BbStore *store)
{
  gint64 count = -1;
  gint64 deleted = -1;

  g_assert_true (bb_replica_get_doc_count (store, &count, &deleted, NULL));
  return count + deleted;
}

/* ---------------------------------------------------------------------- */
/* The certificate                                                        */

static void
test_certificate_kept (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-tls-cert-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tls", "deep", "raad.pem", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GTlsCertificate) first = NULL;
  g_autoptr(GTlsCertificate) again = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *fingerprint_again = NULL;
  g_autofree char *short_form = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_nine_years = g_date_time_add_years (now, 9);
  GStatBuf st;

  g_assert_no_error (error);
  first = bb_sync_tls_load_or_create (path, "Wijkraad Zuid", &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);

  /* Only the user can read the key, in a folder only they can open */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (parent, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* The private key is in the file, so a server can use it */
  g_assert_true (g_file_get_contents (path, &pem, NULL, NULL));
  g_assert_nonnull (strstr (pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_nonnull (strstr (pem, "-----BEGIN PRIVATE KEY-----"));

  /* Named after the council, valid for years */
  g_object_get (first, "subject-name", &subject, "not-valid-after", &not_after, NULL);
  g_assert_nonnull (strstr (subject, "Wijkraad Zuid"));
  g_assert_cmpint (g_date_time_compare (not_after, in_nine_years), >, 0);

  fingerprint = bb_sync_tls_fingerprint (first);
  g_assert_cmpuint (strlen (fingerprint), ==, BB_SYNC_TLS_FINGERPRINT_LENGTH);
  g_assert_true (g_regex_match_simple ("^[0-9A-F]{2}(:[0-9A-F]{2}){31}$", fingerprint, 0, 0));
  short_form = bb_sync_tls_fingerprint_short (fingerprint);
  g_assert_cmpuint (strlen (short_form), ==, 23);
  g_assert_true (g_str_has_prefix (fingerprint, short_form));
  {
    g_autofree char *grouped = bb_sync_tls_fingerprint_grouped (fingerprint);
    g_autofree char *read_back = bb_sync_tls_parse_fingerprint (grouped, &error);

    /* Eight groups of four pairs, and read back as the same fingerprint */
    g_assert_true (g_regex_match_simple ("^[0-9A-F]{2}(:[0-9A-F]{2}){3}( [0-9A-F]{2}(:[0-9A-F]{2}){3}){7}$",
                                         grouped, 0, 0));
    g_assert_no_error (error);
    g_assert_cmpstr (read_back, ==, fingerprint);
  }

  /* The next start reuses it: peers keep their pinned fingerprint */
  again = bb_sync_tls_load_or_create (path, "Another name", &error);
  g_assert_no_error (error);
  fingerprint_again = bb_sync_tls_fingerprint (again);
  g_assert_cmpstr (fingerprint_again, ==, fingerprint);

  bb_test_remove_tree (dir);
}

static void
test_certificate_damaged (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-tls-cert-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "raad.pem", NULL);
  g_autofree char *after = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  const char *damaged = "-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n";

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, damaged, -1, NULL));

  /* An error naming the file, and the file is left as it was: a new
   * certificate would silently break every peer's pinned fingerprint */
  certificate = bb_sync_tls_load_or_create (path, "Wijkraad Zuid", &error);
  g_assert_null (certificate);
  g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, damaged);

  bb_test_remove_tree (dir);
}

static void
test_certificate_path (void)
{
  g_autofree char *path = bb_sync_tls_certificate_path ("6f1c2b0e-1d2e-4c55-9a1b-0c9d8e7f6a5b");
  g_autofree char *expected = g_build_filename (config_home, "buurtboek", "tls",
                                                "6f1c2b0e-1d2e-4c55-9a1b-0c9d8e7f6a5b.pem", NULL);

  /* Beside the user's settings, never beside the council file */
  g_assert_cmpstr (path, ==, expected);
}

static void
test_parse_fingerprint (void)
{
  const char *canonical = "96:B2:EA:CD:93:AE:57:EF:21:67:EB:0E:F6:DF:32:AF:"
                          "2E:DE:6C:95:9E:E1:E9:85:63:4C:07:05:C9:80:7C:19";
  const char *typed[] = {
    "96:B2:EA:CD:93:AE:57:EF:21:67:EB:0E:F6:DF:32:AF:2E:DE:6C:95:9E:E1:E9:85:63:4C:07:05:C9:80:7C:19",
    "96b2eacd93ae57ef2167eb0ef6df32af2ede6c959ee1e985634c0705c9807c19",
    "  96B2 EACD 93AE 57EF 2167 EB0E F6DF 32AF\n2EDE 6C95 9EE1 E985 634C 0705 C980 7C19 ",
    "sha256 Fingerprint=96:B2:EA:CD:93:AE:57:EF:21:67:EB:0E:F6:DF:32:AF:2E:DE:6C:95:9E:E1:E9:85:63:4C:07:05:C9:80:7C:19",
    "SHA256:96-b2-ea-cd-93-ae-57-ef-21-67-eb-0e-f6-df-32-af-2e-de-6c-95-9e-e1-e9-85-63-4c-07-05-c9-80-7c-19",
  };
  const struct {
    const char *text;
    const char *in_message;
  } wrong[] = {
    { "96:B2:EA:CD:93:AE:57:EF", "not 16" },
    { "", "not 0" },
    { "96:B2:EA:CD:93:AE:57:EF:21:67:EB:0E:F6:DF:32:AF:2E:DE:6C:95:9E:E1:E9:85:63:4C:07:05:C9:80:7C:19:00", "not 66" },
    { "96:B2:EA:CD:93:AE:57:EF:21:67:EB:0E:F6:DF:32:AF:2E:DE:6C:95:9E:E1:E9:85:63:4C:07:05:C9:80:7C:1G", "“G”" },
    { "96:B2:EA:CD:93:AE:57:EF:21:67:EB:0E:F6:DF:32:AF:2E:DE:6C:95:9E:E1:E9:85:63:4C:07:05:C9:80:7C:1é", "“é”" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *parsed = bb_sync_tls_parse_fingerprint (typed[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (parsed, ==, canonical);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *parsed = bb_sync_tls_parse_fingerprint (wrong[i].text, &error);

      g_assert_null (parsed);
      g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, wrong[i].in_message));
    }
}

/* ---------------------------------------------------------------------- */
/* Replication over https                                                 */

static void
test_pull_pinned (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BbReplicator) replicator = bb_replicator_new (fixture->a, fixture->url);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = put_doc (fixture->b, "from-b", "Burendag");
  g_autofree char *lower = g_ascii_strdown (fixture->fingerprint, -1);
  g_autofree char *pulled = NULL;

  bb_sync_server_set_credentials (fixture->server, NULL, "geheim");
  bb_replicator_set_credentials (replicator, NULL, "geheim");
  /* As the user typed it: the same fingerprint in another form */
  bb_replicator_set_fingerprint (replicator, lower);
  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_BOTH, &error));
  g_assert_no_error (error);

  pulled = bb_replica_get_winning_rev (fixture->a, "from-b", NULL, NULL);
  g_assert_cmpstr (pulled, ==, rev);
  g_assert_null (bb_replicator_get_seen_fingerprint (replicator));
}

static void
check_refused (Fixture     *fixture,
               const char  *pinned)
{
  g_autoptr(BbReplicator) replicator = bb_replicator_new (fixture->a, fixture->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *rev = put_doc (fixture->b, "from-b", "Burendag");
  gint64 seq = bb_replica_get_update_seq (fixture->a);
  gint64 seq_b = bb_replica_get_update_seq (fixture->b);

  /* Many attempts: a refused certificate must not be retried */
  bb_replicator_set_retry (replicator, 5, 2000);
  bb_replicator_set_fingerprint (replicator, pinned);
  g_assert_false (run_sync (replicator, BB_SYNC_DIRECTION_BOTH, &error));
  g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_CERTIFICATE);

  /* The message names the fingerprint seen, to compare with the other laptop's */
  g_assert_nonnull (strstr (error->message, fixture->fingerprint));
  g_assert_cmpstr (bb_replicator_get_seen_fingerprint (replicator), ==, fixture->fingerprint);

  /* Nothing written on either side */
  g_assert_cmpint (bb_replica_get_update_seq (fixture->a), ==, seq);
  g_assert_cmpint (doc_count (fixture->a), ==, 0);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq_b);
  {
    g_auto(GStrv) clients = bb_sync_server_dup_clients (fixture->server);

    /* The handshake failed before any request */
    g_assert_null (clients[0]);
  }

  g_clear_error (&error);
  log = bb_sync_log_list (fixture->a, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (((BbSyncLogEntry *) g_ptr_array_index (log, 0))->status, ==, "failed");
}

static void
test_pull_unpinned (Fixture       *fixture,
                    gconstpointer  user_data)
{
  check_refused (fixture, NULL);
}

static void
test_pull_wrong_fingerprint (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *wrong = g_strdup (fixture->fingerprint);

  /* One digit off */
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  check_refused (fixture, wrong);
}

static void
test_pull_other_certificate (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "ander.pem", NULL);
  g_autoptr(GTlsCertificate) other = bb_sync_tls_load_or_create (path, "Wijkraad Zuid", &error);
  g_autofree char *other_fingerprint = NULL;

  /* The same name, another key: someone in between */
  g_assert_no_error (error);
  other_fingerprint = bb_sync_tls_fingerprint (other);
  g_assert_cmpstr (other_fingerprint, !=, fixture->fingerprint);
  check_refused (fixture, other_fingerprint);
}

/* A peer keeps its pinned fingerprint in the council file, in one form */
static void
test_peer_fingerprint (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Wijkraad Zuid", fixture->url);
  g_autoptr(BbSyncPeer) bad = bb_sync_peer_new ("Ander", "https://192.168.1.30:5984/library");
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lower = g_ascii_strdown (fixture->fingerprint, -1);

  peer->fingerprint = g_strdup (lower);
  g_assert_true (bb_sync_peers_save (fixture->a, peer, &error));
  g_assert_no_error (error);

  /* A typo is refused with the reason, and nothing is saved */
  bad->fingerprint = g_strdup ("96:B2:EA:CD");
  g_assert_false (bb_sync_peers_save (fixture->a, bad, &error));
  g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "64"));
  g_clear_error (&error);

  peers = bb_sync_peers_list (fixture->a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 1);
  g_assert_cmpstr (((BbSyncPeer *) g_ptr_array_index (peers, 0))->fingerprint, ==, fixture->fingerprint);
  g_clear_pointer (&peers, g_ptr_array_unref);

  /* Cleared again: an empty field is no fingerprint */
  g_free (peer->fingerprint);
  peer->fingerprint = g_strdup ("");
  g_assert_true (bb_sync_peers_save (fixture->a, peer, &error));
  g_assert_no_error (error);
  peers = bb_sync_peers_list (fixture->a, &error);
  g_assert_null (((BbSyncPeer *) g_ptr_array_index (peers, 0))->fingerprint);
}

/* The scheduler (the app's automatic sync) uses the peer's pin */
static void
on_scheduler_finished_cb (BbSyncScheduler *scheduler,
                          const char      *url,
                          gboolean         ok,
                          gboolean         needs_credentials,
                          const char      *message,
                          gpointer         user_data)
{
  int *result = user_data;

  *result = ok ? 1 : 2;
}

static void
test_scheduler_pinned (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(BbSyncScheduler) scheduler = bb_sync_scheduler_new (fixture->a);
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Wijkraad Zuid", fixture->url);
  g_autofree char *rev = put_doc (fixture->b, "from-b", "Burendag");
  g_autofree char *pulled = NULL;
  int result = 0;

  g_signal_connect (scheduler, "finished", G_CALLBACK (on_scheduler_finished_cb), &result);

  /* Not pinned: refused */
  bb_sync_scheduler_sync_peer (scheduler, peer, "");
  while (result == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (result, ==, 2);
  g_assert_cmpint (doc_count (fixture->a), ==, 0);

  result = 0;
  peer->fingerprint = g_strdup (fixture->fingerprint);
  bb_sync_scheduler_sync_peer (scheduler, peer, "");
  while (result == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (result, ==, 1);
  pulled = bb_replica_get_winning_rev (fixture->a, "from-b", NULL, NULL);
  g_assert_cmpstr (pulled, ==, rev);
  bb_sync_scheduler_stop (scheduler);
}

/* An automatic peer whose certificate is refused is not tried again on
 * its own: only pinning the fingerprint can make it work. */
static void
on_refused_finished_cb (BbSyncScheduler *scheduler,
                        const char      *url,
                        gboolean         ok,
                        gboolean         needs_credentials,
                        const char      *message,
                        gpointer         user_data)
{
  guint *runs = user_data;

  g_assert_false (ok);
  (*runs)++;
}

static void
test_scheduler_refused_not_retried (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(BbSyncScheduler) scheduler = bb_sync_scheduler_new (fixture->a);
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Wijkraad Zuid", fixture->url);
  g_autoptr(GError) error = NULL;
  guint runs = 0;
  gint64 end;

  g_assert_true (bb_sync_peers_save (fixture->a, peer, &error));
  g_assert_no_error (error);
  g_signal_connect (scheduler, "finished", G_CALLBACK (on_refused_finished_cb), &runs);
  bb_sync_scheduler_set_first_retry (scheduler, 100);
  bb_sync_scheduler_start (scheduler);

  while (runs == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (bb_sync_scheduler_get_refused_fingerprint (scheduler, fixture->url));
  /* A retry would have come after 100 ms, another after 200 ms */
  end = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (runs, ==, 1);
  bb_sync_scheduler_stop (scheduler);
}

/* ---------------------------------------------------------------------- */
/* The CLI                                                                */

/* Runs the CLI and keeps none of its output. */
#define run_cli_quiet(env, ...) \
  ({ g_autofree char *quiet_out = NULL; g_autofree char *quiet_err = NULL; \
     bb_test_run_cli ((env), &quiet_out, &quiet_err, __VA_ARGS__); })

static void
test_cli_serve_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-cli-tls-XXXXXX", &error);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *file_a = g_build_filename (dir, "a.buurtboek", NULL);
  g_autofree char *file_b = g_build_filename (dir, "b.buurtboek", NULL);
  g_autofree char *body = g_build_filename (dir, "doc.md", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *url = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port_text = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) probe_address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GDir) tls_dir = NULL;
  g_autofree char *tls_path = NULL;
  g_auto(GStrv) env = NULL;
  guint port;
  GStatBuf st;

  g_assert_no_error (error);
  env = g_get_environ ();
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);
  env = g_environ_setenv (env, "BUURTBOEK_BACKUP_DIR", backups, TRUE);
  env = g_environ_unsetenv (env, "BUURTBOEK_FILE");
  env = g_environ_unsetenv (env, "BUURTBOEK_SYNC_PASSWORD");

  g_assert_cmpint (run_cli_quiet (env, "--file", file_a, "init", "--name", "Wijkraad Noord", NULL), ==, 0);
  g_assert_cmpint (run_cli_quiet (env, "--file", file_b, "init", "--name", "Wijkraad Zuid", NULL), ==, 0);
  g_assert_true (g_file_set_contents (body, "Koffie en **koek** bij de buren.\n", -1, NULL));
  g_assert_cmpint (run_cli_quiet (env, "--file", file_b, "library", "add",
                                    "--title", "Burendag", "--body-file", body, NULL), ==, 0);

  /* A free port */
  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  probe_address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (probe, probe_address, FALSE, &error));
  g_clear_object (&probe_address);
  probe_address = g_socket_get_local_address (probe, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (probe_address));
  g_socket_close (probe, NULL);
  port_text = g_strdup_printf ("%u", port);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  serve = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("BUURTBOEK_CLI"),
                                       "--file", file_b, "serve", "--port", port_text, "--tls", NULL);
  g_assert_no_error (error);

  /* It prints the https address, then the fingerprint */
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve));
  url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *expected = g_strdup_printf ("https://127.0.0.1:%u/library", port);

    g_assert_cmpstr (url, ==, expected);
  }
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "Fingerprint (SHA-256): "));
  fingerprint = g_strdup (line + strlen ("Fingerprint (SHA-256): "));
  g_assert_cmpuint (strlen (fingerprint), ==, BB_SYNC_TLS_FINGERPRINT_LENGTH);

  /* The certificate is in the config folder, 0600 */
  {
    g_autofree char *tls_folder = g_build_filename (config, "buurtboek", "tls", NULL);
    const char *name;

    tls_dir = g_dir_open (tls_folder, 0, &error);
    g_assert_no_error (error);
    name = g_dir_read_name (tls_dir);
    g_assert_nonnull (name);
    g_assert_true (g_str_has_suffix (name, ".pem"));
    tls_path = g_build_filename (tls_folder, name, NULL);
    g_assert_cmpint (g_stat (tls_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }

  /* Without the fingerprint: refused, the fingerprint named, nothing written */
  g_assert_cmpint (bb_test_run_cli (env, &out, &err, "--file", file_a, "sync", url, "--pull", NULL), !=, 0);
  g_assert_nonnull (strstr (err, fingerprint));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (bb_test_run_cli (env, &out, &err, "--file", file_a, "library", "list", NULL), ==, 0);
  g_assert_null (strstr (out, "Burendag"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A malformed one is a usage error that names the problem */
  g_assert_cmpint (bb_test_run_cli (env, &out, &err, "--file", file_a, "sync", url, "--pull",
                                    "--fingerprint", "96:B2:EA", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "64"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* With it: pulled */
  g_assert_cmpint (bb_test_run_cli (env, &out, &err, "--file", file_a, "sync", url, "--pull", "--json",
                                    "--fingerprint", fingerprint, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"docs_written\" : 1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (bb_test_run_cli (env, &out, &err, "--file", file_a, "library", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Burendag"));

  g_subprocess_send_signal (serve, SIGTERM);
  g_assert_true (g_subprocess_wait (serve, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&lines);
  g_clear_pointer (&tls_dir, g_dir_close);

  /* The next serve reuses the certificate: the same fingerprint */
  g_clear_object (&serve);
  serve = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("BUURTBOEK_CLI"),
                                       "--file", file_b, "serve", "--port", port_text, "--tls", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve));
  g_free (g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error));
  g_clear_pointer (&line, g_free);
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (line, fingerprint));
  g_subprocess_send_signal (serve, SIGTERM);
  g_assert_true (g_subprocess_wait (serve, NULL, &error));

  bb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* GLib's plain monitor says "online", whatever this machine's routes */
  g_setenv ("GIO_USE_NETWORK_MONITOR", "base", TRUE);
  /* Before anything asks GLib for the config folder */
  config_home = g_dir_make_tmp ("buurtboek-tls-config-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/sync-tls/certificate/kept", test_certificate_kept);
  g_test_add_func ("/bb/sync-tls/certificate/damaged", test_certificate_damaged);
  g_test_add_func ("/bb/sync-tls/certificate/path", test_certificate_path);
  g_test_add_func ("/bb/sync-tls/fingerprint/parse", test_parse_fingerprint);
#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/bb/sync-tls/pull/pinned", test_pull_pinned);
  ADD ("/bb/sync-tls/pull/unpinned", test_pull_unpinned);
  ADD ("/bb/sync-tls/pull/wrong-fingerprint", test_pull_wrong_fingerprint);
  ADD ("/bb/sync-tls/pull/other-certificate", test_pull_other_certificate);
  ADD ("/bb/sync-tls/peer/fingerprint", test_peer_fingerprint);
  ADD ("/bb/sync-tls/peer/scheduler", test_scheduler_pinned);
  ADD ("/bb/sync-tls/peer/scheduler-refused-not-retried", test_scheduler_refused_not_retried);
#undef ADD
  g_test_add_func ("/bb/sync-tls/cli/serve-tls", test_cli_serve_tls);

  status = g_test_run ();
  bb_test_remove_tree (config_home);
  g_free (config_home);
  return status;
}
