/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A CommonMark document (parsed by cmark) turned into a flat list of blocks
 * a GTK window can show without a web view. Each block's markup is Pango
 * markup built only from escaped text plus <b>, <i>, <tt> and <a href> for
 * http, https and mailto links: raw HTML, other link schemes and anything
 * that looks like markup are shown as the text the author typed.
 */

typedef enum {
  BB_MARKDOWN_BLOCK_PARAGRAPH,
  BB_MARKDOWN_BLOCK_HEADING,
  BB_MARKDOWN_BLOCK_CODE,     /* a code block: markup is the escaped text, no tags */
  BB_MARKDOWN_BLOCK_HTML,     /* a raw HTML block, shown as its escaped source */
  BB_MARKDOWN_BLOCK_RULE,     /* a thematic break: markup is empty */
} BbMarkdownBlockKind;

typedef struct {
  BbMarkdownBlockKind  kind;
  /* 1–6 for headings, 0 otherwise. */
  guint                level;
  /* How many lists and block quotes hold this block (0 at the top). */
  guint                list_depth;
  guint                quote_depth;
  /* The item's marker ("•", "◦", "3.") on the first block of a list item;
   * NULL on the item's later blocks and outside lists. */
  char                *marker;
  char                *markup;
} BbMarkdownBlock;

void       bb_markdown_block_free      (BbMarkdownBlock *block);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbMarkdownBlock, bb_markdown_block_free)

/* Returns a GPtrArray of BbMarkdownBlock (owning them). Never fails: any
 * text is a CommonMark document; invalid UTF-8 is replaced. */
GPtrArray *bb_markdown_render          (const char      *commonmark);

/* Whether a link to @url may be shown as a link (http, https, mailto). */
gboolean   bb_markdown_is_safe_link    (const char      *url);

/* The document as plain text on one line (markup and syntax removed),
 * at most @max_chars characters (0: all) with "…" when cut; for list
 * subtitles. The control characters STX and ETX are kept, so a search
 * snippet with its matches marked (bb-library.h) can be flattened too. */
char      *bb_markdown_to_plain_text   (const char      *commonmark,
                                        guint            max_chars);

/* Escapes @text as Pango markup and wraps in <b> every word that starts
 * with one of the words of @query, ignoring case and diacritics ("vrijwil"
 * marks "Vrijwilligers", "cafe" marks "café"), as a prefix search finds
 * them. */
char      *bb_markdown_highlight       (const char      *text,
                                        const char      *query);

G_END_DECLS
