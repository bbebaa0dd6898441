/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-date.h"
#include "bb-library-private.h"
#include "bb-replica.h"
#include "bb-store-private.h"

G_DEFINE_QUARK (bb-library-error-quark, bb_library_error)

gboolean
bb_library_sqlite_failed (BbStore  *store,
                          int       rc,
                          GError  **error)
{
  bb_store_set_sqlite_error (error, bb_store_get_db (store), rc,
                             _("Could not read or write the library"));
  return FALSE;
}

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  char *copy;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  return TRUE;
}

/* Types */

static const char * const doc_type_names[] = { "practice", "template", "rule_set" };

const char *
bb_library_doc_type_to_string (BbLibraryDocType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (doc_type_names), NULL);
  return doc_type_names[type];
}

gboolean
bb_library_doc_type_from_string (const char       *text,
                                 BbLibraryDocType *out_type)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (doc_type_names); i++)
    if (strcmp (text, doc_type_names[i]) == 0)
      {
        if (out_type != NULL)
          *out_type = (BbLibraryDocType) i;
        return TRUE;
      }
  return FALSE;
}

const char *
bb_library_doc_type_get_label (BbLibraryDocType type)
{
  switch (type)
    {
    case BB_LIBRARY_DOC_PRACTICE:
      return C_("library document type", "Practice");
    case BB_LIBRARY_DOC_TEMPLATE:
      return C_("library document type", "Template");
    case BB_LIBRARY_DOC_RULE_SET:
      return C_("library document type", "Rule set");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Marked text */

char *
bb_library_marked_to_markup (const char *marked)
{
  GString *out = g_string_new (NULL);
  const char *p = marked;

  g_return_val_if_fail (marked != NULL, NULL);

  while (*p != '\0')
    {
      const char *next = strpbrk (p, BB_LIBRARY_MATCH_START BB_LIBRARY_MATCH_END);
      gsize length = next != NULL ? (gsize) (next - p) : strlen (p);
      g_autofree char *escaped = g_markup_escape_text (p, (gssize) length);

      g_string_append (out, escaped);
      if (next == NULL)
        break;
      g_string_append (out, *next == BB_LIBRARY_MATCH_START[0] ? "<b>" : "</b>");
      p = next + 1;
    }

  return g_string_free (out, FALSE);
}

char *
bb_library_marked_to_plain (const char *marked)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (marked != NULL, NULL);

  if (strpbrk (marked, BB_LIBRARY_MATCH_START BB_LIBRARY_MATCH_END) == NULL)
    {
      g_string_free (out, TRUE);
      return g_strdup (marked);
    }

  for (const char *p = marked; *p != '\0'; p++)
    if (*p != BB_LIBRARY_MATCH_START[0] && *p != BB_LIBRARY_MATCH_END[0])
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* Text as it goes into the index: the marker characters removed, so they
 * can only come from the highlighting. */
static char *
index_text (const char *text)
{
  return bb_library_marked_to_plain (text != NULL ? text : "");
}

/* BbLibraryAttachment */

struct _BbLibraryAttachment
{
  GObject   parent_instance;

  char     *name;
  char     *content_type;
  char     *digest;
  gint64    length;
  GBytes   *data;     /* only while pending */
};

enum {
  ATT_PROP_0,
  ATT_PROP_NAME,
  ATT_PROP_CONTENT_TYPE,
  ATT_PROP_LENGTH,
  ATT_PROP_DIGEST,
  ATT_PROP_PENDING,
  N_ATT_PROPS
};

static GParamSpec *att_properties[N_ATT_PROPS];

G_DEFINE_FINAL_TYPE (BbLibraryAttachment, bb_library_attachment, G_TYPE_OBJECT)

static void
bb_library_attachment_finalize (GObject *object)
{
  BbLibraryAttachment *self = BB_LIBRARY_ATTACHMENT (object);

  g_free (self->name);
  g_free (self->content_type);
  g_free (self->digest);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (bb_library_attachment_parent_class)->finalize (object);
}

static void
bb_library_attachment_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BbLibraryAttachment *self = BB_LIBRARY_ATTACHMENT (object);

  switch (prop_id)
    {
    case ATT_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case ATT_PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;
    case ATT_PROP_LENGTH:
      g_value_set_int64 (value, self->length);
      break;
    case ATT_PROP_DIGEST:
      g_value_set_string (value, self->digest);
      break;
    case ATT_PROP_PENDING:
      g_value_set_boolean (value, self->data != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_library_attachment_class_init (BbLibraryAttachmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = bb_library_attachment_finalize;
  object_class->get_property = bb_library_attachment_get_property;

  att_properties[ATT_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  att_properties[ATT_PROP_CONTENT_TYPE] = g_param_spec_string ("content-type", NULL, NULL, NULL, flags);
  att_properties[ATT_PROP_LENGTH] = g_param_spec_int64 ("length", NULL, NULL, 0, G_MAXINT64, 0, flags);
  att_properties[ATT_PROP_DIGEST] = g_param_spec_string ("digest", NULL, NULL, NULL, flags);
  att_properties[ATT_PROP_PENDING] = g_param_spec_boolean ("pending", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_ATT_PROPS, att_properties);
}

static void
bb_library_attachment_init (BbLibraryAttachment *self)
{
}

static BbLibraryAttachment *
attachment_new (const char *name,
                const char *content_type,
                const char *digest,
                gint64      length,
                GBytes     *data)
{
  BbLibraryAttachment *self = g_object_new (BB_TYPE_LIBRARY_ATTACHMENT, NULL);

  self->name = g_strdup (name);
  self->content_type = g_strdup (content_type != NULL ? content_type : "application/octet-stream");
  self->digest = g_strdup (digest);
  self->length = length;
  self->data = data != NULL ? g_bytes_ref (data) : NULL;
  return self;
}

const char *
bb_library_attachment_get_name (BbLibraryAttachment *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_ATTACHMENT (self), NULL);
  return self->name;
}

const char *
bb_library_attachment_get_content_type (BbLibraryAttachment *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_ATTACHMENT (self), NULL);
  return self->content_type;
}

gint64
bb_library_attachment_get_length (BbLibraryAttachment *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_ATTACHMENT (self), 0);
  return self->length;
}

const char *
bb_library_attachment_get_digest (BbLibraryAttachment *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_ATTACHMENT (self), NULL);
  return self->digest;
}

gboolean
bb_library_attachment_get_pending (BbLibraryAttachment *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_ATTACHMENT (self), FALSE);
  return self->data != NULL;
}

/* BbLibraryDocument */

struct _BbLibraryDocument
{
  GObject            parent_instance;

  char              *id;
  char              *rev;
  BbLibraryDocType   doc_type;
  char              *title;
  char              *summary;
  char              *body;
  GStrv              themes;
  GStrv              tags;
  char              *language;
  char              *licence;
  char              *origin_council_id;
  char              *origin_council_name;
  char              *origin_municipality;
  char              *created_at;
  char              *updated_at;
  char              *derived_from_id;
  char              *derived_from_rev;
  char              *derived_from_council;
  char              *derived_from_licence;
  gboolean           is_own;
  gboolean           has_conflicts;

  GListStore        *attachments;   /* BbLibraryAttachment, by name */
  GStrv              read_themes;   /* the themes as read: peers' ids stay allowed */
  JsonObject        *extra;         /* body members this version does not know */
};

enum {
  PROP_0,
  PROP_ID,
  PROP_REV,
  PROP_DOC_TYPE,
  PROP_TITLE,
  PROP_SUMMARY,
  PROP_BODY,
  PROP_THEMES,
  PROP_TAGS,
  PROP_LANGUAGE,
  PROP_LICENCE,
  PROP_ORIGIN_COUNCIL_ID,
  PROP_ORIGIN_COUNCIL_NAME,
  PROP_ORIGIN_MUNICIPALITY,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_DERIVED_FROM_ID,
  PROP_DERIVED_FROM_REV,
  PROP_DERIVED_FROM_COUNCIL,
  PROP_DERIVED_FROM_LICENCE,
  PROP_IS_OWN,
  PROP_HAS_CONFLICTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BbLibraryDocument, bb_library_document, G_TYPE_OBJECT)

/* The string field behind a string property. */
static char **
string_field (BbLibraryDocument *self,
              guint              prop_id)
{
  switch (prop_id)
    {
    case PROP_ID: return &self->id;
    case PROP_REV: return &self->rev;
    case PROP_TITLE: return &self->title;
    case PROP_SUMMARY: return &self->summary;
    case PROP_BODY: return &self->body;
    case PROP_LANGUAGE: return &self->language;
    case PROP_LICENCE: return &self->licence;
    case PROP_ORIGIN_COUNCIL_ID: return &self->origin_council_id;
    case PROP_ORIGIN_COUNCIL_NAME: return &self->origin_council_name;
    case PROP_ORIGIN_MUNICIPALITY: return &self->origin_municipality;
    case PROP_CREATED_AT: return &self->created_at;
    case PROP_UPDATED_AT: return &self->updated_at;
    case PROP_DERIVED_FROM_ID: return &self->derived_from_id;
    case PROP_DERIVED_FROM_REV: return &self->derived_from_rev;
    case PROP_DERIVED_FROM_COUNCIL: return &self->derived_from_council;
    case PROP_DERIVED_FROM_LICENCE: return &self->derived_from_licence;
    default: return NULL;
    }
}

static void
set_string (BbLibraryDocument *self,
            guint              prop_id,
            const char        *value)
{
  char **field = string_field (self, prop_id);

  g_assert (field != NULL);
  if (set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
bb_library_document_finalize (GObject *object)
{
  BbLibraryDocument *self = BB_LIBRARY_DOCUMENT (object);

  for (guint prop_id = PROP_ID; prop_id < N_PROPS; prop_id++)
    {
      char **field = string_field (self, prop_id);

      if (field != NULL)
        g_clear_pointer (field, g_free);
    }
  g_strfreev (self->themes);
  g_strfreev (self->tags);
  g_strfreev (self->read_themes);
  g_clear_object (&self->attachments);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (bb_library_document_parent_class)->finalize (object);
}

static void
bb_library_document_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BbLibraryDocument *self = BB_LIBRARY_DOCUMENT (object);
  char **field = string_field (self, prop_id);

  if (field != NULL)
    {
      g_value_set_string (value, *field);
      return;
    }

  switch (prop_id)
    {
    case PROP_DOC_TYPE:
      g_value_set_int (value, self->doc_type);
      break;
    case PROP_THEMES:
      g_value_set_boxed (value, self->themes);
      break;
    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;
    case PROP_IS_OWN:
      g_value_set_boolean (value, self->is_own);
      break;
    case PROP_HAS_CONFLICTS:
      g_value_set_boolean (value, self->has_conflicts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_library_document_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BbLibraryDocument *self = BB_LIBRARY_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_DOC_TYPE:
      bb_library_document_set_doc_type (self, g_value_get_int (value));
      break;
    case PROP_TITLE:
    case PROP_SUMMARY:
    case PROP_BODY:
    case PROP_LANGUAGE:
    case PROP_LICENCE:
      set_string (self, prop_id, g_value_get_string (value));
      break;
    case PROP_THEMES:
      bb_library_document_set_themes (self, g_value_get_boxed (value));
      break;
    case PROP_TAGS:
      bb_library_document_set_tags (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_library_document_class_init (BbLibraryDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = bb_library_document_finalize;
  object_class->get_property = bb_library_document_get_property;
  object_class->set_property = bb_library_document_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_REV] = g_param_spec_string ("rev", NULL, NULL, NULL, ro);
  /* A BbLibraryDocType. */
  properties[PROP_DOC_TYPE] = g_param_spec_int ("doc-type", NULL, NULL,
                                                BB_LIBRARY_DOC_PRACTICE, BB_LIBRARY_DOC_RULE_SET,
                                                BB_LIBRARY_DOC_PRACTICE, rw);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, rw);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, rw);
  properties[PROP_THEMES] = g_param_spec_boxed ("themes", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL, rw);
  properties[PROP_LICENCE] = g_param_spec_string ("licence", NULL, NULL, NULL, rw);
  properties[PROP_ORIGIN_COUNCIL_ID] = g_param_spec_string ("origin-council-id", NULL, NULL, NULL, ro);
  properties[PROP_ORIGIN_COUNCIL_NAME] = g_param_spec_string ("origin-council-name", NULL, NULL, NULL, ro);
  properties[PROP_ORIGIN_MUNICIPALITY] = g_param_spec_string ("origin-municipality", NULL, NULL, NULL, ro);
  properties[PROP_CREATED_AT] = g_param_spec_string ("created-at", NULL, NULL, NULL, ro);
  properties[PROP_UPDATED_AT] = g_param_spec_string ("updated-at", NULL, NULL, NULL, ro);
  properties[PROP_DERIVED_FROM_ID] = g_param_spec_string ("derived-from-id", NULL, NULL, NULL, ro);
  properties[PROP_DERIVED_FROM_REV] = g_param_spec_string ("derived-from-rev", NULL, NULL, NULL, ro);
  properties[PROP_DERIVED_FROM_COUNCIL] = g_param_spec_string ("derived-from-council", NULL, NULL, NULL, ro);
  properties[PROP_DERIVED_FROM_LICENCE] = g_param_spec_string ("derived-from-licence", NULL, NULL, NULL, ro);
  properties[PROP_IS_OWN] = g_param_spec_boolean ("is-own", NULL, NULL, FALSE, ro);
  properties[PROP_HAS_CONFLICTS] = g_param_spec_boolean ("has-conflicts", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bb_library_document_init (BbLibraryDocument *self)
{
  self->doc_type = BB_LIBRARY_DOC_PRACTICE;
  self->title = g_strdup ("");
  self->summary = g_strdup ("");
  self->body = g_strdup ("");
  self->themes = g_new0 (char *, 1);
  self->tags = g_new0 (char *, 1);
  self->read_themes = g_new0 (char *, 1);
  self->language = g_strdup (BB_LIBRARY_DEFAULT_LANGUAGE);
  self->licence = g_strdup (BB_LIBRARY_DEFAULT_LICENCE);
  self->attachments = g_list_store_new (BB_TYPE_LIBRARY_ATTACHMENT);
}

BbLibraryDocument *
bb_library_document_new (void)
{
  return g_object_new (BB_TYPE_LIBRARY_DOCUMENT, NULL);
}

#define STRING_GETTER(field) \
  const char * \
  bb_library_document_get_##field (BbLibraryDocument *self) \
  { \
    g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), NULL); \
    return self->field; \
  }

STRING_GETTER (id)
STRING_GETTER (rev)
STRING_GETTER (title)
STRING_GETTER (summary)
STRING_GETTER (body)
STRING_GETTER (language)
STRING_GETTER (licence)
STRING_GETTER (origin_council_id)
STRING_GETTER (origin_council_name)
STRING_GETTER (origin_municipality)
STRING_GETTER (created_at)
STRING_GETTER (updated_at)
STRING_GETTER (derived_from_id)
STRING_GETTER (derived_from_rev)
STRING_GETTER (derived_from_council)
STRING_GETTER (derived_from_licence)

#undef STRING_GETTER

BbLibraryDocType
bb_library_document_get_doc_type (BbLibraryDocument *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), BB_LIBRARY_DOC_PRACTICE);
  return self->doc_type;
}

void
bb_library_document_set_doc_type (BbLibraryDocument *self,
                                  BbLibraryDocType   type)
{
  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (self));
  g_return_if_fail ((guint) type < G_N_ELEMENTS (doc_type_names));

  if (self->doc_type == type)
    return;
  self->doc_type = type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOC_TYPE]);
}

void
bb_library_document_set_title (BbLibraryDocument *self,
                               const char        *title)
{
  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (self));
  set_string (self, PROP_TITLE, title != NULL ? title : "");
}

void
bb_library_document_set_summary (BbLibraryDocument *self,
                                 const char        *summary)
{
  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (self));
  set_string (self, PROP_SUMMARY, summary != NULL ? summary : "");
}

void
bb_library_document_set_body (BbLibraryDocument *self,
                              const char        *body)
{
  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (self));
  set_string (self, PROP_BODY, body != NULL ? body : "");
}

void
bb_library_document_set_language (BbLibraryDocument *self,
                                  const char        *language)
{
  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (self));
  set_string (self, PROP_LANGUAGE, language != NULL && *language ? language : BB_LIBRARY_DEFAULT_LANGUAGE);
}

void
bb_library_document_set_licence (BbLibraryDocument *self,
                                 const char        *licence)
{
  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (self));
  set_string (self, PROP_LICENCE, licence != NULL && *licence ? licence : BB_LIBRARY_DEFAULT_LICENCE);
}

const char * const *
bb_library_document_get_themes (BbLibraryDocument *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), NULL);
  return (const char * const *) self->themes;
}

/* Trimmed, without empty and duplicate entries. */
static GStrv
clean_list (const char * const *items)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      char *item = g_strstrip (g_strdup (items[i]));

      if (*item == '\0' || !g_utf8_validate (item, -1, NULL) || g_hash_table_contains (seen, item))
        {
          g_free (item);
          continue;
        }
      g_strv_builder_add (builder, item);
      g_hash_table_add (seen, item);
    }
  return g_strv_builder_end (builder);
}

void
bb_library_document_set_themes (BbLibraryDocument  *self,
                                const char * const *themes)
{
  g_auto(GStrv) cleaned = NULL;

  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (self));

  cleaned = clean_list (themes);
  if (g_strv_equal ((const char * const *) cleaned, (const char * const *) self->themes))
    return;
  g_strfreev (self->themes);
  self->themes = g_steal_pointer (&cleaned);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THEMES]);
}

const char * const *
bb_library_document_get_tags (BbLibraryDocument *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), NULL);
  return (const char * const *) self->tags;
}

void
bb_library_document_set_tags (BbLibraryDocument  *self,
                              const char * const *tags)
{
  g_auto(GStrv) cleaned = NULL;

  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (self));

  cleaned = clean_list (tags);
  if (g_strv_equal ((const char * const *) cleaned, (const char * const *) self->tags))
    return;
  g_strfreev (self->tags);
  self->tags = g_steal_pointer (&cleaned);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}

gboolean
bb_library_document_get_is_own (BbLibraryDocument *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), FALSE);
  return self->is_own;
}

gboolean
bb_library_document_get_has_conflicts (BbLibraryDocument *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), FALSE);
  return self->has_conflicts;
}

GListModel *
bb_library_document_get_attachments (BbLibraryDocument *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), NULL);
  return G_LIST_MODEL (self->attachments);
}

static gboolean
find_attachment (BbLibraryDocument *self,
                 const char        *name,
                 guint             *out_position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbLibraryAttachment) attachment = g_list_model_get_item (G_LIST_MODEL (self->attachments), i);

      if (strcmp (attachment->name, name) == 0)
        {
          *out_position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static int
compare_attachments (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  return strcmp (((const BbLibraryAttachment *) a)->name, ((const BbLibraryAttachment *) b)->name);
}

static void
put_attachment (BbLibraryDocument   *self,
                BbLibraryAttachment *attachment)
{
  guint position;

  if (find_attachment (self, attachment->name, &position))
    g_list_store_remove (self->attachments, position);
  g_list_store_insert_sorted (self->attachments, attachment, compare_attachments, NULL);
}

void
bb_library_document_add_attachment_bytes (BbLibraryDocument *self,
                                          const char        *name,
                                          const char        *content_type,
                                          GBytes            *data)
{
  g_autoptr(BbLibraryAttachment) attachment = NULL;
  g_autofree char *guessed = NULL;

  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (self));
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (data != NULL);

  if (content_type == NULL)
    {
      g_autofree char *type = NULL;
      gsize size;
      const guchar *bytes = g_bytes_get_data (data, &size);

      type = g_content_type_guess (name, bytes, MIN (size, 4096), NULL);
      guessed = g_content_type_get_mime_type (type);
    }

  attachment = attachment_new (name, content_type != NULL ? content_type : guessed,
                               NULL, (gint64) g_bytes_get_size (data), data);
  put_attachment (self, attachment);
}

gboolean
bb_library_document_add_attachment_file (BbLibraryDocument  *self,
                                         GFile              *file,
                                         GCancellable       *cancellable,
                                         GError            **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) data = NULL;
  const char *name;

  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return FALSE;

  name = g_file_info_get_display_name (info);
  if (g_file_info_get_size (info) > BB_LIBRARY_MAX_ATTACHMENT)
    {
      g_autofree char *limit = g_format_size (BB_LIBRARY_MAX_ATTACHMENT);

      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_ATTACHMENT,
                   /* Translators: %s is a file name, then a size such as "52.4 MB" */
                   _("“%s” is too large to attach (at most %s)."), name, limit);
      return FALSE;
    }

  data = g_file_load_bytes (file, cancellable, NULL, error);
  if (data == NULL)
    return FALSE;

  bb_library_document_add_attachment_bytes (self, name, NULL, data);
  return TRUE;
}

gboolean
bb_library_document_remove_attachment (BbLibraryDocument *self,
                                       const char        *name)
{
  guint position;

  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!find_attachment (self, name, &position))
    return FALSE;
  g_list_store_remove (self->attachments, position);
  return TRUE;
}

/* JSON */

static const char * const known_members[] = {
  "format", "type", "title", "summary", "body", "themes", "tags", "language",
  "licence", "origin", "created_at", "updated_at", "derived_from",
};

static gboolean
is_known_member (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_members); i++)
    if (strcmp (name, known_members[i]) == 0)
      return TRUE;
  return FALSE;
}

static JsonArray *
strv_to_array (GStrv strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

static void
set_optional_string (JsonObject *object,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
}

JsonObject *
bb_library_document_to_json (BbLibraryDocument *self)
{
  JsonObject *object = json_object_new ();
  JsonObject *origin = json_object_new ();

  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (self), NULL);

  json_object_set_string_member (object, "format", BB_LIBRARY_FORMAT);
  json_object_set_string_member (object, "type", doc_type_names[self->doc_type]);
  json_object_set_string_member (object, "title", self->title);
  json_object_set_string_member (object, "summary", self->summary);
  json_object_set_string_member (object, "body", self->body);
  json_object_set_array_member (object, "themes", strv_to_array (self->themes));
  json_object_set_array_member (object, "tags", strv_to_array (self->tags));
  json_object_set_string_member (object, "language", self->language);
  json_object_set_string_member (object, "licence", self->licence);

  json_object_set_string_member (origin, "council_id", self->origin_council_id != NULL ? self->origin_council_id : "");
  json_object_set_string_member (origin, "council_name", self->origin_council_name != NULL ? self->origin_council_name : "");
  json_object_set_string_member (origin, "municipality", self->origin_municipality != NULL ? self->origin_municipality : "");
  json_object_set_object_member (object, "origin", origin);

  set_optional_string (object, "created_at", self->created_at);
  set_optional_string (object, "updated_at", self->updated_at);

  if (self->derived_from_id != NULL)
    {
      JsonObject *derived = json_object_new ();

      json_object_set_string_member (derived, "id", self->derived_from_id);
      set_optional_string (derived, "rev", self->derived_from_rev);
      set_optional_string (derived, "council_name", self->derived_from_council);
      set_optional_string (derived, "licence", self->derived_from_licence);
      json_object_set_object_member (object, "derived_from", derived);
    }

  if (self->extra != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (self->extra);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (object, l->data,
                                json_node_copy (json_object_get_member (self->extra, l->data)));
    }

  return object;
}

static void
set_field_error (GError     **error,
                 const char  *field)
{
  g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_FIELD,
               /* Translators: %s is the name of a field in a library document, e.g. "title" */
               _("The library document’s field “%s” has the wrong type."), field);
}

/* A missing or null member leaves *out_value alone. */
static gboolean
read_string (JsonObject  *object,
             const char  *name,
             const char  *field,
             const char **out_value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_field_error (error, field != NULL ? field : name);
      return FALSE;
    }
  *out_value = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_strv (JsonObject  *object,
           const char  *name,
           GStrv       *out_value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_field_error (error, name);
      return FALSE;
    }

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          set_field_error (error, name);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  g_strfreev (*out_value);
  *out_value = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_sub_object (JsonObject  *object,
                 const char  *name,
                 JsonObject **out_value,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_field_error (error, name);
      return FALSE;
    }
  *out_value = json_node_get_object (node);
  return TRUE;
}

BbLibraryDocument *
bb_library_document_new_from_json (const char  *id,
                                   const char  *rev,
                                   JsonObject  *body,
                                   GError     **error)
{
  g_autoptr(BbLibraryDocument) self = NULL;
  g_auto(GStrv) themes = NULL;
  g_auto(GStrv) tags = NULL;
  const char *format = NULL, *type = NULL, *title = "", *summary = "", *text = "";
  const char *language = NULL, *licence = NULL, *created_at = NULL, *updated_at = NULL;
  const char *council_id = NULL, *council_name = NULL, *municipality = NULL;
  const char *derived_id = NULL, *derived_rev = NULL, *derived_council = NULL, *derived_licence = NULL;
  JsonObject *origin = NULL, *derived = NULL, *attachments = NULL;
  JsonNode *conflicts;
  g_autoptr(GList) members = NULL;
  BbLibraryDocType doc_type = BB_LIBRARY_DOC_PRACTICE;

  g_return_val_if_fail (body != NULL, NULL);

  if (!read_string (body, "format", NULL, &format, error))
    return NULL;
  if (g_strcmp0 (format, BB_LIBRARY_FORMAT) != 0)
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_NOT_LIBRARY,
                   _("This document is not a Buurtboek library document."));
      return NULL;
    }

  if (!read_string (body, "type", NULL, &type, error) ||
      !read_string (body, "title", NULL, &title, error) ||
      !read_string (body, "summary", NULL, &summary, error) ||
      !read_string (body, "body", NULL, &text, error) ||
      !read_string (body, "language", NULL, &language, error) ||
      !read_string (body, "licence", NULL, &licence, error) ||
      !read_string (body, "created_at", NULL, &created_at, error) ||
      !read_string (body, "updated_at", NULL, &updated_at, error) ||
      !read_strv (body, "themes", &themes, error) ||
      !read_strv (body, "tags", &tags, error) ||
      !read_sub_object (body, "origin", &origin, error) ||
      !read_sub_object (body, "derived_from", &derived, error) ||
      !read_sub_object (body, "_attachments", &attachments, error))
    return NULL;

  if (type != NULL && !bb_library_doc_type_from_string (type, &doc_type))
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_FIELD,
                   /* Translators: %s is what the document says its type is */
                   _("The library document has an unknown type “%s”."), type);
      return NULL;
    }

  if (origin != NULL &&
      (!read_string (origin, "council_id", "origin.council_id", &council_id, error) ||
       !read_string (origin, "council_name", "origin.council_name", &council_name, error) ||
       !read_string (origin, "municipality", "origin.municipality", &municipality, error)))
    return NULL;

  if (derived != NULL &&
      (!read_string (derived, "id", "derived_from.id", &derived_id, error) ||
       !read_string (derived, "rev", "derived_from.rev", &derived_rev, error) ||
       !read_string (derived, "council_name", "derived_from.council_name", &derived_council, error) ||
       !read_string (derived, "licence", "derived_from.licence", &derived_licence, error)))
    return NULL;

  self = bb_library_document_new ();
  self->id = g_strdup (id);
  self->rev = g_strdup (rev);
  self->doc_type = doc_type;
  set_str (&self->title, title);
  set_str (&self->summary, summary);
  set_str (&self->body, text);
  if (language != NULL && *language)
    set_str (&self->language, language);
  if (licence != NULL && *licence)
    set_str (&self->licence, licence);
  self->created_at = g_strdup (created_at);
  self->updated_at = g_strdup (updated_at);
  self->origin_council_id = g_strdup (council_id != NULL && *council_id ? council_id : NULL);
  self->origin_council_name = g_strdup (council_name);
  self->origin_municipality = g_strdup (municipality);
  if (derived_id != NULL && *derived_id)
    {
      self->derived_from_id = g_strdup (derived_id);
      self->derived_from_rev = g_strdup (derived_rev);
      self->derived_from_council = g_strdup (derived_council);
      self->derived_from_licence = g_strdup (derived_licence);
    }
  g_strfreev (self->themes);
  self->themes = clean_list ((const char * const *) themes);
  g_strfreev (self->read_themes);
  self->read_themes = g_strdupv (self->themes);
  g_strfreev (self->tags);
  self->tags = clean_list ((const char * const *) tags);

  conflicts = json_object_get_member (body, "_conflicts");
  self->has_conflicts = conflicts != NULL && JSON_NODE_HOLDS_ARRAY (conflicts) &&
                        json_array_get_length (json_node_get_array (conflicts)) > 0;

  if (attachments != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (attachments);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (attachments, l->data);
          g_autoptr(BbLibraryAttachment) attachment = NULL;
          JsonObject *entry;
          const char *content_type = NULL, *digest = NULL;
          gint64 length = 0;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          entry = json_node_get_object (node);
          if (!read_string (entry, "content_type", "_attachments.content_type", &content_type, error) ||
              !read_string (entry, "digest", "_attachments.digest", &digest, error))
            return NULL;
          if (json_object_has_member (entry, "length"))
            length = json_object_get_int_member (entry, "length");
          attachment = attachment_new (l->data, content_type, digest, length, NULL);
          put_attachment (self, attachment);
        }
    }

  members = json_object_get_members (body);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (name[0] == '_' || is_known_member (name))
        continue;
      if (self->extra == NULL)
        self->extra = json_object_new ();
      json_object_set_member (self->extra, name, json_node_copy (json_object_get_member (body, name)));
    }

  return g_steal_pointer (&self);
}

/* Themes */

typedef struct
{
  const char          *id;
  const char          *label;
  BbLibraryThemeGroup  group;
} DefaultTheme;

/* The five obstacles of social innovation, the domains and the practical
 * topics. The ids are part of the document format: never change them. */
static const DefaultTheme default_themes[] = {
  { "obstacle-regulation", N_("Social innovation and regulation"), BB_LIBRARY_THEME_OBSTACLE },
  { "obstacle-reinstitutionalisation", N_("Re-institutionalisation"), BB_LIBRARY_THEME_OBSTACLE },
  { "obstacle-competition", N_("(Perceived) competition"), BB_LIBRARY_THEME_OBSTACLE },
  { "obstacle-infrastructure", N_("Existing infrastructure"), BB_LIBRARY_THEME_OBSTACLE },
  { "obstacle-professionals", N_("Professionals and social innovation"), BB_LIBRARY_THEME_OBSTACLE },
  { "domain-education", N_("Education"), BB_LIBRARY_THEME_DOMAIN },
  { "domain-care", N_("Care"), BB_LIBRARY_THEME_DOMAIN },
  { "domain-welfare", N_("Welfare"), BB_LIBRARY_THEME_DOMAIN },
  { "domain-housing", N_("Housing"), BB_LIBRARY_THEME_DOMAIN },
  { "domain-work", N_("Work"), BB_LIBRARY_THEME_DOMAIN },
  { "domain-energy", N_("Energy"), BB_LIBRARY_THEME_DOMAIN },
  { "topic-events", N_("Events"), BB_LIBRARY_THEME_TOPIC },
  { "topic-subsidies", N_("Subsidies"), BB_LIBRARY_THEME_TOPIC },
  { "topic-volunteers", N_("Volunteers"), BB_LIBRARY_THEME_TOPIC },
  { "topic-communication", N_("Communication"), BB_LIBRARY_THEME_TOPIC },
  { "topic-organisation", N_("Organisation"), BB_LIBRARY_THEME_TOPIC },
};

void
bb_library_theme_free (BbLibraryTheme *theme)
{
  if (theme == NULL)
    return;
  g_free (theme->id);
  g_free (theme->label);
  g_free (theme);
}

static BbLibraryTheme *
theme_new (const char          *id,
           const char          *label,
           BbLibraryThemeGroup  group)
{
  BbLibraryTheme *theme = g_new0 (BbLibraryTheme, 1);

  theme->id = g_strdup (id);
  theme->label = g_strdup (label);
  theme->group = group;
  return theme;
}

static int
compare_own_themes (gconstpointer a,
                    gconstpointer b)
{
  const BbLibraryTheme *ta = *(const BbLibraryTheme * const *) a;
  const BbLibraryTheme *tb = *(const BbLibraryTheme * const *) b;

  return g_utf8_collate (ta->label, tb->label);
}

GPtrArray *
bb_library_list_themes (BbStore  *store,
                        GError  **error)
{
  g_autoptr(GPtrArray) themes = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_library_theme_free);
  g_autoptr(GPtrArray) own = g_ptr_array_new ();
  g_autoptr(BbLibStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (default_themes); i++)
    g_ptr_array_add (themes, theme_new (default_themes[i].id, _(default_themes[i].label),
                                        default_themes[i].group));

  stmt = bb_store_prepare (store, "SELECT id, label FROM library_theme", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (own, theme_new ((const char *) sqlite3_column_text (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1),
                                     BB_LIBRARY_THEME_OWN));
  if (rc != SQLITE_DONE)
    {
      bb_library_sqlite_failed (store, rc, error);
      return NULL;
    }

  g_ptr_array_sort (own, compare_own_themes);
  for (guint i = 0; i < own->len; i++)
    g_ptr_array_add (themes, g_ptr_array_index (own, i));

  return g_steal_pointer (&themes);
}

char *
bb_library_get_theme_label (BbStore    *store,
                            const char *id)
{
  g_autoptr(BbLibStmt) stmt = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (default_themes); i++)
    if (strcmp (default_themes[i].id, id) == 0)
      return g_strdup (_(default_themes[i].label));

  stmt = bb_store_prepare (store, "SELECT label FROM library_theme WHERE id = ?1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  return g_strdup (id);
}

static gboolean
same_label (const char *a,
            const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_utf8_collate (fa, fb) == 0;
}

char *
bb_library_find_theme (BbStore    *store,
                       const char *id_or_label)
{
  g_autoptr(GPtrArray) themes = NULL;
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id_or_label != NULL, NULL);

  wanted = g_strstrip (g_strdup (id_or_label));
  themes = bb_library_list_themes (store, NULL);
  if (themes == NULL)
    return NULL;

  for (guint i = 0; i < themes->len; i++)
    {
      BbLibraryTheme *theme = g_ptr_array_index (themes, i);

      if (strcmp (theme->id, wanted) == 0 || same_label (theme->label, wanted))
        return g_strdup (theme->id);
    }
  for (guint i = 0; i < G_N_ELEMENTS (default_themes); i++)
    if (same_label (default_themes[i].label, wanted))
      return g_strdup (default_themes[i].id);

  return NULL;
}

static gboolean
theme_is_known (BbStore    *store,
                const char *id)
{
  g_autoptr(BbLibStmt) stmt = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (default_themes); i++)
    if (strcmp (default_themes[i].id, id) == 0)
      return TRUE;

  stmt = bb_store_prepare (store, "SELECT 1 FROM library_theme WHERE id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

gboolean
bb_library_add_theme (BbStore     *store,
                      const char  *label,
                      char       **out_id,
                      GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  g_autoptr(BbLibStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  clean = g_strstrip (g_strdup (label));
  if (*clean == '\0' || !g_utf8_validate (clean, -1, NULL) || g_utf8_strlen (clean, -1) > 80)
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_THEME,
                   _("A theme needs a name of at most 80 characters."));
      return FALSE;
    }
  existing = bb_library_find_theme (store, clean);
  if (existing != NULL)
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_THEME,
                   /* Translators: %s is the name of a theme */
                   _("There already is a theme “%s”."), clean);
      return FALSE;
    }

  uuid = g_uuid_string_random ();
  id = g_strconcat ("own-", uuid, NULL);
  now = bb_date_time_now_iso ();

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store, "INSERT INTO library_theme (id, label, created_at) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  g_clear_pointer (&stmt, bb_lib_stmt_reset);
  if (rc != SQLITE_DONE)
    {
      bb_library_sqlite_failed (store, rc, error);
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;

  bb_store_emit_changed (store);
  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

gboolean
bb_library_remove_theme (BbStore     *store,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(BbLibStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (default_themes); i++)
    if (strcmp (default_themes[i].id, id) == 0)
      {
        g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_THEME,
                     /* Translators: %s is the name of a theme */
                     _("“%s” is one of the standard themes and cannot be removed."),
                     _(default_themes[i].label));
        return FALSE;
      }

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store, "DELETE FROM library_theme WHERE id = ?1", error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  g_clear_pointer (&stmt, bb_lib_stmt_reset);
  if (rc != SQLITE_DONE)
    {
      bb_library_sqlite_failed (store, rc, error);
      bb_store_rollback (store);
      return FALSE;
    }
  if (sqlite3_changes (bb_store_get_db (store)) == 0)
    {
      bb_store_rollback (store);
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_THEME,
                   _("There is no such theme."));
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;

  bb_store_emit_changed (store);
  return TRUE;
}

/* The index */

static gboolean
exec_bound (BbStore     *store,
            const char  *sql,
            gint64       key,
            GError     **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return bb_library_sqlite_failed (store, rc, error);
  return TRUE;
}

static char *
join_array (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  GString *out = g_string_new (NULL);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            continue;
          if (out->len > 0)
            g_string_append (out, ", ");
          g_string_append (out, json_node_get_string (element));
        }
    }
  return g_string_free (out, FALSE);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The winner's body when the caller does not have it; NULL (and no
 * error) when it has none or it is not a JSON object. */
static gboolean
load_winner_body (BbStore     *store,
                  gint64       rev_key,
                  JsonObject **out_body,
                  GError     **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store, "SELECT body FROM replica_rev WHERE rev_key = ?1", error);
  g_autoptr(JsonNode) node = NULL;
  int rc;

  *out_body = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rev_key);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE ? TRUE : bb_library_sqlite_failed (store, rc, error);
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return TRUE;
  node = json_from_string ((const char *) sqlite3_column_text (stmt, 0), NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    *out_body = json_object_ref (json_node_get_object (node));
  return TRUE;
}

/* Whether @body is a library document the indexes show; @out_type: its
 * type member. */
static gboolean
indexable (JsonObject  *body,
           const char **out_type)
{
  BbLibraryDocType doc_type;

  /* Only library documents are indexed; anything else a peer sends is
   * kept in the replica but not shown. */
  if (body == NULL || g_strcmp0 (member_string (body, "format"), BB_LIBRARY_FORMAT) != 0)
    return FALSE;
  *out_type = member_string (body, "type");
  return bb_library_doc_type_from_string (*out_type, &doc_type);
}

/* The full-text row of @doc_key: removed, and made again from @body (the
 * winner @rev_key) when @body is not NULL. */
static gboolean
index_text_row (BbStore     *store,
                gint64       doc_key,
                gint64       rev_key,
                JsonObject  *body,
                GError     **error)
{
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *tags_raw = NULL;
  g_autofree char *names_text = NULL;
  GString *names;
  int rc;

  if (!exec_bound (store, "DELETE FROM library_fts WHERE rowid = ?1", doc_key, error))
    return FALSE;
  if (body == NULL)
    return TRUE;

  title = index_text (member_string (body, "title"));
  summary = index_text (member_string (body, "summary"));
  text = index_text (member_string (body, "body"));
  tags_raw = join_array (body, "tags");
  tags = index_text (tags_raw);

  names = g_string_new (NULL);
  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                "SELECT name FROM replica_attachment WHERE rev_key = ?1 ORDER BY name",
                                                error);
    if (stmt == NULL)
      {
        g_string_free (names, TRUE);
        return FALSE;
      }
    sqlite3_bind_int64 (stmt, 1, rev_key);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        if (names->len > 0)
          g_string_append (names, ", ");
        g_string_append (names, (const char *) sqlite3_column_text (stmt, 0));
      }
    if (rc != SQLITE_DONE)
      {
        g_string_free (names, TRUE);
        return bb_library_sqlite_failed (store, rc, error);
      }
  }
  names_text = index_text (names->str);
  g_string_free (names, TRUE);

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                "INSERT INTO library_fts (rowid, title, summary, body, tags, attachments)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                                error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, doc_key);
    sqlite3_bind_text (stmt, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, summary, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, tags, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 6, names_text, -1, SQLITE_STATIC);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (store, rc, error);
  }

  return TRUE;
}

gboolean
bb_library_index_winner (BbStore     *store,
                         gint64       doc_key,
                         gint64       rev_key,
                         JsonObject  *body,
                         gboolean     defer_text,
                         GError     **error)
{
  g_autoptr(JsonObject) loaded = NULL;
  g_autofree char *title = NULL;
  JsonNode *origin_node;
  const char *type = NULL;
  const char *council_id = "";
  int rc;

  if (!exec_bound (store, "DELETE FROM library_index WHERE doc_key = ?1", doc_key, error))
    return FALSE;

  /* Tokenizing the text is most of the cost of storing a document: a
   * batch from a peer leaves it to bb_library_flush_index(). The old row
   * stays until then; searches flush first (or leave the document out). */
  if (defer_text)
    {
      if (!exec_bound (store, "INSERT OR IGNORE INTO library_fts_pending (doc_key) VALUES (?1)", doc_key, error))
        return FALSE;
    }
  else if (!exec_bound (store, "DELETE FROM library_fts_pending WHERE doc_key = ?1", doc_key, error))
    return FALSE;

  if (rev_key != 0 && body == NULL)
    {
      if (!load_winner_body (store, rev_key, &loaded, error))
        return FALSE;
      body = loaded;
    }
  if (rev_key == 0 || !indexable (body, &type))
    return defer_text || index_text_row (store, doc_key, rev_key, NULL, error);

  origin_node = json_object_get_member (body, "origin");
  if (origin_node != NULL && JSON_NODE_HOLDS_OBJECT (origin_node) &&
      member_string (json_node_get_object (origin_node), "council_id") != NULL)
    council_id = member_string (json_node_get_object (origin_node), "council_id");

  title = index_text (member_string (body, "title"));

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                "INSERT INTO library_index (doc_key, type, title, origin_council_id)"
                                                " VALUES (?1, ?2, ?3, ?4)",
                                                error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, doc_key);
    sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, title, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, council_id, -1, SQLITE_STATIC);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (store, rc, error);
  }

  {
    JsonNode *themes = json_object_get_member (body, "themes");

    if (themes != NULL && JSON_NODE_HOLDS_ARRAY (themes))
      {
        JsonArray *array = json_node_get_array (themes);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            g_autoptr(BbLibStmt) stmt = NULL;

            if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
              continue;
            stmt = bb_store_prepare (store,
                                     "INSERT OR IGNORE INTO library_index_theme (theme, doc_key) VALUES (?1, ?2)",
                                     error);
            if (stmt == NULL)
              return FALSE;
            sqlite3_bind_text (stmt, 1, json_node_get_string (element), -1, SQLITE_STATIC);
            sqlite3_bind_int64 (stmt, 2, doc_key);
            rc = sqlite3_step (stmt);
            if (rc != SQLITE_DONE)
              return bb_library_sqlite_failed (store, rc, error);
          }
      }
  }

  return defer_text || index_text_row (store, doc_key, rev_key, body, error);
}

/* The deferred full-text index */

/* Documents per idle step: about 10–40 ms of work on this kind of
 * machine, so the main loop stays responsive while a large pull is
 * indexed. */
#define FLUSH_CHUNK 25
#define FLUSH_SOURCE_KEY "bb-library-index-flush"

static gboolean
count_pending (BbStore  *store,
               gint64   *out_count,
               GError  **error)
{
  g_autoptr(BbLibStmt) stmt = bb_store_prepare (store, "SELECT count(*) FROM library_fts_pending", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return bb_library_sqlite_failed (store, rc, error);
  *out_count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gint64
bb_library_get_index_pending (BbStore  *store,
                              GError  **error)
{
  gint64 count = 0;

  g_return_val_if_fail (BB_IS_STORE (store), -1);

  if (!count_pending (store, &count, error))
    return -1;
  return count;
}

/* Indexes up to @max (0: all) pending documents inside the caller's
 * transaction. */
static gboolean
flush_pending (BbStore  *store,
               guint     max,
               GError  **error)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                "SELECT doc_key FROM library_fts_pending ORDER BY doc_key"
                                                " LIMIT ?1",
                                                error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, max > 0 ? (gint64) max : -1);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 key = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (keys, key);
      }
    if (rc != SQLITE_DONE)
      return bb_library_sqlite_failed (store, rc, error);
  }

  for (guint i = 0; i < keys->len; i++)
    {
      gint64 doc_key = g_array_index (keys, gint64, i);
      g_autoptr(JsonObject) body = NULL;
      gint64 rev_key = 0;
      const char *type;

      {
        /* The list index already follows the winner: a document is in the
         * text index exactly when it is in the list index. */
        g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                    "SELECT d.winner FROM replica_doc d"
                                                    " JOIN library_index i ON i.doc_key = d.doc_key"
                                                    " WHERE d.doc_key = ?1 AND d.deleted = 0",
                                                    error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, doc_key);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
          rev_key = sqlite3_column_int64 (stmt, 0);
        else if (rc != SQLITE_DONE)
          return bb_library_sqlite_failed (store, rc, error);
      }

      if (rev_key != 0 && !load_winner_body (store, rev_key, &body, error))
        return FALSE;
      if (body != NULL && !indexable (body, &type))
        g_clear_pointer (&body, json_object_unref);
      if (!index_text_row (store, doc_key, rev_key, body, error) ||
          !exec_bound (store, "DELETE FROM library_fts_pending WHERE doc_key = ?1", doc_key, error))
        return FALSE;
    }

  return TRUE;
}

gint64
bb_library_flush_index (BbStore  *store,
                        guint     max_docs,
                        GError  **error)
{
  gint64 left = 0;

  g_return_val_if_fail (BB_IS_STORE (store), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (bb_store_get_db (store) == NULL)
    {
      g_set_error_literal (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                           _("The council file is already closed."));
      return -1;
    }
  if (!count_pending (store, &left, error))
    return -1;
  if (left == 0)
    return 0;

  if (!bb_store_begin (store, error))
    return -1;
  if (!flush_pending (store, max_docs, error) ||
      !count_pending (store, &left, error))
    {
      bb_store_rollback (store);
      return -1;
    }
  /* Only derived data changed: no "changed" signal, the documents and
   * lists are the same; searches see the new rows. */
  if (!bb_store_commit (store, error))
    return -1;
  return left;
}

static void
flush_source_free (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

static gboolean
flush_idle_cb (gpointer data)
{
  BbStore *store = data;
  g_autoptr(GError) error = NULL;
  gint64 left = -1;

  if (bb_store_get_db (store) != NULL && !bb_store_is_read_only (store))
    left = bb_library_flush_index (store, FLUSH_CHUNK, &error);
  if (left > 0)
    return G_SOURCE_CONTINUE;

  /* A failure (e.g. another program holds the file) is left to the next
   * search, which flushes and reports it. */
  if (error != NULL)
    g_debug ("The library's search index is not up to date: %s", error->message);
  /* Destroys this source. */
  g_object_set_data (G_OBJECT (store), FLUSH_SOURCE_KEY, NULL);
  return G_SOURCE_REMOVE;
}

void
bb_library_schedule_index_flush (BbStore *store)
{
  GSource *source;

  g_return_if_fail (BB_IS_STORE (store));

  if (g_object_get_data (G_OBJECT (store), FLUSH_SOURCE_KEY) != NULL)
    return;

  /* The source belongs to the store (object data), so it never outlives
   * it and needs no reference. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_LOW);
  g_source_set_callback (source, flush_idle_cb, store, NULL);
  g_source_set_static_name (source, "[buurtboek] library search index");
  g_source_attach (source, g_main_context_get_thread_default ());
  g_object_set_data_full (G_OBJECT (store), FLUSH_SOURCE_KEY, source, flush_source_free);
}

/* Documents in the store */

static void
mark_own (BbStore           *store,
          BbLibraryDocument *doc)
{
  gboolean own = g_strcmp0 (doc->origin_council_id, bb_store_get_council_id (store)) == 0;

  if (doc->is_own != own)
    {
      doc->is_own = own;
      g_object_notify_by_pspec (G_OBJECT (doc), properties[PROP_IS_OWN]);
    }
}

static BbLibraryDocument *
document_from_replica (BbStore     *store,
                       JsonObject  *object,
                       GError     **error)
{
  BbLibraryDocument *doc = bb_library_document_new_from_json (member_string (object, "_id"),
                                                               member_string (object, "_rev"),
                                                               object, error);
  if (doc != NULL)
    mark_own (store, doc);
  return doc;
}

BbLibraryDocument *
bb_library_get (BbStore     *store,
                const char  *id,
                GError     **error)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  object = bb_replica_get (store, id, NULL, BB_REPLICA_GET_CONFLICTS, error);
  if (object == NULL)
    return NULL;
  return document_from_replica (store, object, error);
}

static gboolean
check_document (BbStore            *store,
                BbLibraryDocument  *doc,
                GError            **error)
{
  g_autofree char *title = g_strstrip (g_strdup (doc->title));

  if (*title == '\0')
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_TITLE,
                   _("A library document needs a title."));
      return FALSE;
    }
  if (!g_utf8_validate (title, -1, NULL) || g_utf8_strlen (title, -1) > BB_LIBRARY_MAX_TITLE)
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_TITLE,
                   _("A title can be at most %d characters long."), BB_LIBRARY_MAX_TITLE);
      return FALSE;
    }
  if (!g_utf8_validate (doc->summary, -1, NULL) || !g_utf8_validate (doc->body, -1, NULL))
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_FIELD,
                   _("The text of the document is not valid UTF-8."));
      return FALSE;
    }

  for (guint i = 0; doc->themes[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) doc->read_themes, doc->themes[i]) &&
        !theme_is_known (store, doc->themes[i]))
      {
        g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_THEME,
                     /* Translators: %s is a theme id */
                     _("There is no theme “%s”."), doc->themes[i]);
        return FALSE;
      }

  set_string (doc, PROP_TITLE, title);
  return TRUE;
}

/* Re-reads the attachment list of the stored revision. */
static gboolean
reload_attachments (BbStore            *store,
                    BbLibraryDocument  *doc,
                    GError            **error)
{
  g_autoptr(GPtrArray) infos = bb_replica_list_attachments (store, doc->id, doc->rev, error);

  if (infos == NULL)
    return FALSE;

  g_list_store_remove_all (doc->attachments);
  for (guint i = 0; i < infos->len; i++)
    {
      BbReplicaAttachmentInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(BbLibraryAttachment) attachment = attachment_new (info->name, info->content_type,
                                                                 info->digest, info->length, NULL);

      g_list_store_append (doc->attachments, attachment);
    }
  return TRUE;
}

gboolean
bb_library_save (BbStore            *store,
                 BbLibraryDocument  *doc,
                 GError            **error)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autofree char *new_rev = NULL;
  g_autofree char *now = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *old_created = NULL;
  g_autofree char *old_updated = NULL;
  gboolean is_new;
  guint n;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_LIBRARY_DOCUMENT (doc), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_document (store, doc, error))
    return FALSE;

  is_new = doc->id == NULL;
  now = bb_date_time_now_iso ();
  old_created = g_strdup (doc->created_at);
  old_updated = g_strdup (doc->updated_at);

  if (is_new)
    {
      g_autoptr(BbCouncil) council = bb_store_dup_council (store);

      new_id = bb_store_new_id ();
      if (doc->origin_council_id == NULL)
        {
          doc->origin_council_id = g_strdup (bb_store_get_council_id (store));
          doc->origin_council_name = g_strdup (bb_council_get_name (council));
          doc->origin_municipality = g_strdup (bb_council_get_municipality (council));
        }
      if (doc->created_at == NULL)
        doc->created_at = g_strdup (now);
    }
  set_str (&doc->updated_at, now);

  body = bb_library_document_to_json (doc);

  attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_replica_attachment_free);
  n = g_list_model_get_n_items (G_LIST_MODEL (doc->attachments));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbLibraryAttachment) attachment = g_list_model_get_item (G_LIST_MODEL (doc->attachments), i);

      g_ptr_array_add (attachments, bb_replica_attachment_new (attachment->name, attachment->content_type,
                                                               attachment->data));
    }

  if (!bb_replica_put (store, is_new ? new_id : doc->id, is_new ? NULL : doc->rev,
                       body, FALSE, attachments, &new_rev, error))
    {
      /* The object stays as the user left it. */
      set_str (&doc->updated_at, old_updated);
      if (is_new)
        {
          set_str (&doc->created_at, old_created);
          if (g_strcmp0 (doc->origin_council_id, bb_store_get_council_id (store)) == 0 &&
              doc->derived_from_id == NULL)
            {
              g_clear_pointer (&doc->origin_council_id, g_free);
              g_clear_pointer (&doc->origin_council_name, g_free);
              g_clear_pointer (&doc->origin_municipality, g_free);
            }
        }
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (doc));
  if (is_new)
    {
      set_string (doc, PROP_ID, new_id);
      g_object_notify_by_pspec (G_OBJECT (doc), properties[PROP_ORIGIN_COUNCIL_ID]);
      g_object_notify_by_pspec (G_OBJECT (doc), properties[PROP_ORIGIN_COUNCIL_NAME]);
      g_object_notify_by_pspec (G_OBJECT (doc), properties[PROP_ORIGIN_MUNICIPALITY]);
      g_object_notify_by_pspec (G_OBJECT (doc), properties[PROP_CREATED_AT]);
    }
  set_string (doc, PROP_REV, new_rev);
  g_object_notify_by_pspec (G_OBJECT (doc), properties[PROP_UPDATED_AT]);
  g_strfreev (doc->read_themes);
  doc->read_themes = g_strdupv (doc->themes);
  mark_own (store, doc);
  g_object_thaw_notify (G_OBJECT (doc));

  /* The write is done; a failure to re-read the list only leaves it
   * showing pending attachments. */
  if (!reload_attachments (store, doc, NULL))
    g_warning ("Could not re-read the attachments of %s", doc->id);

  return TRUE;
}

/* Tombstones on every live leaf of @id, in one transaction. */
gboolean
bb_library_delete (BbStore     *store,
                   const char  *id,
                   char       **out_rev,
                   GError     **error)
{
  g_autoptr(GPtrArray) leaves = NULL;
  g_autofree char *winner_rev = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  winner_rev = bb_replica_get_winning_rev (store, id, &deleted, error);
  if (winner_rev == NULL)
    return FALSE;
  if (deleted)
    {
      g_set_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND,
                   _("The document was already deleted."));
      return FALSE;
    }

  leaves = bb_replica_get_leaves (store, id, error);
  if (leaves == NULL)
    return FALSE;

  return bb_replica_delete_leaves (store, id, leaves, out_rev, error);
}

gboolean
bb_library_undelete (BbStore     *store,
                     const char  *id,
                     char       **out_rev,
                     GError     **error)
{
  g_autoptr(JsonObject) tombstone = NULL;
  g_autoptr(JsonObject) previous = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autofree char *winner_rev = NULL;
  g_autofree char *previous_rev = NULL;
  g_autoptr(GList) members = NULL;
  gboolean deleted = FALSE;
  JsonObject *revisions;
  JsonArray *ids;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  winner_rev = bb_replica_get_winning_rev (store, id, &deleted, error);
  if (winner_rev == NULL)
    return FALSE;
  if (!deleted)
    {
      g_set_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT,
                   _("The document is not deleted."));
      return FALSE;
    }

  tombstone = bb_replica_get (store, id, winner_rev, BB_REPLICA_GET_REVS, error);
  if (tombstone == NULL)
    return FALSE;
  revisions = json_object_get_object_member (tombstone, "_revisions");
  ids = json_object_get_array_member (revisions, "ids");
  if (json_array_get_length (ids) < 2)
    {
      g_set_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND,
                   _("The document’s earlier text is no longer available."));
      return FALSE;
    }
  previous_rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s",
                                  json_object_get_int_member (revisions, "start") - 1,
                                  json_array_get_string_element (ids, 1));
  previous = bb_replica_get (store, id, previous_rev, BB_REPLICA_GET_NONE, error);
  if (previous == NULL)
    return FALSE;

  body = json_object_new ();
  members = json_object_get_members (previous);
  for (GList *l = members; l != NULL; l = l->next)
    if (((const char *) l->data)[0] != '_')
      json_object_set_member (body, l->data, json_node_copy (json_object_get_member (previous, l->data)));

  infos = bb_replica_list_attachments (store, id, previous_rev, error);
  if (infos == NULL)
    return FALSE;
  attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_replica_attachment_free);
  for (guint i = 0; i < infos->len; i++)
    {
      BbReplicaAttachmentInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(GBytes) data = bb_replica_get_attachment_data (store, id, previous_rev, info->name, NULL, error);

      if (data == NULL)
        return FALSE;
      g_ptr_array_add (attachments, bb_replica_attachment_new (info->name, info->content_type, data));
    }

  return bb_replica_put (store, id, winner_rev, body, FALSE, attachments, out_rev, error);
}

static int
compare_by_title (gconstpointer a,
                  gconstpointer b)
{
  BbLibraryDocument *da = *(BbLibraryDocument * const *) a;
  BbLibraryDocument *db = *(BbLibraryDocument * const *) b;
  g_autofree char *ka = g_utf8_collate_key (da->title, -1);
  g_autofree char *kb = g_utf8_collate_key (db->title, -1);

  return strcmp (ka, kb);
}

/* Binds the filter to ?2 (type), ?3 (theme), ?4 (origin council). */
static void
bind_filter (sqlite3_stmt          *stmt,
             const BbLibraryFilter *filter)
{
  if (filter == NULL)
    return;
  if (!filter->any_type)
    sqlite3_bind_text (stmt, 2, doc_type_names[filter->type], -1, SQLITE_STATIC);
  if (filter->theme != NULL)
    sqlite3_bind_text (stmt, 3, filter->theme, -1, SQLITE_TRANSIENT);
  if (filter->origin_council != NULL)
    sqlite3_bind_text (stmt, 4, filter->origin_council, -1, SQLITE_TRANSIENT);
}

#define FILTER_SQL \
  " (?2 IS NULL OR i.type = ?2)" \
  " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM library_index_theme t" \
  "      WHERE t.theme = ?3 AND t.doc_key = i.doc_key))" \
  " AND (?4 IS NULL OR i.origin_council_id = ?4)"

GListModel *
bb_library_list (BbStore               *store,
                 const BbLibraryFilter *filter,
                 GError               **error)
{
  g_autoptr(GListStore) result = g_list_store_new (BB_TYPE_LIBRARY_DOCUMENT);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                "SELECT d.doc_id, ?1 FROM library_index i"
                                                " JOIN replica_doc d ON d.doc_key = i.doc_key"
                                                " WHERE" FILTER_SQL,
                                                error);
    if (stmt == NULL)
      return NULL;
    bind_filter (stmt, filter);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    if (rc != SQLITE_DONE)
      {
        bb_library_sqlite_failed (store, rc, error);
        return NULL;
      }
  }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      BbLibraryDocument *doc = bb_library_get (store, g_ptr_array_index (ids, i), &local_error);

      if (doc == NULL)
        {
          if (local_error->domain == BB_STORE_ERROR)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_debug ("Skipping library document %s: %s",
                   (const char *) g_ptr_array_index (ids, i), local_error->message);
          continue;
        }
      g_ptr_array_add (docs, doc);
    }

  g_ptr_array_sort (docs, compare_by_title);
  g_list_store_splice (result, 0, 0, docs->pdata, docs->len);
  return G_LIST_MODEL (g_steal_pointer (&result));
}

typedef struct {
  char *id;
  char *key;
} TitleKey;

static void
title_key_clear (gpointer data)
{
  TitleKey *row = data;

  g_free (row->id);
  g_free (row->key);
}

static int
compare_title_keys (gconstpointer a,
                    gconstpointer b)
{
  return strcmp (((const TitleKey *) a)->key, ((const TitleKey *) b)->key);
}

GListModel *
bb_library_list_limited (BbStore               *store,
                         const BbLibraryFilter *filter,
                         guint                  limit,
                         guint                 *out_total,
                         GError               **error)
{
  g_autoptr(GListStore) result = g_list_store_new (BB_TYPE_LIBRARY_DOCUMENT);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (TitleKey));
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  g_array_set_clear_func (rows, title_key_clear);

  {
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                "SELECT d.doc_id, i.title, ?1 FROM library_index i"
                                                " JOIN replica_doc d ON d.doc_key = i.doc_key"
                                                " WHERE" FILTER_SQL,
                                                error);
    if (stmt == NULL)
      return NULL;
    bind_filter (stmt, filter);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        /* Only the titles are read and sorted (as bb_library_list()
         * sorts); the bodies only of the documents returned. */
        TitleKey row = {
          g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
          g_utf8_collate_key ((const char *) sqlite3_column_text (stmt, 1), -1),
        };

        g_array_append_val (rows, row);
      }
    if (rc != SQLITE_DONE)
      {
        bb_library_sqlite_failed (store, rc, error);
        return NULL;
      }
  }

  g_array_sort (rows, compare_title_keys);

  for (guint i = 0; i < rows->len && g_list_model_get_n_items (G_LIST_MODEL (result)) < limit; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(BbLibraryDocument) doc = bb_library_get (store, g_array_index (rows, TitleKey, i).id, &local_error);

      if (doc == NULL)
        {
          if (local_error->domain == BB_STORE_ERROR)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          continue;
        }
      g_list_store_append (result, doc);
    }

  if (out_total != NULL)
    *out_total = rows->len;

  return G_LIST_MODEL (g_steal_pointer (&result));
}

void
bb_library_origin_free (BbLibraryOrigin *origin)
{
  if (origin == NULL)
    return;

  g_free (origin->council_id);
  g_free (origin->name);
  g_free (origin->municipality);
  g_free (origin);
}

GPtrArray *
bb_library_list_origins (BbStore  *store,
                         GError  **error)
{
  g_autoptr(GPtrArray) origins = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_library_origin_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  {
    /* One document per council names it. */
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                "SELECT MIN(d.doc_id) FROM library_index i"
                                                " JOIN replica_doc d ON d.doc_key = i.doc_key"
                                                " WHERE i.origin_council_id <> ''"
                                                " GROUP BY i.origin_council_id",
                                                error);
    if (stmt == NULL)
      return NULL;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    if (rc != SQLITE_DONE)
      {
        bb_library_sqlite_failed (store, rc, error);
        return NULL;
      }
  }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(BbLibraryDocument) doc = bb_library_get (store, g_ptr_array_index (ids, i), NULL);
      BbLibraryOrigin *origin;

      if (doc == NULL)
        continue;

      origin = g_new0 (BbLibraryOrigin, 1);
      origin->council_id = g_strdup (bb_library_document_get_origin_council_id (doc));
      origin->name = g_strdup (bb_library_document_get_origin_council_name (doc));
      origin->municipality = g_strdup (bb_library_document_get_origin_municipality (doc));
      g_ptr_array_add (origins, origin);
    }

  return g_steal_pointer (&origins);
}

/* Search */

struct _BbLibrarySearchResult
{
  GObject             parent_instance;

  BbLibraryDocument  *document;   /* read on first use */
  GWeakRef            store;
  char               *id;
  char               *title;
  char               *snippet;
  double              rank;
};

enum {
  RESULT_PROP_0,
  RESULT_PROP_DOCUMENT,
  RESULT_PROP_TITLE,
  RESULT_PROP_SNIPPET,
  RESULT_PROP_RANK,
  N_RESULT_PROPS
};

static GParamSpec *result_properties[N_RESULT_PROPS];

G_DEFINE_FINAL_TYPE (BbLibrarySearchResult, bb_library_search_result, G_TYPE_OBJECT)

static void
bb_library_search_result_finalize (GObject *object)
{
  BbLibrarySearchResult *self = BB_LIBRARY_SEARCH_RESULT (object);

  g_clear_object (&self->document);
  g_weak_ref_clear (&self->store);
  g_free (self->id);
  g_free (self->title);
  g_free (self->snippet);

  G_OBJECT_CLASS (bb_library_search_result_parent_class)->finalize (object);
}

static void
bb_library_search_result_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  BbLibrarySearchResult *self = BB_LIBRARY_SEARCH_RESULT (object);

  switch (prop_id)
    {
    case RESULT_PROP_DOCUMENT:
      g_value_set_object (value, bb_library_search_result_get_document (self));
      break;
    case RESULT_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case RESULT_PROP_SNIPPET:
      g_value_set_string (value, self->snippet);
      break;
    case RESULT_PROP_RANK:
      g_value_set_double (value, self->rank);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_library_search_result_class_init (BbLibrarySearchResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = bb_library_search_result_finalize;
  object_class->get_property = bb_library_search_result_get_property;

  result_properties[RESULT_PROP_DOCUMENT] = g_param_spec_object ("document", NULL, NULL,
                                                                 BB_TYPE_LIBRARY_DOCUMENT, flags);
  result_properties[RESULT_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  result_properties[RESULT_PROP_SNIPPET] = g_param_spec_string ("snippet", NULL, NULL, NULL, flags);
  result_properties[RESULT_PROP_RANK] = g_param_spec_double ("rank", NULL, NULL,
                                                             -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  g_object_class_install_properties (object_class, N_RESULT_PROPS, result_properties);
}

static void
bb_library_search_result_init (BbLibrarySearchResult *self)
{
  g_weak_ref_init (&self->store, NULL);
}

/* The document is read when first asked for: a list of results only
 * needs the title and snippet, and reading 20 bodies would double the
 * time a search takes. */
BbLibraryDocument *
bb_library_search_result_get_document (BbLibrarySearchResult *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_SEARCH_RESULT (self), NULL);

  if (self->document == NULL)
    {
      g_autoptr(BbStore) store = g_weak_ref_get (&self->store);
      g_autoptr(GError) error = NULL;

      if (store != NULL)
        self->document = bb_library_get (store, self->id, &error);
      if (self->document == NULL)
        {
          /* Deleted or the store closed since the search: an empty
           * document with the title, never NULL. */
          g_autofree char *title = bb_library_marked_to_plain (self->title);

          g_debug ("Search result %s: %s", self->id, error != NULL ? error->message : "store closed");
          self->document = bb_library_document_new ();
          self->document->id = g_strdup (self->id);
          set_str (&self->document->title, title);
        }
    }
  return self->document;
}

const char *
bb_library_search_result_get_title (BbLibrarySearchResult *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_SEARCH_RESULT (self), NULL);
  return self->title;
}

const char *
bb_library_search_result_get_snippet (BbLibrarySearchResult *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_SEARCH_RESULT (self), NULL);
  return self->snippet;
}

double
bb_library_search_result_get_rank (BbLibrarySearchResult *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_SEARCH_RESULT (self), 0);
  return self->rank;
}

/* The user's words as an FTS5 query: each word a quoted prefix term, all
 * required. Anything but letters and digits separates words, so no input
 * can be an FTS5 syntax error. NULL when there are no words. */
static char *
build_match (const char *query)
{
  GString *match = g_string_new (NULL);
  GString *word = g_string_new (NULL);
  const char *p = query;

  for (;; p = g_utf8_next_char (p))
    {
      gunichar c = *p != '\0' ? g_utf8_get_char (p) : 0;

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c)))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          if (match->len > 0)
            g_string_append_c (match, ' ');
          /* Letters and digits only: no quote can occur inside. */
          g_string_append_printf (match, "\"%s\"*", word->str);
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }

  g_string_free (word, TRUE);
  if (match->len == 0)
    {
      g_string_free (match, TRUE);
      return NULL;
    }
  return g_string_free (match, FALSE);
}

static gboolean
has_marker (const char *text)
{
  return text != NULL && strchr (text, BB_LIBRARY_MATCH_START[0]) != NULL;
}

GListModel *
bb_library_search (BbStore               *store,
                   const char            *query,
                   const BbLibraryFilter *filter,
                   int                    limit,
                   GError               **error)
{
  g_autoptr(GListStore) result = g_list_store_new (BB_TYPE_LIBRARY_SEARCH_RESULT);
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *match = NULL;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  if (query == NULL || !g_utf8_validate (query, -1, NULL) || (match = build_match (query)) == NULL)
    return G_LIST_MODEL (g_steal_pointer (&result));
  if (limit <= 0)
    limit = 50;

  /* Documents stored from a peer may still wait for their text to be
   * indexed: a writable store indexes them now, so nothing is missed. A
   * read-only one cannot (nor one whose file another program is writing);
   * the query leaves those documents out rather than match an old text
   * (bb_library_get_index_pending() says how many). */
  if (!bb_store_is_read_only (store))
    {
      g_autoptr(GError) flush_error = NULL;

      if (bb_library_flush_index (store, 0, &flush_error) < 0)
        g_debug ("Searching without the documents still to be indexed: %s", flush_error->message);
    }

  {
    /* FTS5 sorts by rank itself, so the highlight and snippets are only
     * made for the rows returned. Title weighs most, then summary, tags,
     * attachment names, body. */
    g_autoptr(BbLibStmt) stmt = bb_store_prepare (store,
                                                "SELECT d.doc_id, highlight (library_fts, 0, char (2), char (3)),"
                                                " snippet (library_fts, 2, char (2), char (3), '…', 16),"
                                                " snippet (library_fts, -1, char (2), char (3), '…', 16),"
                                                " rank, library_fts.summary"
                                                " FROM library_fts"
                                                " JOIN library_index i ON i.doc_key = library_fts.rowid"
                                                " JOIN replica_doc d ON d.doc_key = library_fts.rowid"
                                                " WHERE library_fts MATCH ?1"
                                                " AND rank MATCH 'bm25(10.0, 4.0, 1.0, 3.0, 2.0)'"
                                                " AND library_fts.rowid NOT IN (SELECT doc_key FROM library_fts_pending)"
                                                " AND" FILTER_SQL
                                                " ORDER BY rank LIMIT ?5",
                                                error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
    bind_filter (stmt, filter);
    sqlite3_bind_int (stmt, 5, limit);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        BbLibrarySearchResult *hit = g_object_new (BB_TYPE_LIBRARY_SEARCH_RESULT, NULL);
        const char *body_snippet = (const char *) sqlite3_column_text (stmt, 2);
        const char *any_snippet = (const char *) sqlite3_column_text (stmt, 3);
        const char *summary = (const char *) sqlite3_column_text (stmt, 5);

        hit->title = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        /* The snippet shows where the words occur besides the title. */
        if (has_marker (body_snippet))
          hit->snippet = g_strdup (body_snippet);
        else if (has_marker (any_snippet) && g_strcmp0 (any_snippet, hit->title) != 0)
          hit->snippet = g_strdup (any_snippet);
        else
          hit->snippet = g_strdup (summary != NULL ? summary : "");
        /* One line for a list row: line breaks of the text become spaces. */
        g_strdelimit (hit->snippet, "\r\n\t", ' ');
        hit->rank = sqlite3_column_double (stmt, 4);
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
        g_ptr_array_add (hits, hit);
      }
    if (rc != SQLITE_DONE)
      {
        bb_library_sqlite_failed (store, rc, error);
        return NULL;
      }
  }

  for (guint i = 0; i < hits->len; i++)
    {
      BbLibrarySearchResult *hit = g_ptr_array_index (hits, i);

      hit->id = g_strdup (g_ptr_array_index (ids, i));
      g_weak_ref_set (&hit->store, store);
    }
  g_list_store_splice (result, 0, 0, hits->pdata, hits->len);

  return G_LIST_MODEL (g_steal_pointer (&result));
}

/* Reuse and attachments */

BbLibraryDocument *
bb_library_use_as_own (BbStore     *store,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(BbLibraryDocument) original = NULL;
  g_autoptr(BbLibraryDocument) copy = NULL;
  guint n;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  original = bb_library_get (store, id, error);
  if (original == NULL)
    return NULL;
  if (original->is_own)
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_OWN,
                   _("This document already belongs to your council."));
      return NULL;
    }

  copy = bb_library_document_new ();
  copy->doc_type = original->doc_type;
  set_str (&copy->title, original->title);
  set_str (&copy->summary, original->summary);
  set_str (&copy->body, original->body);
  set_str (&copy->language, original->language);
  set_str (&copy->licence, original->licence);
  g_strfreev (copy->themes);
  copy->themes = g_strdupv (original->themes);
  g_strfreev (copy->read_themes);
  copy->read_themes = g_strdupv (original->themes);
  g_strfreev (copy->tags);
  copy->tags = g_strdupv (original->tags);
  copy->derived_from_id = g_strdup (original->id);
  copy->derived_from_rev = g_strdup (original->rev);
  copy->derived_from_council = g_strdup (original->origin_council_name);
  copy->derived_from_licence = g_strdup (original->licence);
  if (original->extra != NULL)
    copy->extra = json_object_ref (original->extra);

  /* The same content: stored once, as a blob both revisions share. */
  n = g_list_model_get_n_items (G_LIST_MODEL (original->attachments));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbLibraryAttachment) attachment = g_list_model_get_item (G_LIST_MODEL (original->attachments), i);
      g_autoptr(GBytes) data = bb_replica_get_attachment_data (store, original->id, original->rev,
                                                               attachment->name, NULL, error);
      if (data == NULL)
        return NULL;
      bb_library_document_add_attachment_bytes (copy, attachment->name, attachment->content_type, data);
    }

  if (!bb_library_save (store, copy, error))
    return NULL;
  return g_steal_pointer (&copy);
}

GBytes *
bb_library_get_attachment_bytes (BbStore     *store,
                                 const char  *id,
                                 const char  *rev,
                                 const char  *name,
                                 GError     **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return bb_replica_get_attachment_data (store, id, rev, name, NULL, error);
}

gboolean
bb_library_save_attachment_to (BbStore       *store,
                               const char    *id,
                               const char    *rev,
                               const char    *name,
                               GFile         *dest,
                               gboolean       overwrite,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GBytes) data = NULL;
  gsize size;
  const void *bytes;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (dest), FALSE);

  if (!overwrite && g_file_query_exists (dest, cancellable))
    {
      g_autofree char *display = g_file_get_parse_name (dest);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   /* Translators: %s is a file name */
                   _("“%s” already exists."), display);
      return FALSE;
    }

  data = bb_library_get_attachment_bytes (store, id, rev, name, error);
  if (data == NULL)
    return FALSE;

  bytes = g_bytes_get_data (data, &size);
  /* g_file_replace_contents writes a temporary file and renames it. */
  return g_file_replace_contents (dest, bytes != NULL ? bytes : "", size, NULL, FALSE,
                                  G_FILE_CREATE_NONE, NULL, cancellable, error);
}

/* Handover */

gboolean
bb_library_handover_export (BbStore      *store,
                            JsonBuilder  *builder,
                            GError      **error)
{
  g_autoptr(BbLibStmt) stmt = NULL;
  int rc;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "themes");
  json_builder_begin_array (builder);
  stmt = bb_store_prepare (store, "SELECT id, label, created_at FROM library_theme ORDER BY created_at, id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 2));
      json_builder_end_object (builder);
    }
  if (rc != SQLITE_DONE)
    return bb_library_sqlite_failed (store, rc, error);
  g_clear_pointer (&stmt, bb_lib_stmt_reset);
  json_builder_end_array (builder);

  if (!bb_replica_export_section (store, builder, error))
    return FALSE;

  json_builder_end_object (builder);
  return TRUE;
}

gboolean
bb_library_handover_import (BbStore   *store,
                            JsonNode  *node,
                            GError   **error)
{
  static const char * const keys[] = { "themes", "revs_limit", "documents", "blobs" };
  static const char * const theme_keys[] = { "id", "label", "created_at" };
  JsonObject *section;
  JsonNode *themes_node;
  JsonArray *themes;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The handover document’s field “%s” must be an object."), "library");
      return FALSE;
    }
  section = json_node_get_object (node);
  if (!bb_handover_check_keys (section, "library", keys, G_N_ELEMENTS (keys), error))
    return FALSE;

  themes_node = json_object_get_member (section, "themes");
  if (themes_node == NULL || !JSON_NODE_HOLDS_ARRAY (themes_node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The handover document’s field “%s” must be a list."), "library.themes");
      return FALSE;
    }
  themes = json_node_get_array (themes_node);
  for (guint i = 0; i < json_array_get_length (themes); i++)
    {
      g_autofree char *field = g_strdup_printf ("library.themes[%u]", i);
      JsonNode *element = json_array_get_element (themes, i);
      g_autoptr(BbLibStmt) stmt = NULL;
      const char *id, *label, *created_at;
      int rc;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The handover document’s field “%s” must be an object."), field);
          return FALSE;
        }
      if (!bb_handover_check_keys (json_node_get_object (element), field, theme_keys, G_N_ELEMENTS (theme_keys), error) ||
          !bb_handover_read_string (json_node_get_object (element), field, "id", TRUE, &id, error) ||
          !bb_handover_read_string (json_node_get_object (element), field, "label", TRUE, &label, error) ||
          !bb_handover_read_timestamp (json_node_get_object (element), field, "created_at", &created_at, error))
        return FALSE;
      if (!g_str_has_prefix (id, "own-") || *label == '\0')
        {
          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The handover document’s field “%s” is not an own theme."), field);
          return FALSE;
        }

      stmt = bb_store_prepare (store, "INSERT INTO library_theme (id, label, created_at) VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, label, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, created_at, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_CONSTRAINT)
        {
          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The handover document’s field “%s” repeats a theme."), field);
          return FALSE;
        }
      if (rc != SQLITE_DONE)
        return bb_library_sqlite_failed (store, rc, error);
    }

  return bb_replica_import_section (store, section, "library", error);
}
