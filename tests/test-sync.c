/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The peer endpoint driven by a libsoup client in the same process, and
 * two council files replicating with each other through it. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "bb-council.h"
#include "bb-replica.h"
#include "bb-replicator.h"
#include "bb-store.h"
#include "bb-sync.h"
#include "bb-sync-peers.h"
#include "bb-sync-scheduler.h"
#include "bb-sync-server.h"
#include "bb-test-util.h"

typedef struct {
  char          *dir;
  BbStore       *a;
  BbStore       *b;
  BbSyncServer  *server;
  SoupSession   *session;
  char          *base;     /* http://127.0.0.1:PORT */
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

  fixture->dir = g_dir_make_tmp ("buurtboek-sync-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->a = make_store (fixture, "Wijkraad Noord");
  fixture->b = make_store (fixture, "Wijkraad Zuid");

  fixture->server = bb_sync_server_new (fixture->b);
  g_assert_true (bb_sync_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->base = g_strdup_printf ("http://127.0.0.1:%u", bb_sync_server_get_port (fixture->server));
  fixture->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  bb_sync_server_stop (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_clear_object (&fixture->session);
  bb_store_close (fixture->a, NULL);
  bb_store_close (fixture->b, NULL);
  g_clear_object (&fixture->a);
  g_clear_object (&fixture->b);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->base);
}

/* ---------------------------------------------------------------------- */
/* A client                                                               */

typedef struct {
  guint      status;
  GBytes    *body;
  JsonNode  *json;
  char      *content_type;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply->content_type);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* @raw_path goes on the wire as given (tests craft encodings). */
static Reply *
request_full (Fixture    *fixture,
              const char *method,
              const char *raw_path,
              const char *content_type,
              const char *body,
              gsize       body_length,
              const char *authorization)
{
  g_autofree char *url = g_strconcat (fixture->base, raw_path, NULL);
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);
  gsize length;
  const char *data;

  g_assert_nonnull (uri);
  msg = soup_message_new_from_uri (method, uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  reply->body = soup_session_send_and_read_finish (fixture->session, result, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  data = g_bytes_get_data (reply->body, &length);
  if (length > 0 && (data[0] == '{' || data[0] == '['))
    {
      reply->json = bb_sync_parse_json (data, length, &error);
      g_assert_no_error (error);
    }
  return reply;
}

static Reply *
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *json)
{
  return request_full (fixture, method, path, "application/json",
                       json, json != NULL ? strlen (json) : 0, NULL);
}

static JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

static void
assert_error (Reply      *reply,
              guint       status,
              const char *error_word)
{
  JsonObject *object;

  g_assert_cmpuint (reply->status, ==, status);
  object = reply_object (reply);
  if (error_word != NULL)
    g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, error_word);
  g_assert_nonnull (json_object_get_string_member (object, "reason"));
}

static char *
put_doc (BbStore    *store,
         const char *id,
         const char *parent,
         const char *title,
         GPtrArray  *attachments)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *rev = NULL;

  json_object_set_string_member (body, "type", "practice");
  json_object_set_string_member (body, "title", title);
  g_assert_true (bb_replica_put (store, id, parent, body, FALSE, attachments, &rev, &error));
  g_assert_no_error (error);
  return rev;
}

static GPtrArray *
one_attachment (const char *name,
                const char *text)
{
  GPtrArray *attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_replica_attachment_free);
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));

  g_ptr_array_add (attachments, bb_replica_attachment_new (name, "text/plain", data));
  return attachments;
}

/* ---------------------------------------------------------------------- */
/* The endpoint                                                           */

static void
test_server_welcome (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Reply) welcome = request (fixture, "GET", "/", NULL);
  g_autoptr(Reply) info = NULL;
  g_autoptr(Reply) head = NULL;
  g_autoptr(Reply) put = NULL;
  g_autofree char *uuid = bb_replica_get_instance_uuid (fixture->b);
  g_autofree char *rev = put_doc (fixture->b, "doc-1", NULL, "Burendag", NULL);

  g_assert_cmpuint (welcome->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_object (welcome), "couchdb"), ==, "Welcome");
  /* Peers key their checkpoints on it: the council file's own uuid */
  g_assert_cmpstr (json_object_get_string_member (reply_object (welcome), "uuid"), ==, uuid);

  info = request (fixture, "GET", "/library", NULL);
  g_assert_cmpuint (info->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_object (info), "db_name"), ==, "library");
  g_assert_cmpint (json_object_get_int_member (reply_object (info), "doc_count"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (reply_object (info), "instance_start_time"), ==, "0");
  g_assert_cmpint (json_object_get_int_member (reply_object (info), "update_seq"), ==,
                   bb_replica_get_update_seq (fixture->b));

  head = request (fixture, "HEAD", "/library/", NULL);
  g_assert_cmpuint (head->status, ==, 200);

  put = request (fixture, "PUT", "/library", NULL);
  assert_error (put, 412, "file_exists");
}

static void
test_server_documents (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(Reply) put = NULL;
  g_autoptr(Reply) get = NULL;
  g_autoptr(Reply) conflict = NULL;
  g_autoptr(Reply) changes = NULL;
  g_autoptr(Reply) diff = NULL;
  g_autoptr(Reply) bulk_get = NULL;
  g_autoptr(Reply) att = NULL;
  g_autoptr(Reply) open_revs = NULL;
  g_autoptr(Reply) all_docs = NULL;
  g_autoptr(Reply) del = NULL;
  g_autoptr(Reply) gone = NULL;
  g_autoptr(GPtrArray) atts = one_attachment ("agenda.txt", "Koffie om tien uur");
  g_autofree char *rev1 = put_doc (fixture->b, "doc-1", NULL, "Burendag", atts);
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  const char *rev2;
  JsonArray *results;

  /* A user edit over HTTP (new_edits=true) */
  body = g_strdup_printf ("{\"_rev\":\"%s\",\"type\":\"practice\",\"title\":\"Burendag 2027\","
                          "\"_attachments\":{\"agenda.txt\":{\"stub\":true}}}", rev1);
  put = request (fixture, "PUT", "/library/doc-1", body);
  g_assert_cmpuint (put->status, ==, 201);
  rev2 = json_object_get_string_member (reply_object (put), "rev");
  g_assert_true (g_str_has_prefix (rev2, "2-"));

  /* The old rev again: a conflict, nothing written */
  conflict = request (fixture, "PUT", "/library/doc-1", body);
  assert_error (conflict, 409, "conflict");

  get = request (fixture, "GET", "/library/doc-1?revs=true", NULL);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_object (get), "title"), ==, "Burendag 2027");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (reply_object (get), "_revisions"),
                                               "start"), ==, 2);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (
                   json_object_get_object_member (reply_object (get), "_attachments"), "agenda.txt"), "stub"));

  att = request (fixture, "GET", "/library/doc-1/agenda.txt", NULL);
  g_assert_cmpuint (att->status, ==, 200);
  g_assert_cmpstr (att->content_type, ==, "text/plain");
  g_assert_cmpmem (g_bytes_get_data (att->body, NULL), g_bytes_get_size (att->body), "Koffie om tien uur", 18);

  changes = request (fixture, "GET", "/library/_changes?style=all_docs&since=0&limit=10", NULL);
  g_assert_cmpuint (changes->status, ==, 200);
  results = json_object_get_array_member (reply_object (changes), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "doc-1");

  diff = request (fixture, "POST", "/library/_revs_diff",
                  "{\"doc-1\":[\"2-aaaa\",\"1-bbbb\"],\"doc-9\":[\"1-cccc\"]}");
  g_assert_cmpuint (diff->status, ==, 200);
  g_assert_true (json_object_has_member (reply_object (diff), "doc-1"));
  g_assert_true (json_object_has_member (reply_object (diff), "doc-9"));

  g_free (body);
  body = g_strdup_printf ("{\"docs\":[{\"id\":\"doc-1\",\"rev\":\"%s\"},{\"id\":\"nope\",\"rev\":\"1-abc\"}]}", rev1);
  bulk_get = request (fixture, "POST", "/library/_bulk_get?revs=true&latest=true&attachments=true", body);
  g_assert_cmpuint (bulk_get->status, ==, 200);
  results = json_object_get_array_member (reply_object (bulk_get), "results");
  /* One result per request entry, in order; latest turns rev 1 into 2 */
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  {
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (
                          json_array_get_object_element (results, 0), "docs"), 0);
    JsonObject *second = json_array_get_object_element (json_object_get_array_member (
                           json_array_get_object_element (results, 1), "docs"), 0);
    JsonObject *doc = json_object_get_object_member (first, "ok");

    g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, rev2);
    g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (
                        json_object_get_object_member (doc, "_attachments"), "agenda.txt"), "data"));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (second, "error"), "error"),
                     ==, "not_found");
  }

  open_revs = request (fixture, "GET", "/library/doc-1?open_revs=all&revs=true", NULL);
  g_assert_cmpuint (open_revs->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (open_revs->json));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (open_revs->json)), ==, 1);

  all_docs = request (fixture, "POST", "/library/_all_docs?include_docs=true", "{\"keys\":[\"doc-1\",\"doc-2\"]}");
  g_assert_cmpuint (all_docs->status, ==, 200);
  results = json_object_get_array_member (reply_object (all_docs), "rows");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1), "error"), ==, "not_found");

  path = g_strdup_printf ("/library/doc-1?rev=%s", rev2);
  del = request (fixture, "DELETE", path, NULL);
  g_assert_cmpuint (del->status, ==, 200);
  gone = request (fixture, "GET", "/library/doc-1", NULL);
  assert_error (gone, 404, "not_found");
}

/* A GET as Apache CouchDB's replicator sends it for a revision with
 * attachments; @accept: the Accept header. Returns the body (inflated). */
static GBytes *
get_with_accept (Fixture      *fixture,
                 const char   *raw_path,
                 const char   *accept,
                 SoupMessage **out_msg)
{
  g_autofree char *url = g_strconcat (fixture->base, raw_path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", accept);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (fixture->session, result, &error);
  g_assert_no_error (error);
  *out_msg = g_steal_pointer (&msg);
  return body;
}

static JsonObject *
part_object (SoupMultipart *multipart,
             guint          i,
             JsonNode     **out_node)
{
  SoupMessageHeaders *headers = NULL;
  GBytes *body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (soup_multipart_get_part (multipart, (int) i, &headers, &body));
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  *out_node = bb_sync_parse_json (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*out_node));
  return json_node_get_object (*out_node);
}

static void
test_server_open_revs_multipart (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(GString) minutes = g_string_new (NULL);
  g_autoptr(GPtrArray) atts = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *open_revs = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(JsonNode) first_node = NULL;
  g_autoptr(JsonNode) second_node = NULL;
  g_autoptr(Reply) json = NULL;
  g_autoptr(Reply) bad = NULL;
  g_autofree guchar *decoded = NULL;
  GHashTable *params = NULL;
  JsonObject *doc, *revisions, *attachment, *missing;
  const char *missing_rev = "1-0123456789abcdef0123456789abcdef";
  gsize decoded_length;

  /* Over 1 KiB, so the reply is also gzipped on the way */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (minutes, "Punt %u: koffie om tien uur.\n", i);
  atts = one_attachment ("notulen.txt", minutes->str);
  rev1 = put_doc (fixture->b, "doc-1", NULL, "Burendag", NULL);
  rev2 = put_doc (fixture->b, "doc-1", rev1, "Burendag 2027", atts);

  open_revs = g_strdup_printf ("[\"%s\",\"%s\"]", rev2, missing_rev);
  escaped = g_uri_escape_string (open_revs, NULL, FALSE);
  path = g_strdup_printf ("/library/doc-1?revs=true&open_revs=%s&latest=true&attachments=true"
                          "&atts_since=%%5B%%5D", escaped);
  body = get_with_accept (fixture, path, "multipart/mixed", &msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), &params),
                   ==, "multipart/mixed");
  g_assert_nonnull (params);
  g_assert_nonnull (g_hash_table_lookup (params, "boundary"));
  g_hash_table_unref (params);

  multipart = soup_multipart_new_from_message (soup_message_get_response_headers (msg), body);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 2);
  /* libsoup's session asks for gzip; the parts survived it */
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Encoding"),
                   ==, "gzip");

  /* The document itself, not {"ok":doc}, its attachment inline */
  doc = part_object (multipart, 0, &first_node);
  g_assert_false (json_object_has_member (doc, "ok"));
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, "doc-1");
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, rev2);
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Burendag 2027");
  revisions = json_object_get_object_member (doc, "_revisions");
  g_assert_cmpint (json_object_get_int_member (revisions, "start"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (revisions, "ids")), ==, 2);
  attachment = json_object_get_object_member (json_object_get_object_member (doc, "_attachments"), "notulen.txt");
  g_assert_cmpstr (json_object_get_string_member (attachment, "content_type"), ==, "text/plain");
  g_assert_false (json_object_has_member (attachment, "stub"));
  decoded = g_base64_decode (json_object_get_string_member (attachment, "data"), &decoded_length);
  g_assert_cmpmem (decoded, decoded_length, minutes->str, minutes->len);

  missing = part_object (multipart, 1, &second_node);
  g_assert_cmpstr (json_object_get_string_member (missing, "missing"), ==, missing_rev);
  g_assert_cmpuint (json_object_get_size (missing), ==, 1);

  /* PouchDB (Accept: application/json) and a client preferring JSON keep the array */
  json = request (fixture, "GET", path, NULL);
  g_assert_cmpuint (json->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json->json));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json->json)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_array_get_object_element (json_node_get_array (json->json), 0), "ok"), "_rev"),
                   ==, rev2);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  body = get_with_accept (fixture, path, "multipart/mixed;q=0.5, application/json", &msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "application/json");
  g_assert_cmpuint (g_bytes_get_size (body), >, 0);
  g_assert_cmpint (((const char *) g_bytes_get_data (body, NULL))[0], ==, '[');

  /* Errors stay JSON errors */
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  body = get_with_accept (fixture, "/library/doc-1?open_revs=notjson", "multipart/mixed", &msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 400);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), "bad_request"));
  bad = request (fixture, "GET", "/library/doc-1?open_revs=notjson", NULL);
  assert_error (bad, 400, "bad_request");
}

static void
test_server_replication_endpoints (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(Reply) bulk = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) stub = NULL;
  g_autoptr(Reply) local_put = NULL;
  g_autoptr(Reply) local_get = NULL;
  g_autoptr(Reply) local_stale = NULL;
  g_autoptr(Reply) local_del = NULL;
  g_autoptr(Reply) commit = NULL;
  g_autoptr(GPtrArray) leaves = NULL;
  g_autoptr(GError) error = NULL;
  const char *docs =
    "{\"new_edits\":false,\"docs\":["
    "{\"_id\":\"x\",\"_rev\":\"2-bbbb\",\"_revisions\":{\"start\":2,\"ids\":[\"bbbb\",\"aaaa\"]},\"title\":\"B\"},"
    "{\"_id\":\"x\",\"_rev\":\"2-cccc\",\"_revisions\":{\"start\":2,\"ids\":[\"cccc\",\"aaaa\"]},\"title\":\"C\"},"
    "{\"_id\":\"y\",\"_rev\":\"1-dddd\",\"title\":\"no _revisions, as PouchDB 7 sends\","
    "\"_attachments\":{\"a.txt\":{\"content_type\":\"text/plain\",\"data\":\"aGFsbG8=\"}}}]}";
  gint64 seq;

  bulk = request (fixture, "POST", "/library/_bulk_docs", docs);
  g_assert_cmpuint (bulk->status, ==, 201);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (bulk->json)), ==, 0);
  leaves = bb_replica_get_leaves (fixture->b, "x", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leaves->len, ==, 2);
  /* the winner as CouchDB picks it: same generation, larger hash */
  g_assert_cmpstr (((BbReplicaLeaf *) g_ptr_array_index (leaves, 0))->rev, ==, "2-cccc");

  /* The same batch again changes nothing */
  seq = bb_replica_get_update_seq (fixture->b);
  again = request (fixture, "POST", "/library/_bulk_docs", docs);
  g_assert_cmpuint (again->status, ==, 201);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq);

  /* A stub for content this library does not hold: 412, nothing written */
  stub = request (fixture, "POST", "/library/_bulk_docs",
                  "{\"new_edits\":false,\"docs\":[{\"_id\":\"z\",\"_rev\":\"1-eeee\","
                  "\"_attachments\":{\"b.bin\":{\"stub\":true,\"digest\":\"md5-AAAAAAAAAAAAAAAAAAAAAA==\",\"revpos\":1}}}]}");
  assert_error (stub, 412, "missing_stub");
  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq);

  local_put = request (fixture, "PUT", "/library/_local/abc", "{\"last_seq\":5}");
  g_assert_cmpuint (local_put->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (reply_object (local_put), "id"), ==, "_local/abc");
  local_get = request (fixture, "GET", "/library/_local/abc", NULL);
  g_assert_cmpuint (local_get->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (local_get), "last_seq"), ==, 5);
  local_stale = request (fixture, "PUT", "/library/_local/abc", "{\"last_seq\":6}");
  assert_error (local_stale, 409, "conflict");
  {
    g_autofree char *path = g_strdup_printf ("/library/_local/abc?rev=%s",
                                             json_object_get_string_member (reply_object (local_get), "_rev"));

    local_del = request (fixture, "DELETE", path, NULL);
    g_assert_cmpuint (local_del->status, ==, 200);
  }
  /* _local documents never show in the changes feed */
  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq);

  commit = request (fixture, "POST", "/library/_ensure_full_commit", "");
  g_assert_cmpuint (commit->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (reply_object (commit), "instance_start_time"), ==, "0");
}

typedef struct {
  Fixture *fixture;
  gboolean written;
} LateWrite;

static gboolean
write_later_cb (gpointer user_data)
{
  LateWrite *late = user_data;
  g_autofree char *rev = put_doc (late->fixture->b, "late", NULL, "Later", NULL);

  late->written = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_server_longpoll (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(Reply) empty = NULL;
  g_autoptr(Reply) woken = NULL;
  g_autofree char *path = g_strdup_printf ("/library/_changes?feed=longpoll&since=%" G_GINT64_FORMAT "&timeout=200",
                                           bb_replica_get_update_seq (fixture->b));
  g_autofree char *path_long = g_strdup_printf ("/library/_changes?feed=longpoll&since=%" G_GINT64_FORMAT "&timeout=20000",
                                                bb_replica_get_update_seq (fixture->b));
  LateWrite late = { fixture, FALSE };
  gint64 start = g_get_monotonic_time ();
  JsonArray *results;

  /* Nothing happens: an empty answer after the timeout */
  empty = request (fixture, "GET", path, NULL);
  g_assert_cmpuint (empty->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (empty), "results")), ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);

  /* A write wakes the waiting client at once */
  g_timeout_add (100, write_later_cb, &late);
  start = g_get_monotonic_time ();
  woken = request (fixture, "GET", path_long, NULL);
  g_assert_true (late.written);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  results = json_object_get_array_member (reply_object (woken), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "id"), ==, "late");
}

/* Paths and bodies meant to reach what is not the library, or to break
 * the server: the right status, and nothing written. */
static void
test_server_hostile (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const struct { const char *method; const char *path; guint status; } cases[] = {
    { "GET", "/_all_dbs", 404 },
    { "GET", "/_users", 404 },
    { "GET", "/volunteer", 404 },
    { "GET", "/ledger_transaction/_all_docs", 404 },
    { "GET", "/library%2F..%2Fvolunteer", 400 },
    { "GET", "/library/..%2F..%2Fetc%2Fpasswd", 400 },
    /* libsoup decodes the path before we see it: this is attachment "b"
     * of document "a", still inside the library */
    { "GET", "/library/a%2Fb", 404 },
    { "GET", "/library/%2541", 404 },
    { "GET", "/library/bad%00id", 400 },
    { "GET", "/library/%FF%FE", 400 },
    { "GET", "/library/_design/x", 400 },
    { "GET", "/library/_users", 400 },
    { "GET", "/library/_local/_x", 400 },
    { "GET", "/library/_config", 400 },
    { "GET", "/library/caf%C3%A9%20met%20spaties", 404 },
    { "GET", "/library/100%25", 404 },
    { "DELETE", "/", 405 },
    { "PATCH", "/library/_changes", 405 },
    { "GET", "/library/_bulk_docs", 405 },
    { "GET", "/library/_changes?since=abc", 400 },
    { "GET", "/library/_changes?limit=-1", 400 },
    { "GET", "/library/_changes?feed=eventsource", 400 },
    { "GET", "/library/_changes?filter=_view", 400 },
    { "GET", "/library/x?open_revs=notjson", 400 },
  };
  static const struct { const char *path; const char *type; const char *body; guint status; } bodies[] = {
    { "/library/_bulk_docs", "application/json", "{\"docs\":[", 400 },
    { "/library/_bulk_docs", "application/json", "[1,2]", 400 },
    { "/library/_bulk_docs", "application/json", "{\"docs\":{}}", 400 },
    { "/library/_bulk_docs", "application/json", "{\"docs\":[],\"new_edits\":\"no\"}", 400 },
    { "/library/_bulk_docs", "application/json", "{\"docs\":[1]}", 400 },
    { "/library/_bulk_docs", "application/json", "{\"n\":123456789012345678901234567890}", 400 },
    { "/library/_bulk_docs", "application/json", "{\"a\":\"\xff\xfe\"}", 400 },
    { "/library/_bulk_docs", "application/xml", "<docs/>", 415 },
    { "/library/_bulk_get", "application/json", "{}", 400 },
    { "/library/_revs_diff", "application/json", "{\"x\":5}", 400 },
  };
  gint64 seq = bb_replica_get_update_seq (fixture->b);
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = request (fixture, cases[i].method, cases[i].path, NULL);

      g_test_message ("%s %s → %u", cases[i].method, cases[i].path, reply->status);
      g_assert_cmpuint (reply->status, ==, cases[i].status);
      /* libsoup itself refuses some paths, with an empty body */
      if (reply->json != NULL)
        assert_error (reply, cases[i].status, NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(Reply) reply = request_full (fixture, "POST", bodies[i].path, bodies[i].type,
                                             bodies[i].body, strlen (bodies[i].body), NULL);

      g_test_message ("POST %s %s → %u", bodies[i].path, bodies[i].body, reply->status);
      assert_error (reply, bodies[i].status, NULL);
    }

  /* Nested ten thousand deep: refused before the parser recurses */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  {
    g_autoptr(Reply) reply = request_full (fixture, "POST", "/library/_bulk_docs", "application/json",
                                           deep->str, deep->len, NULL);

    assert_error (reply, 400, "bad_request");
  }

  /* Larger than the limit */
  {
    gsize size = BB_SYNC_SERVER_MAX_BODY + 1;
    g_autofree char *big = g_malloc (size);
    g_autoptr(Reply) reply = NULL;

    memset (big, ' ', size);
    reply = request_full (fixture, "POST", "/library/_bulk_docs", "application/json", big, size, NULL);
    assert_error (reply, 413, NULL);
  }

  /* Ids that are not the library's: the council's own record id */
  {
    g_autofree char *path = g_strdup_printf ("/library/%s", bb_store_get_council_id (fixture->b));
    g_autoptr(Reply) reply = request (fixture, "GET", path, NULL);

    assert_error (reply, 404, "not_found");
  }

  /* Documents with ids the library does not serve are refused one by one */
  {
    g_autoptr(Reply) reply = request (fixture, "POST", "/library/_bulk_docs",
                                      "{\"new_edits\":false,\"docs\":[{\"_id\":\"_design/evil\",\"_rev\":\"1-aaaa\"},"
                                      "{\"_id\":\"a/b\",\"_rev\":\"1-aaaa\"}]}");

    g_assert_cmpuint (reply->status, ==, 201);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (reply->json)), ==, 2);
  }

  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq);

  /* And it still serves */
  {
    g_autoptr(Reply) reply = request (fixture, "GET", "/library", NULL);

    g_assert_cmpuint (reply->status, ==, 200);
  }
}

static gboolean
doc_exists (BbStore    *store,
            const char *id)
{
  g_autoptr(JsonObject) doc = bb_replica_get (store, id, NULL, BB_REPLICA_GET_NONE, NULL);

  return doc != NULL;
}

/* Members of the wrong type in request bodies and parameters: objects or
 * arrays where a string, boolean or number belongs (which json-glib's
 * getters meet with a critical, fatal here). Each request gets a 400
 * bad_request, a request refused so writes nothing (also not the valid
 * documents before the wrong one), and the server keeps serving. */
static void
test_server_wrong_types (Fixture       *fixture,
                         gconstpointer  user_data)
{
  static const struct { const char *method; const char *path; const char *body; } cases[] = {
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":{}}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":[\"a\"]}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"_rev\":[]}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"_rev\":7}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"_deleted\":\"yes\"}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"_deleted\":{}}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"_attachments\":[]}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"_attachments\":{\"f\":\"eA==\"}}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"_attachments\":{\"f\":{\"data\":{}}}}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"_attachments\":"
                                     "{\"f\":{\"data\":\"eA==\",\"content_type\":[]}}}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"_attachments\":{\"f\":{\"stub\":\"true\"}}}]}" },
    { "POST", "/library/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-abc\","
                                     "\"_revisions\":[\"abc\"]}]}" },
    { "POST", "/library/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-abc\","
                                     "\"_revisions\":{\"start\":\"1\",\"ids\":[\"abc\"]}}]}" },
    { "POST", "/library/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-abc\","
                                     "\"_revisions\":{\"start\":1,\"ids\":[{}]}}]}" },
    { "POST", "/library/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-abc\","
                                     "\"_attachments\":{\"f\":{\"stub\":true,\"revpos\":\"1\",\"digest\":[]}}}]}" },
    { "POST", "/library/_bulk_docs", "{\"new_edits\":[],\"docs\":[]}" },
    /* The valid first documents are not written either */
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"good\"},{\"_id\":\"b\",\"_rev\":{}}]}" },
    { "POST", "/library/_bulk_docs", "{\"docs\":[{\"_id\":\"good\"},7]}" },
    { "POST", "/library/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"good\",\"_rev\":\"1-abc\"},"
                                     "{\"_id\":\"b\",\"_rev\":\"1-abc\",\"_deleted\":0}]}" },
    { "POST", "/library/_bulk_get", "{\"docs\":[{\"id\":{}}]}" },
    { "POST", "/library/_bulk_get", "{\"docs\":[{\"id\":\"a\",\"rev\":[]}]}" },
    { "POST", "/library/_bulk_get", "{\"docs\":[{\"id\":\"a\",\"rev\":1}]}" },
    { "POST", "/library/_bulk_get", "{\"docs\":{\"id\":\"a\"}}" },
    { "POST", "/library/_bulk_get?revs=yes", "{\"docs\":[]}" },
    { "POST", "/library/_revs_diff", "{\"a\":{\"b\":1}}" },
    { "POST", "/library/_revs_diff", "{\"a\":[[\"1-abc\"]]}" },
    { "POST", "/library/_revs_diff", "{\"a\":[{\"rev\":\"1-abc\"}]}" },
    { "POST", "/library/_all_docs", "{\"keys\":{}}" },
    { "POST", "/library/_all_docs", "{\"keys\":\"a\"}" },
    { "POST", "/library/_all_docs", "{\"keys\":[{}]}" },
    { "GET", "/library/_all_docs?keys=%7B%22a%22:1%7D", NULL },
    { "GET", "/library/_all_docs?keys=%5B%5B%22a%22%5D%5D", NULL },
    { "POST", "/library/_changes?filter=_doc_ids", "{\"doc_ids\":{\"a\":1}}" },
    { "POST", "/library/_changes?filter=_doc_ids", "{\"doc_ids\":[[\"a\"]]}" },
    { "GET", "/library/a?open_revs=%7B%7D", NULL },
    { "GET", "/library/a?open_revs=%5B1%5D", NULL },
    { "PUT", "/library/a", "{\"_id\":[\"a\"]}" },
    { "PUT", "/library/a", "{\"_rev\":{}}" },
    { "PUT", "/library/a", "{\"_deleted\":1}" },
    { "PUT", "/library/a", "{\"_attachments\":{\"f\":{\"data\":5}}}" },
    { "PUT", "/library/a?new_edits=false", "{\"_rev\":\"1-abc\",\"_revisions\":{\"start\":{},\"ids\":[\"abc\"]}}" },
    { "PUT", "/library/_local/x", "{\"_rev\":{}}" },
    { "PUT", "/library/_local/x", "{\"_rev\":[\"0-1\"]}" },
  };
  gint64 seq = bb_replica_get_update_seq (fixture->b);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = request (fixture, cases[i].method, cases[i].path, cases[i].body);

      g_test_message ("%s %s %s → %u", cases[i].method, cases[i].path,
                      cases[i].body != NULL ? cases[i].body : "", reply->status);
      assert_error (reply, 400, "bad_request");
    }

  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq);
  g_assert_false (doc_exists (fixture->b, "good"));
  g_assert_false (doc_exists (fixture->b, "a"));
  {
    g_autoptr(JsonObject) local = bb_replica_get_local (fixture->b, "x", NULL);

    g_assert_null (local);
  }

  /* And it still serves, and writes what is well-typed */
  {
    g_autoptr(Reply) reply = request (fixture, "POST", "/library/_bulk_docs",
                                      "{\"docs\":[{\"_id\":\"good\",\"_deleted\":false,\"_attachments\":null}]}");

    g_assert_cmpuint (reply->status, ==, 201);
    g_assert_true (doc_exists (fixture->b, "good"));
  }
}

static void
on_line_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The next line of a streamed reply; NULL at its end. */
static char *
read_line (GDataInputStream *stream)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL, on_line_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, &error);
  g_assert_no_error (error);
  return line;
}

/* GETs @path and returns its reply as a stream of lines. */
static GDataInputStream *
open_lines (Fixture    *fixture,
            const char *path,
            guint       expected_status)
{
  g_autofree char *url = g_strconcat (fixture->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  soup_session_send_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_finish (fixture->session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  return g_data_input_stream_new (body);
}

static gboolean
put_later_cb (gpointer user_data)
{
  g_free (put_doc (user_data, "later", NULL, "Later", NULL));
  return G_SOURCE_REMOVE;
}

/* feed=continuous as PouchDB's and CouchDB's live replication read it:
 * one row per line, each change as it is committed, blank lines as
 * heartbeat, and {"last_seq"} when the timeout ends it. */
static void
test_server_continuous (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *rev = put_doc (fixture->b, "early", NULL, "Early", NULL);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saw_later = FALSE;
  guint heartbeats = 0;
  gint64 started = g_get_monotonic_time ();
  char *line;

  lines = open_lines (fixture, "/library/_changes?feed=continuous&heartbeat=100&timeout=1500", 200);

  /* What is there already comes first, at once */
  line = read_line (lines);
  g_assert_nonnull (strstr (line, "\"id\":\"early\""));
  g_free (line);

  /* A change made while the feed is open follows it, between heartbeats */
  g_timeout_add (300, put_later_cb, fixture->b);
  while ((line = read_line (lines)) != NULL)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *owned = line;

      if (line[0] == '\0')
        {
          heartbeats++;
          continue;
        }
      node = bb_sync_parse_json (line, strlen (line), &error);
      g_assert_no_error (error);
      if (json_object_has_member (json_node_get_object (node), "last_seq"))
        {
          g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "last_seq"), ==,
                           bb_replica_get_update_seq (fixture->b));
          break;
        }
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "id"), ==, "later");
      saw_later = TRUE;
    }
  g_assert_true (saw_later);
  g_assert_cmpuint (heartbeats, >=, 3);
  /* The timeout ended it */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC);
  g_assert_null (read_line (lines));

  /* With a limit it ends after that many rows */
  {
    g_autoptr(GDataInputStream) limited = open_lines (fixture, "/library/_changes?feed=continuous&limit=1", 200);
    g_autofree char *first = read_line (limited);
    g_autofree char *last = read_line (limited);
    g_autofree char *end = read_line (limited);

    g_assert_nonnull (strstr (first, "\"early\""));
    g_assert_true (g_str_has_prefix (last, "{\"last_seq\":"));
    g_assert_null (end);
  }

  /* A hostile heartbeat is refused */
  {
    g_autoptr(Reply) bad = request (fixture, "GET", "/library/_changes?feed=continuous&heartbeat=soon", NULL);

    assert_error (bad, 400, "bad_request");
  }
}

/* A document over BB_SYNC_SERVER_MAX_DOC is refused on its own: the
 * others of the same _bulk_docs are stored (as CouchDB does), and a PUT
 * of it gets 413. */
static void
test_server_document_size (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *filler = g_malloc (BB_SYNC_SERVER_MAX_DOC + 1);
  g_autofree char *bulk = NULL;
  g_autofree char *edit = NULL;
  g_autofree char *big_doc = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) user_reply = NULL;
  g_autoptr(Reply) put = NULL;
  JsonArray *errors;
  JsonObject *refused;
  gint64 seq;

  memset (filler, 'x', BB_SYNC_SERVER_MAX_DOC);
  filler[BB_SYNC_SERVER_MAX_DOC] = '\0';
  bulk = g_strdup_printf ("{\"new_edits\":false,\"docs\":["
                          "{\"_id\":\"klein\",\"_rev\":\"1-0123456789abcdef0123456789abcdef\",\"type\":\"practice\",\"title\":\"Klein\"},"
                          "{\"_id\":\"groot\",\"_rev\":\"1-abcdef0123456789abcdef0123456789\",\"type\":\"practice\",\"title\":\"Groot\",\"body\":\"%s\"},"
                          "{\"_id\":\"ook-klein\",\"_rev\":\"1-00112233445566778899aabbccddeeff\",\"type\":\"practice\",\"title\":\"Ook klein\"}]}",
                          filler);
  reply = request (fixture, "POST", "/library/_bulk_docs", bulk);
  g_assert_cmpuint (reply->status, ==, 201);
  errors = json_node_get_array (reply->json);
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  refused = json_array_get_object_element (errors, 0);
  g_assert_cmpstr (json_object_get_string_member (refused, "id"), ==, "groot");
  g_assert_cmpstr (json_object_get_string_member (refused, "error"), ==, "too_large");
  g_assert_nonnull (strstr (json_object_get_string_member (refused, "reason"), "limit"));
  g_assert_true (doc_exists (fixture->b, "klein"));
  g_assert_true (doc_exists (fixture->b, "ook-klein"));
  g_assert_false (doc_exists (fixture->b, "groot"));

  /* A user edit (new_edits=true) too */
  seq = bb_replica_get_update_seq (fixture->b);
  edit = g_strdup_printf ("{\"docs\":[{\"_id\":\"groot\",\"type\":\"practice\",\"title\":\"Groot\",\"body\":\"%s\"}]}",
                          filler);
  user_reply = request (fixture, "POST", "/library/_bulk_docs", edit);
  g_assert_cmpuint (user_reply->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (user_reply->json), 0),
                                                  "error"), ==, "too_large");

  /* And one document on its own */
  big_doc = g_strdup_printf ("{\"type\":\"practice\",\"title\":\"Groot\",\"body\":\"%s\"}", filler);
  put = request (fixture, "PUT", "/library/groot", big_doc);
  assert_error (put, 413, "too_large");
  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq);
  g_assert_false (doc_exists (fixture->b, "groot"));

  /* Just under the limit is fine */
  {
    g_autofree char *fits = g_strdup_printf ("{\"type\":\"practice\",\"title\":\"Past\",\"body\":\"%s\"}",
                                             filler + 1024);
    g_autoptr(Reply) ok = request (fixture, "PUT", "/library/past-net", fits);

    g_assert_cmpuint (ok->status, ==, 201);
  }
}

static void
test_server_credentials (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *right = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *right_pair = g_base64_encode ((const guchar *) "buurtboek:abcd-efgh", 19);
  g_autofree char *wrong_pair = g_base64_encode ((const guchar *) "buurtboek:abcd-efgX", 19);
  g_autoptr(Reply) none = NULL;
  g_autoptr(Reply) bad = NULL;
  g_autoptr(Reply) good = NULL;
  g_autoptr(Reply) write = NULL;
  g_autoptr(Reply) checkpoint = NULL;
  gint64 seq = bb_replica_get_update_seq (fixture->b);

  bb_sync_server_set_credentials (fixture->server, NULL, "abcd-efgh");
  bb_sync_server_set_read_only (fixture->server, TRUE);
  right = g_strdup_printf ("Basic %s", right_pair);
  wrong = g_strdup_printf ("Basic %s", wrong_pair);

  none = request (fixture, "GET", "/library", NULL);
  assert_error (none, 401, "unauthorized");
  bad = request_full (fixture, "POST", "/library/_bulk_docs", "application/json",
                      "{\"docs\":[{\"_id\":\"q\"}]}", 22, wrong);
  assert_error (bad, 401, "unauthorized");
  good = request_full (fixture, "GET", "/library", NULL, NULL, 0, right);
  g_assert_cmpuint (good->status, ==, 200);

  /* Reading only: no writes, but a peer may keep its checkpoint here */
  write = request_full (fixture, "POST", "/library/_bulk_docs", "application/json",
                        "{\"docs\":[{\"_id\":\"q\"}]}", 22, right);
  assert_error (write, 403, "forbidden");
  checkpoint = request_full (fixture, "PUT", "/library/_local/rep", "application/json",
                             "{\"last_seq\":1}", 14, right);
  g_assert_cmpuint (checkpoint->status, ==, 201);

  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq);
}

/* Raw clients on their own thread, so they can misbehave byte by byte
 * while the server runs on this one. */

typedef struct {
  guint         port;
  gint64        cut_after;      /* µs until the server closed a slow client */
  char         *over_limit;     /* the answer past the connection limit */
  char         *after_close;    /* the answer once one connection closed */
  gint          done;
} RawClients;

static GSocketConnection *
raw_connect (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  /* Never hang the test, whatever the server does */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 10);
  return connection;
}

static void
raw_send (GSocketConnection *connection,
          const char        *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Everything until the server closes; a timeout fails the test. */
static char *
raw_read_all (GSocketConnection *connection)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  for (;;)
    {
      g_autoptr(GError) error = NULL;

      n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        break;
      g_assert_no_error (error);
      if (n == 0)
        break;
      g_string_append_len (text, buffer, n);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
run_raw_clients (GThreadFunc  func,
                 RawClients  *clients)
{
  GThread *thread = g_thread_new ("raw-clients", func, clients);

  while (!g_atomic_int_get (&clients->done))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_thread_join (thread);
}

static gpointer
slow_client_thread (gpointer data)
{
  RawClients *clients = data;
  g_autoptr(GSocketConnection) headers = raw_connect (clients->port);
  g_autoptr(GSocketConnection) body = raw_connect (clients->port);
  g_autofree char *headers_reply = NULL;
  g_autofree char *body_reply = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Half the headers, and a whole write announced but half sent */
  raw_send (headers, "GET /library HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  raw_send (body, "POST /library/_bulk_docs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n"
                  "{\"new_edits\":true,\"docs\":[{\"_id\":\"slow\",\"title\":\"Half\"}]");

  headers_reply = raw_read_all (headers);
  body_reply = raw_read_all (body);
  clients->cut_after = g_get_monotonic_time () - start;
  g_assert_cmpstr (headers_reply, ==, "");
  g_assert_cmpstr (body_reply, ==, "");

  g_atomic_int_set (&clients->done, TRUE);
  return NULL;
}

static void
test_server_slow_client (Fixture       *fixture,
                         gconstpointer  user_data)
{
  RawClients clients = { bb_sync_server_get_port (fixture->server), 0, NULL, NULL, FALSE };
  gint64 seq = bb_replica_get_update_seq (fixture->b);
  g_autoptr(Reply) missing = NULL;
  g_autoptr(Reply) welcome = NULL;

  bb_sync_server_set_limits (fixture->server, BB_SYNC_SERVER_MAX_CONNECTIONS, 1);
  run_raw_clients (slow_client_thread, &clients);

  /* Cut off after the timeout, not at once and not never */
  g_assert_cmpint (clients.cut_after, >=, 900 * 1000);
  g_assert_cmpint (clients.cut_after, <, 5 * G_USEC_PER_SEC);

  /* Nothing of the half write reached the store; the server still serves */
  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq);
  missing = request (fixture, "GET", "/library/slow", NULL);
  assert_error (missing, 404, "not_found");
  welcome = request (fixture, "GET", "/", NULL);
  g_assert_cmpuint (welcome->status, ==, 200);
}

#define WHOLE_REQUEST "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: close\r\n\r\n"

static gpointer
many_clients_thread (gpointer data)
{
  RawClients *clients = data;
  GSocketConnection *idle[3];
  g_autoptr(GSocketConnection) extra = NULL;
  g_autoptr(GSocketConnection) later = NULL;

  /* Three connections that hold their place without asking anything */
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    idle[i] = raw_connect (clients->port);
  g_usleep (300 * 1000);

  extra = raw_connect (clients->port);
  raw_send (extra, WHOLE_REQUEST);
  clients->over_limit = raw_read_all (extra);

  /* One leaves: there is room again */
  g_io_stream_close (G_IO_STREAM (idle[0]), NULL, NULL);
  g_usleep (300 * 1000);
  later = raw_connect (clients->port);
  raw_send (later, WHOLE_REQUEST);
  clients->after_close = raw_read_all (later);

  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    g_object_unref (idle[i]);
  g_atomic_int_set (&clients->done, TRUE);
  return NULL;
}

static void
test_server_connection_limit (Fixture       *fixture,
                              gconstpointer  user_data)
{
  RawClients clients = { bb_sync_server_get_port (fixture->server), 0, NULL, NULL, FALSE };
  g_autoptr(Reply) welcome = NULL;
  const char *body;

  bb_sync_server_set_limits (fixture->server, 3, 10);
  run_raw_clients (many_clients_thread, &clients);

  g_assert_true (g_str_has_prefix (clients.over_limit, "HTTP/1.1 503 "));
  body = strstr (clients.over_limit, "\r\n\r\n");
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (body, "\"error\":\"service_unavailable\""));
  g_assert_nonnull (strstr (body, "\"reason\":"));
  g_assert_true (g_str_has_prefix (clients.after_close, "HTTP/1.1 200 "));
  g_assert_nonnull (strstr (clients.after_close, "\"couchdb\":\"Welcome\""));

  /* The server keeps serving once the crowd is gone */
  welcome = request (fixture, "GET", "/", NULL);
  g_assert_cmpuint (welcome->status, ==, 200);
  g_free (clients.over_limit);
  g_free (clients.after_close);
}

/* ---------------------------------------------------------------------- */
/* Buurtboek ↔ Buurtboek                                                  */

typedef struct {
  GAsyncResult *result;
  GCancellable *cancel_at_progress;
  gint64        progress_calls;
} RunWait;

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RunWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static void
on_progress_cb (BbReplicator *replicator,
                gint64        done,
                gint64        total,
                gpointer      user_data)
{
  RunWait *wait = user_data;

  g_assert_cmpint (done, <=, total);
  if (done > 0)
    wait->progress_calls++;
  if (wait->cancel_at_progress != NULL && done > 0)
    g_cancellable_cancel (wait->cancel_at_progress);
}

static gboolean
run_sync (BbReplicator     *replicator,
          BbSyncDirection   direction,
          GCancellable     *cancel_at_progress,
          GError          **error)
{
  RunWait wait = { NULL, cancel_at_progress, 0 };
  gulong handler = g_signal_connect (replicator, "progress", G_CALLBACK (on_progress_cb), &wait);
  gboolean ok;

  bb_replicator_run_async (replicator, direction, cancel_at_progress, on_run_done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (replicator, handler);

  ok = bb_replicator_run_finish (replicator, wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

static BbReplicator *
replicator_to_b (Fixture *fixture)
{
  g_autofree char *url = g_strdup_printf ("%s/library", fixture->base);
  BbReplicator *replicator = bb_replicator_new (fixture->a, url);

  bb_replicator_set_retry (replicator, 2, 10);
  return replicator;
}

static char *
leaves_text (BbStore    *store,
             const char *id)
{
  g_autoptr(GPtrArray) leaves = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  leaves = bb_replica_get_leaves (store, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < leaves->len; i++)
    {
      BbReplicaLeaf *leaf = g_ptr_array_index (leaves, i);

      g_string_append_printf (text, "%s%s ", leaf->rev, leaf->deleted ? "(deleted)" : "");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_replicate_both_ways (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BbReplicator) replicator = replicator_to_b (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) atts = one_attachment ("sjabloon.txt", "Beste buren, …");
  g_autofree char *a1 = put_doc (fixture->a, "from-a", NULL, "Paaseieren zoeken", atts);
  g_autofree char *b1 = put_doc (fixture->b, "from-b", NULL, "Koningsdag", NULL);
  g_autofree char *shared = put_doc (fixture->a, "shared", NULL, "Wijkschouw", NULL);
  g_autofree char *gone = put_doc (fixture->a, "gone", NULL, "Oud", NULL);
  g_autofree char *edit_a = NULL;
  g_autofree char *edit_b = NULL;
  g_autofree char *leaves_a = NULL;
  g_autofree char *leaves_b = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GPtrArray) log = NULL;
  const BbSyncStats *stats;
  gint64 seq_a;
  gint64 seq_b;

  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_BOTH, NULL, &error));
  g_assert_no_error (error);

  /* Everything is on both sides, attachment included */
  {
    g_autofree char *on_b = bb_replica_get_winning_rev (fixture->b, "from-a", NULL, NULL);
    g_autofree char *on_a = bb_replica_get_winning_rev (fixture->a, "from-b", NULL, NULL);

    g_assert_cmpstr (on_b, ==, a1);
    g_assert_cmpstr (on_a, ==, b1);
  }
  data = bb_replica_get_attachment_data (fixture->b, "from-a", NULL, "sjabloon.txt", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (data, NULL), g_bytes_get_size (data), "Beste buren, …", strlen ("Beste buren, …"));
  g_assert_cmpint (bb_replicator_get_stats (replicator, FALSE)->docs_written, ==, 1);
  g_assert_cmpint (bb_replicator_get_stats (replicator, TRUE)->docs_written, ==, 3);

  /* Both edit the same document, and A deletes one */
  edit_a = put_doc (fixture->a, "shared", shared, "Wijkschouw (Noord)", NULL);
  edit_b = put_doc (fixture->b, "shared", shared, "Wijkschouw (Zuid)", NULL);
  {
    g_autofree char *tombstone = NULL;

    g_assert_true (bb_replica_put (fixture->a, "gone", gone, NULL, TRUE, NULL, &tombstone, &error));
    g_assert_no_error (error);
  }

  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_BOTH, NULL, &error));
  g_assert_no_error (error);

  /* Both leaves everywhere, the same winner */
  leaves_a = leaves_text (fixture->a, "shared");
  leaves_b = leaves_text (fixture->b, "shared");
  g_assert_cmpstr (leaves_a, ==, leaves_b);
  g_assert_nonnull (strstr (leaves_a, edit_a));
  g_assert_nonnull (strstr (leaves_a, edit_b));
  {
    gboolean deleted = FALSE;
    g_autofree char *winner = bb_replica_get_winning_rev (fixture->b, "gone", &deleted, NULL);

    g_assert_true (deleted);
  }

  /* A third run moves nothing and writes nothing */
  seq_a = bb_replica_get_update_seq (fixture->a);
  seq_b = bb_replica_get_update_seq (fixture->b);
  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_BOTH, NULL, &error));
  g_assert_no_error (error);
  stats = bb_replicator_get_stats (replicator, FALSE);
  g_assert_cmpint (stats->docs_written, ==, 0);
  g_assert_cmpint (bb_replicator_get_stats (replicator, TRUE)->docs_written, ==, 0);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->a), ==, seq_a);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->b), ==, seq_b);

  /* Three runs in the peer's log */
  log = bb_sync_log_list (fixture->a, bb_replicator_get_url (replicator), 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 3);
  g_assert_cmpstr (((BbSyncLogEntry *) g_ptr_array_index (log, 0))->status, ==, "ok");
}

static void
test_replicate_interrupted (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(BbReplicator) replicator = replicator_to_b (fixture);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;
  gint64 count = 0;
  gint64 deleted = 0;
  const guint n = 60;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("doc-%03u", i);
      g_autofree char *rev = put_doc (fixture->b, id, NULL, id, NULL);
    }

  bb_replicator_set_batch_size (replicator, 10);
  g_assert_false (run_sync (replicator, BB_SYNC_DIRECTION_PULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_true (bb_replica_get_doc_count (fixture->a, &count, &deleted, NULL));
  g_assert_cmpint (count, >, 0);
  g_assert_cmpint (count, <, n);

  /* Resumes from the checkpoint: only what was left is fetched */
  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_PULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bb_replicator_get_stats (replicator, FALSE)->docs_read, <=, n - count + 10);
  g_assert_cmpint (bb_replicator_get_stats (replicator, FALSE)->docs_read, >=, n - count);
  g_assert_true (bb_replica_get_doc_count (fixture->a, &count, &deleted, NULL));
  g_assert_cmpint (count, ==, n);

  log = bb_sync_log_list (fixture->a, NULL, 0, &error);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpstr (((BbSyncLogEntry *) g_ptr_array_index (log, 1))->status, ==, "cancelled");
}

/* A library for the pipelined pull to be cut off in: documents with one
 * to three revisions, tombstones and attachments. Returns how many. */
static guint
seed_library (BbStore *store,
              guint    n)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("doc-%04u", i);
      g_autoptr(GPtrArray) atts = i % 20 == 0 ? one_attachment ("bijlage.txt", id) : NULL;
      g_autofree char *rev = put_doc (store, id, NULL, id, atts);

      for (guint edit = 0; i % 7 == 0 && edit < 2; edit++)
        {
          g_autofree char *title = g_strdup_printf ("%s (bewerkt %u)", id, edit);
          char *next = put_doc (store, id, rev, title, NULL);

          g_free (rev);
          rev = next;
        }
      if (i % 11 == 0)
        {
          g_autofree char *tombstone = NULL;

          g_assert_true (bb_replica_put (store, id, rev, NULL, TRUE, NULL, &tombstone, &error));
          g_assert_no_error (error);
        }
    }
  return n;
}

/* Every leaf of @id with its history and attachment stubs, as text */
static char *
open_revs_text (BbStore    *store,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) revs = bb_replica_get_open_revs (store, id, NULL, BB_REPLICA_GET_REVS, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  node = json_node_init_array (json_node_alloc (), revs);
  return bb_sync_to_json (node, NULL);
}

typedef struct {
  BbStore    *target;
  BbStore    *source;
  gint64      checkpoint;   /* every change of the source up to here is stored */
  guint       stored;       /* documents on the target */
  guint       covered;      /* source changes at or below the checkpoint */
} PullCheck;

static gboolean
check_stored_change_cb (const BbReplicaChange *change,
                        gpointer               user_data)
{
  PullCheck *check = user_data;
  g_autofree char *on_source = open_revs_text (check->source, change->id);
  g_autoptr(JsonArray) on_target = bb_replica_get_open_revs (check->target, change->id, NULL,
                                                             BB_REPLICA_GET_REVS, NULL);

  if (change->seq <= check->checkpoint)
    check->covered++;
  if (on_target != NULL && json_array_get_length (on_target) > 0)
    {
      g_autofree char *text = open_revs_text (check->target, change->id);

      /* A stored document is whole: its leaves, their histories and
       * attachments as on the source */
      g_assert_cmpstr (text, ==, on_source);
      check->stored++;
    }
  else
    {
      /* A change the checkpoint covers is stored */
      g_assert_cmpint (change->seq, >, check->checkpoint);
    }
  return TRUE;
}

static gint64
checkpoint_seq (BbStore    *store,
                const char *rep_id)
{
  g_autoptr(JsonObject) log = bb_replica_get_local (store, rep_id, NULL);
  JsonNode *seq;

  if (log == NULL)
    return 0;
  seq = json_object_get_member (log, "last_seq");
  g_assert_nonnull (seq);
  g_assert_true (JSON_NODE_HOLDS_VALUE (seq) && json_node_get_value_type (seq) == G_TYPE_INT64);
  return json_node_get_int (seq);
}

/* The pulled documents of A are complete copies of B's, and both
 * checkpoints name a seq of B up to which everything is on A. Returns
 * the number of documents on A. */
static guint
assert_pull_consistent (Fixture *fixture)
{
  g_autofree char *uuid_a = bb_replica_get_instance_uuid (fixture->a);
  g_autofree char *uuid_b = bb_replica_get_instance_uuid (fixture->b);
  g_autofree char *rep_id = bb_sync_replication_id (uuid_a, uuid_b, "library", FALSE);
  gint64 local_seq = checkpoint_seq (fixture->a, rep_id);
  gint64 remote_seq = checkpoint_seq (fixture->b, rep_id);
  PullCheck check = { fixture->a, fixture->b, MAX (local_seq, remote_seq), 0, 0 };
  g_autoptr(GError) error = NULL;
  gint64 count = 0;
  gint64 deleted = 0;

  /* The target's checkpoint is written first */
  g_assert_cmpint (remote_seq, <=, local_seq);
  g_assert_true (bb_replica_changes (fixture->b, 0, -1, BB_REPLICA_CHANGES_ALL_DOCS, NULL,
                                     check_stored_change_cb, &check, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bb_replica_get_doc_count (fixture->a, &count, &deleted, &error));
  g_assert_no_error (error);
  /* Nothing on A the source does not have */
  g_assert_cmpint (count + deleted, ==, check.stored);
  g_test_message ("%u documents stored, checkpoint %" G_GINT64_FORMAT " (source's %" G_GINT64_FORMAT
                  ") covers %u", check.stored, local_seq, remote_seq, check.covered);
  return check.stored;
}

typedef struct {
  Fixture      *fixture;      /* checked after every batch, as it goes */
  GAsyncResult *result;
  guint         batches;
  guint         stop_after;   /* batches */
  GCancellable *cancellable;  /* cancelled then, or */
  BbSyncServer *server;       /* stopped then */
} CutWait;

static void
on_cut_progress_cb (BbReplicator *replicator,
                    gint64        done,
                    gint64        total,
                    gpointer      user_data)
{
  CutWait *wait = user_data;

  if (done == 0)
    return;
  /* While later batches are under way, the stored ones are whole and
   * the checkpoint names none of those */
  assert_pull_consistent (wait->fixture);
  if (++wait->batches != wait->stop_after)
    return;
  if (wait->cancellable != NULL)
    g_cancellable_cancel (wait->cancellable);
  if (wait->server != NULL)
    bb_sync_server_stop (wait->server);
}

static void
on_cut_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CutWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
run_cut (BbReplicator  *replicator,
         CutWait       *wait,
         GError       **error)
{
  gulong handler = g_signal_connect (replicator, "progress", G_CALLBACK (on_cut_progress_cb), wait);
  gboolean ok;

  bb_replicator_run_async (replicator, BB_SYNC_DIRECTION_PULL, wait->cancellable, on_cut_done_cb, wait);
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (replicator, handler);
  ok = bb_replicator_run_finish (replicator, wait->result, error);
  g_clear_object (&wait->result);
  return ok;
}

/* After a cut-off run: a second run brings the rest, each revision
 * exactly once, and a third moves nothing. */
static void
assert_pull_resumes (Fixture      *fixture,
                     BbReplicator *replicator,
                     guint         total,
                     gint64        written_before)
{
  g_autoptr(GError) error = NULL;
  gint64 seq_a;

  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_PULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (written_before + bb_replicator_get_stats (replicator, FALSE)->docs_written, ==, total);
  g_assert_cmpuint (assert_pull_consistent (fixture), ==, total);
  /* A's feed lists each revision once: one seq per document written */
  g_assert_cmpint (bb_replica_get_update_seq (fixture->a), ==, total);

  seq_a = bb_replica_get_update_seq (fixture->a);
  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_PULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bb_replicator_get_stats (replicator, FALSE)->docs_read, ==, 0);
  g_assert_cmpint (bb_replicator_get_stats (replicator, FALSE)->docs_written, ==, 0);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->a), ==, seq_a);
}

/* Cancelled while several batches of a pipelined pull are under way:
 * what was stored is whole, the checkpoints name only stored changes,
 * and the next run brings the rest exactly once. */
static void
test_replicate_cancel_pipelined (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  static const guint cut_after[] = { 2, 5 };

  for (guint c = 0; c < G_N_ELEMENTS (cut_after); c++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(BbReplicator) replicator = replicator_to_b (fixture);
      g_autoptr(GError) error = NULL;
      CutWait wait = { fixture, NULL, 0, cut_after[c], cancellable, NULL };
      guint total;
      guint stored;
      gint64 written;

      /* A fresh target each time, the same source */
      if (c > 0)
        {
          bb_store_close (fixture->a, NULL);
          g_clear_object (&fixture->a);
          fixture->a = make_store (fixture, c == 1 ? "Wijkraad Oost" : "Wijkraad West");
          g_clear_object (&replicator);
          replicator = replicator_to_b (fixture);
          total = 230;
        }
      else
        total = seed_library (fixture->b, 230);

      bb_replicator_set_batch_size (replicator, 5);
      g_assert_false (run_cut (replicator, &wait, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_cmpuint (wait.batches, ==, cut_after[c]);

      written = bb_replicator_get_stats (replicator, FALSE)->docs_written;
      stored = assert_pull_consistent (fixture);
      g_assert_cmpint (written, ==, stored);
      g_assert_cmpuint (stored, >=, 5 * cut_after[c]);
      g_assert_cmpuint (stored, <, total);

      assert_pull_resumes (fixture, replicator, total, written);
    }
}

/* The source goes away mid-pull, with batches under way: a clear
 * error, nothing half stored, and once it is back the pull resumes. */
static void
test_replicate_source_gone (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(BbReplicator) replicator = replicator_to_b (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;
  CutWait wait = { fixture, NULL, 0, 4, NULL, fixture->server };
  guint port = bb_sync_server_get_port (fixture->server);
  guint total = seed_library (fixture->b, 210);
  guint stored;
  gint64 written;

  bb_replicator_set_batch_size (replicator, 5);
  g_assert_false (run_cut (replicator, &wait, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (wait.batches, ==, 4);

  written = bb_replicator_get_stats (replicator, FALSE)->docs_written;
  stored = assert_pull_consistent (fixture);
  g_assert_cmpint (written, ==, stored);
  g_assert_cmpuint (stored, >=, 20);
  g_assert_cmpuint (stored, <, total);

  log = bb_sync_log_list (fixture->a, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (((BbSyncLogEntry *) g_ptr_array_index (log, 0))->status, !=, "ok");

  /* Back, at the same address */
  g_assert_true (bb_sync_server_listen (fixture->server, "127.0.0.1", port, &error));
  g_assert_no_error (error);
  assert_pull_resumes (fixture, replicator, total, written);
}

static void
test_replicate_credentials (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(BbReplicator) replicator = replicator_to_b (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;

  bb_sync_server_set_credentials (fixture->server, NULL, "geheim");
  g_assert_false (run_sync (replicator, BB_SYNC_DIRECTION_BOTH, NULL, &error));
  g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_CREDENTIALS);
  g_clear_error (&error);

  bb_replicator_set_credentials (replicator, NULL, "geheim");
  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_BOTH, NULL, &error));
  g_assert_no_error (error);

  log = bb_sync_log_list (fixture->a, NULL, 0, &error);
  g_assert_cmpstr (((BbSyncLogEntry *) g_ptr_array_index (log, 1))->status, ==, "credentials");
}

static void
test_replicate_unreachable (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(BbReplicator) replicator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s/library", fixture->base);

  bb_sync_server_stop (fixture->server);
  replicator = bb_replicator_new (fixture->a, url);
  bb_replicator_set_retry (replicator, 3, 5);
  g_assert_false (run_sync (replicator, BB_SYNC_DIRECTION_PULL, NULL, &error));
  g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_NETWORK);
}

/* A peer whose every reply has members of the wrong type: objects and
 * arrays where strings, booleans and numbers belong. */
typedef struct {
  const char *push_rev;   /* the revision of "doc" its _revs_diff asks for */
  guint       requests;
} HostilePeer;

static void
hostile_peer_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  HostilePeer *peer = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *body = NULL;
  guint status = SOUP_STATUS_OK;

  peer->requests++;
  if (g_str_equal (path, "/"))
    body = g_strdup ("{\"couchdb\":\"Welcome\",\"uuid\":{\"x\":1}}");
  else if (g_str_equal (path, "/library") || g_str_equal (path, "/library/"))
    body = g_strdup ("{\"db_name\":[\"library\"],\"update_seq\":{},\"instance_start_time\":[]}");
  else if (g_str_has_prefix (path, "/library/_local/") && method == SOUP_METHOD_GET)
    body = g_strdup ("{\"_id\":{},\"_rev\":{},\"session_id\":[],\"last_seq\":0,"
                     "\"history\":[{\"session_id\":{},\"last_seq\":0},7,{\"session_id\":[\"s\"]}]}");
  else if (g_str_has_prefix (path, "/library/_local/"))
    {
      status = SOUP_STATUS_CREATED;
      body = g_strdup ("{\"ok\":true,\"id\":[],\"rev\":{}}");
    }
  else if (g_str_equal (path, "/library/_changes") && g_strcmp0 (g_hash_table_lookup (query, "since"), "3") == 0)
    body = g_strdup ("{\"results\":[],\"last_seq\":3}");
  else if (g_str_equal (path, "/library/_changes"))
    body = g_strdup ("{\"results\":[{\"seq\":1,\"id\":\"hostile-1\",\"changes\":[{\"rev\":\"1-aaaa\"},{\"rev\":{}},7]},"
                     "{\"seq\":2,\"id\":{},\"changes\":{}},{\"seq\":3,\"id\":\"hostile-2\",\"changes\":[{\"rev\":[]}],"
                     "\"deleted\":\"yes\"}],\"last_seq\":3,\"pending\":{}}");
  else if (g_str_equal (path, "/library/_bulk_get"))
    body = g_strdup ("{\"results\":[{\"id\":\"hostile-1\",\"docs\":[{\"ok\":{\"_id\":\"hostile-1\",\"_rev\":\"1-aaaa\","
                     "\"_revisions\":{\"start\":1,\"ids\":[\"aaaa\"]},\"title\":\"x\",\"_deleted\":\"no\","
                     "\"_attachments\":{\"a.txt\":{\"stub\":\"yes\",\"digest\":{},\"revpos\":\"1\"},\"b\":[]}}},"
                     "{\"ok\":[]},{\"error\":{\"id\":{},\"rev\":[],\"error\":7}},5]},{\"id\":[],\"docs\":{}},3]}");
  else if (g_str_equal (path, "/library/_revs_diff"))
    body = g_strdup_printf ("{\"doc\":{\"missing\":[{},\"%s\",7,[\"1-x\"]],\"possible_ancestors\":[[],{},\"1-%s\",3]},"
                            "\"other\":{\"missing\":{}},\"third\":[]}", peer->push_rev, "abc");
  else if (g_str_equal (path, "/library/_bulk_docs"))
    {
      status = SOUP_STATUS_CREATED;
      body = g_strdup ("[{\"id\":{},\"error\":[],\"reason\":{}},{\"id\":\"doc\",\"error\":\"forbidden\",\"reason\":[]},5,[]]");
    }
  else if (g_str_equal (path, "/library/_ensure_full_commit"))
    {
      status = SOUP_STATUS_CREATED;
      body = g_strdup ("{\"ok\":[]}");
    }
  else
    {
      status = SOUP_STATUS_NOT_FOUND;
      body = g_strdup ("{\"error\":{},\"reason\":[]}");
    }

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

/* Pulling from and pushing to that peer logs no critical (fatal here),
 * ends (with a clear error or without), keeps nothing of the malformed
 * rows, and the council file stays usable. */
static void
test_replicate_hostile_peer (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GPtrArray) attachments = one_attachment ("notulen.txt", "Notulen van de wijkraad");
  g_autofree char *rev = put_doc (fixture->a, "doc", NULL, "Buurtmoestuin", attachments);
  HostilePeer peer = { rev, 0 };
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *url = NULL;

  soup_server_add_handler (server, NULL, hostile_peer_cb, &peer, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/library", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  for (BbSyncDirection direction = BB_SYNC_DIRECTION_PULL; ; direction = BB_SYNC_DIRECTION_PUSH)
    {
      g_autoptr(BbReplicator) replicator = bb_replicator_new (fixture->a, url);
      g_autoptr(GError) run_error = NULL;

      bb_replicator_set_retry (replicator, 1, 10);
      if (!run_sync (replicator, direction, NULL, &run_error))
        {
          g_test_message ("%s: %s", direction == BB_SYNC_DIRECTION_PULL ? "pull" : "push", run_error->message);
          g_assert_true (run_error->domain == BB_SYNC_ERROR || run_error->domain == BB_REPLICA_ERROR);
          g_assert_cmpstr (run_error->message, !=, "");
        }
      if (direction == BB_SYNC_DIRECTION_PUSH)
        break;
    }

  g_test_message ("%u requests", peer.requests);
  g_assert_cmpuint (peer.requests, >, 4);
  g_assert_false (doc_exists (fixture->a, "hostile-2"));
  g_assert_true (doc_exists (fixture->a, "doc"));
  soup_server_disconnect (server);
}

/* ---------------------------------------------------------------------- */
/* Peers whose changes feed never ends                                    */

typedef enum {
  LOOP_SAME,            /* the same rows and last_seq, whatever since= says */
  LOOP_ECHO_SINCE,      /* new rows, but last_seq is the since= it was given */
  LOOP_CYCLE,           /* last_seq goes 1, 2, 3, 1, 2, 3, … */
  LOOP_SAME_ROWS,       /* the same rows under a new last_seq every time */
  LOOP_EMPTY_ADVANCING, /* no rows, a new last_seq every time */
} LoopMode;

typedef struct {
  LoopMode  mode;
  guint     requests;
  guint     changes_requests;
  guint     checkpoints;      /* PUT _local */
  char     *first_since;      /* of the run's first _changes */
  char     *checkpoint;       /* the last PUT _local body */
} LoopPeer;

static char *
loop_rows (const char *prefix,
           guint       first,
           guint       n)
{
  GString *rows = g_string_new (NULL);

  for (guint i = first; i < first + n; i++)
    g_string_append_printf (rows, "%s{\"seq\":%u,\"id\":\"%s-%u\",\"changes\":[{\"rev\":\"1-%032x\"}]}",
                            i > first ? "," : "", i, prefix, i, i);
  return g_string_free (rows, FALSE);
}

static void
loop_peer_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  LoopPeer *peer = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *body = NULL;
  guint status = SOUP_STATUS_OK;

  peer->requests++;
  if (g_str_equal (path, "/"))
    body = g_strdup ("{\"couchdb\":\"Welcome\",\"uuid\":\"10000000000000000000000000000001\"}");
  else if (g_str_equal (path, "/library") || g_str_equal (path, "/library/"))
    body = g_strdup ("{\"db_name\":\"library\",\"update_seq\":0,\"instance_start_time\":\"0\"}");
  else if (g_str_has_prefix (path, "/library/_local/") && method == SOUP_METHOD_GET && peer->checkpoint != NULL)
    body = g_strdup (peer->checkpoint);
  else if (g_str_has_prefix (path, "/library/_local/") && method == SOUP_METHOD_GET)
    {
      status = SOUP_STATUS_NOT_FOUND;
      body = g_strdup ("{\"error\":\"not_found\",\"reason\":\"missing\"}");
    }
  else if (g_str_has_prefix (path, "/library/_local/"))
    {
      GBytes *request = soup_message_body_flatten (soup_server_message_get_request_body (msg));

      g_free (peer->checkpoint);
      peer->checkpoint = g_strndup (g_bytes_get_data (request, NULL), g_bytes_get_size (request));
      g_bytes_unref (request);
      peer->checkpoints++;
      status = SOUP_STATUS_CREATED;
      body = g_strdup_printf ("{\"ok\":true,\"id\":\"x\",\"rev\":\"0-%u\"}", peer->checkpoints);
    }
  else if (g_str_equal (path, "/library/_changes"))
    {
      const char *since_text = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
      guint since = since_text != NULL ? (guint) g_ascii_strtoull (since_text, NULL, 10) : 0;
      g_autofree char *rows = NULL;

      if (peer->changes_requests++ == 0)
        peer->first_since = g_strdup (since_text);
      switch (peer->mode)
        {
        case LOOP_SAME:
          rows = loop_rows ("loop", 1, 2);
          body = g_strdup_printf ("{\"results\":[%s],\"last_seq\":2}", rows);
          break;
        case LOOP_ECHO_SINCE:
          rows = loop_rows ("echo", since + 1, 2);
          body = g_strdup_printf ("{\"results\":[%s],\"last_seq\":%u}", rows, since == 0 ? 2 : since);
          break;
        case LOOP_CYCLE:
          rows = loop_rows ("cycle", since % 3 + 1, 1);
          body = g_strdup_printf ("{\"results\":[%s],\"last_seq\":%u}", rows, since % 3 + 1);
          break;
        case LOOP_SAME_ROWS:
          rows = loop_rows ("same", 1, 2);
          body = g_strdup_printf ("{\"results\":[%s],\"last_seq\":%u}", rows, since + 2);
          break;
        case LOOP_EMPTY_ADVANCING:
        default:
          body = g_strdup_printf ("{\"results\":[],\"last_seq\":%u}", since + 7);
          break;
        }
    }
  else if (g_str_equal (path, "/library/_bulk_get"))
    {
      GBytes *request = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (request, NULL), NULL);
      JsonArray *docs = json_object_get_array_member (json_node_get_object (node), "docs");
      GString *results = g_string_new ("{\"results\":[");

      for (guint i = 0; i < json_array_get_length (docs); i++)
        {
          JsonObject *entry = json_array_get_object_element (docs, i);
          const char *id = json_object_get_string_member (entry, "id");
          const char *rev = json_object_get_string_member (entry, "rev");

          g_string_append_printf (results, "%s{\"id\":\"%s\",\"docs\":[{\"ok\":{\"_id\":\"%s\",\"_rev\":\"%s\","
                                  "\"_revisions\":{\"start\":1,\"ids\":[\"%s\"]},\"title\":\"%s\"}}]}",
                                  i > 0 ? "," : "", id, id, rev, rev + 2, id);
        }
      g_string_append (results, "]}");
      body = g_string_free (results, FALSE);
      g_bytes_unref (request);
    }
  else
    {
      status = SOUP_STATUS_NOT_FOUND;
      body = g_strdup ("{\"error\":\"not_found\",\"reason\":\"missing\"}");
    }

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static char *
listen_loop_peer (SoupServer *server,
                  LoopPeer   *peer)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *url;

  soup_server_add_handler (server, NULL, loop_peer_cb, peer, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/library", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

/* A peer whose feed does not move on stops the pull within a few
 * requests with a clear error; the batches before the repeat are
 * stored and checkpointed, so the next run starts after them. */
static void
test_replicate_endless_feed (Fixture       *fixture,
                             gconstpointer  user_data)
{
  static const struct {
    LoopMode    mode;
    const char *stored;       /* a document the first batch brought */
    const char *resume_since; /* where the next run starts */
  } cases[] = {
    { LOOP_SAME, "loop-1", "2" },
    { LOOP_ECHO_SINCE, "echo-2", "2" },
    { LOOP_CYCLE, "cycle-3", "3" },
    { LOOP_SAME_ROWS, "same-2", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      LoopPeer peer = { cases[i].mode, 0, 0, 0, NULL, NULL };
      g_autofree char *url = listen_loop_peer (server, &peer);
      g_autoptr(BbReplicator) replicator = bb_replicator_new (fixture->a, url);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) log = NULL;

      bb_replicator_set_retry (replicator, 1, 10);
      g_assert_false (run_sync (replicator, BB_SYNC_DIRECTION_PULL, NULL, &error));
      g_test_message ("mode %u: %s after %u requests", cases[i].mode, error->message, peer.requests);
      g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, "same changes"));
      g_assert_cmpuint (peer.changes_requests, <=, 8);
      g_assert_true (doc_exists (fixture->a, cases[i].stored));

      /* The log says why */
      log = bb_sync_log_list (fixture->a, url, 1, NULL);
      g_assert_cmpuint (log->len, ==, 1);
      g_assert_cmpstr (((BbSyncLogEntry *) g_ptr_array_index (log, 0))->status, !=, "ok");

      /* The next run starts after what was stored, and stops again */
      g_clear_error (&error);
      g_clear_pointer (&peer.first_since, g_free);
      peer.changes_requests = 0;
      g_assert_false (run_sync (replicator, BB_SYNC_DIRECTION_PULL, NULL, &error));
      g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_PROTOCOL);
      if (cases[i].resume_since != NULL)
        g_assert_cmpstr (peer.first_since, ==, cases[i].resume_since);
      else
        g_assert_cmpstr (peer.first_since, !=, "0");
      g_assert_cmpuint (peer.changes_requests, <=, 8);

      g_free (peer.first_since);
      g_free (peer.checkpoint);
      soup_server_disconnect (server);
    }
}

/* An empty feed is the end of it (CouchDB's normal feed), whatever
 * last_seq it names: one _changes, and that seq is where the next run
 * starts. */
static void
test_replicate_empty_feed (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  LoopPeer peer = { LOOP_EMPTY_ADVANCING, 0, 0, 0, NULL, NULL };
  g_autofree char *url = listen_loop_peer (server, &peer);
  g_autoptr(BbReplicator) replicator = bb_replicator_new (fixture->a, url);
  g_autoptr(GError) error = NULL;

  bb_replicator_set_retry (replicator, 1, 10);
  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_PULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (peer.changes_requests, ==, 1);
  g_assert_cmpstr (bb_replicator_get_stats (replicator, FALSE)->last_seq, ==, "7");

  g_clear_pointer (&peer.first_since, g_free);
  peer.changes_requests = 0;
  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_PULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (peer.changes_requests, ==, 1);
  g_assert_cmpstr (peer.first_since, ==, "7");

  g_free (peer.first_since);
  g_free (peer.checkpoint);
  soup_server_disconnect (server);
}

/* ---------------------------------------------------------------------- */
/* Open files                                                             */

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

typedef struct {
  guint max_fds;
} FdWatch;

static void
on_fd_progress_cb (BbReplicator *replicator,
                   gint64        done,
                   gint64        total,
                   gpointer      user_data)
{
  FdWatch *watch = user_data;

  watch->max_fds = MAX (watch->max_fds, count_open_fds ());
}

/* A long pipelined pull keeps a few connections open, not one per
 * request (libsoup opened a new one for every POST), and 50 more runs
 * of the same replicator leave no sockets behind. */
static void
test_replicate_open_files (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(BbReplicator) replicator = replicator_to_b (fixture);
  g_autoptr(GError) error = NULL;
  FdWatch watch = { 0 };
  gulong handler;
  guint before;
  guint after_first;
  gint64 count = 0;
  gint64 deleted = 0;
  const guint n = 400;

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no /proc/self/fd");
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("doc-%03u", i);
      g_autofree char *rev = put_doc (fixture->b, id, NULL, id, NULL);
    }

  before = count_open_fds ();
  bb_replicator_set_batch_size (replicator, 4);
  handler = g_signal_connect (replicator, "progress", G_CALLBACK (on_fd_progress_cb), &watch);
  g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_PULL, NULL, &error));
  g_assert_no_error (error);
  g_signal_handler_disconnect (replicator, handler);
  g_assert_true (bb_replica_get_doc_count (fixture->a, &count, &deleted, NULL));
  g_assert_cmpint (count, ==, n);
  after_first = count_open_fds ();
  g_test_message ("fds: %u before, at most %u during 100 batches, %u after", before, watch.max_fds, after_first);
  /* Both ends of a few connections, and the council files' journals */
  g_assert_cmpuint (watch.max_fds, <=, before + 2 * 8 + 4);
  g_assert_cmpuint (after_first, <=, before + 2 * 8 + 4);

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *id = g_strdup_printf ("later-%02u", i);
      g_autofree char *rev = put_doc (fixture->b, id, NULL, id, NULL);

      g_assert_true (run_sync (replicator, BB_SYNC_DIRECTION_BOTH, NULL, &error));
      g_assert_no_error (error);
    }
  g_test_message ("fds after 50 more runs: %u", count_open_fds ());
  g_assert_cmpuint (count_open_fds (), <=, after_first + 4);
  g_assert_true (bb_replica_get_doc_count (fixture->a, &count, &deleted, NULL));
  g_assert_cmpint (count, ==, n + 50);
}

/* Reads one answer with a Content-Length off a keep-alive connection. */
static char *
raw_read_answer (GSocketConnection *connection)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) text = g_string_new (NULL);
  const char *end = NULL;
  gsize want = G_MAXSIZE;
  char buffer[4096];

  while (text->len < want)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (text, buffer, n);
      if (end == NULL && (end = strstr (text->str, "\r\n\r\n")) != NULL)
        {
          const char *length = strstr (text->str, "Content-Length: ");

          g_assert_true (length != NULL && length < end);
          want = (gsize) (end + 4 - text->str) + g_ascii_strtoull (length + 16, NULL, 10);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define KEEP_ALIVE_REQUEST "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n"

/* 200 clients that each ask one thing on a keep-alive connection and
 * leave without a word; every fourth leaves in the middle of its next
 * request, every fourth before asking anything. */
static gpointer
short_clients_thread (gpointer data)
{
  RawClients *clients = data;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GSocketConnection) connection = raw_connect (clients->port);

      if (i % 4 != 3)
        {
          g_autofree char *answer = NULL;

          raw_send (connection, KEEP_ALIVE_REQUEST);
          answer = raw_read_answer (connection);
          g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200 "));
        }
      if (i % 4 == 2)
        raw_send (connection, "GET /library HTTP/1.1\r\nHo");
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  g_atomic_int_set (&clients->done, TRUE);
  return NULL;
}

static void
wait_for_fds (guint   at_most,
              gint64  seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (count_open_fds () > at_most && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* An always-on endpoint does not pile up sockets: the connections of
 * clients that came and went are closed on the serving side too (libsoup
 * 3.2 left a keep-alive connection the client closed in CLOSE-WAIT). */
static void
test_server_open_files (Fixture       *fixture,
                        gconstpointer  user_data)
{
  RawClients clients = { bb_sync_server_get_port (fixture->server), 0, NULL, NULL, FALSE };
  guint before;

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no /proc/self/fd");
      return;
    }

  /* The fixture's session opens its connection now, not in between */
  g_clear_object (&fixture->session);
  fixture->session = soup_session_new ();
  {
    g_autoptr(Reply) welcome = request (fixture, "GET", "/", NULL);
    g_assert_cmpuint (welcome->status, ==, 200);
  }
  before = count_open_fds ();

  run_raw_clients (short_clients_thread, &clients);
  wait_for_fds (before + 2, 5);
  g_test_message ("fds: %u before, %u after 200 raw clients", before, count_open_fds ());
  g_assert_cmpuint (count_open_fds (), <=, before + 2);

  /* Nothing left polling a closed socket: the main loop is quiet */
  {
    guint busy = 0;

    for (guint i = 0; i < 100; i++)
      {
        busy += g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    g_assert_cmpuint (busy, <, 10);
  }

  /* Clients with a session of their own each, as a scheduler's runs */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autoptr(Reply) welcome = NULL;

      g_clear_object (&fixture->session);
      fixture->session = g_object_ref (session);
      welcome = request (fixture, "GET", "/", NULL);
      g_assert_cmpuint (welcome->status, ==, 200);
      g_clear_object (&fixture->session);
    }
  fixture->session = soup_session_new ();
  wait_for_fds (before + 2, 5);
  g_test_message ("fds: %u after 20 sessions came and went", count_open_fds ());
  g_assert_cmpuint (count_open_fds (), <=, before + 2);

  /* And it still serves, within its connection limit */
  {
    g_autoptr(Reply) welcome = request (fixture, "GET", "/", NULL);
    g_assert_cmpuint (welcome->status, ==, 200);
  }
}

static void
test_replication_id (void)
{
  g_autofree char *a = bb_sync_replication_id ("aaaa", "bbbb", "library", FALSE);
  g_autofree char *b = bb_sync_replication_id ("aaaa", "bbbb", "library", FALSE);
  g_autofree char *push = bb_sync_replication_id ("aaaa", "bbbb", "library", TRUE);
  g_autofree char *other = bb_sync_replication_id ("aaaa", "cccc", "library", FALSE);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, push);
  g_assert_cmpstr (a, !=, other);
  g_assert_cmpuint (strlen (a), ==, 32);
}

static void
test_peers (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Regio Oost", "https://hub.example.nl/regio-oost");
  g_autoptr(BbSyncPeer) bad = bb_sync_peer_new ("Fout", "hub.example.nl");
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_sync_peers_save (fixture->a, bad, &error));
  g_assert_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID);
  g_clear_error (&error);

  peer->direction = BB_SYNC_DIRECTION_PULL;
  g_assert_true (bb_sync_peers_save (fixture->a, peer, &error));
  g_assert_no_error (error);
  peers = bb_sync_peers_list (fixture->a, &error);
  g_assert_cmpuint (peers->len, ==, 1);
  g_assert_cmpint (((BbSyncPeer *) g_ptr_array_index (peers, 0))->direction, ==, BB_SYNC_DIRECTION_PULL);
  g_assert_null (((BbSyncPeer *) g_ptr_array_index (peers, 0))->password);
  g_assert_true (bb_sync_peers_remove (fixture->a, peer->id, &error));
}


typedef struct {
  guint    finished;
  gboolean ok;
  gboolean needs_credentials;
} SchedulerWait;

static void
on_scheduler_finished_cb (BbSyncScheduler *scheduler,
                          const char      *url,
                          gboolean         ok,
                          gboolean         needs_credentials,
                          const char      *message,
                          gpointer         user_data)
{
  SchedulerWait *wait = user_data;

  wait->finished++;
  wait->ok = ok;
  wait->needs_credentials = needs_credentials;
}

/* A refused peer is not retried on the schedule until the user acts. */
static void
test_scheduler (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(BbSyncScheduler) scheduler = bb_sync_scheduler_new (fixture->a);
  g_autofree char *url = g_strdup_printf ("%s/library", fixture->base);
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Zuid", url);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = put_doc (fixture->b, "from-b", NULL, "Sinterklaas", NULL);
  SchedulerWait wait = { 0 };

  g_signal_connect (scheduler, "finished", G_CALLBACK (on_scheduler_finished_cb), &wait);
  g_assert_true (bb_sync_peers_save (fixture->a, peer, &error));
  g_assert_no_error (error);

  bb_sync_server_set_credentials (fixture->server, NULL, "geheim");
  bb_sync_scheduler_sync_all (scheduler);
  while (wait.finished < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wait.ok);
  g_assert_true (wait.needs_credentials);

  bb_sync_scheduler_sync_all (scheduler);
  g_assert_null (bb_sync_scheduler_get_current (scheduler));

  /* Sync now, with the password the user typed */
  bb_sync_scheduler_sync_peer (scheduler, peer, "geheim");
  while (wait.finished < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wait.ok);
  {
    g_autofree char *pulled = bb_replica_get_winning_rev (fixture->a, "from-b", NULL, NULL);

    g_assert_nonnull (pulled);
  }
  bb_sync_scheduler_stop (scheduler);
}

static void
on_backoff_finished_cb (BbSyncScheduler *scheduler,
                        const char      *url,
                        gboolean         ok,
                        gboolean         needs_credentials,
                        const char      *message,
                        gpointer         user_data)
{
  GArray *times = user_data;
  gint64 now = g_get_monotonic_time ();

  g_test_message ("finished %s ok=%d: %s", url, ok, message);
  g_assert_false (ok);
  g_array_append_val (times, now);
}

/* An automatic peer that fails is tried again after the first retry
 * delay, then after twice that, and not at all once stopped. */
static void
test_scheduler_backoff (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(BbSyncScheduler) scheduler = bb_sync_scheduler_new (fixture->a);
  /* No such database, and it cannot be made: every run fails at once */
  g_autofree char *url = g_strdup_printf ("%s/geen-bibliotheek", fixture->base);
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Zuid", url);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 first_gap, second_gap, end;

  g_assert_true (bb_sync_peers_save (fixture->a, peer, &error));
  g_assert_no_error (error);
  g_signal_connect (scheduler, "finished", G_CALLBACK (on_backoff_finished_cb), times);
  bb_sync_scheduler_set_first_retry (scheduler, 200);
  bb_sync_scheduler_start (scheduler);

  while (times->len < 3)
    g_main_context_iteration (NULL, TRUE);
  first_gap = g_array_index (times, gint64, 1) - g_array_index (times, gint64, 0);
  second_gap = g_array_index (times, gint64, 2) - g_array_index (times, gint64, 1);
  g_test_message ("gaps %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT " us", first_gap, second_gap);
  g_assert_cmpint (first_gap, >=, 200 * 1000);
  g_assert_cmpint (second_gap, >=, 400 * 1000);
  g_assert_cmpint (second_gap, <, 10 * G_USEC_PER_SEC);

  bb_sync_scheduler_stop (scheduler);
  end = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (times->len, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  /* GLib's plain monitor says "online", whatever this machine's routes */
  g_setenv ("GIO_USE_NETWORK_MONITOR", "base", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/sync/replication-id", test_replication_id);
#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/bb/sync/server/welcome", test_server_welcome);
  ADD ("/bb/sync/server/documents", test_server_documents);
  ADD ("/bb/sync/server/open-revs-multipart", test_server_open_revs_multipart);
  ADD ("/bb/sync/server/replication-endpoints", test_server_replication_endpoints);
  ADD ("/bb/sync/server/longpoll", test_server_longpoll);
  ADD ("/bb/sync/server/continuous", test_server_continuous);
  ADD ("/bb/sync/server/hostile", test_server_hostile);
  ADD ("/bb/sync/server/wrong-types", test_server_wrong_types);
  ADD ("/bb/sync/server/document-size", test_server_document_size);
  ADD ("/bb/sync/server/credentials", test_server_credentials);
  ADD ("/bb/sync/server/slow-client", test_server_slow_client);
  ADD ("/bb/sync/server/connection-limit", test_server_connection_limit);
  ADD ("/bb/sync/replicate/both-ways", test_replicate_both_ways);
  ADD ("/bb/sync/replicate/interrupted", test_replicate_interrupted);
  ADD ("/bb/sync/replicate/cancel-pipelined", test_replicate_cancel_pipelined);
  ADD ("/bb/sync/replicate/source-gone", test_replicate_source_gone);
  ADD ("/bb/sync/replicate/credentials", test_replicate_credentials);
  ADD ("/bb/sync/replicate/unreachable", test_replicate_unreachable);
  ADD ("/bb/sync/replicate/hostile-peer", test_replicate_hostile_peer);
  ADD ("/bb/sync/replicate/endless-feed", test_replicate_endless_feed);
  ADD ("/bb/sync/replicate/empty-feed", test_replicate_empty_feed);
  ADD ("/bb/sync/replicate/open-files", test_replicate_open_files);
  ADD ("/bb/sync/server/open-files", test_server_open_files);
  ADD ("/bb/sync/peers", test_peers);
  ADD ("/bb/sync/scheduler", test_scheduler);
  ADD ("/bb/sync/scheduler/backoff", test_scheduler_backoff);
#undef ADD

  return g_test_run ();
}
