/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The library: best-practice documents and templates, stored as documents
 * of the replica (bb-replica.h) so they can be exchanged with CouchDB,
 * PouchDB and other Buurtboek instances. The JSON body of a document is
 * described in docs/library-format.md; a peer exchanges exactly that.
 *
 * Write functions make one transaction each and emit BbStore::changed;
 * read functions never write. Everything runs on the store's thread.
 * Errors are BB_LIBRARY_ERROR (bad input, with a translated message naming
 * the field), BB_REPLICA_ERROR (NOT_FOUND, CONFLICT when someone else
 * changed the document since it was read) or BB_STORE_ERROR (storage). */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_LIBRARY_ERROR (bb_library_error_quark ())

typedef enum {
  BB_LIBRARY_ERROR_TITLE,       /* empty or too long title */
  BB_LIBRARY_ERROR_FIELD,       /* another field is wrong (message names it) */
  BB_LIBRARY_ERROR_THEME,       /* unknown theme, or a default theme cannot be removed */
  BB_LIBRARY_ERROR_ATTACHMENT,  /* bad attachment name, or too large */
  BB_LIBRARY_ERROR_NOT_LIBRARY, /* the replica document is not a library document */
  BB_LIBRARY_ERROR_OWN,         /* "use as my own" on a document that already is */
} BbLibraryError;

GQuark bb_library_error_quark (void);

/* The "format" member of every library document's body. */
#define BB_LIBRARY_FORMAT "buurtboek-library/1"
#define BB_LIBRARY_DEFAULT_LICENCE "CC-BY-4.0"
#define BB_LIBRARY_DEFAULT_LANGUAGE "nl"
#define BB_LIBRARY_MAX_TITLE 200
/* Per attachment, in bytes. */
#define BB_LIBRARY_MAX_ATTACHMENT (50 * 1024 * 1024)

typedef enum {
  BB_LIBRARY_DOC_PRACTICE,   /* a description of what worked */
  BB_LIBRARY_DOC_TEMPLATE,   /* a document to reuse */
  BB_LIBRARY_DOC_RULE_SET,   /* a grantor's rules (the money feature) */
} BbLibraryDocType;

/* "practice", "template", "rule_set": the body's "type". */
const char *bb_library_doc_type_to_string   (BbLibraryDocType  type);
gboolean    bb_library_doc_type_from_string (const char       *text,
                                             BbLibraryDocType *out_type);
/* Translated, for display. */
const char *bb_library_doc_type_get_label   (BbLibraryDocType  type);

/* Search highlighting: marked text has each match between these two
 * control characters (which are removed from indexed text, so they never
 * occur otherwise). */
#define BB_LIBRARY_MATCH_START "\x02"
#define BB_LIBRARY_MATCH_END   "\x03"

/* Turns marked text into safe Pango markup: everything escaped, matches
 * in <b>…</b>. Returns: (transfer full) */
char       *bb_library_marked_to_markup     (const char       *marked);
/* The marked text without its markers. Returns: (transfer full) */
char       *bb_library_marked_to_plain      (const char       *marked);

/* ------------------------------------------------------------------ */
/* BbLibraryAttachment: one file of a document (read-only properties
 * "name", "content-type", "length", "digest", "pending"). */

#define BB_TYPE_LIBRARY_ATTACHMENT (bb_library_attachment_get_type ())
G_DECLARE_FINAL_TYPE (BbLibraryAttachment, bb_library_attachment, BB, LIBRARY_ATTACHMENT, GObject)

const char  *bb_library_attachment_get_name         (BbLibraryAttachment *self);
const char  *bb_library_attachment_get_content_type (BbLibraryAttachment *self);
gint64       bb_library_attachment_get_length       (BbLibraryAttachment *self);
/* NULL while pending. */
const char  *bb_library_attachment_get_digest       (BbLibraryAttachment *self);
/* Added to the document object but not saved yet. */
gboolean     bb_library_attachment_get_pending      (BbLibraryAttachment *self);

/* ------------------------------------------------------------------ */
/* BbLibraryDocument: one document as the UI edits it. Properties with the
 * same names as the getters ("id", "rev", "doc-type", "title", "summary",
 * "body", "themes", "tags", "language", "licence", "origin-council-id",
 * "origin-council-name", "origin-municipality", "created-at", "updated-at",
 * "derived-from-id", "derived-from-rev", "derived-from-council",
 * "derived-from-licence", "is-own", "has-conflicts"); all notify. Setters
 * only change the object; bb_library_save() stores it. */

#define BB_TYPE_LIBRARY_DOCUMENT (bb_library_document_get_type ())
G_DECLARE_FINAL_TYPE (BbLibraryDocument, bb_library_document, BB, LIBRARY_DOCUMENT, GObject)

/* A new unsaved practice with licence CC-BY-4.0 and language "nl". */
BbLibraryDocument *bb_library_document_new          (void);

/* NULL until saved. */
const char  *bb_library_document_get_id             (BbLibraryDocument *self);
/* The revision this object was read from or saved as (NULL until saved). */
const char  *bb_library_document_get_rev            (BbLibraryDocument *self);

BbLibraryDocType bb_library_document_get_doc_type   (BbLibraryDocument *self);
void         bb_library_document_set_doc_type       (BbLibraryDocument *self,
                                                     BbLibraryDocType   type);
const char  *bb_library_document_get_title          (BbLibraryDocument *self);
void         bb_library_document_set_title          (BbLibraryDocument *self,
                                                     const char        *title);
const char  *bb_library_document_get_summary        (BbLibraryDocument *self);
void         bb_library_document_set_summary        (BbLibraryDocument *self,
                                                     const char        *summary);
/* CommonMark source. */
const char  *bb_library_document_get_body           (BbLibraryDocument *self);
void         bb_library_document_set_body           (BbLibraryDocument *self,
                                                     const char        *body);
/* Theme ids (see bb_library_list_themes()); never NULL, maybe empty. */
const char * const *bb_library_document_get_themes  (BbLibraryDocument *self);
void         bb_library_document_set_themes         (BbLibraryDocument *self,
                                                     const char * const *themes);
const char * const *bb_library_document_get_tags    (BbLibraryDocument *self);
/* Tags are trimmed; empty and duplicate ones dropped. */
void         bb_library_document_set_tags           (BbLibraryDocument *self,
                                                     const char * const *tags);
/* BCP 47, e.g. "nl". */
const char  *bb_library_document_get_language       (BbLibraryDocument *self);
void         bb_library_document_set_language       (BbLibraryDocument *self,
                                                     const char        *language);
/* An SPDX licence id such as "CC-BY-4.0". */
const char  *bb_library_document_get_licence        (BbLibraryDocument *self);
void         bb_library_document_set_licence        (BbLibraryDocument *self,
                                                     const char        *licence);

/* Where the document comes from; filled in by bb_library_save() for a new
 * document (the council of the store). */
const char  *bb_library_document_get_origin_council_id   (BbLibraryDocument *self);
const char  *bb_library_document_get_origin_council_name (BbLibraryDocument *self);
const char  *bb_library_document_get_origin_municipality (BbLibraryDocument *self);
/* ISO 8601 UTC, set by bb_library_save(). */
const char  *bb_library_document_get_created_at     (BbLibraryDocument *self);
const char  *bb_library_document_get_updated_at     (BbLibraryDocument *self);

/* The attribution kept by bb_library_use_as_own(): the original's id,
 * revision, council name and licence. All NULL for an original. */
const char  *bb_library_document_get_derived_from_id      (BbLibraryDocument *self);
const char  *bb_library_document_get_derived_from_rev     (BbLibraryDocument *self);
const char  *bb_library_document_get_derived_from_council (BbLibraryDocument *self);
const char  *bb_library_document_get_derived_from_licence (BbLibraryDocument *self);

/* Whether the origin council is the store's own council (set when read
 * from or saved to a store). */
gboolean     bb_library_document_get_is_own        (BbLibraryDocument *self);
/* Whether the document had conflicting live revisions when it was read. */
gboolean     bb_library_document_get_has_conflicts  (BbLibraryDocument *self);

/* (element-type BbLibraryAttachment) (transfer none): the attachments, by
 * name; the model changes as attachments are added or removed. */
GListModel  *bb_library_document_get_attachments    (BbLibraryDocument *self);
/* Adds or replaces (same name) an attachment, pending until saved.
 * @content_type: NULL guesses from the name and content. */
void         bb_library_document_add_attachment_bytes (BbLibraryDocument *self,
                                                       const char        *name,
                                                       const char        *content_type,
                                                       GBytes            *data);
/* Reads the whole file now (the name is the file's display name); fails
 * with BB_LIBRARY_ERROR_ATTACHMENT beyond BB_LIBRARY_MAX_ATTACHMENT. */
gboolean     bb_library_document_add_attachment_file  (BbLibraryDocument *self,
                                                       GFile             *file,
                                                       GCancellable      *cancellable,
                                                       GError           **error);
/* Returns whether there was one. */
gboolean     bb_library_document_remove_attachment    (BbLibraryDocument *self,
                                                       const char        *name);

/* The body stored in the replica (no "_" members; see
 * docs/library-format.md). Members this version does not know, read from
 * a newer peer's document, are kept.
 * Returns: (transfer full) */
JsonObject  *bb_library_document_to_json            (BbLibraryDocument *self);
/* Reads a replica body; lenient with missing members (defaults), strict
 * with wrong types (BB_LIBRARY_ERROR_FIELD) and a missing or foreign
 * "format" (BB_LIBRARY_ERROR_NOT_LIBRARY). @id and @rev: (nullable). */
BbLibraryDocument *bb_library_document_new_from_json (const char  *id,
                                                      const char  *rev,
                                                      JsonObject  *body,
                                                      GError     **error);

/* ------------------------------------------------------------------ */
/* Documents in the store */

/* Creates (id NULL: a new id; origin = the store's council; created_at and
 * updated_at = now) or updates (parent = the object's rev; updated_at =
 * now; a stale rev is BB_REPLICA_ERROR_CONFLICT) the document, with its
 * pending attachments added and removed ones dropped. Checks the title
 * (BB_LIBRARY_ERROR_TITLE) and themes (known ones only,
 * BB_LIBRARY_ERROR_THEME). On success the object gets its id, new rev and
 * times, and its attachments are no longer pending. */
gboolean     bb_library_save                (BbStore            *store,
                                             BbLibraryDocument  *doc,
                                             GError            **error);

/* Writes a tombstone over the winner of @id. @out_rev: (optional) the
 * tombstone's rev. Conflicting live leaves (if any) are deleted too, so
 * the document is gone everywhere after sync. */
gboolean     bb_library_delete              (BbStore            *store,
                                             const char         *id,
                                             char              **out_rev,
                                             GError            **error);
/* The undo of bb_library_delete(): a new revision on top of the tombstone
 * restoring the body and attachments of the revision before it. Fails
 * with BB_REPLICA_ERROR_CONFLICT when the document is not deleted. */
gboolean     bb_library_undelete            (BbStore            *store,
                                             const char         *id,
                                             char              **out_rev,
                                             GError            **error);

/* The winner. BB_REPLICA_ERROR_NOT_FOUND when missing or deleted.
 * Returns: (transfer full) */
BbLibraryDocument *bb_library_get           (BbStore            *store,
                                             const char         *id,
                                             GError            **error);

typedef struct {
  gboolean          any_type;       /* TRUE: ignore @type */
  BbLibraryDocType  type;
  const char       *theme;          /* nullable: a theme id */
  const char       *origin_council; /* nullable: an origin council id */
} BbLibraryFilter;

/* BB_LIBRARY_FILTER_INIT: every document. */
#define BB_LIBRARY_FILTER_INIT { TRUE, BB_LIBRARY_DOC_PRACTICE, NULL, NULL }

/* Live library documents matching @filter (nullable: all), sorted by
 * title (Dutch collation). Replica documents that are not library
 * documents are skipped.
 * Returns: (transfer full) (element-type BbLibraryDocument) */
GListModel  *bb_library_list                (BbStore               *store,
                                             const BbLibraryFilter *filter,
                                             GError               **error);

/* Like bb_library_list(), but reads only the first @limit documents in
 * title order; @out_total (optional) gets how many match. For a list of
 * thousands that shows its start without reading every body.
 * Returns: (transfer full) (element-type BbLibraryDocument) */
GListModel  *bb_library_list_limited        (BbStore               *store,
                                             const BbLibraryFilter *filter,
                                             guint                  limit,
                                             guint                 *out_total,
                                             GError               **error);

/* A council the library holds live documents from. */
typedef struct {
  char *council_id;
  char *name;
  char *municipality;
} BbLibraryOrigin;

void bb_library_origin_free (BbLibraryOrigin *origin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbLibraryOrigin, bb_library_origin_free)

/* Every origin council of a live document, each once, for a filter.
 * Returns: (transfer full) (element-type BbLibraryOrigin) */
GPtrArray   *bb_library_list_origins        (BbStore               *store,
                                             GError               **error);

/* ------------------------------------------------------------------ */
/* Search */

/* One hit: read-only properties "document" (BbLibraryDocument, read from
 * the store when first asked for; an empty document with only id and title
 * when it went away since the search), "title"
 * and "snippet" (marked text, see BB_LIBRARY_MATCH_START; the snippet is a
 * piece of the summary, body, tags or attachment names around the first
 * match, "…" where cut) and "rank" (lower is better, FTS5 bm25). */
#define BB_TYPE_LIBRARY_SEARCH_RESULT (bb_library_search_result_get_type ())
G_DECLARE_FINAL_TYPE (BbLibrarySearchResult, bb_library_search_result, BB, LIBRARY_SEARCH_RESULT, GObject)

BbLibraryDocument *bb_library_search_result_get_document (BbLibrarySearchResult *self);
const char  *bb_library_search_result_get_title   (BbLibrarySearchResult *self);
const char  *bb_library_search_result_get_snippet (BbLibrarySearchResult *self);
double       bb_library_search_result_get_rank    (BbLibrarySearchResult *self);

/* Full-text search over title, summary, body, tags and attachment names
 * of each live winner: words the user typed (any punctuation, quotes or
 * FTS operators are taken as plain text; never a syntax error), each a
 * prefix ("vrijwil" finds "vrijwilligers"), diacritics folded ("cafe"
 * finds "café"), all words must match. Ranked by bm25 with the title
 * weighing most. @filter: (nullable). @limit: <= 0 means 50.
 * An empty query gives an empty model.
 * Documents stored from a peer whose text is not indexed yet (see
 * bb_library_flush_index) are indexed first on a writable store; a
 * read-only store leaves them out of the results.
 * Returns: (transfer full) (element-type BbLibrarySearchResult) */
GListModel  *bb_library_search              (BbStore               *store,
                                             const char            *query,
                                             const BbLibraryFilter *filter,
                                             int                    limit,
                                             GError               **error);

/* Storing revisions from a peer (bb_replica_put_revisions) updates the
 * document lists at once but leaves the full-text index of the changed
 * documents for later, because tokenizing the text is most of the cost:
 * they are indexed from an idle source in chunks after the batch, and
 * bb_library_search() indexes any that are left before it searches.
 * Edits made here (bb_replica_put) are indexed at once.
 *
 * bb_library_flush_index: indexes up to @max_docs (0: all) waiting
 * documents in one transaction. Emits no "changed" (only the index
 * changed). Returns how many still wait, or -1 with @error.
 * bb_library_get_index_pending: how many wait, or -1 with @error. */
/* Indexes the pending documents in chunks from an idle source of low
 * priority on the thread-default main context, until none are left (or
 * the store is closed); nothing on a read-only store. Does nothing when
 * already scheduled. The app calls it when the library is first shown, so
 * documents a peer sent before the last close get indexed in the
 * background instead of by the first search. */
void         bb_library_schedule_index_flush (BbStore             *store);
gint64       bb_library_flush_index         (BbStore               *store,
                                             guint                  max_docs,
                                             GError               **error);
gint64       bb_library_get_index_pending   (BbStore               *store,
                                             GError               **error);

/* ------------------------------------------------------------------ */
/* Reuse and attachments */

/* Copies another council's document into the own library as a new
 * document: new id, origin = own council, the same type, title, summary,
 * body, themes, tags, language, licence and attachments (the content is
 * shared, not copied), derived_from = the original's id, rev, council
 * name and licence. BB_LIBRARY_ERROR_OWN for an own document.
 * Returns: (transfer full): the new document, saved. */
BbLibraryDocument *bb_library_use_as_own    (BbStore            *store,
                                             const char         *id,
                                             GError            **error);

/* @rev: NULL for the winner. Returns: (transfer full) */
GBytes      *bb_library_get_attachment_bytes (BbStore           *store,
                                              const char        *id,
                                              const char        *rev,
                                              const char        *name,
                                              GError           **error);
/* Writes the attachment to @dest; with @overwrite FALSE an existing file
 * is refused (G_IO_ERROR_EXISTS). Written through a temporary file, so a
 * failure leaves no half file. */
gboolean     bb_library_save_attachment_to  (BbStore            *store,
                                             const char         *id,
                                             const char         *rev,
                                             const char         *name,
                                             GFile              *dest,
                                             gboolean            overwrite,
                                             GCancellable       *cancellable,
                                             GError            **error);

/* ------------------------------------------------------------------ */
/* Themes */

typedef enum {
  BB_LIBRARY_THEME_OBSTACLE,  /* the five obstacles of social innovation */
  BB_LIBRARY_THEME_DOMAIN,    /* education, care, welfare, housing, work, energy */
  BB_LIBRARY_THEME_TOPIC,     /* events, subsidies, volunteers, communication, organisation */
  BB_LIBRARY_THEME_OWN,       /* added by the council */
} BbLibraryThemeGroup;

typedef struct {
  char                *id;     /* stable: "obstacle-regulation", "domain-care", "own-<uuid>" … */
  char                *label;  /* translated for the default ones */
  BbLibraryThemeGroup  group;
} BbLibraryTheme;

void bb_library_theme_free (BbLibraryTheme *theme);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbLibraryTheme, bb_library_theme_free)

/* The default themes in their fixed order, then the council's own by
 * label. Returns: (transfer full) (element-type BbLibraryTheme) */
GPtrArray   *bb_library_list_themes         (BbStore            *store,
                                             GError            **error);
/* The label of a theme id; an id not known here (a peer's own theme) is
 * returned as is. Returns: (transfer full) */
char        *bb_library_get_theme_label     (BbStore            *store,
                                             const char         *id);
/* Finds a theme by id or by its label (case-insensitive, translated or
 * not): what the CLI's --theme accepts. Returns: (transfer full) the id,
 * or NULL. */
char        *bb_library_find_theme          (BbStore            *store,
                                             const char         *id_or_label);
/* Adds an own theme; a label already in use (any theme) is
 * BB_LIBRARY_ERROR_THEME. @out_id: (optional). */
gboolean     bb_library_add_theme           (BbStore            *store,
                                             const char         *label,
                                             char              **out_id,
                                             GError            **error);
/* Removes an own theme (documents keep the id; it then shows as is).
 * A default theme is BB_LIBRARY_ERROR_THEME. */
gboolean     bb_library_remove_theme        (BbStore            *store,
                                             const char         *id,
                                             GError            **error);

/* Adds the demo council's library (about 20 documents, a few from other
 * councils, some with attachments). For bb-demo.c. */
gboolean     bb_library_add_demo            (BbStore            *store,
                                             GError            **error);

G_END_DECLS
