/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <cairo.h>

#include "bb-pdf.h"
#include "bb-money.h"
#include "bb-test-util.h"

typedef struct {
  char *dir;
  char *pdf;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("bb-test-pdf-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->pdf = g_build_filename (fixture->dir, "out.pdf", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->pdf);
}

/* The text of a PDF as pdftotext -layout sees it; pages are separated by
 * form feeds. */
static char *
pdf_to_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pdftotext failed: %s", err);
  return g_steal_pointer (&out);
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static BbPdfDocument *
make_ledger_document (guint n_rows)
{
  static const BbPdfColumn columns[] = {
    { "Date", 1.2, BB_PDF_ALIGN_LEFT },
    { "Description", 4, BB_PDF_ALIGN_LEFT },
    { "Amount", 1.6, BB_PDF_ALIGN_RIGHT },
  };
  BbPdfDocument *doc = bb_pdf_document_new ();
  gint64 total = 0;

  bb_pdf_document_set_title (doc, "Ledger test");
  bb_pdf_document_set_author (doc, "Wijkraad De Dommelhoek");
  bb_pdf_document_add_title (doc, "Ledger <test> & co");
  bb_pdf_document_add_heading (doc, 1, "Transactions");
  bb_pdf_document_add_paragraph (doc, "Every transaction of the year, with its amount.");
  bb_pdf_document_begin_table (doc, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *date = g_strdup_printf ("2024-%02u-%02u", i % 12 + 1, i % 28 + 1);
      g_autofree char *what = g_strdup_printf ("Row %u: koffie en thee voor de vrijwilligers", i);
      g_autofree char *amount = bb_money_format (123456 + i);

      total += 123456 + i;
      bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_NORMAL, date, what, amount);
    }
  {
    g_autofree char *amount = bb_money_format (total);

    bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_BOLD | BB_PDF_ROW_RULE_ABOVE,
                                   NULL, "Total", amount);
  }
  bb_pdf_document_end_table (doc);
  bb_pdf_document_add_heading (doc, 1, "Declaration");
  {
    const char *labels[] = { "Chair", "Treasurer", "Date", "Place" };

    bb_pdf_document_add_signatures (doc, labels, G_N_ELEMENTS (labels));
  }
  return doc;
}

static void
test_pdf_multipage_table (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(BbPdfDocument) doc = make_ledger_document (200);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) pages = NULL;
  guint n_pages;

  n_pages = bb_pdf_document_get_n_pages (doc);
  g_assert_cmpuint (n_pages, >, 3);
  g_assert_true (bb_pdf_document_write (doc, fixture->pdf, &error));
  g_assert_no_error (error);

  text = pdf_to_text (fixture->pdf);
  pages = g_strsplit (text, "\f", -1);
  /* pdftotext ends the last page with a form feed too. */
  g_assert_cmpuint (g_strv_length (pages), ==, n_pages + 1);

  /* Escaped, not taken as markup. */
  g_assert_nonnull (strstr (pages[0], "Ledger <test> & co"));
  g_assert_nonnull (strstr (pages[0], "Transactions"));

  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *footer = g_strdup_printf ("Page %u of %u", i + 1, n_pages);

      g_test_message ("page %u", i + 1);
      g_assert_nonnull (strstr (pages[i], footer));
      /* The header row is repeated on every page of the table. */
      if (strstr (pages[i], "Row ") != NULL)
        g_assert_nonnull (strstr (pages[i], "Description"));
    }

  /* Every row once, none split or lost between pages. */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *row = g_strdup_printf ("Row %u: koffie", i);

      g_assert_cmpuint (count (text, row), ==, 1);
    }
  g_assert_nonnull (strstr (text, "€ 1.234,56"));
  /* 200 × 123456 + 199 × 200 / 2 = 24,711,100 cents */
  g_assert_nonnull (strstr (text, "€ 247.111,00"));
  g_assert_nonnull (strstr (pages[n_pages - 1], "Declaration"));
  g_assert_nonnull (strstr (pages[n_pages - 1], "Treasurer"));
}

static void
test_pdf_amounts_right_aligned (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(BbPdfDocument) doc = make_ledger_document (30);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  glong end = -1;
  guint seen = 0;

  g_assert_true (bb_pdf_document_write (doc, fixture->pdf, &error));
  g_assert_no_error (error);
  text = pdf_to_text (fixture->pdf);
  lines = g_strsplit (text, "\n", -1);
  /* "€ 1.234,56" and "€ 247.111,00" both end in the same column. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *euro = strstr (lines[i], "€ ");
      glong this_end;

      if (euro == NULL || strstr (lines[i], "Row ") == NULL)
        continue;
      this_end = g_utf8_strlen (lines[i], -1);
      while (this_end > 0 && g_unichar_isspace (g_utf8_get_char (g_utf8_offset_to_pointer (lines[i], this_end - 1))))
        this_end--;
      if (end < 0)
        end = this_end;
      g_assert_cmpint (this_end, ==, end);
      seen++;
    }
  g_assert_cmpuint (seen, ==, 30);
}

static void
test_pdf_heading_not_orphaned (Fixture       *fixture,
                               gconstpointer  data)
{
  static const BbPdfColumn columns[] = { { "Name", 1, BB_PDF_ALIGN_LEFT } };
  g_autoptr(BbPdfDocument) doc = bb_pdf_document_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) pages = NULL;
  guint filler;

  /* Fill the first page with paragraphs until a heading would land at
   * its very bottom, then check it moved to page two with its table. */
  for (filler = 0; filler < 200; filler++)
    {
      g_autoptr(BbPdfDocument) probe = bb_pdf_document_new ();

      for (guint i = 0; i < filler; i++)
        bb_pdf_document_add_paragraph (probe, "Filler line.");
      if (bb_pdf_document_get_n_pages (probe) > 1)
        break;
    }
  for (guint i = 0; i + 1 < filler; i++)
    bb_pdf_document_add_paragraph (doc, "Filler line.");
  bb_pdf_document_add_heading (doc, 1, "Lonely heading");
  bb_pdf_document_begin_table (doc, columns, 1);
  bb_pdf_document_add_row_cells (doc, 0, "First row");
  bb_pdf_document_end_table (doc);

  g_assert_true (bb_pdf_document_write (doc, fixture->pdf, &error));
  g_assert_no_error (error);
  text = pdf_to_text (fixture->pdf);
  pages = g_strsplit (text, "\f", -1);
  g_assert_cmpuint (g_strv_length (pages), ==, 3);
  g_assert_null (strstr (pages[0], "Lonely heading"));
  g_assert_nonnull (strstr (pages[1], "Lonely heading"));
  g_assert_nonnull (strstr (pages[1], "First row"));
}

static void
test_pdf_long_paragraph_and_cells (Fixture       *fixture,
                                   gconstpointer  data)
{
  static const BbPdfColumn columns[] = {
    { "Post", 1, BB_PDF_ALIGN_LEFT },
    { "Explanation", 3, BB_PDF_ALIGN_LEFT },
  };
  g_autoptr(BbPdfDocument) doc = bb_pdf_document_new ();
  g_autoptr(GString) para = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (para, "zin%u ", i);
  bb_pdf_document_add_paragraph (doc, para->str);
  bb_pdf_document_add_markup (doc, "<b>bold</b> and <i>broken");
  bb_pdf_document_begin_table (doc, columns, 2);
  bb_pdf_document_add_row_cells (doc, 0,
                                 "Wijkkrant druk en bezorging in de hele wijk, vier keer per jaar",
                                 "Één regel\nTwee regels");
  bb_pdf_document_end_table (doc);

  g_assert_cmpuint (bb_pdf_document_get_n_pages (doc), >=, 1);
  g_assert_true (bb_pdf_document_write (doc, fixture->pdf, &error));
  g_assert_no_error (error);
  text = pdf_to_text (fixture->pdf);
  /* No word of the paragraph lost at a page break. */
  flat = g_strdelimit (g_strdup (text), "\n\f", ' ');
  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *word = g_strdup_printf ("zin%u ", i);

      g_assert_cmpuint (count (flat, word), ==, 1);
    }
  g_assert_nonnull (strstr (text, "<i>broken"));
  g_assert_nonnull (strstr (text, "Twee regels"));
  g_assert_nonnull (strstr (text, "bezorging"));
}

static void
test_pdf_single_line_cut (Fixture       *fixture,
                          gconstpointer  data)
{
  static const BbPdfColumn columns[] = {
    { "Description", 2, BB_PDF_ALIGN_LEFT, TRUE },
    { "Amount", 1, BB_PDF_ALIGN_RIGHT },
  };
  g_autoptr(BbPdfDocument) doc = bb_pdf_document_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  bb_pdf_document_begin_table (doc, columns, 2);
  bb_pdf_document_add_row_cells (doc, 0,
                                 "SEPA OVERBOEKING IBAN NL91ABNA0417164300 BIC ABNANL2A NAAM "
                                 "DRUKKERIJ DE WIJK OMSCHRIJVING FACTUUR 2024-117 WIJKKRANT "
                                 "NUMMER DRIE KENMERK 99887766 EINDE", "€ 1,00");
  bb_pdf_document_add_row_cells (doc, 0, "Кириллица и многое другое, что не помещается в одну строку таблицы никак",
                                 "€ 2,00");
  bb_pdf_document_end_table (doc);
  g_assert_true (bb_pdf_document_write (doc, fixture->pdf, &error));
  g_assert_no_error (error);
  text = pdf_to_text (fixture->pdf);
  /* Cut on one line, with the amount on the same line. */
  g_assert_nonnull (strstr (text, "SEPA OVERBOEKING"));
  g_assert_null (strstr (text, "EINDE"));
  g_assert_nonnull (strstr (text, "…"));
  g_assert_true (g_regex_match_simple ("SEPA OVERBOEKING.*… +€ 1,00", text, 0, 0));
  /* Pango's ellipsis carries the text it stands for, so pdftotext may
   * give the whole text back; it is still one line. */
  g_assert_true (g_regex_match_simple ("Кириллица[^\n]* +€ 2,00", text, 0, 0));
}

static void
test_pdf_write_error_keeps_old_file (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(BbPdfDocument) doc = make_ledger_document (3);
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fixture->dir, "no", "such", "out.pdf", NULL);

  g_assert_false (bb_pdf_document_write (doc, missing, &error));
  g_assert_error (error, BB_PDF_ERROR, BB_PDF_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "out.pdf"));
}

static void
test_pdf_render_to_image (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(BbPdfDocument) doc = make_ledger_document (80);
  cairo_surface_t *surface;
  cairo_t *cr;
  guint n_pages = bb_pdf_document_get_n_pages (doc);
  guchar *pixels;
  gboolean inked = FALSE;
  int stride;

  /* The preview path: any cairo context, scaled. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 298, 421);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, 0.5, 0.5);
  bb_pdf_document_render_page (doc, cr, n_pages - 1);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < 421 && !inked; y++)
    for (int x = 0; x < 298 && !inked; x++)
      if ((((guint32 *) (pixels + y * stride))[x] & 0xffffff) != 0xffffff)
        inked = TRUE;
  g_assert_true (inked);
  g_assert_cmpuint (bb_pdf_document_get_n_pages (doc), ==, n_pages);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/pdf/multipage-table", Fixture, NULL,
              fixture_setup, test_pdf_multipage_table, fixture_teardown);
  g_test_add ("/bb/pdf/amounts-right-aligned", Fixture, NULL,
              fixture_setup, test_pdf_amounts_right_aligned, fixture_teardown);
  g_test_add ("/bb/pdf/heading-not-orphaned", Fixture, NULL,
              fixture_setup, test_pdf_heading_not_orphaned, fixture_teardown);
  g_test_add ("/bb/pdf/long-paragraph-and-cells", Fixture, NULL,
              fixture_setup, test_pdf_long_paragraph_and_cells, fixture_teardown);
  g_test_add ("/bb/pdf/single-line-cut", Fixture, NULL,
              fixture_setup, test_pdf_single_line_cut, fixture_teardown);
  g_test_add ("/bb/pdf/write-error", Fixture, NULL,
              fixture_setup, test_pdf_write_error_keeps_old_file, fixture_teardown);
  g_test_add ("/bb/pdf/render-to-image", Fixture, NULL,
              fixture_setup, test_pdf_render_to_image, fixture_teardown);

  return g_test_run ();
}
