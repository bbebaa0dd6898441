/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The peer endpoint. Every path is checked segment by segment on its
 * decoded form (never decoded twice), so "..", a control character or a
 * name other than "library" never reaches the store; and the store is
 * only ever asked through bb-replica.h, which knows no other table. */

#include "config.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "bb-library.h"
#include "bb-replica.h"
#include "bb-sync.h"
#include "bb-sync-replies.h"
#include "bb-sync-server.h"
#include "bb-sync-server-private.h"

#define CLIENT_MEMORY_SECONDS (10 * 60)

struct _BbSyncServer
{
  GObject     parent_instance;

  BbStore    *store;
  SoupServer *server;
  char       *user;
  char       *password;
  gboolean    read_only;
  gboolean    listening;
  GTlsCertificate *tls_certificate;   /* nullable: plain http */

  GList      *longpolls;     /* Longpoll*, waiting for a change */
  gulong      changed_handler;
  GHashTable *clients;       /* address → gint64 monotonic time seen */

  guint       max_connections;
  guint       timeout;       /* seconds */
  GHashTable *connections;   /* the current SoupServerMessage of each open
                              * connection: libsoup starts one on accept and
                              * the next after each answer, and ends it when
                              * the answer is sent or the client goes */
  GHashTable *idle;          /* GSocket → IdleConnection: kept-alive
                              * connections between two requests */
};

G_DEFINE_FINAL_TYPE (BbSyncServer, bb_sync_server, G_TYPE_OBJECT)

enum {
  SIGNAL_CLIENTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_MAX_CONNECTIONS,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum {
  FEED_NORMAL,
  FEED_LONGPOLL,
  FEED_CONTINUOUS,
} Feed;

typedef struct {
  gint64                 since;
  gint64                 limit;      /* < 0: none */
  BbReplicaChangesFlags  flags;
  Feed                   feed;
  guint                  timeout_ms;
  guint                  heartbeat_ms;  /* 0: none */
  GStrv                  doc_ids;    /* nullable */
  gboolean               descending;
} ChangesQuery;

/* A longpoll waiting for a change, or a live continuous feed (which
 * counts against the same limit). */
typedef struct {
  BbSyncServer      *self;
  SoupServerMessage *msg;
  ChangesQuery       query;
  guint              timeout_id;
  gulong             finished_handler;
  guint              heartbeat_id;   /* continuous: a blank line each time */
  gint64             sent;           /* continuous: rows sent so far */
} Longpoll;

/* The shortest heartbeat a client may ask for, in milliseconds */
#define MIN_HEARTBEAT 50

/* ---------------------------------------------------------------------- */
/* Replies                                                                */

/* The quality the request's @header (Accept, Accept-Encoding) gives
 * @type (exactly, not through a wildcard): -1 when it is not listed. */
static double
header_quality (SoupServerMessage *msg,
                const char        *header,
                const char        *type)
{
  const char *value = soup_message_headers_get_list (soup_server_message_get_request_headers (msg), header);
  GSList *items;
  double quality = -1;

  if (value == NULL)
    return -1;
  items = soup_header_parse_list (value);
  for (GSList *l = items; l != NULL; l = l->next)
    {
      const char *item = l->data;
      const char *semicolon = strchr (item, ';');
      g_autofree char *media = g_strstrip (g_strndup (item, semicolon != NULL ? (gsize) (semicolon - item)
                                                                             : strlen (item)));
      double q = 1;

      if (g_ascii_strcasecmp (media, type) != 0)
        continue;
      if (semicolon != NULL)
        {
          GHashTable *params = soup_header_parse_semi_param_list (semicolon + 1);
          const char *text = g_hash_table_lookup (params, "q");

          /* A malformed or NaN quality counts as 0 (not acceptable) */
          if (text != NULL)
            {
              q = g_ascii_strtod (text, NULL);
              q = q > 0 ? MIN (q, 1) : 0;
            }
          soup_header_free_param_list (params);
        }
      quality = MAX (quality, q);
    }
  soup_header_free_list (items);
  return quality;
}

static gboolean
accepts (SoupServerMessage *msg,
         const char        *header,
         const char        *token)
{
  return header_quality (msg, header, token) > 0;
}

static void
reply_bytes (SoupServerMessage *msg,
             guint              status,
             const char        *content_type,
             const void        *data,
             gsize              length)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "must-revalidate");

  /* pouchdb-server does the same; libsoup clients and browsers inflate it */
  if (length > 1024 && accepts (msg, "Accept-Encoding", "gzip"))
    {
      g_autoptr(GBytes) packed = bb_sync_gzip (data, length);

      if (packed != NULL)
        {
          gsize packed_length;
          const void *packed_data = g_bytes_get_data (packed, &packed_length);

          soup_message_headers_replace (headers, "Content-Encoding", "gzip");
          soup_message_headers_replace (headers, "Vary", "Accept-Encoding");
          soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                            packed_data, packed_length);
          return;
        }
    }

  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, length);
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  g_autofree char *text = NULL;
  gsize length;
  /* As CouchDB: JSON is application/json only for a client that asks */
  const char *type = accepts (msg, "Accept", "application/json")
                     ? "application/json" : "text/plain; charset=utf-8";

  text = bb_sync_to_json (node, &length);
  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, status, NULL);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), type, NULL);
      return;
    }
  reply_bytes (msg, status, type, text, length);
}

static void
reply_object (SoupServerMessage *msg,
              guint              status,
              JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  reply_json (msg, status, node);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *error_word,
             const char        *reason)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error_word);
  json_object_set_string_member (object, "reason", reason);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Basic realm=\"Buurtboek\"");
  reply_object (msg, status, object);
}

/* CouchDB's replicator asks for an open_revs GET with "Accept:
 * multipart/mixed" only; PouchDB asks for application/json. A tie goes
 * to multipart, as CouchDB decides. */
static gboolean
wants_multipart_mixed (SoupServerMessage *msg)
{
  double multipart = header_quality (msg, "Accept", "multipart/mixed");

  return multipart > 0 && multipart >= header_quality (msg, "Accept", "application/json");
}

/* An open_revs answer as CouchDB sends it to its replicator: one
 * application/json part per element, the document itself for {"ok":doc}
 * (attachments inline), else the element ({"missing":rev}). */
static void
reply_open_revs_multipart (SoupServerMessage *msg,
                           JsonArray         *found)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *boundary = NULL;
  g_autofree char *content_type = NULL;
  gboolean clash;

  for (guint i = 0; i < json_array_get_length (found); i++)
    {
      JsonObject *element = json_array_get_object_element (found, i);
      JsonNode *node = json_object_has_member (element, "ok")
                       ? json_object_get_member (element, "ok")
                       : json_array_get_element (found, i);

      g_ptr_array_add (parts, bb_sync_to_json (node, NULL));
    }

  /* A random boundary that no part contains (a document could quote one) */
  do
    {
      g_free (boundary);
      boundary = g_uuid_string_random ();
      clash = FALSE;
      for (guint i = 0; i < parts->len && !clash; i++)
        clash = strstr (g_ptr_array_index (parts, i), boundary) != NULL;
    }
  while (clash);

  for (guint i = 0; i < parts->len; i++)
    g_string_append_printf (body, "--%s\r\nContent-Type: application/json\r\n\r\n%s\r\n",
                            boundary, (const char *) g_ptr_array_index (parts, i));
  g_string_append_printf (body, "--%s--\r\n", boundary);

  content_type = g_strdup_printf ("multipart/mixed; boundary=\"%s\"", boundary);
  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Type", content_type);
      return;
    }
  reply_bytes (msg, SOUP_STATUS_OK, content_type, body->str, body->len);
}

static void
reply_method_not_allowed (SoupServerMessage *msg,
                          const char        *allowed)
{
  g_autofree char *reason = g_strdup_printf ("Only %s allowed", allowed);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed);
  reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", reason);
}

/* What a handler of a request body answers, apart from the message, so
 * that the decoding can be driven without a connection
 * (bb-sync-server-private.h, tests/fuzz/fuzz-server.c). */
typedef struct {
  guint     status;
  JsonNode *json;
} Answer;

/* @json: (transfer full) */
static void
answer_node (Answer   *answer,
             guint     status,
             JsonNode *json)
{
  g_clear_pointer (&answer->json, json_node_unref);
  answer->status = status;
  answer->json = json;
}

static void
answer_object (Answer     *answer,
               guint       status,
               JsonObject *object)
{
  answer_node (answer, status, json_node_init_object (json_node_alloc (), object));
}

static void
answer_error (Answer     *answer,
              guint       status,
              const char *error_word,
              const char *reason)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error_word);
  json_object_set_string_member (object, "reason", reason);
  answer_object (answer, status, object);
}

/* A store error as CouchDB would answer it. */
static void
answer_gerror (Answer       *answer,
               const GError *error)
{
  if (error->domain == BB_REPLICA_ERROR)
    {
      switch ((BbReplicaError) error->code)
        {
        case BB_REPLICA_ERROR_NOT_FOUND:
          answer_error (answer, SOUP_STATUS_NOT_FOUND, "not_found", "missing");
          return;
        case BB_REPLICA_ERROR_CONFLICT:
          answer_error (answer, SOUP_STATUS_CONFLICT, "conflict", "Document update conflict.");
          return;
        case BB_REPLICA_ERROR_BAD_REQUEST:
          answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
          return;
        case BB_REPLICA_ERROR_MISSING_STUB:
          answer_error (answer, SOUP_STATUS_PRECONDITION_FAILED, "missing_stub", error->message);
          return;
        case BB_REPLICA_ERROR_FAILED:
        default:
          break;
        }
    }
  else if (g_error_matches (error, BB_STORE_ERROR, BB_STORE_ERROR_READ_ONLY))
    {
      answer_error (answer, SOUP_STATUS_FORBIDDEN, "forbidden", error->message);
      return;
    }
  else if (error->domain == BB_SYNC_ERROR)
    {
      answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
      return;
    }

  g_warning ("Sync server: %s", error->message);
  answer_error (answer, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_server_error", error->message);
}

static void
send_answer (SoupServerMessage *msg,
             Answer            *answer)
{
  reply_json (msg, answer->status, answer->json);
  g_clear_pointer (&answer->json, json_node_unref);
}

static void
reply_gerror (SoupServerMessage *msg,
              const GError      *error)
{
  Answer answer = { 0, NULL };

  answer_gerror (&answer, error);
  send_answer (msg, &answer);
}

/* ---------------------------------------------------------------------- */
/* Requests                                                               */

static const char *
query_get (GHashTable *query,
           const char *key)
{
  return query != NULL ? g_hash_table_lookup (query, key) : NULL;
}

static gboolean
query_bool (GHashTable *query,
            const char *key,
            gboolean   *out_value,
            GError    **error)
{
  const char *value = query_get (query, key);

  *out_value = FALSE;
  if (value == NULL || g_str_equal (value, "false"))
    return TRUE;
  if (g_str_equal (value, "true"))
    {
      *out_value = TRUE;
      return TRUE;
    }

  g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
               "Invalid boolean parameter: %s", key);
  return FALSE;
}

/* Opaque for clients; ours are integers, perhaps sent back in quotes. */
static gboolean
parse_seq (const char *text,
           gint64     *out_seq,
           GError    **error)
{
  g_autofree char *bare = NULL;
  guint64 value;

  if (text == NULL)
    {
      *out_seq = 0;
      return TRUE;
    }

  bare = g_strdup (text);
  if (bare[0] == '"' && strlen (bare) >= 2 && bare[strlen (bare) - 1] == '"')
    {
      bare[strlen (bare) - 1] = '\0';
      memmove (bare, bare + 1, strlen (bare));
    }

  if (!g_ascii_string_to_unsigned (bare, 10, 0, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   "Malformed sequence: %s", text);
      return FALSE;
    }

  *out_seq = (gint64) value;
  return TRUE;
}

static gboolean
query_uint (GHashTable *query,
            const char *key,
            gint64      fallback,
            gint64     *out_value,
            GError    **error)
{
  const char *value = query_get (query, key);
  guint64 number;

  *out_value = fallback;
  if (value == NULL)
    return TRUE;

  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &number, NULL))
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   "Invalid %s parameter", key);
      return FALSE;
    }

  *out_value = (gint64) number;
  return TRUE;
}

/* The request body as JSON: at most BB_SYNC_SERVER_MAX_BODY (also after
 * inflating a gzip body), application/json or untyped. */
static JsonNode *
read_json_body (SoupServerMessage *msg,
                guint             *out_status,
                const char       **out_error_word,
                GError           **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize length;

  *out_status = SOUP_STATUS_BAD_REQUEST;
  *out_error_word = "bad_request";

  if (type != NULL && g_ascii_strcasecmp (type, "application/json") != 0 &&
      g_ascii_strcasecmp (type, "text/plain") != 0)
    {
      *out_status = SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
      *out_error_word = "bad_content_type";
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   "Content-Type must be application/json");
      return NULL;
    }

  bytes = soup_message_body_flatten (body);
  if (g_bytes_get_size (bytes) > BB_SYNC_SERVER_MAX_BODY)
    {
      *out_status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      *out_error_word = "too_large";
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID, "The request body is too large");
      return NULL;
    }

  if (encoding != NULL && g_ascii_strcasecmp (encoding, "gzip") == 0)
    {
      g_autoptr(GBytes) inflated = bb_sync_gunzip (bytes, BB_SYNC_SERVER_MAX_BODY, error);

      if (inflated == NULL)
        {
          *out_status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
          *out_error_word = "too_large";
          return NULL;
        }
      g_bytes_unref (bytes);
      bytes = g_steal_pointer (&inflated);
    }
  else if (encoding != NULL && g_ascii_strcasecmp (encoding, "identity") != 0)
    {
      *out_status = SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
      *out_error_word = "bad_content_type";
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   "Unsupported Content-Encoding");
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  return bb_sync_parse_json (data != NULL ? data : "", length, error);
}

/* Reads the body as a JSON object, or replies with the error. */
static JsonObject *
read_object_body (SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *error_word;
  guint status;

  node = read_json_body (msg, &status, &error_word, &error);
  if (node == NULL)
    {
      reply_error (msg, status, error_word, error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "Request body must be a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (node));
}

/* Strings only, at most BB_SYNC_SERVER_MAX_DOCS of them. */
static GStrv
string_array (JsonNode    *node,
              const char  *what,
              GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    goto bad;

  array = json_node_get_array (node);
  if (json_array_get_length (array) > BB_SYNC_SERVER_MAX_DOCS)
    goto bad;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        goto bad;
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);

bad:
  g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
               "%s must be an array of at most %d strings", what, BB_SYNC_SERVER_MAX_DOCS);
  return NULL;
}

static GStrv
string_array_from_text (const char  *text,
                        const char  *what,
                        GError     **error)
{
  g_autoptr(JsonNode) node = bb_sync_parse_json (text, strlen (text), error);

  if (node == NULL)
    return NULL;
  return string_array (node, what, error);
}

static gboolean
check_credentials (BbSyncServer      *self,
                   SoupServerMessage *msg)
{
  const char *header;
  g_autofree guchar *decoded = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *given = NULL;
  gsize decoded_length;
  gsize n;
  guchar diff = 0;

  if (self->password == NULL)
    return TRUE;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return FALSE;

  decoded = g_base64_decode (header + 6, &decoded_length);
  given = g_strndup ((const char *) decoded, decoded_length);
  expected = g_strdup_printf ("%s:%s", self->user, self->password);

  /* Compare in constant time, so a client cannot guess letter by letter */
  n = MAX (strlen (expected), strlen (given));
  diff = strlen (expected) != strlen (given);
  for (gsize i = 0; i < n; i++)
    diff |= (guchar) (i < strlen (expected) ? expected[i] : 0) ^
            (guchar) (i < strlen (given) ? given[i] : 0);

  return diff == 0;
}

static void
remember_client (BbSyncServer      *self,
                 SoupServerMessage *msg)
{
  const char *host = soup_server_message_get_remote_host (msg);
  gboolean is_new;

  if (host == NULL)
    return;

  is_new = !g_hash_table_contains (self->clients, host);
  if (!is_new && g_hash_table_size (self->clients) >= 256)
    return;
  if (is_new && g_hash_table_size (self->clients) >= 256)
    g_hash_table_remove_all (self->clients);

  g_hash_table_insert (self->clients, g_strdup (host),
                       GINT_TO_POINTER (g_get_monotonic_time () / G_USEC_PER_SEC));
  if (is_new)
    g_signal_emit (self, signals[SIGNAL_CLIENTS_CHANGED], 0);
}

/* Before the body is read: refuse strangers and oversized bodies without
 * reading what they send. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  BbSyncServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  /* libsoup closes when asked to but does not say so (RFC 9112 9.6 says it
   * should): Node's keep-alive agent, under PouchDB's node-fetch, would send
   * the next request on the socket libsoup closed */
  if (soup_message_headers_header_contains (headers, "Connection", "close"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");

  if (g_object_get_data (G_OBJECT (msg), "bb-over-limit") != NULL)
    {
      SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

      soup_message_headers_replace (response, "Retry-After", "10");
      soup_message_headers_replace (response, "Connection", "close");
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "service_unavailable",
                   "Too many connections; try again later");
      return;
    }

  if (!check_credentials (self, msg))
    {
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                   "Name or password is incorrect.");
      return;
    }

  if (length > BB_SYNC_SERVER_MAX_BODY)
    {
      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                   "The request body is too large");
      return;
    }

  remember_client (self, msg);
}

/* ---------------------------------------------------------------------- */
/* Connections and slow clients                                           */

/* SoupServer (libsoup 3) has neither a connection limit nor a timeout:
 * every request starts with "request-started" on a blank message, so the
 * connection is counted there, and a deadline runs until the whole request
 * is read ("got-body"). A client past its deadline has its socket shut
 * down; libsoup then reads the end of the stream and drops the message
 * before any handler, so nothing it sent reaches the store. */

typedef struct {
  GSocket *socket;
  guint    source_id;
} Deadline;

static void
deadline_free (gpointer data)
{
  Deadline *deadline = data;

  g_clear_handle_id (&deadline->source_id, g_source_remove);
  g_object_unref (deadline->socket);
  g_free (deadline);
}

static gboolean
on_deadline_cb (gpointer user_data)
{
  Deadline *deadline = user_data;

  deadline->source_id = 0;
  g_debug ("Cutting off a client that was too slow to send its request");
  g_socket_shutdown (deadline->socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_request_got_body_cb (SoupServerMessage *msg,
                        gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "bb-deadline", NULL);
}

/* Ties a counted message to the server without keeping either alive. */
typedef struct {
  GWeakRef           server;
  SoupServerMessage *msg;
} CountedMessage;

static void
counted_message_free (gpointer data)
{
  CountedMessage *counted = data;
  g_autoptr(BbSyncServer) self = g_weak_ref_get (&counted->server);

  if (self != NULL)
    g_hash_table_remove (self->connections, counted->msg);
  g_weak_ref_clear (&counted->server);
  g_free (counted);
}

/* TRUE when there was room for @msg's connection. A connection counts
 * from the message libsoup starts on it until that message is finished,
 * aborted or freed (a message that never got a request line, on a
 * connection the client closed, is only freed); polling the sockets for
 * "closed" missed connections the client had already closed. */
static gboolean
count_connection (BbSyncServer      *self,
                  SoupServerMessage *msg)
{
  CountedMessage *counted;

  if (g_hash_table_size (self->connections) >= self->max_connections)
    return FALSE;

  g_hash_table_add (self->connections, msg);
  counted = g_new0 (CountedMessage, 1);
  g_weak_ref_init (&counted->server, self);
  counted->msg = msg;
  g_object_set_data_full (G_OBJECT (msg), "bb-counted", counted, counted_message_free);
  return TRUE;
}

/* Idle connections. libsoup 3.2 keeps a connection open after an answer
 * for the client's next request, but never notices when the client closes
 * it in between: the socket stays in CLOSE-WAIT for good and an always-on
 * endpoint runs out of file descriptors. So between two requests the
 * server watches each kept-alive socket itself, and closes it when the
 * client has gone (end of stream or an error) or when it stays idle for
 * the timeout. Bytes that never become a request (a TLS close_notify, or
 * junk) fall to the same timeout. */

typedef struct {
  GSocket *socket;
  GSource *watch;
  guint    timeout_id;
} IdleConnection;

static void
idle_connection_free (gpointer data)
{
  IdleConnection *idle = data;

  if (idle->watch != NULL)
    {
      g_source_destroy (idle->watch);
      g_source_unref (idle->watch);
    }
  g_clear_handle_id (&idle->timeout_id, g_source_remove);
  g_object_unref (idle->socket);
  g_free (idle);
}

/* The fd goes at once; libsoup, which no longer reads this socket, only
 * frees its own objects when the server disconnects or is freed. */
static void
close_idle_connection (BbSyncServer *self,
                       GSocket      *socket)
{
  g_autoptr(GSocket) owned = g_object_ref (socket);

  g_hash_table_remove (self->idle, owned);
  g_socket_close (owned, NULL);
}

static gboolean
on_idle_socket_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  BbSyncServer *self = user_data;
  IdleConnection *idle = g_hash_table_lookup (self->idle, socket);
  g_autoptr(GError) error = NULL;
  char byte;
  GInputVector vector = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;
  gssize n;

  if (idle == NULL)
    return G_SOURCE_REMOVE;

  n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, &error);
  if (n > 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      /* The next request is coming: libsoup reads it. Until it starts
       * one, the timeout still runs. */
      g_clear_pointer (&idle->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  g_debug ("Closing a connection its client closed");
  idle->watch = NULL;   /* destroyed by returning G_SOURCE_REMOVE */
  g_source_unref (g_main_current_source ());
  close_idle_connection (self, socket);
  return G_SOURCE_REMOVE;
}

typedef struct {
  BbSyncServer *self;
  GSocket      *socket;
} IdleTimeout;

static gboolean
on_idle_timeout_cb (gpointer user_data)
{
  IdleTimeout *timeout = user_data;
  IdleConnection *idle = g_hash_table_lookup (timeout->self->idle, timeout->socket);

  if (idle != NULL)
    {
      g_debug ("Closing a connection that stayed idle");
      idle->timeout_id = 0;
      close_idle_connection (timeout->self, timeout->socket);
    }
  return G_SOURCE_REMOVE;
}

/* Runs once libsoup has decided whether @socket stays open. */
static gboolean
watch_idle_connection_cb (gpointer user_data)
{
  IdleTimeout *pending = user_data;
  BbSyncServer *self = pending->self;
  GSocket *socket = pending->socket;
  IdleConnection *idle;
  IdleTimeout *timeout;

  /* Queued just before bb_sync_server_stop(): nothing left to watch */
  if (!self->listening ||
      g_socket_is_closed (socket) ||
      g_object_get_data (G_OBJECT (socket), "bb-busy") != NULL ||
      g_hash_table_contains (self->idle, socket))
    return G_SOURCE_REMOVE;

  idle = g_new0 (IdleConnection, 1);
  idle->socket = g_object_ref (socket);
  idle->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (idle->watch, G_SOURCE_FUNC (on_idle_socket_cb), self, NULL);
  g_source_attach (idle->watch, NULL);

  timeout = g_new0 (IdleTimeout, 1);
  timeout->self = self;
  timeout->socket = socket;
  idle->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, self->timeout,
                                                 on_idle_timeout_cb, timeout, g_free);
  g_hash_table_insert (self->idle, socket, idle);
  return G_SOURCE_REMOVE;
}

static void
idle_timeout_free (gpointer data)
{
  IdleTimeout *pending = data;

  g_object_unref (pending->self);
  g_object_unref (pending->socket);
  g_free (pending);
}

static void
on_request_ended_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  BbSyncServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  g_hash_table_remove (self->connections, msg);

  if (socket != NULL && self->listening)
    {
      IdleTimeout *pending = g_new0 (IdleTimeout, 1);

      g_object_set_data (G_OBJECT (socket), "bb-busy", NULL);
      pending->self = g_object_ref (self);
      pending->socket = g_object_ref (socket);
      g_idle_add_full (G_PRIORITY_DEFAULT, watch_idle_connection_cb, pending, idle_timeout_free);
    }
}

static void
on_request_started_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  BbSyncServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);
  Deadline *deadline;

  if (socket == NULL)
    return;

  /* A request on a kept-alive connection: it is no longer idle */
  g_object_set_data (G_OBJECT (socket), "bb-busy", msg);
  g_hash_table_remove (self->idle, socket);

  if (!count_connection (self, msg))
    g_object_set_data (G_OBJECT (msg), "bb-over-limit", GINT_TO_POINTER (TRUE));

  /* libsoup asks the peer's address while tearing down a message; asked
   * first after a shutdown, it warns that the socket is not connected */
  soup_server_message_get_remote_address (msg);

  /* Also for a client that reads its answer too slowly; a longpoll
   * answer may take BB_SYNC_SERVER_MAX_TIMEOUT to start */
  g_socket_set_timeout (socket, self->timeout + BB_SYNC_SERVER_MAX_TIMEOUT / 1000);

  deadline = g_new0 (Deadline, 1);
  deadline->socket = g_object_ref (socket);
  deadline->source_id = g_timeout_add (self->timeout * 1000, on_deadline_cb, deadline);
  g_object_set_data_full (G_OBJECT (msg), "bb-deadline", deadline, deadline_free);
  g_signal_connect (msg, "got-body", G_CALLBACK (on_request_got_body_cb), NULL);
}

/* ---------------------------------------------------------------------- */
/* Endpoints                                                              */

static void
handle_welcome (BbSyncServer      *self,
                SoupServerMessage *msg)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) vendor = json_object_new ();
  g_autofree char *uuid = bb_replica_get_instance_uuid (self->store);

  json_object_set_string_member (object, "couchdb", "Welcome");
  json_object_set_string_member (object, "version", "3.3.0");
  json_object_set_string_member (object, "uuid", uuid);
  json_object_set_string_member (vendor, "name", "Buurtboek");
  json_object_set_string_member (vendor, "version", PACKAGE_VERSION);
  json_object_set_object_member (object, "vendor", g_steal_pointer (&vendor));
  reply_object (msg, SOUP_STATUS_OK, object);
}

static void
handle_db (BbSyncServer      *self,
           SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  gint64 doc_count;
  gint64 deleted_count;

  if (method == SOUP_METHOD_PUT)
    {
      reply_error (msg, SOUP_STATUS_PRECONDITION_FAILED, "file_exists",
                   "The database could not be created, the file already exists.");
      return;
    }
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      reply_method_not_allowed (msg, "GET,HEAD,PUT");
      return;
    }

  if (!bb_replica_get_doc_count (self->store, &doc_count, &deleted_count, &error))
    {
      reply_gerror (msg, error);
      return;
    }

  object = json_object_new ();
  json_object_set_string_member (object, "db_name", BB_REPLICA_DB_NAME);
  json_object_set_int_member (object, "doc_count", doc_count);
  json_object_set_int_member (object, "doc_del_count", deleted_count);
  json_object_set_int_member (object, "update_seq", bb_replica_get_update_seq (self->store));
  json_object_set_int_member (object, "purge_seq", 0);
  json_object_set_boolean_member (object, "compact_running", FALSE);
  json_object_set_string_member (object, "instance_start_time", "0");
  json_object_set_int_member (object, "disk_format_version", 8);
  reply_object (msg, SOUP_STATUS_OK, object);
}

static gboolean
parse_changes_query (SoupServerMessage *msg,
                     GHashTable        *query,
                     JsonObject        *body,
                     ChangesQuery      *out,
                     BbSyncServer      *self,
                     GError           **error)
{
  const char *since = query_get (query, "since");
  const char *style = query_get (query, "style");
  const char *feed = query_get (query, "feed");
  const char *filter = query_get (query, "filter");
  gboolean include_docs;
  gboolean conflicts;
  gint64 timeout;
  const char *heartbeat = query_get (query, "heartbeat");

  memset (out, 0, sizeof *out);

  if (since != NULL && g_str_equal (since, "now"))
    out->since = bb_replica_get_update_seq (self->store);
  else if (!parse_seq (since, &out->since, error))
    return FALSE;

  if (!query_uint (query, "limit", -1, &out->limit, error) ||
      !query_uint (query, "timeout", BB_SYNC_SERVER_MAX_TIMEOUT, &timeout, error) ||
      !query_bool (query, "include_docs", &include_docs, error) ||
      !query_bool (query, "conflicts", &conflicts, error) ||
      !query_bool (query, "descending", &out->descending, error))
    return FALSE;

  out->timeout_ms = (guint) MIN (timeout, BB_SYNC_SERVER_MAX_TIMEOUT);

  /* "true" as CouchDB takes it; never more often than MIN_HEARTBEAT */
  if (heartbeat != NULL && g_str_equal (heartbeat, "true"))
    out->heartbeat_ms = BB_SYNC_SERVER_MAX_TIMEOUT;
  else if (heartbeat != NULL && !g_str_equal (heartbeat, "false"))
    {
      gint64 value;

      if (!query_uint (query, "heartbeat", 0, &value, error))
        return FALSE;
      out->heartbeat_ms = (guint) CLAMP (value, MIN_HEARTBEAT, BB_SYNC_SERVER_MAX_TIMEOUT);
    }

  if (style == NULL || g_str_equal (style, "main_only"))
    ;
  else if (g_str_equal (style, "all_docs"))
    out->flags |= BB_REPLICA_CHANGES_ALL_DOCS;
  else
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID, "Invalid style");
      return FALSE;
    }

  if (include_docs)
    out->flags |= BB_REPLICA_CHANGES_INCLUDE_DOCS;
  if (include_docs && conflicts)
    out->flags |= BB_REPLICA_CHANGES_CONFLICTS;

  if (feed == NULL || g_str_equal (feed, "normal"))
    out->feed = FEED_NORMAL;
  else if (g_str_equal (feed, "longpoll"))
    out->feed = FEED_LONGPOLL;
  else if (g_str_equal (feed, "continuous"))
    out->feed = FEED_CONTINUOUS;
  else
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID, "Supported feeds: normal, longpoll, continuous");
      return FALSE;
    }

  if (out->descending)
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID, "descending is not supported");
      return FALSE;
    }

  if (filter != NULL)
    {
      if (!g_str_equal (filter, "_doc_ids"))
        {
          g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID, "Only the _doc_ids filter is supported");
          return FALSE;
        }

      if (body != NULL && json_object_has_member (body, "doc_ids"))
        out->doc_ids = string_array (json_object_get_member (body, "doc_ids"), "doc_ids", error);
      else if (query_get (query, "doc_ids") != NULL)
        out->doc_ids = string_array_from_text (query_get (query, "doc_ids"), "doc_ids", error);
      else
        g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID, "filter=_doc_ids needs doc_ids");

      if (out->doc_ids == NULL)
        return FALSE;
    }

  return TRUE;
}

typedef struct {
  JsonArray *results;
  GString   *lines;       /* continuous feed */
  gint64     rows;
} ChangesCollect;

static gboolean
collect_change_cb (const BbReplicaChange *change,
                   gpointer               user_data)
{
  ChangesCollect *collect = user_data;
  g_autoptr(JsonObject) row = json_object_new ();
  JsonArray *changes = json_array_new ();

  collect->rows++;
  json_object_set_int_member (row, "seq", change->seq);
  json_object_set_string_member (row, "id", change->id);
  for (guint i = 0; change->revs != NULL && change->revs[i] != NULL; i++)
    {
      JsonObject *rev = json_object_new ();

      json_object_set_string_member (rev, "rev", change->revs[i]);
      json_array_add_object_element (changes, rev);
    }
  json_object_set_array_member (row, "changes", changes);
  if (change->deleted)
    json_object_set_boolean_member (row, "deleted", TRUE);
  if (change->doc != NULL)
    json_object_set_object_member (row, "doc", json_object_ref (change->doc));

  if (collect->lines != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), row);
      g_autofree char *text = bb_sync_to_json (node, NULL);

      g_string_append (collect->lines, text);
      g_string_append_c (collect->lines, '\n');
    }
  else
    json_array_add_object_element (collect->results, g_steal_pointer (&row));

  return TRUE;
}

/* Answers @msg when there are rows, or always when @force; FALSE when
 * it should keep waiting. */
static gboolean
answer_changes (BbSyncServer      *self,
                SoupServerMessage *msg,
                ChangesQuery      *query,
                gboolean           force)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(JsonObject) object = NULL;
  ChangesCollect collect = { results, NULL, 0 };
  gint64 last_seq = 0;
  gint64 pending = 0;
  g_autoptr(GString) lines = NULL;

  if (query->feed == FEED_CONTINUOUS)
    collect.lines = lines = g_string_new (NULL);

  if (!bb_replica_changes (self->store, query->since, query->limit, query->flags,
                           (const char * const *) query->doc_ids,
                           collect_change_cb, &collect, &last_seq, &pending, &error))
    {
      reply_gerror (msg, error);
      return TRUE;
    }

  if (!force && query->limit != 0 &&
      json_array_get_length (results) == 0 && (lines == NULL || lines->len == 0))
    return FALSE;

  if (lines != NULL)
    {
      g_string_append_printf (lines, "{\"last_seq\":%" G_GINT64_FORMAT ",\"pending\":%" G_GINT64_FORMAT "}\n",
                              last_seq, pending);
      reply_bytes (msg, SOUP_STATUS_OK, "application/json", lines->str, lines->len);
      return TRUE;
    }

  object = json_object_new ();
  json_object_set_array_member (object, "results", g_steal_pointer (&results));
  json_object_set_int_member (object, "last_seq", last_seq);
  json_object_set_int_member (object, "pending", pending);
  reply_object (msg, SOUP_STATUS_OK, object);
  return TRUE;
}

static void
longpoll_free (Longpoll *poll)
{
  g_clear_handle_id (&poll->timeout_id, g_source_remove);
  g_clear_handle_id (&poll->heartbeat_id, g_source_remove);
  g_clear_signal_handler (&poll->finished_handler, poll->msg);
  g_strfreev (poll->query.doc_ids);
  g_object_unref (poll->msg);
  g_free (poll);
}

/* Sends a continuous feed the rows after its seq, one JSON object per
 * line, as the response is streamed (chunked); ends it with the
 * {"last_seq"} line when @end or when its limit is reached. Returns
 * whether it ended. */
static gboolean
continuous_send (Longpoll *poll,
                 gboolean  end)
{
  BbSyncServer *self = poll->self;
  SoupMessageBody *body = soup_server_message_get_response_body (poll->msg);
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  ChangesCollect collect = { NULL, lines, 0 };
  gint64 limit = poll->query.limit < 0 ? -1 : poll->query.limit - poll->sent;
  gint64 last_seq = poll->query.since;
  gint64 pending = 0;

  if (limit != 0 &&
      !bb_replica_changes (self->store, poll->query.since, limit, poll->query.flags,
                           (const char * const *) poll->query.doc_ids,
                           collect_change_cb, &collect, &last_seq, &pending, &error))
    {
      g_debug ("Continuous changes: %s", error->message);
      end = TRUE;
    }
  poll->query.since = MAX (poll->query.since, last_seq);
  poll->sent += collect.rows;
  if (poll->query.limit >= 0 && poll->sent >= poll->query.limit)
    end = TRUE;

  if (end)
    g_string_append_printf (lines, "{\"last_seq\":%" G_GINT64_FORMAT ",\"pending\":%" G_GINT64_FORMAT "}\n",
                            poll->query.since, pending);
  if (lines->len > 0)
    soup_message_body_append (body, SOUP_MEMORY_COPY, lines->str, lines->len);
  if (end)
    soup_message_body_complete (body);
  soup_server_message_unpause (poll->msg);
  return end;
}

static gboolean
on_heartbeat_cb (gpointer user_data)
{
  Longpoll *poll = user_data;

  soup_message_body_append (soup_server_message_get_response_body (poll->msg), SOUP_MEMORY_STATIC, "\n", 1);
  soup_server_message_unpause (poll->msg);
  return G_SOURCE_CONTINUE;
}

static void
longpoll_answer (Longpoll *poll,
                 gboolean  force)
{
  BbSyncServer *self = poll->self;

  if (poll->query.feed == FEED_CONTINUOUS)
    {
      if (!continuous_send (poll, force))
        return;
      self->longpolls = g_list_remove (self->longpolls, poll);
      longpoll_free (poll);
      return;
    }

  if (!answer_changes (self, poll->msg, &poll->query, force))
    return;

  self->longpolls = g_list_remove (self->longpolls, poll);
  soup_server_message_unpause (poll->msg);
  longpoll_free (poll);
}

static gboolean
on_longpoll_timeout_cb (gpointer user_data)
{
  Longpoll *poll = user_data;

  poll->timeout_id = 0;
  longpoll_answer (poll, TRUE);
  return G_SOURCE_REMOVE;
}

/* The client went away before anything changed. */
static void
on_longpoll_finished_cb (SoupServerMessage *msg,
                         gpointer           user_data)
{
  Longpoll *poll = user_data;

  poll->self->longpolls = g_list_remove (poll->self->longpolls, poll);
  longpoll_free (poll);
}

static void
on_store_changed_cb (BbStore  *store,
                     gpointer  user_data)
{
  BbSyncServer *self = user_data;
  GList *polls = g_list_copy (self->longpolls);

  for (GList *l = polls; l != NULL; l = l->next)
    longpoll_answer (l->data, FALSE);
  g_list_free (polls);
}

static void
handle_changes (BbSyncServer      *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  ChangesQuery changes;
  Longpoll *poll;

  if (method == SOUP_METHOD_POST)
    {
      body = read_object_body (msg);
      if (body == NULL)
        return;
    }
  else if (method != SOUP_METHOD_GET)
    {
      reply_method_not_allowed (msg, "GET,POST");
      return;
    }

  if (!parse_changes_query (msg, query, body, &changes, self, &error))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
      return;
    }

  /* Beyond the limit a continuous feed gets what there is now and ends */
  if (changes.feed == FEED_NORMAL ||
      g_list_length (self->longpolls) >= BB_SYNC_SERVER_MAX_LONGPOLL)
    {
      answer_changes (self, msg, &changes, TRUE);
      g_strfreev (changes.doc_ids);
      return;
    }

  if (changes.feed == FEED_LONGPOLL && answer_changes (self, msg, &changes, FALSE))
    {
      g_strfreev (changes.doc_ids);
      return;
    }

  poll = g_new0 (Longpoll, 1);
  poll->self = self;
  poll->msg = g_object_ref (msg);
  poll->query = changes;

  /* Live: the rows so far, then each change as it is committed, blank
   * lines as heartbeat, until the timeout (at most
   * BB_SYNC_SERVER_MAX_TIMEOUT) or the limit */
  if (changes.feed == FEED_CONTINUOUS)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_headers_replace (headers, "Cache-Control", "must-revalidate");
      if (continuous_send (poll, FALSE))
        {
          longpoll_free (poll);
          return;
        }
      if (changes.heartbeat_ms > 0)
        poll->heartbeat_id = g_timeout_add (changes.heartbeat_ms, on_heartbeat_cb, poll);
    }

  poll->timeout_id = g_timeout_add (MAX (changes.timeout_ms, 1), on_longpoll_timeout_cb, poll);
  poll->finished_handler = g_signal_connect (msg, "finished", G_CALLBACK (on_longpoll_finished_cb), poll);
  self->longpolls = g_list_prepend (self->longpolls, poll);
  if (changes.feed == FEED_LONGPOLL)
    soup_server_message_pause (msg);
}

static gboolean
require_post (SoupServerMessage *msg)
{
  if (soup_server_message_get_method (msg) == SOUP_METHOD_POST)
    return TRUE;
  reply_method_not_allowed (msg, "POST");
  return FALSE;
}

static void
answer_revs_diff (BbStore    *store,
                  JsonObject *body,
                  Answer     *answer)
{
  g_autoptr(JsonObject) diff = NULL;
  g_autoptr(GError) error = NULL;

  if (json_object_get_size (body) > BB_SYNC_SERVER_MAX_DOCS)
    {
      answer_error (answer, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", "Too many documents in one request");
      return;
    }

  diff = bb_replica_revs_diff (store, body, &error);
  if (diff == NULL)
    answer_gerror (answer, error);
  else
    answer_object (answer, SOUP_STATUS_OK, diff);
}

static void
handle_revs_diff (BbSyncServer      *self,
                  SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  Answer answer = { 0, NULL };

  if (!require_post (msg) || (body = read_object_body (msg)) == NULL)
    return;

  answer_revs_diff (self->store, body, &answer);
  send_answer (msg, &answer);
}

typedef enum {
  MEMBER_STRING,
  MEMBER_BOOLEAN,
  MEMBER_INTEGER,
  MEMBER_OBJECT,
  MEMBER_ARRAY,
} Member;

typedef struct {
  const char *name;
  Member      type;
} MemberType;

static const char *
type_name (Member type)
{
  static const char * const names[] = { "a string", "a boolean", "an integer", "an object", "an array" };

  return names[type];
}

static GType
member_gtype (Member type)
{
  switch (type)
    {
    case MEMBER_STRING:
      return G_TYPE_STRING;
    case MEMBER_BOOLEAN:
      return G_TYPE_BOOLEAN;
    case MEMBER_INTEGER:
      return G_TYPE_INT64;
    case MEMBER_OBJECT:
      return JSON_TYPE_OBJECT;
    case MEMBER_ARRAY:
    default:
      return JSON_TYPE_ARRAY;
    }
}

/* A request's members of the wrong type are refused with a 400 before
 * anything is read or written: json-glib's getters would log a critical
 * and read them as NULL or 0. */
static gboolean
check_member_types (JsonObject        *object,
                    const MemberType  *members,
                    guint              n_members,
                    const char        *what,
                    GError           **error)
{
  for (guint i = 0; i < n_members; i++)
    if (!bb_sync_member_is_type (object, members[i].name, member_gtype (members[i].type)))
      {
        g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                     "%s member \"%s\" must be %s", what, members[i].name, type_name (members[i].type));
        return FALSE;
      }
  return TRUE;
}

/* The members of a document that the endpoint or the store reads. */
static gboolean
check_doc_members (JsonObject  *doc,
                   GError     **error)
{
  static const MemberType doc_members[] = {
    { "_id", MEMBER_STRING },
    { "_rev", MEMBER_STRING },
    { "_deleted", MEMBER_BOOLEAN },
    { "_revisions", MEMBER_OBJECT },
  };
  static const MemberType revisions_members[] = {
    { "start", MEMBER_INTEGER },
    { "ids", MEMBER_ARRAY },
  };
  static const MemberType attachment_members[] = {
    { "content_type", MEMBER_STRING },
    { "data", MEMBER_STRING },
    { "stub", MEMBER_BOOLEAN },
    { "follows", MEMBER_BOOLEAN },
    { "digest", MEMBER_STRING },
    { "length", MEMBER_INTEGER },
    { "revpos", MEMBER_INTEGER },
    { "encoding", MEMBER_STRING },
    { "encoded_length", MEMBER_INTEGER },
  };
  JsonObject *revisions;
  JsonNode *attachments;

  if (!check_member_types (doc, doc_members, G_N_ELEMENTS (doc_members), "Document", error))
    return FALSE;

  revisions = bb_sync_member_object (doc, "_revisions");
  if (revisions != NULL)
    {
      JsonArray *ids;

      if (!check_member_types (revisions, revisions_members, G_N_ELEMENTS (revisions_members),
                               "_revisions", error))
        return FALSE;
      ids = bb_sync_member_array (revisions, "ids");
      for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
        {
          JsonNode *element = json_array_get_element (ids, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            {
              g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                           "_revisions member \"ids\" must be an array of strings");
              return FALSE;
            }
        }
    }

  /* null is no attachments, as the store reads it */
  attachments = json_object_get_member (doc, "_attachments");
  if (attachments != NULL && !JSON_NODE_HOLDS_NULL (attachments))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (attachments))
        {
          g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                       "Document member \"_attachments\" must be an object");
          return FALSE;
        }
      json_object_iter_init (&iter, json_node_get_object (attachments));
      while (json_object_iter_next (&iter, &name, &value))
        {
          if (!JSON_NODE_HOLDS_OBJECT (value))
            {
              g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                           "Attachment \"%s\" must be an object", name);
              return FALSE;
            }
          if (!check_member_types (json_node_get_object (value), attachment_members,
                                   G_N_ELEMENTS (attachment_members), "Attachment", error))
            return FALSE;
        }
    }

  return TRUE;
}

static JsonObject *
error_entry (const char *id,
             const char *rev,
             const char *error_word,
             const char *reason)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "id", id);
  if (rev != NULL)
    json_object_set_string_member (entry, "rev", rev);
  json_object_set_string_member (entry, "error", error_word);
  json_object_set_string_member (entry, "reason", reason);
  return entry;
}

static gboolean
doc_flags_from_query (GHashTable        *query,
                      JsonObject        *body,
                      BbReplicaGetFlags *out_flags,
                      GError           **error)
{
  static const struct { const char *key; BbReplicaGetFlags flag; } names[] = {
    { "revs", BB_REPLICA_GET_REVS },
    { "conflicts", BB_REPLICA_GET_CONFLICTS },
    { "deleted_conflicts", BB_REPLICA_GET_DELETED_CONFLICTS },
    { "revs_info", BB_REPLICA_GET_REVS_INFO },
    { "attachments", BB_REPLICA_GET_ATTACHMENTS },
    { "latest", BB_REPLICA_GET_LATEST },
    { "local_seq", BB_REPLICA_GET_LOCAL_SEQ },
  };

  *out_flags = BB_REPLICA_GET_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gboolean value;

      if (!query_bool (query, names[i].key, &value, error))
        return FALSE;
      /* CouchDB's replicator repeats the flags in the _bulk_get body */
      if (!value && body != NULL && json_object_has_member (body, names[i].key))
        {
          JsonNode *node = json_object_get_member (body, names[i].key);

          value = JSON_NODE_HOLDS_VALUE (node) &&
                  json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
                  json_node_get_boolean (node);
        }
      if (value)
        *out_flags |= names[i].flag;
    }

  return TRUE;
}

static void
answer_bulk_get (BbStore    *store,
                 GHashTable *query,
                 JsonObject *body,
                 Answer     *answer)
{
  static const MemberType entry_members[] = {
    { "id", MEMBER_STRING },
    { "rev", MEMBER_STRING },
  };
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  BbReplicaGetFlags flags;
  JsonArray *docs;

  if (!doc_flags_from_query (query, body, &flags, &error))
    {
      answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
      return;
    }

  docs = bb_sync_member_array (body, "docs");
  if (docs == NULL)
    {
      answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", "Missing JSON list of 'docs'.");
      return;
    }

  if (json_array_get_length (docs) > BB_SYNC_SERVER_MAX_DOCS)
    {
      answer_error (answer, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", "Too many documents in one request");
      return;
    }

  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonNode *entry_node = json_array_get_element (docs, i);

      if (JSON_NODE_HOLDS_OBJECT (entry_node) &&
          !check_member_types (json_node_get_object (entry_node), entry_members,
                               G_N_ELEMENTS (entry_members), "_bulk_get entry", &error))
        {
          answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
          return;
        }
    }

  /* One result per request entry, in request order: CouchDB matches them
   * by position. */
  results = json_array_new ();
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonNode *entry_node = json_array_get_element (docs, i);
      JsonObject *entry;
      JsonObject *result = json_object_new ();
      JsonArray *doc_results = json_array_new ();
      const char *id = NULL;
      const char *rev = NULL;

      if (JSON_NODE_HOLDS_OBJECT (entry_node))
        {
          entry = json_node_get_object (entry_node);
          id = bb_sync_member_string (entry, "id");
          rev = bb_sync_member_string (entry, "rev");
        }

      json_object_set_string_member (result, "id", id != NULL ? id : "");

      if (id == NULL || !bb_sync_doc_id_is_valid (id))
        {
          JsonObject *wrapper = json_object_new ();

          json_object_set_object_member (wrapper, "error",
                                         error_entry (id != NULL ? id : "", rev, "bad_request", "Invalid document id"));
          json_array_add_object_element (doc_results, wrapper);
        }
      else
        {
          const char *revs[] = { rev, NULL };
          g_autoptr(JsonArray) found = NULL;
          g_autoptr(GError) doc_error = NULL;

          if (rev != NULL)
            found = bb_replica_get_open_revs (store, id, revs, flags, &doc_error);
          else
            {
              g_autoptr(JsonObject) doc = bb_replica_get (store, id, NULL, flags, &doc_error);

              if (doc != NULL)
                {
                  JsonObject *ok = json_object_new ();

                  found = json_array_new ();
                  json_object_set_object_member (ok, "ok", g_steal_pointer (&doc));
                  json_array_add_object_element (found, ok);
                }
            }

          if (found == NULL)
            {
              JsonObject *wrapper = json_object_new ();
              gboolean missing = g_error_matches (doc_error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);

              json_object_set_object_member (wrapper, "error",
                                             error_entry (id, rev, missing ? "not_found" : "bad_request",
                                                          missing ? "missing" : doc_error->message));
              json_array_add_object_element (doc_results, wrapper);
            }
          else
            {
              for (guint j = 0; j < json_array_get_length (found); j++)
                {
                  JsonObject *element = json_array_get_object_element (found, j);

                  if (json_object_has_member (element, "missing"))
                    {
                      JsonObject *wrapper = json_object_new ();

                      json_object_set_object_member (wrapper, "error",
                                                     error_entry (id, bb_sync_member_string (element, "missing"),
                                                                  "not_found", "missing"));
                      json_array_add_object_element (doc_results, wrapper);
                    }
                  else
                    json_array_add_object_element (doc_results, json_object_ref (element));
                }
            }
        }

      json_object_set_array_member (result, "docs", doc_results);
      json_array_add_object_element (results, result);
    }

  reply = json_object_new ();
  json_object_set_array_member (reply, "results", g_steal_pointer (&results));
  answer_object (answer, SOUP_STATUS_OK, reply);
}

static void
handle_bulk_get (BbSyncServer      *self,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  g_autoptr(JsonObject) body = NULL;
  Answer answer = { 0, NULL };

  if (!require_post (msg) || (body = read_object_body (msg)) == NULL)
    return;

  answer_bulk_get (self->store, query, body, &answer);
  send_answer (msg, &answer);
}

/* For a user edit: the attachments of the new revision from
 * "_attachments" ({"data"} inline or {"stub": true}). */
static GPtrArray *
attachments_from_json (JsonObject  *doc,
                       GError     **error)
{
  g_autoptr(GPtrArray) attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_replica_attachment_free);
  JsonNode *node = json_object_get_member (doc, "_attachments");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_steal_pointer (&attachments);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonObject *att;
      const char *type;
      const char *data;
      g_autoptr(GBytes) bytes = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        goto bad;
      att = json_node_get_object (value);
      type = bb_sync_member_string (att, "content_type");
      data = bb_sync_member_string (att, "data");

      if (data != NULL)
        {
          guchar *decoded;
          gsize length;

          for (const char *p = data; *p != '\0'; p++)
            if (!g_ascii_isalnum (*p) && strchr ("+/=\r\n", *p) == NULL)
              goto bad;
          decoded = g_base64_decode (data, &length);
          bytes = g_bytes_new_take (decoded, length);
        }
      else if (!bb_sync_member_bool (att, "stub", FALSE))
        goto bad;

      g_ptr_array_add (attachments, bb_replica_attachment_new (name, type, bytes));
    }

  return g_steal_pointer (&attachments);

bad:
  g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
               "Invalid _attachments: each needs base64 \"data\" or \"stub\": true");
  return NULL;
}

/* The body a user edit stores: the document without CouchDB's members we
 * understand; other "_" members are left for the store to refuse. */
static JsonObject *
body_without_specials (JsonObject *doc)
{
  static const char * const specials[] = {
    "_id", "_rev", "_deleted", "_attachments", "_revisions", "_conflicts",
    "_deleted_conflicts", "_revs_info", "_local_seq",
  };
  JsonObject *body = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, doc);
  while (json_object_iter_next (&iter, &name, &value))
    {
      gboolean special = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (specials); i++)
        special |= g_str_equal (name, specials[i]);
      if (!special)
        json_object_set_member (body, name, json_node_copy (value));
    }

  return body;
}

/* One user edit (new_edits=true) of a @doc that passed
 * check_doc_members(); out_rev on success. */
static gboolean
write_user_edit (BbStore       *store,
                 const char    *doc_id,
                 JsonObject    *doc,
                 const char    *rev_param,
                 char         **out_rev,
                 GError       **error)
{
  g_autoptr(JsonObject) body = body_without_specials (doc);
  g_autoptr(GPtrArray) attachments = NULL;
  const char *rev = bb_sync_member_string_or (doc, "_rev", rev_param);
  gboolean deleted = bb_sync_member_bool (doc, "_deleted", FALSE);

  attachments = attachments_from_json (doc, error);
  if (attachments == NULL)
    return FALSE;

  return bb_replica_put (store, doc_id, rev, deleted ? NULL : body, deleted,
                         deleted ? NULL : attachments, out_rev, error);
}

static gsize json_size (JsonNode *node,
                        gsize     limit);

/* The size of @object written as JSON without its member @skip
 * (nullable), as json_size() counts it. */
static gsize
object_json_size (JsonObject *object,
                  const char *skip,
                  gsize       limit)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  gsize size = 2;

  json_object_iter_init (&iter, object);
  while (size <= limit && json_object_iter_next (&iter, &name, &value))
    if (skip == NULL || !g_str_equal (name, skip))
      size += strlen (name) + 4 + json_size (value, limit - MIN (size, limit));

  return MIN (size, limit + 1);
}

/* The size of @node written as JSON, near enough (strings are counted
 * unescaped), and no more than @limit + 1 once it is over @limit. */
static gsize
json_size (JsonNode *node,
           gsize     limit)
{
  gsize size = 2;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      size = object_json_size (json_node_get_object (node), NULL, limit);
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; size <= limit && i < json_array_get_length (array); i++)
          size += 1 + json_size (json_array_get_element (array, i), limit - MIN (size, limit));
        break;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        size += strlen (json_node_get_string (node));
      else
        size = 8;
      break;
    case JSON_NODE_NULL:
    default:
      size = 4;
      break;
    }

  return MIN (size, limit + 1);
}

/* Refuses a document over the limits in bb-sync-server.h: its JSON
 * without "_attachments" over BB_SYNC_SERVER_MAX_DOC, or an inline
 * attachment over BB_LIBRARY_MAX_ATTACHMENT once decoded. */
static gboolean
check_doc_size (JsonObject  *doc,
                GError     **error)
{
  JsonNode *attachments = json_object_get_member (doc, "_attachments");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (object_json_size (doc, "_attachments", BB_SYNC_SERVER_MAX_DOC) > BB_SYNC_SERVER_MAX_DOC)
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   "Document exceeds the limit of %d bytes (without attachments)", BB_SYNC_SERVER_MAX_DOC);
      return FALSE;
    }

  if (attachments == NULL || !JSON_NODE_HOLDS_OBJECT (attachments))
    return TRUE;

  json_object_iter_init (&iter, json_node_get_object (attachments));
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonNode *data = JSON_NODE_HOLDS_OBJECT (value)
                       ? json_object_get_member (json_node_get_object (value), "data") : NULL;

      /* base64: three bytes per four characters */
      if (data != NULL && json_node_get_value_type (data) == G_TYPE_STRING &&
          strlen (json_node_get_string (data)) / 4 * 3 > BB_LIBRARY_MAX_ATTACHMENT + 2)
        {
          g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                       "Attachment \"%s\" exceeds the limit of %d bytes", name, BB_LIBRARY_MAX_ATTACHMENT);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
refuse_read_only (BbSyncServer      *self,
                  SoupServerMessage *msg)
{
  if (!self->read_only)
    return FALSE;

  reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", "This library is shared for reading only.");
  return TRUE;
}

static void
answer_bulk_docs (BbStore    *store,
                  JsonObject *body,
                  Answer     *answer)
{
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) reply = json_array_new ();
  JsonArray *array;
  gboolean new_edits = TRUE;

  array = bb_sync_member_array (body, "docs");
  if (array == NULL)
    {
      answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", "POST body must include `docs` parameter.");
      return;
    }
  if (json_object_has_member (body, "new_edits"))
    {
      if (!bb_sync_member_is_type (body, "new_edits", G_TYPE_BOOLEAN))
        {
          answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", "`new_edits` parameter must be a boolean.");
          return;
        }
      new_edits = bb_sync_member_bool (body, "new_edits", TRUE);
    }

  if (json_array_get_length (array) > BB_SYNC_SERVER_MAX_DOCS)
    {
      answer_error (answer, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", "Too many documents in one request");
      return;
    }

  /* Every document is checked before the first is written: a request
   * refused with 400 writes nothing */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", "Document must be a JSON object");
          return;
        }
      if (!check_doc_members (json_node_get_object (element), &error))
        {
          answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
          return;
        }
    }

  docs = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *doc = json_array_get_object_element (array, i);
      const char *id = bb_sync_member_string (doc, "_id");

      /* Refused on its own, as CouchDB does: the rest is stored */
      if (!check_doc_size (doc, &error))
        {
          json_array_add_object_element (reply, error_entry (id != NULL ? id : "",
                                                             bb_sync_member_string (doc, "_rev"),
                                                             "too_large", error->message));
          g_clear_error (&error);
        }
      else if (new_edits)
        {
          g_autofree char *id_owned = id != NULL ? g_strdup (id) : g_uuid_string_random ();
          g_autofree char *new_rev = NULL;
          g_autoptr(GError) doc_error = NULL;

          if (!bb_sync_doc_id_is_valid (id_owned))
            json_array_add_object_element (reply, error_entry (id_owned, NULL, "bad_request", "Invalid document id"));
          else if (!write_user_edit (store, id_owned, doc, NULL, &new_rev, &doc_error))
            {
              gboolean conflict = g_error_matches (doc_error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT);

              json_array_add_object_element (reply, error_entry (id_owned, NULL,
                                                                 conflict ? "conflict" : "bad_request",
                                                                 conflict ? "Document update conflict." : doc_error->message));
            }
          else
            {
              JsonObject *ok = json_object_new ();

              json_object_set_boolean_member (ok, "ok", TRUE);
              json_object_set_string_member (ok, "id", id_owned);
              json_object_set_string_member (ok, "rev", new_rev);
              json_array_add_object_element (reply, ok);
            }
        }
      else if (id == NULL || !bb_sync_doc_id_is_valid (id))
        json_array_add_object_element (reply, error_entry (id != NULL ? id : "", NULL,
                                                           "bad_request", "Invalid document id"));
      else
        g_ptr_array_add (docs, doc);
    }

  if (!new_edits && docs->len > 0)
    {
      g_autoptr(GPtrArray) errors = NULL;

      if (!bb_replica_put_revisions (store, docs, NULL, &errors, &error))
        {
          answer_gerror (answer, error);
          return;
        }
      for (guint i = 0; errors != NULL && i < errors->len; i++)
        json_array_add_object_element (reply, json_object_ref (g_ptr_array_index (errors, i)));
    }

  answer_node (answer, SOUP_STATUS_CREATED, json_node_init_array (json_node_alloc (), reply));
}

static void
handle_bulk_docs (BbSyncServer      *self,
                  SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  Answer answer = { 0, NULL };

  if (!require_post (msg) || refuse_read_only (self, msg) || (body = read_object_body (msg)) == NULL)
    return;

  answer_bulk_docs (self->store, body, &answer);
  send_answer (msg, &answer);
}

static int
compare_string_pointers (gconstpointer a,
                         gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* @body: the POST body, or NULL for a GET (keys in @query) */
static void
answer_all_docs (BbStore    *store,
                 GHashTable *query,
                 JsonObject *body,
                 Answer     *answer)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = NULL;
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autoptr(JsonObject) reply = json_object_new ();
  gboolean include_docs;
  gboolean conflicts;
  gint64 total = 0;
  gint64 deleted_count;

  if (body != NULL)
    {
      if (json_object_has_member (body, "keys") &&
          (keys = string_array (json_object_get_member (body, "keys"), "keys", &error)) == NULL)
        {
          answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
          return;
        }
    }
  else if (query_get (query, "keys") != NULL &&
           (keys = string_array_from_text (query_get (query, "keys"), "keys", &error)) == NULL)
    {
      answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
      return;
    }

  if (!query_bool (query, "include_docs", &include_docs, &error) ||
      !query_bool (query, "conflicts", &conflicts, &error))
    {
      answer_error (answer, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
      return;
    }

  if (keys == NULL)
    {
      /* Every document: the changes feed names each once */
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(JsonArray) all = json_array_new ();
      ChangesCollect collect = { all, NULL };

      if (!bb_replica_changes (store, 0, -1, BB_REPLICA_CHANGES_NONE, NULL,
                               collect_change_cb, &collect, NULL, NULL, &error))
        {
          answer_gerror (answer, error);
          return;
        }
      for (guint i = 0; i < json_array_get_length (all); i++)
        {
          JsonObject *row = json_array_get_object_element (all, i);
          const char *id = bb_sync_member_string (row, "id");

          if (id != NULL && !bb_sync_member_bool (row, "deleted", FALSE))
            g_ptr_array_add (ids, g_strdup (id));
        }
      g_ptr_array_sort (ids, compare_string_pointers);
      g_ptr_array_add (ids, NULL);
      keys = (GStrv) g_ptr_array_steal (ids, NULL);
    }

  for (guint i = 0; keys[i] != NULL; i++)
    {
      JsonObject *row = json_object_new ();
      g_autoptr(GError) doc_error = NULL;
      g_autofree char *rev = NULL;
      gboolean deleted = FALSE;

      json_object_set_string_member (row, "key", keys[i]);
      if (bb_sync_doc_id_is_valid (keys[i]))
        rev = bb_replica_get_winning_rev (store, keys[i], &deleted, &doc_error);

      if (rev == NULL)
        json_object_set_string_member (row, "error", "not_found");
      else
        {
          JsonObject *value = json_object_new ();

          json_object_set_string_member (row, "id", keys[i]);
          json_object_set_string_member (value, "rev", rev);
          if (deleted)
            json_object_set_boolean_member (value, "deleted", TRUE);
          json_object_set_object_member (row, "value", value);

          if (include_docs && deleted)
            json_object_set_null_member (row, "doc");
          else if (include_docs)
            {
              JsonObject *doc = bb_replica_get (store, keys[i], rev,
                                                conflicts ? BB_REPLICA_GET_CONFLICTS : 0, NULL);

              if (doc != NULL)
                json_object_set_object_member (row, "doc", doc);
              else
                json_object_set_null_member (row, "doc");
            }
        }
      json_array_add_object_element (rows, row);
    }

  if (!bb_replica_get_doc_count (store, &total, &deleted_count, &error))
    {
      answer_gerror (answer, error);
      return;
    }

  json_object_set_int_member (reply, "total_rows", total);
  json_object_set_int_member (reply, "offset", 0);
  json_object_set_array_member (reply, "rows", g_steal_pointer (&rows));
  answer_object (answer, SOUP_STATUS_OK, reply);
}

static void
handle_all_docs (BbSyncServer      *self,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) body = NULL;
  Answer answer = { 0, NULL };

  if (method == SOUP_METHOD_POST)
    {
      if ((body = read_object_body (msg)) == NULL)
        return;
    }
  else if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      reply_method_not_allowed (msg, "GET,HEAD,POST");
      return;
    }

  answer_all_docs (self->store, query, body, &answer);
  send_answer (msg, &answer);
}

static void
handle_local (BbSyncServer      *self,
              SoupServerMessage *msg,
              const char        *local_id,
              GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *full_id = g_strconcat ("_local/", local_id, NULL);

  if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    {
      g_autoptr(JsonObject) doc = bb_replica_get_local (self->store, local_id, &error);

      if (doc == NULL)
        reply_gerror (msg, error);
      else
        reply_object (msg, SOUP_STATUS_OK, doc);
    }
  else if (method == SOUP_METHOD_PUT)
    {
      g_autoptr(JsonObject) body = read_object_body (msg);
      g_autoptr(JsonObject) reply = NULL;
      g_autofree char *rev = NULL;

      if (body == NULL)
        return;
      if (!bb_sync_member_is_type (body, "_rev", G_TYPE_STRING))
        {
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "Document member \"_rev\" must be a string");
          return;
        }
      if (!bb_replica_put_local (self->store, local_id,
                                 bb_sync_member_string_or (body, "_rev", query_get (query, "rev")),
                                 body, &rev, &error))
        {
          reply_gerror (msg, error);
          return;
        }
      reply = json_object_new ();
      json_object_set_boolean_member (reply, "ok", TRUE);
      json_object_set_string_member (reply, "id", full_id);
      json_object_set_string_member (reply, "rev", rev);
      reply_object (msg, SOUP_STATUS_CREATED, reply);
    }
  else if (method == SOUP_METHOD_DELETE)
    {
      g_autoptr(JsonObject) reply = NULL;

      if (!bb_replica_delete_local (self->store, local_id, query_get (query, "rev"), &error))
        {
          reply_gerror (msg, error);
          return;
        }
      reply = json_object_new ();
      json_object_set_boolean_member (reply, "ok", TRUE);
      json_object_set_string_member (reply, "id", full_id);
      json_object_set_string_member (reply, "rev", "0-0");
      reply_object (msg, SOUP_STATUS_OK, reply);
    }
  else
    reply_method_not_allowed (msg, "GET,HEAD,PUT,DELETE");
}

static void
handle_doc_get (BbSyncServer      *self,
                SoupServerMessage *msg,
                const char        *doc_id,
                GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  BbReplicaGetFlags flags;
  const char *open_revs = query_get (query, "open_revs");

  if (!doc_flags_from_query (query, NULL, &flags, &error))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
      return;
    }

  if (open_revs != NULL)
    {
      g_auto(GStrv) revs = NULL;
      g_autoptr(JsonArray) found = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (!g_str_equal (open_revs, "all") &&
          (revs = string_array_from_text (open_revs, "open_revs", &error)) == NULL)
        {
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
          return;
        }

      found = bb_replica_get_open_revs (self->store, doc_id, (const char * const *) revs, flags, &error);
      if (found == NULL)
        {
          reply_gerror (msg, error);
          return;
        }
      if (wants_multipart_mixed (msg))
        {
          reply_open_revs_multipart (msg, found);
          return;
        }
      node = json_node_init_array (json_node_alloc (), found);
      reply_json (msg, SOUP_STATUS_OK, node);
    }
  else
    {
      g_autoptr(JsonObject) doc = bb_replica_get (self->store, doc_id, query_get (query, "rev"), flags, &error);

      if (doc == NULL)
        {
          reply_gerror (msg, error);
          return;
        }
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                    json_object_get_string_member (doc, "_rev"));
      reply_object (msg, SOUP_STATUS_OK, doc);
    }
}

static void
handle_doc_write (BbSyncServer      *self,
                  SoupServerMessage *msg,
                  const char        *doc_id,
                  GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *rev = NULL;
  const char *new_edits = query_get (query, "new_edits");

  if (refuse_read_only (self, msg))
    return;

  if (method == SOUP_METHOD_DELETE)
    {
      const char *parent = query_get (query, "rev");

      if (parent == NULL)
        parent = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-Match");
      if (parent == NULL)
        {
          reply_error (msg, SOUP_STATUS_CONFLICT, "conflict", "Document update conflict.");
          return;
        }
      if (!bb_replica_put (self->store, doc_id, parent, NULL, TRUE, NULL, &rev, &error))
        {
          reply_gerror (msg, error);
          return;
        }
    }
  else
    {
      const char *body_id;

      if ((doc = read_object_body (msg)) == NULL)
        return;

      if (!check_doc_members (doc, &error))
        {
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
          return;
        }
      body_id = bb_sync_member_string (doc, "_id");
      if (body_id != NULL && !g_str_equal (body_id, doc_id))
        {
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "Document id must match the URL");
          return;
        }
      if (!check_doc_size (doc, &error))
        {
          reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", error->message);
          return;
        }

      if (new_edits != NULL && g_str_equal (new_edits, "false"))
        {
          g_autoptr(GPtrArray) docs = g_ptr_array_new ();
          g_autoptr(GPtrArray) errors = NULL;

          json_object_set_string_member (doc, "_id", doc_id);
          g_ptr_array_add (docs, doc);
          if (!bb_replica_put_revisions (self->store, docs, NULL, &errors, &error))
            {
              reply_gerror (msg, error);
              return;
            }
          if (errors != NULL && errors->len > 0)
            {
              JsonObject *first = g_ptr_array_index (errors, 0);

              reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                           bb_sync_member_string_or (first, "error", "bad_request"),
                           bb_sync_member_string_or (first, "reason", ""));
              return;
            }
          rev = g_strdup (bb_sync_member_string_or (doc, "_rev", ""));
        }
      else if (!write_user_edit (self->store, doc_id, doc, query_get (query, "rev"), &rev, &error))
        {
          reply_gerror (msg, error);
          return;
        }
    }

  reply = json_object_new ();
  json_object_set_boolean_member (reply, "ok", TRUE);
  json_object_set_string_member (reply, "id", doc_id);
  json_object_set_string_member (reply, "rev", rev);
  reply_object (msg, method == SOUP_METHOD_DELETE ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, reply);
}

static void
handle_attachment (BbSyncServer      *self,
                   SoupServerMessage *msg,
                   const char        *doc_id,
                   const char        *name,
                   GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(BbReplicaAttachmentInfo) info = NULL;
  gsize length;
  const void *bytes;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      reply_method_not_allowed (msg, "GET,HEAD");
      return;
    }

  data = bb_replica_get_attachment_data (self->store, doc_id, query_get (query, "rev"), name, &info, &error);
  if (data == NULL)
    {
      reply_gerror (msg, error);
      return;
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-MD5",
                                g_str_has_prefix (info->digest, "md5-") ? info->digest + 4 : info->digest);
  if (method == SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }
  bytes = g_bytes_get_data (data, &length);
  reply_bytes (msg, SOUP_STATUS_OK, info->content_type, bytes != NULL ? bytes : "", length);
}

guint
bb_sync_server_answer_body (BbStore               *store,
                            BbSyncServerEndpoint   endpoint,
                            GHashTable            *query,
                            const char            *data,
                            gsize                  length,
                            JsonNode             **out_reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  Answer answer = { 0, NULL };

  g_return_val_if_fail (BB_IS_STORE (store), 0);
  g_return_val_if_fail (out_reply != NULL, 0);

  if (length > BB_SYNC_SERVER_MAX_BODY)
    answer_error (&answer, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", "The request body is too large");
  else if ((node = bb_sync_parse_json (data != NULL ? data : "", length, &error)) == NULL)
    answer_error (&answer, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
  else if (!JSON_NODE_HOLDS_OBJECT (node))
    answer_error (&answer, SOUP_STATUS_BAD_REQUEST, "bad_request", "Request body must be a JSON object");
  else
    {
      JsonObject *body = json_node_get_object (node);

      switch (endpoint)
        {
        case BB_SYNC_SERVER_REVS_DIFF:
          answer_revs_diff (store, body, &answer);
          break;
        case BB_SYNC_SERVER_BULK_GET:
          answer_bulk_get (store, query, body, &answer);
          break;
        case BB_SYNC_SERVER_BULK_DOCS:
          answer_bulk_docs (store, body, &answer);
          break;
        case BB_SYNC_SERVER_ALL_DOCS:
        default:
          answer_all_docs (store, query, body, &answer);
          break;
        }
    }

  *out_reply = answer.json;
  return answer.status;
}

/* SoupServer hands over the path already decoded (an encoded slash is a
 * slash by now, and %00 or a broken escape was refused with a 400), so a
 * segment is only checked, never decoded a second time: "%2541" must stay
 * "%41". Refused: invalid UTF-8, control characters, dot segments. */
static char *
check_segment (const char *segment)
{
  if (!g_utf8_validate (segment, -1, NULL) ||
      g_str_equal (segment, ".") || g_str_equal (segment, ".."))
    return NULL;

  for (const char *p = segment; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return NULL;

  return g_strdup (segment);
}

static void
server_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *unused_path,
                GHashTable        *query,
                gpointer           user_data)
{
  BbSyncServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_auto(GStrv) raw = NULL;
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (g_free);
  guint n;

  if (path == NULL || path[0] != '/')
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid path");
      return;
    }

  /* "/", "/library", "/library/" are the same as CouchDB treats them */
  raw = g_strsplit (path + 1, "/", 0);
  n = g_strv_length (raw);
  if (n > 0 && raw[n - 1][0] == '\0')
    {
      g_free (raw[n - 1]);
      raw[n - 1] = NULL;
      n--;
    }

  for (guint i = 0; i < n; i++)
    {
      char *segment = check_segment (raw[i]);

      if (segment == NULL || segment[0] == '\0')
        {
          g_free (segment);
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid path");
          return;
        }
      g_ptr_array_add (segments, segment);
    }

  if (n == 0)
    {
      if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
        reply_method_not_allowed (msg, "GET,HEAD");
      else
        handle_welcome (self, msg);
      return;
    }

  /* Only the library: no _all_dbs, _users, _replicator, other names */
  if (!g_str_equal (g_ptr_array_index (segments, 0), BB_REPLICA_DB_NAME))
    {
      reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "Database does not exist.");
      return;
    }

  if (n == 1)
    {
      handle_db (self, msg);
      return;
    }

  {
    const char *first = g_ptr_array_index (segments, 1);

    if (first[0] == '_')
      {
        if (n == 2 && g_str_equal (first, "_changes"))
          handle_changes (self, msg, query);
        else if (n == 2 && g_str_equal (first, "_revs_diff"))
          handle_revs_diff (self, msg);
        else if (n == 2 && g_str_equal (first, "_bulk_get"))
          handle_bulk_get (self, msg, query);
        else if (n == 2 && g_str_equal (first, "_bulk_docs"))
          handle_bulk_docs (self, msg);
        else if (n == 2 && g_str_equal (first, "_all_docs"))
          handle_all_docs (self, msg, query);
        else if (n == 2 && g_str_equal (first, "_ensure_full_commit"))
          {
            g_autoptr(JsonObject) reply = json_object_new ();

            if (!require_post (msg))
              return;
            json_object_set_boolean_member (reply, "ok", TRUE);
            json_object_set_string_member (reply, "instance_start_time", "0");
            reply_object (msg, SOUP_STATUS_CREATED, reply);
          }
        else if (n == 3 && g_str_equal (first, "_local"))
          {
            const char *local_id = g_ptr_array_index (segments, 2);

            if (local_id[0] == '_' || strlen (local_id) > 512)
              reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid document id");
            else
              handle_local (self, msg, local_id, query);
          }
        else if (n == 2 && g_str_equal (first, "_revs_limit"))
          {
            g_autofree char *text = g_strdup_printf ("%u", bb_replica_get_revs_limit (self->store));

            if (method != SOUP_METHOD_GET)
              reply_method_not_allowed (msg, "GET");
            else
              reply_bytes (msg, SOUP_STATUS_OK, "application/json", text, strlen (text));
          }
        else
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "illegal_docid",
                       "Only reserved document ids may start with underscore.");
        return;
      }

    if (!bb_sync_doc_id_is_valid (first))
      {
        reply_error (msg, SOUP_STATUS_BAD_REQUEST, "illegal_docid", "Invalid document id");
        return;
      }

    if (n == 2)
      {
        if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
          handle_doc_get (self, msg, first, query);
        else if (method == SOUP_METHOD_PUT || method == SOUP_METHOD_DELETE)
          handle_doc_write (self, msg, first, query);
        else
          reply_method_not_allowed (msg, "GET,HEAD,PUT,DELETE");
        return;
      }

    /* Attachment names may contain slashes */
    {
      g_autoptr(GString) name = g_string_new (NULL);

      for (guint i = 2; i < n; i++)
        {
          if (i > 2)
            g_string_append_c (name, '/');
          g_string_append (name, g_ptr_array_index (segments, i));
        }
      handle_attachment (self, msg, first, name->str, query);
    }
  }
}

/* ---------------------------------------------------------------------- */
/* Object                                                                 */

static void
bb_sync_server_dispose (GObject *object)
{
  BbSyncServer *self = BB_SYNC_SERVER (object);

  bb_sync_server_stop (self);
  g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_object (&self->server);
  g_clear_object (&self->store);
  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (bb_sync_server_parent_class)->dispose (object);
}

static void
bb_sync_server_finalize (GObject *object)
{
  BbSyncServer *self = BB_SYNC_SERVER (object);

  g_free (self->user);
  g_free (self->password);
  g_hash_table_unref (self->clients);
  g_hash_table_unref (self->connections);
  g_hash_table_unref (self->idle);

  G_OBJECT_CLASS (bb_sync_server_parent_class)->finalize (object);
}

static void
bb_sync_server_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BbSyncServer *self = BB_SYNC_SERVER (object);

  switch (prop_id)
    {
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_sync_server_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BbSyncServer *self = BB_SYNC_SERVER (object);

  switch (prop_id)
    {
    case PROP_MAX_CONNECTIONS:
      self->max_connections = g_value_get_uint (value);
      break;
    case PROP_TIMEOUT:
      self->timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_sync_server_class_init (BbSyncServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_sync_server_dispose;
  object_class->finalize = bb_sync_server_finalize;
  object_class->get_property = bb_sync_server_get_property;
  object_class->set_property = bb_sync_server_set_property;

  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 1, G_MAXUINT16,
                       BB_SYNC_SERVER_MAX_CONNECTIONS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, BB_SYNC_SERVER_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CLIENTS_CHANGED] =
    g_signal_new ("clients-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bb_sync_server_init (BbSyncServer *self)
{
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->user = g_strdup (BB_SYNC_DEFAULT_USER);
  self->connections = g_hash_table_new (NULL, NULL);
  self->idle = g_hash_table_new_full (NULL, NULL, NULL, idle_connection_free);
  self->max_connections = BB_SYNC_SERVER_MAX_CONNECTIONS;
  self->timeout = BB_SYNC_SERVER_TIMEOUT;
}

BbSyncServer *
bb_sync_server_new (BbStore *store)
{
  BbSyncServer *self;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  self = g_object_new (BB_TYPE_SYNC_SERVER, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
bb_sync_server_set_credentials (BbSyncServer *self,
                                const char   *user,
                                const char   *password)
{
  g_return_if_fail (BB_IS_SYNC_SERVER (self));

  g_free (self->user);
  g_free (self->password);
  self->user = g_strdup (user != NULL ? user : BB_SYNC_DEFAULT_USER);
  self->password = g_strdup (password);
}

void
bb_sync_server_set_read_only (BbSyncServer *self,
                              gboolean      read_only)
{
  g_return_if_fail (BB_IS_SYNC_SERVER (self));
  self->read_only = !!read_only;
}

gboolean
bb_sync_server_get_read_only (BbSyncServer *self)
{
  g_return_val_if_fail (BB_IS_SYNC_SERVER (self), FALSE);
  return self->read_only;
}

void
bb_sync_server_set_tls_certificate (BbSyncServer    *self,
                                    GTlsCertificate *certificate)
{
  g_return_if_fail (BB_IS_SYNC_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (!self->listening);

  g_set_object (&self->tls_certificate, certificate);
}

GTlsCertificate *
bb_sync_server_get_tls_certificate (BbSyncServer *self)
{
  g_return_val_if_fail (BB_IS_SYNC_SERVER (self), NULL);
  return self->tls_certificate;
}

void
bb_sync_server_set_limits (BbSyncServer *self,
                           guint         max_connections,
                           guint         timeout_seconds)
{
  g_return_if_fail (BB_IS_SYNC_SERVER (self));

  g_object_set (self,
                "max-connections", CLAMP (max_connections, 1, G_MAXUINT16),
                "timeout", CLAMP (timeout_seconds, 1, 3600),
                NULL);
}

gboolean
bb_sync_server_listen (BbSyncServer  *self,
                       const char    *address,
                       guint          port,
                       GError       **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (BB_IS_SYNC_SERVER (self), FALSE);
  g_return_val_if_fail (!self->listening, FALSE);

  inet = g_inet_address_new_from_string (address != NULL ? address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   _("“%s” is not a network address."), address);
      return FALSE;
    }

  g_clear_object (&self->server);
  self->server = soup_server_new ("server-header", "Buurtboek/" PACKAGE_VERSION " ",
                                  "tls-certificate", self->tls_certificate,
                                  NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (on_request_ended_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (on_request_ended_cb), self);
  soup_server_add_early_handler (self->server, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, server_handler, self, NULL);

  socket_address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->server, socket_address,
                           self->tls_certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0,
                           &local_error))
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_NETWORK,
                   _("Cannot share the library on port %u: %s"), port, local_error->message);
      g_clear_object (&self->server);
      return FALSE;
    }

  if (self->changed_handler == 0)
    self->changed_handler = g_signal_connect (self->store, "changed",
                                              G_CALLBACK (on_store_changed_cb), self);
  self->listening = TRUE;
  return TRUE;
}

void
bb_sync_server_stop (BbSyncServer *self)
{
  g_return_if_fail (BB_IS_SYNC_SERVER (self));

  /* Waiting clients get their (empty) answer before the door closes */
  while (self->longpolls != NULL)
    longpoll_answer (self->longpolls->data, TRUE);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_hash_table_remove_all (self->connections);
  g_hash_table_remove_all (self->idle);
  self->listening = FALSE;
}

gboolean
bb_sync_server_is_listening (BbSyncServer *self)
{
  g_return_val_if_fail (BB_IS_SYNC_SERVER (self), FALSE);
  return self->listening;
}

guint
bb_sync_server_get_port (BbSyncServer *self)
{
  GSList *uris;
  guint port = 0;

  g_return_val_if_fail (BB_IS_SYNC_SERVER (self), 0);

  if (!self->listening)
    return 0;

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

static void
add_url (GStrvBuilder *builder,
         const char   *scheme,
         const char   *host,
         guint         port)
{
  g_autofree char *url = NULL;

  if (strchr (host, ':') != NULL)
    url = g_strdup_printf ("%s://[%s]:%u/%s", scheme, host, port, BB_REPLICA_DB_NAME);
  else
    url = g_strdup_printf ("%s://%s:%u/%s", scheme, host, port, BB_REPLICA_DB_NAME);
  g_strv_builder_add (builder, url);
}

static void
add_interface_urls (GStrvBuilder   *builder,
                    const char     *scheme,
                    GSocketFamily   family,
                    guint           port)
{
  struct ifaddrs *interfaces = NULL;

  if (getifaddrs (&interfaces) != 0)
    return;

  for (struct ifaddrs *i = interfaces; i != NULL; i = i->ifa_next)
    {
      g_autoptr(GSocketAddress) address = NULL;
      GInetAddress *inet;
      g_autofree char *text = NULL;
      gsize size;

      if (i->ifa_addr == NULL ||
          (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
        continue;
      size = i->ifa_addr->sa_family == AF_INET ? sizeof (struct sockaddr_in) : sizeof (struct sockaddr_in6);
      address = g_socket_address_new_from_native (i->ifa_addr, size);
      if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
        continue;
      inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
      /* An IPv6 socket also takes IPv4 connections */
      if (g_inet_address_get_is_loopback (inet) || g_inet_address_get_is_link_local (inet) ||
          (family == G_SOCKET_FAMILY_IPV4 && g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV4))
        continue;
      text = g_inet_address_to_string (inet);
      add_url (builder, scheme, text, port);
    }

  freeifaddrs (interfaces);
}

GStrv
bb_sync_server_dup_urls (BbSyncServer *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GSList *listeners;
  guint port;
  const char *scheme;

  g_return_val_if_fail (BB_IS_SYNC_SERVER (self), NULL);

  scheme = self->tls_certificate != NULL ? "https" : "http";

  if (!self->listening)
    return g_strv_builder_end (builder);

  port = bb_sync_server_get_port (self);
  listeners = soup_server_get_listeners (self->server);
  for (GSList *l = listeners; l != NULL; l = l->next)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (l->data, NULL);
      GInetAddress *inet;
      g_autofree char *host = NULL;

      if (local == NULL || !G_IS_INET_SOCKET_ADDRESS (local))
        continue;
      inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));

      if (!g_inet_address_get_is_any (inet))
        {
          host = g_inet_address_to_string (inet);
          add_url (builder, scheme, host, port);
          continue;
        }

      /* Listening everywhere: the addresses other machines can reach */
      add_interface_urls (builder, scheme, g_inet_address_get_family (inet), port);
    }

  g_slist_free (listeners);
  return g_strv_builder_end (builder);
}

GStrv
bb_sync_server_dup_clients (BbSyncServer *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (BB_IS_SYNC_SERVER (self), NULL);

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (now - GPOINTER_TO_INT (value) <= CLIENT_MEMORY_SECONDS)
      g_strv_builder_add (builder, key);

  return g_strv_builder_end (builder);
}
