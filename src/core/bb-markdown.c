/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Library documents are written in CommonMark and come from other councils,
 * so their text is untrusted. cmark parses them; this file only turns the
 * node tree into Pango markup, and it writes no tag of its own making from
 * document text: every run of text goes through g_markup_escape_text(), raw
 * HTML included, and the only tags are <b>, <i>, <tt> and <a href> for a
 * short list of link schemes. The walk uses cmark's iterator, not recursion,
 * so a hostile document nested ten thousand deep cannot exhaust the stack.
 */

#include "config.h"

#include <cmark.h>
#include <string.h>

#include "bb-markdown.h"

/* What a document may link to; anything else (javascript:, data:, file:,
 * a relative path) shows as the link's text alone. */
static const char * const safe_schemes[] = { "http", "https", "mailto" };

typedef struct {
  gboolean ordered;
  int      next_number;
  gboolean paren_delim;
} ListState;

typedef struct {
  GPtrArray *blocks;
  GArray    *lists;        /* ListState, innermost last */
  guint      quote_depth;
  char      *pending_marker;

  /* The paragraph or heading being built. */
  BbMarkdownBlock *current;
  GString         *markup;
  /* Links whose <a> was written and are still open; links inside them and
   * links with unsafe schemes write no tag (GtkLabel refuses nesting). */
  guint            open_links;
  GArray          *link_written; /* gboolean per open LINK node */
} RenderState;

void
bb_markdown_block_free (BbMarkdownBlock *block)
{
  if (block == NULL)
    return;

  g_free (block->marker);
  g_free (block->markup);
  g_free (block);
}

gboolean
bb_markdown_is_safe_link (const char *url)
{
  g_autofree char *scheme = NULL;

  if (url == NULL || url[0] == '\0')
    return FALSE;

  /* GLib's parser lets spaces and control characters through; a browser
   * would guess at what was meant. */
  for (const char *p = url; *p != '\0'; p++)
    {
      if (*p == ' ' || g_ascii_iscntrl (*p))
        return FALSE;
    }

  scheme = g_uri_parse_scheme (url);
  if (scheme == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (safe_schemes); i++)
    {
      if (g_ascii_strcasecmp (scheme, safe_schemes[i]) == 0)
        /* A URI GLib cannot parse is not handed to the browser either. */
        return g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL);
    }

  return FALSE;
}

static cmark_node *
parse (const char *commonmark)
{
  const char *text = commonmark ? commonmark : "";

  /* VALIDATE_UTF8 replaces invalid bytes (and cmark replaces NUL), so every
   * literal is valid UTF-8 for g_markup_escape_text(). */
  return cmark_parse_document (text, strlen (text),
                               CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_NOBREAKS);
}

static void
append_escaped (GString    *string,
                const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL || text[0] == '\0')
    return;

  escaped = g_markup_escape_text (text, -1);
  g_string_append (string, escaped);
}

static BbMarkdownBlock *
new_block (RenderState         *state,
           BbMarkdownBlockKind  kind)
{
  BbMarkdownBlock *block = g_new0 (BbMarkdownBlock, 1);

  block->kind = kind;
  block->list_depth = state->lists->len;
  block->quote_depth = state->quote_depth;
  block->marker = g_steal_pointer (&state->pending_marker);

  return block;
}

static void
add_literal_block (RenderState         *state,
                   BbMarkdownBlockKind  kind,
                   const char          *literal)
{
  BbMarkdownBlock *block = new_block (state, kind);
  g_autoptr(GString) markup = g_string_new (NULL);

  append_escaped (markup, literal);
  /* Code and HTML blocks end in a newline that would show as a blank line. */
  while (markup->len > 0 && markup->str[markup->len - 1] == '\n')
    g_string_truncate (markup, markup->len - 1);

  block->markup = g_string_free (g_steal_pointer (&markup), FALSE);
  g_ptr_array_add (state->blocks, block);
}

static char *
make_marker (RenderState *state)
{
  ListState *list;
  static const char * const bullets[] = { "•", "◦", "▪" };

  g_assert (state->lists->len > 0);
  list = &g_array_index (state->lists, ListState, state->lists->len - 1);

  if (list->ordered)
    return g_strdup_printf (list->paren_delim ? "%d)" : "%d.", list->next_number++);

  return g_strdup (bullets[(state->lists->len - 1) % G_N_ELEMENTS (bullets)]);
}

static void
start_text_block (RenderState         *state,
                  BbMarkdownBlockKind  kind,
                  guint                level)
{
  g_assert (state->current == NULL);

  state->current = new_block (state, kind);
  state->current->level = level;
  state->markup = g_string_new (NULL);
  state->open_links = 0;
  g_array_set_size (state->link_written, 0);
}

static void
finish_text_block (RenderState *state)
{
  g_assert (state->current != NULL);

  state->current->markup = g_string_free (g_steal_pointer (&state->markup), FALSE);
  g_ptr_array_add (state->blocks, g_steal_pointer (&state->current));
}

static void
render_inline (RenderState      *state,
               cmark_node       *node,
               cmark_event_type  event)
{
  gboolean enter = event == CMARK_EVENT_ENTER;
  GString *markup = state->markup;

  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_HTML_INLINE:
      /* Inline HTML is shown as the characters the author typed. */
      append_escaped (markup, cmark_node_get_literal (node));
      break;

    case CMARK_NODE_CODE:
      g_string_append (markup, "<tt>");
      append_escaped (markup, cmark_node_get_literal (node));
      g_string_append (markup, "</tt>");
      break;

    case CMARK_NODE_SOFTBREAK:
      g_string_append_c (markup, ' ');
      break;

    case CMARK_NODE_LINEBREAK:
      g_string_append_c (markup, '\n');
      break;

    case CMARK_NODE_EMPH:
      g_string_append (markup, enter ? "<i>" : "</i>");
      break;

    case CMARK_NODE_STRONG:
      g_string_append (markup, enter ? "<b>" : "</b>");
      break;

    case CMARK_NODE_LINK:
      if (enter)
        {
          const char *url = cmark_node_get_url (node);
          gboolean write = state->open_links == 0 && bb_markdown_is_safe_link (url);

          g_array_append_val (state->link_written, write);
          if (write)
            {
              g_autofree char *escaped = g_markup_escape_text (url, -1);

              g_string_append_printf (markup, "<a href=\"%s\">", escaped);
              state->open_links++;
            }
        }
      else
        {
          gboolean written;

          g_assert (state->link_written->len > 0);
          written = g_array_index (state->link_written, gboolean, state->link_written->len - 1);
          g_array_set_size (state->link_written, state->link_written->len - 1);
          if (written)
            {
              g_string_append (markup, "</a>");
              state->open_links--;
            }
        }
      break;

    case CMARK_NODE_IMAGE:
      /* No image is fetched: its description stands in as text. */
      break;

    case CMARK_NODE_CUSTOM_INLINE:
    default:
      break;
    }
}

static void
render_node (RenderState      *state,
             cmark_node       *node,
             cmark_event_type  event)
{
  gboolean enter = event == CMARK_EVENT_ENTER;

  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_DOCUMENT:
      break;

    case CMARK_NODE_LIST:
      if (enter)
        {
          ListState list = {
            .ordered = cmark_node_get_list_type (node) == CMARK_ORDERED_LIST,
            .next_number = cmark_node_get_list_start (node),
            .paren_delim = cmark_node_get_list_delim (node) == CMARK_PAREN_DELIM,
          };

          g_array_append_val (state->lists, list);
        }
      else
        {
          g_array_set_size (state->lists, state->lists->len - 1);
        }
      break;

    case CMARK_NODE_ITEM:
      if (enter)
        {
          g_free (state->pending_marker);
          state->pending_marker = make_marker (state);
        }
      else if (state->pending_marker != NULL)
        {
          /* An empty item still shows its bullet. */
          add_literal_block (state, BB_MARKDOWN_BLOCK_PARAGRAPH, "");
        }
      break;

    case CMARK_NODE_BLOCK_QUOTE:
      if (enter)
        state->quote_depth++;
      else
        state->quote_depth--;
      break;

    case CMARK_NODE_PARAGRAPH:
      if (enter)
        start_text_block (state, BB_MARKDOWN_BLOCK_PARAGRAPH, 0);
      else
        finish_text_block (state);
      break;

    case CMARK_NODE_HEADING:
      if (enter)
        start_text_block (state, BB_MARKDOWN_BLOCK_HEADING,
                          (guint) CLAMP (cmark_node_get_heading_level (node), 1, 6));
      else
        finish_text_block (state);
      break;

    case CMARK_NODE_CODE_BLOCK:
      add_literal_block (state, BB_MARKDOWN_BLOCK_CODE, cmark_node_get_literal (node));
      break;

    case CMARK_NODE_HTML_BLOCK:
      add_literal_block (state, BB_MARKDOWN_BLOCK_HTML, cmark_node_get_literal (node));
      break;

    case CMARK_NODE_THEMATIC_BREAK:
      add_literal_block (state, BB_MARKDOWN_BLOCK_RULE, "");
      break;

    case CMARK_NODE_CUSTOM_BLOCK:
      break;

    default:
      /* Inlines only occur inside a paragraph or heading. */
      if (state->current != NULL)
        render_inline (state, node, event);
      break;
    }
}

GPtrArray *
bb_markdown_render (const char *commonmark)
{
  cmark_node *document = parse (commonmark);
  cmark_iter *iter = cmark_iter_new (document);
  cmark_event_type event;
  RenderState state = { 0 };

  state.blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_markdown_block_free);
  state.lists = g_array_new (FALSE, TRUE, sizeof (ListState));
  state.link_written = g_array_new (FALSE, TRUE, sizeof (gboolean));

  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    render_node (&state, cmark_iter_get_node (iter), event);

  g_assert (state.current == NULL);
  g_free (state.pending_marker);
  g_array_unref (state.lists);
  g_array_unref (state.link_written);
  cmark_iter_free (iter);
  cmark_node_free (document);

  return state.blocks;
}

static void
append_collapsed (GString    *string,
                  const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* STX and ETX survive: bb-library marks search matches with them,
       * and a marked snippet is flattened here before it is shown. */
      if (c == 0x02 || c == 0x03)
        g_string_append_unichar (string, c);
      else if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          if (string->len > 0 && string->str[string->len - 1] != ' ')
            g_string_append_c (string, ' ');
        }
      else
        {
          g_string_append_unichar (string, c);
        }
    }
}

char *
bb_markdown_to_plain_text (const char *commonmark,
                           guint       max_chars)
{
  cmark_node *document = parse (commonmark);
  cmark_iter *iter = cmark_iter_new (document);
  g_autoptr(GString) text = g_string_new (NULL);
  cmark_event_type event;

  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);

      switch (cmark_node_get_type (node))
        {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_INLINE:
        case CMARK_NODE_CODE_BLOCK:
        case CMARK_NODE_HTML_BLOCK:
          append_collapsed (text, cmark_node_get_literal (node));
          break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
        case CMARK_NODE_PARAGRAPH:
        case CMARK_NODE_HEADING:
        case CMARK_NODE_ITEM:
          append_collapsed (text, " ");
          break;
        default:
          break;
        }

      /* A long body needs no more than the start for a subtitle. */
      if (max_chars > 0 && text->len > (gsize) max_chars * 4 + 8)
        break;
    }

  cmark_iter_free (iter);
  cmark_node_free (document);

  g_strstrip (text->str);
  if (max_chars > 0 && g_utf8_strlen (text->str, -1) > (glong) max_chars)
    {
      g_autofree char *head = g_utf8_substring (text->str, 0, max_chars);

      g_strchomp (head);
      return g_strconcat (head, "…", NULL);
    }

  return g_strdup (text->str);
}

/* Lower case without diacritics, as the search index folds words. */
static char *
fold_word (const char *word,
           gssize      len)
{
  g_autofree char *copy = g_strndup (word, len < 0 ? strlen (word) : (gsize) len);
  g_autofree char *lower = g_utf8_strdown (copy, -1);
  char *ascii = g_str_to_ascii (lower, "C");

  /* A script without an ASCII transliteration is compared as it is, or
   * every such word would fold to the same "???". */
  if (strchr (ascii, '?') != NULL)
    {
      g_free (ascii);
      return g_steal_pointer (&lower);
    }

  return ascii;
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static GPtrArray *
split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start)
        g_ptr_array_add (words, fold_word (start, p - start));
    }

  return words;
}

char *
bb_markdown_highlight (const char *text,
                       const char *query)
{
  g_autofree char *valid_text = g_utf8_make_valid (text ? text : "", -1);
  g_autofree char *valid_query = g_utf8_make_valid (query ? query : "", -1);
  g_autoptr(GPtrArray) terms = split_words (valid_query);
  g_autoptr(GString) markup = g_string_new (NULL);
  const char *p = valid_text;

  while (*p != '\0')
    {
      const char *start = p;
      g_autofree char *run = NULL;
      g_autofree char *escaped = NULL;
      gboolean word = is_word_char (g_utf8_get_char (p));
      gboolean match = FALSE;

      while (*p != '\0' && is_word_char (g_utf8_get_char (p)) == word)
        p = g_utf8_next_char (p);

      run = g_strndup (start, p - start);
      escaped = g_markup_escape_text (run, -1);

      if (word && terms->len > 0)
        {
          g_autofree char *folded = fold_word (run, -1);

          for (guint i = 0; i < terms->len && !match; i++)
            match = g_str_has_prefix (folded, g_ptr_array_index (terms, i));
        }

      if (match)
        g_string_append_printf (markup, "<b>%s</b>", escaped);
      else
        g_string_append (markup, escaped);
    }

  return g_string_free (g_steal_pointer (&markup), FALSE);
}
