/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Peer passwords in the keyring, never in the council file. Runs against
 * a real Secret Service (gnome-keyring-daemon) that tests/run-with-keyring
 * starts on a private session bus. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bb-council.h"
#include "bb-store-private.h"
#include "bb-sync-peers.h"
#include "bb-sync-scheduler.h"
#include "bb-sync-secrets.h"
#include "bb-sync-server.h"
#include "bb-test-util.h"

#define OLD_PASSWORD "Oud-Wachtwoord-7431"
#define OLD_PEER_ID "b7f3c1d2-8e4a-4c5b-9f60-1a2b3c4d5e6f"

typedef struct
{
  char *dir;
  char *path;
  char *backup_root;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-secrets-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "Dommelhoek.buurtboek", NULL);
  fixture->backup_root = g_build_filename (fixture->dir, "backups", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->backup_root);
}

/* Helpers */


static BbStore *
create_store (Fixture *fixture)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(GError) error = NULL;
  BbStore *store;

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  store = bb_store_create (fixture->path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  return store;
}

static BbSyncPeer *
save_peer (BbStore    *store,
           const char *name,
           const char *url)
{
  g_autoptr(GError) error = NULL;
  BbSyncPeer *peer = bb_sync_peer_new (name, url);

  peer->username = g_strdup ("dommelhoek");
  g_assert_true (bb_sync_peers_save (store, peer, &error));
  g_assert_no_error (error);
  return peer;
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
store_password (BbStore          *store,
                const BbSyncPeer *peer,
                const char       *password)
{
  g_autoptr(BbCouncil) council = bb_store_dup_council (store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bb_sync_secrets_store_async (bb_store_get_council_id (store), bb_council_get_name (council),
                               peer, password, NULL, on_result_cb, &result);
  g_assert_true (bb_sync_secrets_store_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

static char *
lookup_password (BbStore          *store,
                 const BbSyncPeer *peer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  bb_sync_secrets_lookup_async (bb_store_get_council_id (store), peer, NULL, on_result_cb, &result);
  password = bb_sync_secrets_lookup_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  return password;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (contents + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

/* Every file the council file is made of while open or after closing */
static gboolean
council_file_contains (const char *path,
                       const char *needle)
{
  static const char * const suffixes[] = { "", "-wal", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_file_test (file, G_FILE_TEST_EXISTS) && file_contains (file, needle))
        return TRUE;
    }
  return FALSE;
}

static void
load_fixture (const char *name,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autofree char *sql = NULL;
  char *message = NULL;
  sqlite3 *db = NULL;

  g_file_get_contents (fixture, &sql, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", name, message);
  sqlite3_close (db);
}

/* Tests */

static void
test_store_lookup_clear (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(BbSyncPeer) hub = save_peer (store, "Hub Eindhoven", "https://hub.example.org/regio");
  g_autoptr(BbSyncPeer) laptop = save_peer (store, "Laptop Aalst", "http://192.168.1.20:5984/library");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *hub_id = g_strdup (hub->id);
  g_autofree char *council_id = g_strdup (bb_store_get_council_id (store));
  const char *password = "geheim-Wachtwoord-0917";

  /* Nothing remembered yet: no password and no error */
  g_assert_null (lookup_password (store, hub));

  store_password (store, hub, password);
  found = lookup_password (store, hub);
  g_assert_cmpstr (found, ==, password);
  g_clear_pointer (&found, bb_sync_secrets_free);

  /* Only for that peer, and the same from a thread or the CLI */
  g_assert_null (lookup_password (store, laptop));
  found = bb_sync_secrets_lookup_sync (bb_store_get_council_id (store), hub, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, password);
  g_clear_pointer (&found, bb_sync_secrets_free);

  /* Never sent to another address or as another user */
  {
    g_autoptr(BbSyncPeer) moved = save_peer (store, "Elders", "https://evil.example.com/regio");

    g_free (moved->id);
    moved->id = g_strdup (hub->id);
    g_assert_null (lookup_password (store, moved));
    g_free (moved->url);
    moved->url = g_strdup (hub->url);
    g_free (moved->username);
    moved->username = g_strdup ("iemand-anders");
    g_assert_null (lookup_password (store, moved));
  }

  /* Seahorse shows whose password it is (as secret-tool, the keyring's
   * own command-line client, lists it) */
  {
    g_autofree char *out = NULL;
    int status = 0;
    const char *argv[] = { "secret-tool", "search", "peer", hub_id, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, &out, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "label = Buurtboek: Wijkraad De Dommelhoek → Hub Eindhoven\n"));
    g_assert_nonnull (strstr (out, "schema = " BB_SYNC_SECRETS_SCHEMA_NAME "\n"));
  }

  /* The council file never has it */
  g_assert_false (council_file_contains (fixture->path, password));
  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_false (council_file_contains (fixture->path, password));

  /* Removing the peer forgets it; forgetting twice is fine */
  bb_sync_secrets_clear_async (council_id, hub_id, NULL, on_result_cb, &result);
  g_assert_true (bb_sync_secrets_clear_finish (wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_null (bb_sync_secrets_lookup_sync (council_id, hub, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bb_sync_secrets_clear_sync (council_id, hub_id, NULL, &error));
  g_assert_no_error (error);
}

/* secret-tool's listing of this peer's keyring entries */
static char *
search_peer (const char *peer_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "secret-tool", "search", "--all", "peer", peer_id, NULL };

  /* It lists the attributes on stderr */
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  return g_strconcat (out, err, NULL);
}

static guint
count_lines (const char *text,
             const char *prefix)
{
  guint n = 0;

  for (const char *p = strstr (text, prefix); p != NULL; p = strstr (p + 1, prefix))
    n++;
  return n;
}

/* An edited peer (renamed, another address and user) keeps its remembered
 * password under its new name, address and user; the old entry is gone */
static void
test_update_follows_peer (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(BbSyncPeer) hub = save_peer (store, "Hub Eindhoven", "https://hub.example.org/regio");
  g_autoptr(BbSyncPeer) edited = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *out = NULL;
  const char *council_id = bb_store_get_council_id (store);
  const char *password = "geheim-Wachtwoord-0917";

  store_password (store, hub, password);

  edited = bb_sync_peer_new ("Hub Regio Oost", "https://oost.example.org/regio");
  edited->id = g_strdup (hub->id);
  edited->username = g_strdup ("dommelhoek");
  g_assert_true (bb_sync_peers_save (store, edited, &error));
  g_assert_no_error (error);

  bb_sync_secrets_update_async (council_id, "Wijkraad De Dommelhoek", hub, edited, NULL, NULL,
                                on_result_cb, &result);
  g_assert_true (bb_sync_secrets_update_finish (wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  found = lookup_password (store, edited);
  g_assert_cmpstr (found, ==, password);
  g_clear_pointer (&found, bb_sync_secrets_free);
  g_assert_null (lookup_password (store, hub));
  out = search_peer (hub->id);
  g_assert_cmpuint (count_lines (out, "\nlabel = "), ==, 1);
  g_assert_nonnull (strstr (out, "label = Buurtboek: Wijkraad De Dommelhoek → Hub Regio Oost\n"));
  g_assert_nonnull (strstr (out, "attribute.url = https://oost.example.org/regio\n"));
  g_assert_nonnull (strstr (out, "attribute.user = dommelhoek\n"));
  g_clear_pointer (&out, g_free);

  /* A new password replaces the old one */
  g_assert_true (bb_sync_secrets_update_sync (council_id, "Wijkraad De Dommelhoek", edited, edited,
                                              "nieuw-Wachtwoord-5521", NULL, &error));
  g_assert_no_error (error);
  found = lookup_password (store, edited);
  g_assert_cmpstr (found, ==, "nieuw-Wachtwoord-5521");
  g_clear_pointer (&found, bb_sync_secrets_free);
  out = search_peer (hub->id);
  g_assert_cmpuint (count_lines (out, "\nlabel = "), ==, 1);
  g_clear_pointer (&out, g_free);

  /* Nothing remembered: nothing appears */
  g_assert_true (bb_sync_secrets_clear_sync (council_id, hub->id, NULL, &error));
  g_assert_true (bb_sync_secrets_update_sync (council_id, NULL, edited, hub, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (lookup_password (store, hub));
  g_assert_null (lookup_password (store, edited));
}

/* A password an older file remembered moves into the keyring when the
 * app opens it, and only then leaves the file. */
static void
test_migrate_old_password (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  BbSyncPeer *hub = NULL;
  guint moved = 0;

  load_fixture ("council-v10.sql", fixture->path);
  g_assert_true (council_file_contains (fixture->path, OLD_PASSWORD));

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);

  /* The migration keeps it, waiting, and the peers lost nothing else */
  g_assert_cmpint (bb_sync_secrets_count_pending (store, &error), ==, 1);
  peers = bb_sync_peers_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 2);
  hub = g_ptr_array_index (peers, 0);
  g_assert_cmpstr (hub->id, ==, OLD_PEER_ID);
  g_assert_cmpstr (hub->username, ==, "dommelhoek");
  g_assert_null (hub->password);
  g_assert_null (lookup_password (store, hub));

  bb_sync_secrets_move_pending_async (store, NULL, on_result_cb, &result);
  g_assert_true (bb_sync_secrets_move_pending_finish (store, wait_for (&result), &moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (moved, ==, 1);
  g_assert_cmpint (bb_sync_secrets_count_pending (store, &error), ==, 0);

  found = lookup_password (store, hub);
  g_assert_cmpstr (found, ==, OLD_PASSWORD);

  /* Moving again finds nothing */
  g_clear_object (&result);
  bb_sync_secrets_move_pending_async (store, NULL, on_result_cb, &result);
  g_assert_true (bb_sync_secrets_move_pending_finish (store, wait_for (&result), &moved, &error));
  g_assert_cmpuint (moved, ==, 0);

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_false (council_file_contains (fixture->path, OLD_PASSWORD));
}

typedef struct {
  guint    finished;
  gboolean ok;
  gboolean needs_credentials;
} SchedulerWait;

static void
on_finished_cb (BbSyncScheduler *scheduler,
                const char      *url,
                gboolean         ok,
                gboolean         needs_credentials,
                const char      *message,
                SchedulerWait   *wait)
{
  wait->finished++;
  wait->ok = ok;
  wait->needs_credentials = needs_credentials;
}

/* Automatic syncs take the remembered password from the keyring; once it
 * is forgotten the peer asks for credentials again. */
static void
test_scheduler_uses_keyring (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(BbStore) other = NULL;
  g_autoptr(BbSyncServer) server = NULL;
  g_autoptr(BbSyncScheduler) scheduler = NULL;
  g_autoptr(BbSyncPeer) peer = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = g_build_filename (fixture->dir, "Ander.buurtboek", NULL);
  g_autofree char *url = NULL;
  SchedulerWait wait = { 0 };

  bb_council_set_name (council, "Wijkraad Aalst");
  other = bb_store_create (other_path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  server = bb_sync_server_new (other);
  bb_sync_server_set_credentials (server, "dommelhoek", "sleutel-van-de-hub");
  g_assert_true (bb_sync_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/library", bb_sync_server_get_port (server));
  peer = save_peer (store, "Laptop Aalst", url);

  scheduler = bb_sync_scheduler_new (store);
  g_signal_connect (scheduler, "finished", G_CALLBACK (on_finished_cb), &wait);

  store_password (store, peer, "sleutel-van-de-hub");
  bb_sync_scheduler_sync_all (scheduler);
  while (wait.finished < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wait.ok);

  g_assert_true (bb_sync_secrets_clear_sync (bb_store_get_council_id (store), peer->id, NULL, &error));
  g_assert_no_error (error);
  bb_sync_scheduler_sync_peer (scheduler, peer, NULL);
  while (wait.finished < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wait.ok);
  g_assert_true (wait.needs_credentials);

  bb_sync_scheduler_stop (scheduler);
  bb_sync_server_stop (server);
}

/* The app's first sync of an older file moves its password to the
 * keyring and syncs with it. */
static void
test_scheduler_moves_old_password (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbStore) other = NULL;
  g_autoptr(BbSyncServer) server = NULL;
  g_autoptr(BbSyncScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = g_build_filename (fixture->dir, "Ander.buurtboek", NULL);
  g_autofree char *url = NULL;
  SchedulerWait wait = { 0 };
  BbSyncPeer *hub;

  bb_council_set_name (council, "Wijkraad Aalst");
  other = bb_store_create (other_path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  server = bb_sync_server_new (other);
  bb_sync_server_set_credentials (server, "dommelhoek", OLD_PASSWORD);
  g_assert_true (bb_sync_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/library", bb_sync_server_get_port (server));

  load_fixture ("council-v10.sql", fixture->path);
  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  peers = bb_sync_peers_list (store, &error);
  hub = g_ptr_array_index (peers, 0);
  g_assert_cmpstr (hub->id, ==, OLD_PEER_ID);
  /* the hub moved here, for the test */
  g_free (hub->url);
  hub->url = g_strdup (url);
  g_assert_true (bb_sync_peers_save (store, hub, &error));
  g_assert_cmpint (bb_sync_secrets_count_pending (store, NULL), ==, 1);

  scheduler = bb_sync_scheduler_new (store);
  g_signal_connect (scheduler, "finished", G_CALLBACK (on_finished_cb), &wait);
  bb_sync_scheduler_sync_peer (scheduler, hub, NULL);
  while (wait.finished < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wait.ok);
  g_assert_cmpint (bb_sync_secrets_count_pending (store, NULL), ==, 0);

  bb_sync_scheduler_stop (scheduler);
  bb_sync_server_stop (server);
  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_false (council_file_contains (fixture->path, OLD_PASSWORD));
}

/* No Secret Service: a clear error, and nothing goes into the file. Runs in
 * a child process whose session bus cannot be reached (libsecret keeps its
 * connection for the life of a process). */
static void
test_no_service (Fixture       *fixture,
                 gconstpointer  user_data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(BbStore) store = NULL;
      g_autoptr(BbSyncPeer) peer = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *bus = g_strdup_printf ("unix:path=%s/no-bus", fixture->dir);
      g_autofree char *found = NULL;
      guint moved = 99;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus, TRUE);

      store = create_store (fixture);
      peer = save_peer (store, "Hub Eindhoven", "https://hub.example.org/regio");

      g_assert_false (bb_sync_secrets_store_sync (bb_store_get_council_id (store), "Wijkraad", peer,
                                                  "geen-sleutelbos-5521", NULL, &error));
      g_assert_error (error, BB_SYNC_SECRETS_ERROR, BB_SYNC_SECRETS_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "cannot be remembered on this computer"));
      g_clear_error (&error);

      bb_sync_secrets_lookup_async (bb_store_get_council_id (store), peer, NULL, on_result_cb, &result);
      found = bb_sync_secrets_lookup_finish (wait_for (&result), &error);
      g_assert_null (found);
      g_assert_error (error, BB_SYNC_SECRETS_ERROR, BB_SYNC_SECRETS_ERROR_UNAVAILABLE);
      g_clear_error (&error);

      g_assert_true (bb_store_close (store, &error));
      g_assert_no_error (error);
      g_assert_false (council_file_contains (fixture->path, "geen-sleutelbos-5521"));
      g_clear_object (&store);

      /* An old file's password stays waiting in it rather than be lost */
      g_unlink (fixture->path);
      load_fixture ("council-v10.sql", fixture->path);
      store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
      g_assert_no_error (error);
      g_clear_object (&result);
      bb_sync_secrets_move_pending_async (store, NULL, on_result_cb, &result);
      g_assert_false (bb_sync_secrets_move_pending_finish (store, wait_for (&result), &moved, &error));
      g_assert_error (error, BB_SYNC_SECRETS_ERROR, BB_SYNC_SECRETS_ERROR_UNAVAILABLE);
      g_assert_cmpuint (moved, ==, 0);
      g_assert_cmpint (bb_sync_secrets_count_pending (store, NULL), ==, 1);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/secrets/store-lookup-clear", Fixture, NULL,
              fixture_setup, test_store_lookup_clear, fixture_teardown);
  g_test_add ("/sync/secrets/update-follows-peer", Fixture, NULL,
              fixture_setup, test_update_follows_peer, fixture_teardown);
  g_test_add ("/sync/secrets/migrate-old-password", Fixture, NULL,
              fixture_setup, test_migrate_old_password, fixture_teardown);
  g_test_add ("/sync/secrets/scheduler-uses-keyring", Fixture, NULL,
              fixture_setup, test_scheduler_uses_keyring, fixture_teardown);
  g_test_add ("/sync/secrets/scheduler-moves-old-password", Fixture, NULL,
              fixture_setup, test_scheduler_moves_old_password, fixture_teardown);
  g_test_add ("/sync/secrets/no-service", Fixture, NULL,
              fixture_setup, test_no_service, fixture_teardown);

  return g_test_run ();
}
