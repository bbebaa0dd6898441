/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "bb-pdf.h"

#define TOP     BB_PDF_MARGIN
#define BOTTOM  (BB_PDF_PAGE_HEIGHT - BB_PDF_MARGIN)
#define LEFT    BB_PDF_MARGIN
#define TEXT_WIDTH (BB_PDF_PAGE_WIDTH - 2 * BB_PDF_MARGIN)

#define CELL_PAD_X 4.0
#define CELL_PAD_Y 2.5
#define SIGNATURE_SPACE 42.0   /* room to write above the line */
#define SIGNATURE_GAP   28.0   /* between the two lines of a row */

G_DEFINE_QUARK (bb-pdf-error-quark, bb_pdf_error)

typedef enum {
  STYLE_TITLE,
  STYLE_H1,
  STYLE_H2,
  STYLE_BODY,
  STYLE_CELL,
  STYLE_CELL_BOLD,
  STYLE_SMALL,
  N_STYLES
} Style;

static const struct {
  const char *font;
  double      before;   /* space above, dropped at the top of a page */
  double      after;
} styles[N_STYLES] = {
  [STYLE_TITLE]     = { "Sans Bold 18", 0, 10 },
  [STYLE_H1]        = { "Sans Bold 13", 14, 5 },
  [STYLE_H2]        = { "Sans Bold 11", 9, 4 },
  [STYLE_BODY]      = { "Sans 10", 0, 6 },
  [STYLE_CELL]      = { "Sans 9", 0, 0 },
  [STYLE_CELL_BOLD] = { "Sans Bold 9", 0, 0 },
  [STYLE_SMALL]     = { "Sans 8", 0, 0 },
};

typedef enum {
  BLOCK_TEXT,
  BLOCK_SPACE,
  BLOCK_PAGE_BREAK,
  BLOCK_TABLE,
  BLOCK_SIGNATURES,
} BlockKind;

typedef struct {
  char          *cells;    /* n_columns NUL-terminated strings, one after another */
  float          height;
  BbPdfRowFlags  flags;
} Row;

typedef struct {
  BlockKind     kind;
  Style         style;
  gboolean      keep_with_next;
  char         *markup;
  double        space;

  /* BLOCK_TABLE */
  guint         n_columns;
  BbPdfAlign   *align;
  gboolean     *single_line;
  double       *col_x;
  double       *col_w;
  char         *titles;    /* packed like Row.cells */
  gboolean      has_header;
  double        header_height;
  GArray       *rows;

  /* BLOCK_SIGNATURES */
  char        **labels;

  /* Layout */
  PangoLayout  *layout;    /* BLOCK_TEXT */
  double        height;
} Block;

/* What of a block goes on a page, and where. */
typedef struct {
  Block  *block;
  guint   first;     /* text: first line; table: first row */
  guint   last;      /* exclusive */
  double  y;         /* top on the page */
  double  offset;    /* text: where the first line is inside the layout */
  double  height;
} Piece;

/* Shaping every cell with Pango costs tens of microseconds, far too much
 * for a receipts index of 20,000 transactions. A cell of plain Latin text
 * on one line is drawn from glyphs looked up once per character instead
 * (without kerning, which a table does not miss); anything else still goes
 * through a PangoLayout. */
typedef struct {
  PangoGlyph glyph;
  int        width;      /* Pango units */
} FastGlyph;

typedef enum {
  FAST_UNKNOWN,
  FAST_YES,
  FAST_NO,
} FastState;

#define FAST_EURO     256   /* U+20AC after the 256 Latin-1 code points */
#define FAST_ELLIPSIS 257   /* U+2026 */
#define N_FAST        258

typedef struct {
  PangoFont *font;
  double     baseline;   /* points below the top of the line */
  FastGlyph  glyph[N_FAST];
  guint8     state[N_FAST];
} FastFont;

struct _BbPdfDocument
{
  char            *title;
  char            *author;
  char            *subject;
  char            *creator;

  GPtrArray       *blocks;
  Block           *table;       /* the table being filled */

  PangoFontMap    *font_map;
  PangoContext    *context;
  PangoLayout     *scratch[N_STYLES];
  double           line_height[N_STYLES];
  FastFont         fast[N_STYLES];
  GArray          *batch[N_STYLES];   /* of cairo_glyph_t */
  GPtrArray       *pages;       /* of GArray of Piece */
};

static void
block_free (gpointer data)
{
  Block *block = data;

  g_free (block->markup);
  g_free (block->align);
  g_free (block->single_line);
  g_free (block->col_x);
  g_free (block->col_w);
  g_free (block->titles);
  if (block->rows != NULL)
    {
      for (guint i = 0; i < block->rows->len; i++)
        g_free (g_array_index (block->rows, Row, i).cells);
      g_array_unref (block->rows);
    }
  g_strfreev (block->labels);
  g_clear_object (&block->layout);
  g_free (block);
}

static void
invalidate_layout (BbPdfDocument *self)
{
  g_clear_pointer (&self->pages, g_ptr_array_unref);
}

static Block *
append_block (BbPdfDocument *self,
              BlockKind      kind)
{
  Block *block = g_new0 (Block, 1);

  g_return_val_if_fail (self->table == NULL, block);
  block->kind = kind;
  g_ptr_array_add (self->blocks, block);
  invalidate_layout (self);
  return block;
}

/* n strings (NULL meaning empty) packed into one allocation. */
static char *
pack_cells (const char * const *cells,
            guint               n)
{
  gsize size = 0;
  char *packed, *p;

  for (guint i = 0; i < n; i++)
    size += (cells[i] != NULL ? strlen (cells[i]) : 0) + 1;
  p = packed = g_malloc (size);
  for (guint i = 0; i < n; i++)
    {
      gsize len = cells[i] != NULL ? strlen (cells[i]) : 0;

      if (len > 0)
        memcpy (p, cells[i], len);
      p[len] = '\0';
      p += len + 1;
    }
  return packed;
}

static const char *
next_cell (const char *cell)
{
  return cell + strlen (cell) + 1;
}

BbPdfDocument *
bb_pdf_document_new (void)
{
  BbPdfDocument *self = g_new0 (BbPdfDocument, 1);

  self->blocks = g_ptr_array_new_with_free_func (block_free);
  self->creator = g_strdup (PACKAGE_NAME " " PACKAGE_VERSION);
  return self;
}

void
bb_pdf_document_free (BbPdfDocument *self)
{
  if (self == NULL)
    return;
  invalidate_layout (self);
  g_ptr_array_unref (self->blocks);
  for (guint i = 0; i < N_STYLES; i++)
    {
      g_clear_object (&self->scratch[i]);
      g_clear_object (&self->fast[i].font);
      g_clear_pointer (&self->batch[i], g_array_unref);
    }
  g_clear_object (&self->context);
  g_clear_object (&self->font_map);
  g_free (self->title);
  g_free (self->author);
  g_free (self->subject);
  g_free (self->creator);
  g_free (self);
}

void
bb_pdf_document_set_title (BbPdfDocument *self,
                           const char    *title)
{
  g_return_if_fail (self != NULL);
  g_free (self->title);
  self->title = g_strdup (title);
}

void
bb_pdf_document_set_author (BbPdfDocument *self,
                            const char    *author)
{
  g_return_if_fail (self != NULL);
  g_free (self->author);
  self->author = g_strdup (author);
}

void
bb_pdf_document_set_subject (BbPdfDocument *self,
                             const char    *subject)
{
  g_return_if_fail (self != NULL);
  g_free (self->subject);
  self->subject = g_strdup (subject);
}

void
bb_pdf_document_set_creator (BbPdfDocument *self,
                             const char    *creator)
{
  g_return_if_fail (self != NULL);
  g_free (self->creator);
  self->creator = g_strdup (creator);
}

static void
add_text (BbPdfDocument *self,
          Style          style,
          gboolean       keep_with_next,
          char          *markup)
{
  Block *block = append_block (self, BLOCK_TEXT);

  block->style = style;
  block->keep_with_next = keep_with_next;
  block->markup = markup;
}

void
bb_pdf_document_add_title (BbPdfDocument *self,
                           const char    *text)
{
  g_return_if_fail (self != NULL);
  add_text (self, STYLE_TITLE, TRUE, g_markup_escape_text (text != NULL ? text : "", -1));
}

void
bb_pdf_document_add_heading (BbPdfDocument *self,
                             int            level,
                             const char    *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (level == 1 || level == 2);
  add_text (self, level == 1 ? STYLE_H1 : STYLE_H2, TRUE,
            g_markup_escape_text (text != NULL ? text : "", -1));
}

void
bb_pdf_document_add_paragraph (BbPdfDocument *self,
                               const char    *text)
{
  g_return_if_fail (self != NULL);
  add_text (self, STYLE_BODY, FALSE, g_markup_escape_text (text != NULL ? text : "", -1));
}

void
bb_pdf_document_add_markup (BbPdfDocument *self,
                            const char    *markup)
{
  g_return_if_fail (self != NULL);
  /* Broken markup is printed as it is rather than lost or warned about. */
  if (markup == NULL || !pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL))
    add_text (self, STYLE_BODY, FALSE, g_markup_escape_text (markup != NULL ? markup : "", -1));
  else
    add_text (self, STYLE_BODY, FALSE, g_strdup (markup));
}

void
bb_pdf_document_add_space (BbPdfDocument *self,
                           double         points)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (points >= 0);
  append_block (self, BLOCK_SPACE)->space = points;
}

void
bb_pdf_document_add_page_break (BbPdfDocument *self)
{
  g_return_if_fail (self != NULL);
  append_block (self, BLOCK_PAGE_BREAK);
}

void
bb_pdf_document_begin_table (BbPdfDocument     *self,
                             const BbPdfColumn *columns,
                             guint              n_columns)
{
  g_autofree const char **titles = NULL;
  Block *block;
  double total = 0, x = LEFT;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->table == NULL);
  g_return_if_fail (columns != NULL && n_columns > 0);

  block = append_block (self, BLOCK_TABLE);
  block->n_columns = n_columns;
  block->align = g_new (BbPdfAlign, n_columns);
  block->single_line = g_new (gboolean, n_columns);
  block->col_x = g_new (double, n_columns);
  block->col_w = g_new (double, n_columns);
  titles = g_new0 (const char *, n_columns);
  for (guint i = 0; i < n_columns; i++)
    total += MAX (columns[i].width, 0.0);
  for (guint i = 0; i < n_columns; i++)
    {
      double share = total > 0 ? MAX (columns[i].width, 0.0) / total : 1.0 / n_columns;

      block->align[i] = columns[i].align;
      block->single_line[i] = columns[i].single_line;
      block->col_x[i] = x;
      block->col_w[i] = share * TEXT_WIDTH;
      x += block->col_w[i];
      titles[i] = columns[i].title;
      if (columns[i].title != NULL)
        block->has_header = TRUE;
    }
  block->titles = pack_cells (titles, n_columns);
  block->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  self->table = block;
}

void
bb_pdf_document_add_row (BbPdfDocument      *self,
                         BbPdfRowFlags       flags,
                         const char * const *cells)
{
  Row row = { 0 };

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->table != NULL);
  g_return_if_fail (cells != NULL);

  row.cells = pack_cells (cells, self->table->n_columns);
  row.flags = flags;
  g_array_append_val (self->table->rows, row);
}

void
bb_pdf_document_add_row_cells (BbPdfDocument *self,
                               BbPdfRowFlags  flags,
                               ...)
{
  g_autofree const char **cells = NULL;
  va_list args;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->table != NULL);

  cells = g_new0 (const char *, self->table->n_columns);
  va_start (args, flags);
  for (guint i = 0; i < self->table->n_columns; i++)
    cells[i] = va_arg (args, const char *);
  va_end (args);
  bb_pdf_document_add_row (self, flags, cells);
}

void
bb_pdf_document_end_table (BbPdfDocument *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->table != NULL);
  self->table = NULL;
}

void
bb_pdf_document_add_signatures (BbPdfDocument      *self,
                                const char * const *labels,
                                guint               n_labels)
{
  Block *block;

  g_return_if_fail (self != NULL);
  g_return_if_fail (labels != NULL || n_labels == 0);

  block = append_block (self, BLOCK_SIGNATURES);
  block->labels = g_new0 (char *, n_labels + 1);
  for (guint i = 0; i < n_labels; i++)
    block->labels[i] = g_strdup (labels[i] != NULL ? labels[i] : "");
}

/* Layout */

static void
ensure_context (BbPdfDocument *self)
{
  cairo_font_options_t *options;

  if (self->context != NULL)
    return;

  /* A font map of its own, so the document does not depend on the
   * default of whichever thread made it. Unhinted metrics make the layout
   * the same on paper and on a screen. */
  self->font_map = pango_cairo_font_map_new ();
  self->context = pango_font_map_create_context (self->font_map);
  for (guint i = 0; i < N_STYLES; i++)
    self->batch[i] = g_array_new (FALSE, FALSE, sizeof (cairo_glyph_t));
  pango_cairo_context_set_resolution (self->context, 72);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (self->context, FALSE);

  for (guint i = 0; i < N_STYLES; i++)
    {
      PangoFontDescription *desc = pango_font_description_from_string (styles[i].font);
      PangoLayout *layout = pango_layout_new (self->context);
      int height;

      pango_layout_set_font_description (layout, desc);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_font_description_free (desc);

      pango_layout_set_text (layout, "Ag", -1);
      pango_layout_get_size (layout, NULL, &height);
      self->line_height[i] = (double) height / PANGO_SCALE;

      self->fast[i].baseline = (double) pango_layout_get_baseline (layout) / PANGO_SCALE;
      self->scratch[i] = layout;
    }
}

static gboolean
fast_glyph (BbPdfDocument  *self,
            Style           style,
            gunichar        c,
            FastGlyph     **out)
{
  FastFont *fast = &self->fast[style];
  guint slot;

  if (c == 0x20ac)
    slot = FAST_EURO;
  else if (c == 0x2026)
    slot = FAST_ELLIPSIS;
  else if ((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff))
    slot = c;
  else
    return FALSE;

  if (fast->state[slot] == FAST_UNKNOWN)
    {
      PangoLayout *layout = self->scratch[style];
      PangoLayoutLine *line;
      PangoGlyphItem *run;
      char buf[8] = { 0 };

      /* Shape the character alone; it is fast only when it is one glyph
       * of the style's own font (not a fallback font). */
      fast->state[slot] = FAST_NO;
      g_unichar_to_utf8 (c, buf);
      pango_layout_set_width (layout, -1);
      pango_layout_set_text (layout, buf, -1);
      line = pango_layout_get_line_readonly (layout, 0);
      if (line != NULL && line->runs != NULL && line->runs->next == NULL)
        {
          run = line->runs->data;
          if (fast->font == NULL)
            fast->font = g_object_ref (run->item->analysis.font);
          if (run->item->analysis.font == fast->font
              && run->glyphs->num_glyphs == 1
              && !(run->glyphs->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            {
              fast->glyph[slot].glyph = run->glyphs->glyphs[0].glyph;
              fast->glyph[slot].width = run->glyphs->glyphs[0].geometry.width;
              fast->state[slot] = FAST_YES;
            }
        }
    }
  *out = &fast->glyph[slot];
  return fast->state[slot] == FAST_YES;
}

/* The width of @text drawn from single glyphs, or FALSE when it needs a
 * PangoLayout (line breaks, scripts beyond Latin-1, fallback fonts). */
static gboolean
fast_width (BbPdfDocument *self,
            Style          style,
            const char    *text,
            double        *out_width)
{
  gint64 width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      FastGlyph *glyph;

      if (!fast_glyph (self, style, g_utf8_get_char (p), &glyph))
        return FALSE;
      width += glyph->width;
    }
  *out_width = (double) width / PANGO_SCALE;
  return TRUE;
}

/* Queues the first @len bytes of @text, then "…" when @ellipsis; the
 * glyphs of a whole table or footer go out in one cairo_show_glyphs() per
 * style (flush_glyphs()), which keeps a PDF of thousands of rows small and
 * quick to write. */
static void
fast_draw (BbPdfDocument *self,
           cairo_t       *cr,
           Style          style,
           const char    *text,
           gsize          len,
           gboolean       ellipsis,
           double         x,
           double         y)
{
  GArray *batch = self->batch[style];
  const char *end = text + len;
  FastGlyph *glyph;
  gint64 advance = 0;

  y += self->fast[style].baseline;
  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      cairo_glyph_t g;

      fast_glyph (self, style, g_utf8_get_char (p), &glyph);
      g.index = glyph->glyph;
      g.x = x + (double) advance / PANGO_SCALE;
      g.y = y;
      g_array_append_val (batch, g);
      advance += glyph->width;
    }
  if (ellipsis)
    {
      cairo_glyph_t g;

      fast_glyph (self, style, 0x2026, &glyph);
      g.index = glyph->glyph;
      g.x = x + (double) advance / PANGO_SCALE;
      g.y = y;
      g_array_append_val (batch, g);
    }
}

static void
flush_glyphs (BbPdfDocument *self,
              cairo_t       *cr)
{
  for (guint i = 0; i < N_STYLES; i++)
    {
      GArray *batch = self->batch[i];

      if (batch == NULL || batch->len == 0)
        continue;
      cairo_set_scaled_font (cr, pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (self->fast[i].font)));
      cairo_show_glyphs (cr, (cairo_glyph_t *) batch->data, (int) batch->len);
      g_array_set_size (batch, 0);
    }
}

/* How many bytes of @text fit in @width followed by "…", or FALSE when
 * that cannot be drawn from single glyphs. */
static gboolean
fast_cut (BbPdfDocument *self,
          Style          style,
          const char    *text,
          double         width,
          gsize         *out_len)
{
  FastGlyph *ellipsis, *glyph;
  gint64 avail, used = 0;
  const char *p;

  if (!fast_glyph (self, style, 0x2026, &ellipsis))
    return FALSE;
  avail = (gint64) (width * PANGO_SCALE) - ellipsis->width;
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!fast_glyph (self, style, g_utf8_get_char (p), &glyph))
        return FALSE;
      if (used + glyph->width > avail)
        break;
      used += glyph->width;
    }
  /* No space left dangling before the "…". */
  while (p > text && p[-1] == ' ')
    p--;
  *out_len = (gsize) (p - text);
  return TRUE;
}

static double
text_height (BbPdfDocument *self,
             Style          style,
             const char    *text,
             double         width,
             gboolean       markup)
{
  PangoLayout *layout = self->scratch[style];
  double one_line;
  int height;

  if (*text == '\0' || (!markup && fast_width (self, style, text, &one_line) && one_line <= width))
    return self->line_height[style];

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static Style
row_style (BbPdfRowFlags flags)
{
  return (flags & BB_PDF_ROW_BOLD) ? STYLE_CELL_BOLD : STYLE_CELL;
}

static double
cells_height (BbPdfDocument *self,
              Block         *block,
              const char    *cells,
              Style          style)
{
  double height = self->line_height[style];
  const char *cell = cells;

  for (guint i = 0; i < block->n_columns; i++, cell = next_cell (cell))
    if (!block->single_line[i])
      height = MAX (height, text_height (self, style, cell, block->col_w[i] - 2 * CELL_PAD_X, FALSE));
  return height + 2 * CELL_PAD_Y;
}

static double
signatures_row_height (BbPdfDocument *self)
{
  return SIGNATURE_SPACE + 3 + self->line_height[STYLE_SMALL] + 10;
}

static void
measure_block (BbPdfDocument *self,
               Block         *block)
{
  switch (block->kind)
    {
    case BLOCK_TEXT:
      {
        PangoFontDescription *desc = pango_font_description_from_string (styles[block->style].font);
        int height;

        g_clear_object (&block->layout);
        block->layout = pango_layout_new (self->context);
        pango_layout_set_font_description (block->layout, desc);
        pango_font_description_free (desc);
        pango_layout_set_wrap (block->layout, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_width (block->layout, (int) (TEXT_WIDTH * PANGO_SCALE));
        pango_layout_set_markup (block->layout, block->markup, -1);
        pango_layout_get_size (block->layout, NULL, &height);
        block->height = (double) height / PANGO_SCALE;
      }
      break;

    case BLOCK_TABLE:
      block->header_height = block->has_header
        ? cells_height (self, block, block->titles, STYLE_CELL_BOLD) : 0;
      block->height = block->header_height;
      for (guint i = 0; i < block->rows->len; i++)
        {
          Row *row = &g_array_index (block->rows, Row, i);

          row->height = cells_height (self, block, row->cells, row_style (row->flags));
          block->height += row->height;
        }
      break;

    case BLOCK_SIGNATURES:
      block->height = signatures_row_height (self) * ((g_strv_length (block->labels) + 1) / 2);
      break;

    case BLOCK_SPACE:
      block->height = block->space;
      break;

    case BLOCK_PAGE_BREAK:
    default:
      block->height = 0;
      break;
    }
}

typedef struct {
  BbPdfDocument *doc;
  GArray        *page;
  double         y;
} Cursor;

static void
new_page (Cursor *cur)
{
  cur->page = g_array_new (FALSE, TRUE, sizeof (Piece));
  g_ptr_array_add (cur->doc->pages, cur->page);
  cur->y = TOP;
}

static void
place (Cursor *cur,
       Block  *block,
       guint   first,
       guint   last,
       double  offset,
       double  height)
{
  Piece piece = { block, first, last, cur->y, offset, height };

  g_array_append_val (cur->page, piece);
  cur->y += height;
}

/* The least of @block that must go on the same page as a heading above it. */
static double
block_min_height (BbPdfDocument *self,
                  Block         *block)
{
  switch (block->kind)
    {
    case BLOCK_TEXT:
      {
        PangoLayoutIter *iter;
        PangoRectangle rect;
        double height;
        int lines = pango_layout_get_line_count (block->layout);

        if (lines <= 2)
          return block->height + styles[block->style].before;
        iter = pango_layout_get_iter (block->layout);
        pango_layout_iter_next_line (iter);
        pango_layout_iter_get_line_extents (iter, NULL, &rect);
        height = (double) (rect.y + rect.height) / PANGO_SCALE;
        pango_layout_iter_free (iter);
        return height + styles[block->style].before;
      }

    case BLOCK_TABLE:
      return block->header_height
        + (block->rows->len > 0 ? g_array_index (block->rows, Row, 0).height : 0);

    case BLOCK_SIGNATURES:
      return block->height;

    case BLOCK_SPACE:
    case BLOCK_PAGE_BREAK:
    default:
      return 0;
    }
}

static void
paginate_text (Cursor *cur,
               Block  *block,
               double  keep_extra)
{
  double before = cur->y > TOP ? styles[block->style].before : 0;
  PangoLayoutIter *iter;
  guint line = 0, first = 0;
  double first_y = 0;

  if (cur->y + before + block->height + keep_extra <= BOTTOM)
    {
      cur->y += before;
      place (cur, block, 0, G_MAXUINT, 0, block->height);
      cur->y += styles[block->style].after;
      return;
    }

  /* A heading (or a short paragraph) moves whole to the next page. */
  if (block->keep_with_next || block->height + keep_extra <= BOTTOM - TOP)
    {
      if (cur->y > TOP)
        new_page (cur);
      place (cur, block, 0, G_MAXUINT, 0, block->height);
      cur->y += styles[block->style].after;
      return;
    }

  /* A long paragraph breaks between lines. */
  cur->y += before;
  iter = pango_layout_get_iter (block->layout);
  do
    {
      PangoRectangle rect;
      double top, bottom;

      pango_layout_iter_get_line_extents (iter, NULL, &rect);
      top = (double) rect.y / PANGO_SCALE;
      bottom = (double) (rect.y + rect.height) / PANGO_SCALE;
      if (line > first && cur->y + (bottom - first_y) > BOTTOM)
        {
          place (cur, block, first, line, first_y, top - first_y);
          new_page (cur);
          first = line;
          first_y = top;
        }
      else if (line == first && cur->y + (bottom - top) > BOTTOM && cur->y > TOP)
        new_page (cur);
      if (line == first)
        first_y = top;
      line++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  place (cur, block, first, line, first_y, block->height - first_y);
  cur->y += styles[block->style].after;
}

static void
paginate_table (Cursor *cur,
                Block  *block,
                double  keep_extra)
{
  guint first = 0;
  double height = block->header_height;
  double start = cur->y;
  guint n = block->rows->len;

  if (cur->y > TOP)
    cur->y += 4;
  start = cur->y;

  for (guint i = 0; i < n; i++)
    {
      Row *row = &g_array_index (block->rows, Row, i);
      double need = row->height;

      /* A group heading row stays with the row after it, and the last
       * row with what must follow the table. */
      if ((row->flags & BB_PDF_ROW_KEEP_WITH_NEXT) && i + 1 < n)
        need += g_array_index (block->rows, Row, i + 1).height;
      if (i + 1 == n)
        need += keep_extra;

      if (start + height + need > BOTTOM && (i > first || start > TOP))
        {
          if (i > first)
            {
              cur->y = start;
              place (cur, block, first, i, 0, height);
            }
          new_page (cur);
          start = TOP;
          first = i;
          height = block->header_height;
        }
      height += row->height;
    }
  cur->y = start;
  place (cur, block, first, n, 0, height);
  cur->y += 8;
}

static void
ensure_layout (BbPdfDocument *self)
{
  Cursor cur = { self, NULL, TOP };

  if (self->pages != NULL)
    return;

  ensure_context (self);
  for (guint i = 0; i < self->blocks->len; i++)
    measure_block (self, g_ptr_array_index (self->blocks, i));

  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  new_page (&cur);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);
      Block *next = i + 1 < self->blocks->len ? g_ptr_array_index (self->blocks, i + 1) : NULL;
      double keep_extra = 0;

      if (block->keep_with_next && next != NULL)
        keep_extra = block_min_height (self, next);

      switch (block->kind)
        {
        case BLOCK_TEXT:
          paginate_text (&cur, block, keep_extra);
          break;

        case BLOCK_TABLE:
          paginate_table (&cur, block, keep_extra);
          break;

        case BLOCK_SIGNATURES:
          if (cur.y + block->height > BOTTOM && cur.y > TOP)
            new_page (&cur);
          place (&cur, block, 0, 0, 0, block->height);
          break;

        case BLOCK_SPACE:
          if (cur.y > TOP)
            cur.y = MIN (cur.y + block->height, BOTTOM);
          break;

        case BLOCK_PAGE_BREAK:
          if (cur.y > TOP || cur.page->len > 0)
            new_page (&cur);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* A page break at the very end leaves no blank page behind. */
  if (self->pages->len > 1 && cur.page->len == 0)
    g_ptr_array_remove_index (self->pages, self->pages->len - 1);
}

guint
bb_pdf_document_get_n_pages (BbPdfDocument *self)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (self->table == NULL, 0);

  ensure_layout (self);
  return self->pages->len;
}

/* Drawing */

static void
draw_text (BbPdfDocument *self,
           cairo_t       *cr,
           Style          style,
           const char    *text,
           double         x,
           double         y,
           double         width,
           BbPdfAlign     align,
           gboolean       single_line)
{
  PangoLayout *layout = self->scratch[style];
  PangoAlignment alignment = align == BB_PDF_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                           : align == BB_PDF_ALIGN_CENTER ? PANGO_ALIGN_CENTER
                           : PANGO_ALIGN_LEFT;
  double one_line;
  gsize cut;

  if (*text == '\0')
    return;
  if (fast_width (self, style, text, &one_line))
    {
      if (one_line <= width)
        {
          if (align == BB_PDF_ALIGN_RIGHT)
            x += width - one_line;
          else if (align == BB_PDF_ALIGN_CENTER)
            x += (width - one_line) / 2;
          fast_draw (self, cr, style, text, strlen (text), FALSE, x, y);
          return;
        }
      if (single_line && fast_cut (self, style, text, width, &cut))
        {
          fast_draw (self, cr, style, text, cut, TRUE, x, y);
          return;
        }
    }
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (layout, alignment);
  if (single_line)
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
}

static void
draw_cells (BbPdfDocument *self,
            cairo_t       *cr,
            Block         *block,
            const char    *cells,
            Style          style,
            double         y)
{
  const char *cell = cells;

  for (guint i = 0; i < block->n_columns; i++, cell = next_cell (cell))
    draw_text (self, cr, style, cell, block->col_x[i] + CELL_PAD_X, y + CELL_PAD_Y,
               block->col_w[i] - 2 * CELL_PAD_X, block->align[i], block->single_line[i]);
}

static void
draw_table_piece (BbPdfDocument *self,
                  cairo_t       *cr,
                  const Piece   *piece)
{
  Block *block = piece->block;
  double y = piece->y;

  /* Backgrounds first, then text, then the rules, each as one operation
   * for the whole piece. */
  y = piece->y + block->header_height;
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.92, 0.92, 0.92);
  for (guint i = piece->first; i < piece->last; i++)
    {
      Row *row = &g_array_index (block->rows, Row, i);

      if (row->flags & BB_PDF_ROW_SHADED)
        cairo_rectangle (cr, LEFT, y, TEXT_WIDTH, row->height);
      y += row->height;
    }
  cairo_fill (cr);
  cairo_restore (cr);

  y = piece->y;
  if (block->has_header)
    draw_cells (self, cr, block, block->titles, STYLE_CELL_BOLD, y);
  y += block->header_height;
  for (guint i = piece->first; i < piece->last; i++)
    {
      Row *row = &g_array_index (block->rows, Row, i);

      draw_cells (self, cr, block, row->cells, row_style (row->flags), y);
      y += row->height;
    }
  flush_glyphs (self, cr);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (cr, 0.3);
  y = piece->y + block->header_height;
  for (guint i = piece->first; i < piece->last; i++)
    {
      y += g_array_index (block->rows, Row, i).height;
      cairo_move_to (cr, LEFT, y);
      cairo_line_to (cr, LEFT + TEXT_WIDTH, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.8);
  y = piece->y + block->header_height;
  if (block->has_header)
    {
      cairo_move_to (cr, LEFT, y);
      cairo_line_to (cr, LEFT + TEXT_WIDTH, y);
    }
  for (guint i = piece->first; i < piece->last; i++)
    {
      Row *row = &g_array_index (block->rows, Row, i);

      if (row->flags & BB_PDF_ROW_RULE_ABOVE)
        {
          cairo_move_to (cr, LEFT, y);
          cairo_line_to (cr, LEFT + TEXT_WIDTH, y);
        }
      y += row->height;
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_signatures (BbPdfDocument *self,
                 cairo_t       *cr,
                 const Piece   *piece)
{
  double width = (TEXT_WIDTH - SIGNATURE_GAP) / 2;
  double y = piece->y;

  for (guint i = 0; piece->block->labels[i] != NULL; i++)
    {
      double x = LEFT + (i % 2) * (width + SIGNATURE_GAP);
      double line_y = y + SIGNATURE_SPACE;

      cairo_save (cr);
      cairo_set_line_width (cr, 0.6);
      cairo_move_to (cr, x, line_y);
      cairo_line_to (cr, x + width, line_y);
      cairo_stroke (cr);
      cairo_restore (cr);
      draw_text (self, cr, STYLE_SMALL, piece->block->labels[i], x, line_y + 3, width,
                 BB_PDF_ALIGN_LEFT, FALSE);
      if (i % 2 == 1)
        y += signatures_row_height (self);
    }
  flush_glyphs (self, cr);
}

static void
draw_footer (BbPdfDocument *self,
             cairo_t       *cr,
             guint          page)
{
  g_autofree char *number = NULL;
  double y = BOTTOM + BB_PDF_MARGIN / 2 - self->line_height[STYLE_SMALL] / 2;

  /* TRANSLATORS: the footer of every printed page */
  number = g_strdup_printf (_("Page %u of %u"), page + 1, self->pages->len);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  draw_text (self, cr, STYLE_SMALL, number, LEFT, y, TEXT_WIDTH, BB_PDF_ALIGN_RIGHT, FALSE);
  if (self->title != NULL)
    draw_text (self, cr, STYLE_SMALL, self->title, LEFT, y, TEXT_WIDTH * 0.7, BB_PDF_ALIGN_LEFT, TRUE);
  flush_glyphs (self, cr);
  cairo_restore (cr);
}

void
bb_pdf_document_render_page (BbPdfDocument *self,
                             cairo_t       *cr,
                             guint          page)
{
  GArray *pieces;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  ensure_layout (self);
  g_return_if_fail (page < self->pages->len);

  pieces = g_ptr_array_index (self->pages, page);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < pieces->len; i++)
    {
      const Piece *piece = &g_array_index (pieces, Piece, i);

      switch (piece->block->kind)
        {
        case BLOCK_TEXT:
          cairo_save (cr);
          if (piece->first > 0 || piece->last != G_MAXUINT)
            {
              cairo_rectangle (cr, 0, piece->y, BB_PDF_PAGE_WIDTH, piece->height);
              cairo_clip (cr);
            }
          cairo_move_to (cr, LEFT, piece->y - piece->offset);
          pango_cairo_show_layout (cr, piece->block->layout);
          cairo_restore (cr);
          break;

        case BLOCK_TABLE:
          draw_table_piece (self, cr, piece);
          break;

        case BLOCK_SIGNATURES:
          draw_signatures (self, cr, piece);
          break;

        case BLOCK_SPACE:
        case BLOCK_PAGE_BREAK:
        default:
          break;
        }
    }
  draw_footer (self, cr, page);
  cairo_restore (cr);
}

/* Writing */

typedef struct {
  GOutputStream *stream;
  GCancellable  *cancellable;
  GError        *error;
} WriteClosure;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  WriteClosure *wc = closure;

  if (wc->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (wc->stream, data, length, NULL, wc->cancellable, &wc->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

gboolean
bb_pdf_document_write_to_stream (BbPdfDocument  *self,
                                 GOutputStream  *stream,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  WriteClosure wc = { stream, cancellable, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ensure_layout (self);

  surface = cairo_pdf_surface_create_for_stream (write_cb, &wc,
                                                 BB_PDF_PAGE_WIDTH, BB_PDF_PAGE_HEIGHT);
  if (self->title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  if (self->author != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, self->author);
  if (self->subject != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, self->subject);
  if (self->creator != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, self->creator);

  cr = cairo_create (surface);
  for (guint i = 0; i < self->pages->len && wc.error == NULL; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, &wc.error))
        break;
      bb_pdf_document_render_page (self, cr, i);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (wc.error != NULL)
    {
      if (g_error_matches (wc.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, wc.error);
      else
        {
          g_set_error (error, BB_PDF_ERROR, BB_PDF_ERROR_WRITE,
                       _("Could not write the PDF: %s"), wc.error->message);
          g_error_free (wc.error);
        }
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, BB_PDF_ERROR, BB_PDF_ERROR_FAILED,
                   _("Could not make the PDF: %s"), cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
bb_pdf_document_write (BbPdfDocument  *self,
                       const char     *path,
                       GError        **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abort = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* g_file_replace() writes a temporary file and renames it over @path on
   * close; closing after a cancel drops the temporary file instead. */
  file = g_file_new_for_path (path);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, &local_error);
  if (stream == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, BB_PDF_ERROR, BB_PDF_ERROR_WRITE,
                   _("Could not write “%s”: %s"), display, local_error->message);
      return FALSE;
    }

  abort = g_cancellable_new ();
  if (!bb_pdf_document_write_to_stream (self, G_OUTPUT_STREAM (stream), NULL, error))
    {
      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
      return FALSE;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, BB_PDF_ERROR, BB_PDF_ERROR_WRITE,
                   _("Could not write “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}
