/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* A small document writer for the printed forms of Buurtboek (the
 * verantwoording, the year programme, a volunteer's inzage): A4 portrait,
 * 2 cm margins, a title, headings, paragraphs, tables whose header row is
 * repeated on every page and whose rows are never split, signature lines,
 * and a footer "Page n of m" (translated) on every page.
 *
 * Build a document block by block, then write it as PDF or draw single
 * pages on any cairo context (the in-app preview, GtkPrintOperation). The
 * layout is computed once, on the first call that needs it, with unhinted
 * font metrics, so the preview and the PDF break pages at the same places.
 * No GTK. A document is used from one thread at a time (any thread).
 *
 * Text arguments are plain text and are escaped by the writer, except where
 * the name says "markup" (Pango markup: build it with
 * g_markup_printf_escaped()). Cells, labels and titles may be NULL (empty). */

#define BB_PDF_ERROR (bb_pdf_error_quark ())

typedef enum {
  BB_PDF_ERROR_WRITE,    /* the file or stream could not be written */
  BB_PDF_ERROR_FAILED,   /* cairo failed (out of memory, …) */
} BbPdfError;

/* A4 in points (1/72 inch), the unit of every size in this API. */
#define BB_PDF_PAGE_WIDTH   595.2756
#define BB_PDF_PAGE_HEIGHT  841.8898
#define BB_PDF_MARGIN        56.6929   /* 2 cm */

typedef enum {
  BB_PDF_ALIGN_LEFT,
  BB_PDF_ALIGN_RIGHT,    /* amounts: "€ 1.234,56" lines up on the right */
  BB_PDF_ALIGN_CENTER,
} BbPdfAlign;

typedef struct {
  const char *title;     /* header cell; a table whose titles are all NULL has no header row */
  double      width;     /* relative weight: the columns share the text width in proportion */
  BbPdfAlign  align;
  gboolean    single_line; /* cut long text with "…" instead of wrapping it: long
                            * lists stay one row per line (and are much faster) */
} BbPdfColumn;

typedef enum {
  BB_PDF_ROW_NORMAL          = 0,
  BB_PDF_ROW_BOLD            = 1 << 0,  /* e.g. a total */
  BB_PDF_ROW_RULE_ABOVE      = 1 << 1,  /* a line above the row: a total under a column */
  BB_PDF_ROW_KEEP_WITH_NEXT  = 1 << 2,  /* never the last row on a page: a group heading */
  BB_PDF_ROW_SHADED          = 1 << 3,  /* light grey background: a group heading */
} BbPdfRowFlags;

typedef struct _BbPdfDocument BbPdfDocument;

GQuark          bb_pdf_error_quark             (void);

BbPdfDocument  *bb_pdf_document_new            (void);
void            bb_pdf_document_free           (BbPdfDocument      *self);

/* Metadata of the PDF file; the title is also printed at the left of the
 * footer. The creator defaults to "Buurtboek VERSION". */
void            bb_pdf_document_set_title      (BbPdfDocument      *self,
                                                const char         *title);
void            bb_pdf_document_set_author     (BbPdfDocument      *self,
                                                const char         *author);
void            bb_pdf_document_set_subject    (BbPdfDocument      *self,
                                                const char         *subject);
void            bb_pdf_document_set_creator    (BbPdfDocument      *self,
                                                const char         *creator);

/* The big title at the top of the first page (not the metadata title). */
void            bb_pdf_document_add_title      (BbPdfDocument      *self,
                                                const char         *text);
/* @level 1 (section) or 2 (subsection). A heading is never the last thing
 * on a page: it moves to the next page with what follows it. */
void            bb_pdf_document_add_heading    (BbPdfDocument      *self,
                                                int                 level,
                                                const char         *text);
/* Plain text; line breaks are kept. Long paragraphs break between lines. */
void            bb_pdf_document_add_paragraph  (BbPdfDocument      *self,
                                                const char         *text);
void            bb_pdf_document_add_markup     (BbPdfDocument      *self,
                                                const char         *markup);
/* Vertical space in points. */
void            bb_pdf_document_add_space      (BbPdfDocument      *self,
                                                double              points);
void            bb_pdf_document_add_page_break (BbPdfDocument      *self);

/* A table: begin, rows, end. @columns is copied. Each row has exactly
 * @n_columns cells (plain text; a cell may hold several lines). */
void            bb_pdf_document_begin_table    (BbPdfDocument      *self,
                                                const BbPdfColumn  *columns,
                                                guint               n_columns);
void            bb_pdf_document_add_row        (BbPdfDocument      *self,
                                                BbPdfRowFlags       flags,
                                                const char * const *cells);
/* The same with the cells as arguments; exactly n_columns of them. */
void            bb_pdf_document_add_row_cells  (BbPdfDocument      *self,
                                                BbPdfRowFlags       flags,
                                                ...);
void            bb_pdf_document_end_table      (BbPdfDocument      *self);

/* Places to sign, two side by side: a blank line to write on with the
 * label under it ("Chair", "Date and place", …). Kept on one page. */
void            bb_pdf_document_add_signatures (BbPdfDocument      *self,
                                                const char * const *labels,
                                                guint               n_labels);

/* Lays the document out (once) and returns the number of pages, >= 1. */
guint           bb_pdf_document_get_n_pages    (BbPdfDocument      *self);
/* Draws page @page (0-based) in points with the origin at the page's top
 * left corner; scale @cr first to draw at another size. Paints no
 * background: fill the page white first on a screen. */
void            bb_pdf_document_render_page    (BbPdfDocument      *self,
                                                cairo_t            *cr,
                                                guint               page);

gboolean        bb_pdf_document_write_to_stream (BbPdfDocument     *self,
                                                 GOutputStream     *stream,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* Writes @path (replacing it) through a temporary file beside it, so a
 * failure never leaves half a PDF behind. */
gboolean        bb_pdf_document_write          (BbPdfDocument      *self,
                                                const char         *path,
                                                GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbPdfDocument, bb_pdf_document_free)

G_END_DECLS
