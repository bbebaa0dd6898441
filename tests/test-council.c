/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bb-council.h"
#include "bb-store.h"
#include "bb-validate.h"
#include "bb-test-util.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-council-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
touch (const char *path)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_council_defaults (void)
{
  g_autoptr(BbCouncil) council = bb_council_new ();

  g_assert_cmpstr (bb_council_get_id (council), ==, "");
  g_assert_cmpstr (bb_council_get_name (council), ==, "");
  g_assert_cmpstr (bb_council_get_municipality (council), ==, "");
  g_assert_cmpint (bb_council_get_legal_form (council), ==, BB_LEGAL_FORM_INFORMAL);
  g_assert_cmpstr (bb_council_get_kvk_number (council), ==, "");
  g_assert_cmpstr (bb_council_get_iban (council), ==, "");
  g_assert_cmpstr (bb_council_get_contact_name (council), ==, "");
  g_assert_cmpstr (bb_council_get_email (council), ==, "");
  g_assert_cmpstr (bb_council_get_phone (council), ==, "");
  g_assert_cmpuint (bb_council_get_residents (council), ==, 0);
  g_assert_cmpstr (bb_council_get_created_at (council), ==, "");
  g_assert_cmpstr (bb_council_get_updated_at (council), ==, "");

  /* NULL means "empty", so a view never has to check. */
  bb_council_set_name (council, "Wijkraad Zuid");
  bb_council_set_name (council, NULL);
  g_assert_cmpstr (bb_council_get_name (council), ==, "");

  g_assert_finalize_object (g_steal_pointer (&council));
}

static void
test_council_notify (void)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *name = NULL;
  BbLegalForm form;
  guint residents;
  guint name_count = 0;
  guint form_count = 0;
  guint residents_count = 0;
  guint any_count = 0;

  g_signal_connect (council, "notify::name", G_CALLBACK (count_notify_cb), &name_count);
  g_signal_connect (council, "notify::legal-form", G_CALLBACK (count_notify_cb), &form_count);
  g_signal_connect (council, "notify::residents", G_CALLBACK (count_notify_cb), &residents_count);
  g_signal_connect (council, "notify", G_CALLBACK (count_notify_cb), &any_count);

  bb_council_set_name (council, "Buurtcomité Oost");
  g_assert_cmpuint (name_count, ==, 1);
  bb_council_set_name (council, "Buurtcomité Oost");
  g_assert_cmpuint (name_count, ==, 1);

  g_object_set (council, "name", "Buurtcomité West", NULL);
  g_assert_cmpuint (name_count, ==, 2);
  g_object_get (council, "name", &name, NULL);
  g_assert_cmpstr (name, ==, "Buurtcomité West");

  g_object_set (council, "legal-form", BB_LEGAL_FORM_STICHTING, NULL);
  g_assert_cmpuint (form_count, ==, 1);
  bb_council_set_legal_form (council, BB_LEGAL_FORM_STICHTING);
  g_assert_cmpuint (form_count, ==, 1);
  g_object_get (council, "legal-form", &form, NULL);
  g_assert_cmpint (form, ==, BB_LEGAL_FORM_STICHTING);

  bb_council_set_residents (council, 1200);
  bb_council_set_residents (council, 1200);
  g_assert_cmpuint (residents_count, ==, 1);
  g_object_get (council, "residents", &residents, NULL);
  g_assert_cmpuint (residents, ==, 1200);

  /* Every property notifies exactly once per real change. */
  any_count = 0;
  g_object_set (council,
                "id", "5a4c9c1e-8b2f-4c43-9f0e-0d7f3a6b2e11",
                "municipality", "Eindhoven",
                "kvk-number", "40123456",
                "iban", "NL64RABO0343231948",
                "contact-name", "Jan de Vries",
                "email", "jan@example.nl",
                "phone", "06 1234 5678",
                "created-at", "2024-01-05T09:00:00Z",
                "updated-at", "2024-01-05T09:00:00Z",
                NULL);
  g_assert_cmpuint (any_count, ==, 9);
  g_object_set (council, "municipality", "Eindhoven", "phone", "06 1234 5678", NULL);
  g_assert_cmpuint (any_count, ==, 9);

  g_assert_cmpstr (bb_council_get_municipality (council), ==, "Eindhoven");
  g_assert_cmpstr (bb_council_get_contact_name (council), ==, "Jan de Vries");
  g_assert_cmpstr (bb_council_get_created_at (council), ==, "2024-01-05T09:00:00Z");

  g_assert_finalize_object (g_steal_pointer (&council));
}

static void
test_council_property_specs (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (BB_TYPE_COUNCIL);
  g_autofree GParamSpec **specs = NULL;
  guint n_specs = 0;
  GParamSpec *spec;

  specs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_specs);
  g_assert_cmpuint (n_specs, ==, 12);

  for (guint i = 0; i < n_specs; i++)
    g_assert_true (specs[i]->flags & G_PARAM_EXPLICIT_NOTIFY);

  spec = g_object_class_find_property (G_OBJECT_CLASS (klass), "legal-form");
  g_assert_nonnull (spec);
  g_assert_true (G_IS_PARAM_SPEC_ENUM (spec));
  g_assert_true (spec->value_type == BB_TYPE_LEGAL_FORM);
  g_assert_cmpstr (g_type_name (BB_TYPE_LEGAL_FORM), ==, "BbLegalForm");
}

static void
test_council_copy (void)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbCouncil) copy = NULL;

  bb_council_set_id (council, "id-1");
  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  bb_council_set_municipality (council, "Valkenswaard");
  bb_council_set_legal_form (council, BB_LEGAL_FORM_VERENIGING);
  bb_council_set_kvk_number (council, "40123456");
  bb_council_set_iban (council, "NL64RABO0343231948");
  bb_council_set_contact_name (council, "Marieke van den Heuvel");
  bb_council_set_email (council, "secretaris@dedommelhoek.nl");
  bb_council_set_phone (council, "040 201 4587");
  bb_council_set_residents (council, 4500);
  bb_council_set_created_at (council, "2024-01-01T10:00:00Z");
  bb_council_set_updated_at (council, "2024-02-01T10:00:00Z");

  copy = bb_council_copy (council);
  g_assert_true (copy != council);
  g_assert_cmpstr (bb_council_get_id (copy), ==, "id-1");
  g_assert_cmpstr (bb_council_get_name (copy), ==, "Wijkraad De Dommelhoek");
  g_assert_cmpstr (bb_council_get_municipality (copy), ==, "Valkenswaard");
  g_assert_cmpint (bb_council_get_legal_form (copy), ==, BB_LEGAL_FORM_VERENIGING);
  g_assert_cmpstr (bb_council_get_kvk_number (copy), ==, "40123456");
  g_assert_cmpstr (bb_council_get_iban (copy), ==, "NL64RABO0343231948");
  g_assert_cmpstr (bb_council_get_contact_name (copy), ==, "Marieke van den Heuvel");
  g_assert_cmpstr (bb_council_get_email (copy), ==, "secretaris@dedommelhoek.nl");
  g_assert_cmpstr (bb_council_get_phone (copy), ==, "040 201 4587");
  g_assert_cmpuint (bb_council_get_residents (copy), ==, 4500);
  g_assert_cmpstr (bb_council_get_created_at (copy), ==, "2024-01-01T10:00:00Z");
  g_assert_cmpstr (bb_council_get_updated_at (copy), ==, "2024-02-01T10:00:00Z");

  /* The copy is independent. */
  bb_council_set_name (copy, "Wijkraad Dommelen");
  g_assert_cmpstr (bb_council_get_name (council), ==, "Wijkraad De Dommelhoek");

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&council));
}

static void
test_legal_form (void)
{
  static const BbLegalForm forms[] = {
    BB_LEGAL_FORM_INFORMAL, BB_LEGAL_FORM_STICHTING, BB_LEGAL_FORM_VERENIGING,
  };
  BbLegalForm form;

  g_assert_cmpstr (bb_legal_form_to_string (BB_LEGAL_FORM_INFORMAL), ==, "informal");
  g_assert_cmpstr (bb_legal_form_to_string (BB_LEGAL_FORM_STICHTING), ==, "stichting");
  g_assert_cmpstr (bb_legal_form_to_string (BB_LEGAL_FORM_VERENIGING), ==, "vereniging");

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      const char *label = bb_legal_form_get_label (forms[i]);

      g_assert_true (bb_legal_form_from_string (bb_legal_form_to_string (forms[i]), &form));
      g_assert_cmpint (form, ==, forms[i]);
      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
    }

  g_assert_cmpstr (bb_legal_form_get_label (BB_LEGAL_FORM_STICHTING), ==, "Foundation (stichting)");

  form = BB_LEGAL_FORM_STICHTING;
  g_assert_false (bb_legal_form_from_string ("bv", &form));
  g_assert_false (bb_legal_form_from_string ("", &form));
  g_assert_false (bb_legal_form_from_string ("Vereniging", &form));
  g_assert_false (bb_legal_form_from_string (NULL, &form));
  g_assert_cmpint (form, ==, BB_LEGAL_FORM_STICHTING);
}

static BbCouncil *
make_valid_council (void)
{
  BbCouncil *council = bb_council_new ();

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  bb_council_set_municipality (council, "Valkenswaard");
  bb_council_set_legal_form (council, BB_LEGAL_FORM_VERENIGING);
  return council;
}

static void
test_validate_name (void)
{
  g_autoptr(BbCouncil) council = make_valid_council ();
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_council_validate (council, &error));
  g_assert_no_error (error);

  bb_council_set_name (council, "");
  g_assert_false (bb_council_validate (council, &error));
  g_assert_error (error, BB_COUNCIL_ERROR, BB_COUNCIL_ERROR_NAME);
  g_assert_cmpstr (error->message, ==, "Every council needs a name.");
  g_clear_error (&error);

  bb_council_set_name (council, "  \t \n ");
  g_assert_false (bb_council_validate (council, &error));
  g_assert_error (error, BB_COUNCIL_ERROR, BB_COUNCIL_ERROR_NAME);
  g_clear_error (&error);

  bb_council_set_name (council, "  Wijkraad Noord  ");
  g_assert_true (bb_council_validate (council, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bb_council_get_name (council), ==, "Wijkraad Noord");
}

static void
test_validate_optional_fields (void)
{
  g_autoptr(BbCouncil) council = make_valid_council ();
  g_autoptr(GError) error = NULL;

  /* An informal group has no KvK number, bank account or e-mail yet. */
  bb_council_set_legal_form (council, BB_LEGAL_FORM_INFORMAL);
  bb_council_set_kvk_number (council, "   ");
  g_assert_true (bb_council_validate (council, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bb_council_get_kvk_number (council), ==, "");
  g_assert_cmpstr (bb_council_get_iban (council), ==, "");
  g_assert_cmpstr (bb_council_get_email (council), ==, "");
}

static void
test_validate_normalises (void)
{
  g_autoptr(BbCouncil) council = make_valid_council ();
  g_autoptr(GError) error = NULL;
  guint kvk_count = 0;

  g_signal_connect (council, "notify::kvk-number", G_CALLBACK (count_notify_cb), &kvk_count);

  bb_council_set_kvk_number (council, " 4012 3456 ");
  bb_council_set_iban (council, "nl64 rabo 0343 2319 48");
  bb_council_set_email (council, "  secretaris@dedommelhoek.nl ");
  g_assert_cmpuint (kvk_count, ==, 1);

  g_assert_true (bb_council_validate (council, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bb_council_get_kvk_number (council), ==, "40123456");
  g_assert_cmpstr (bb_council_get_iban (council), ==, "NL64RABO0343231948");
  g_assert_cmpstr (bb_council_get_email (council), ==, "secretaris@dedommelhoek.nl");
  g_assert_cmpuint (kvk_count, ==, 2);

  /* Already normal: no further notifications. */
  g_assert_true (bb_council_validate (council, &error));
  g_assert_cmpuint (kvk_count, ==, 2);
}

static void
assert_field_error (const char     *property,
                    const char     *value,
                    BbCouncilError  code)
{
  g_autoptr(BbCouncil) council = make_valid_council ();
  g_autoptr(GError) error = NULL;

  g_object_set (council, property, value, NULL);
  g_assert_false (bb_council_validate (council, &error));
  g_assert_error (error, BB_COUNCIL_ERROR, (int) code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_validate_errors (void)
{
  g_autoptr(BbCouncil) council = make_valid_council ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) validate_error = NULL;

  assert_field_error ("kvk-number", "1234", BB_COUNCIL_ERROR_KVK);
  assert_field_error ("kvk-number", "4012345A", BB_COUNCIL_ERROR_KVK);
  assert_field_error ("iban", "NL65RABO0343231948", BB_COUNCIL_ERROR_IBAN);
  assert_field_error ("iban", "NL64", BB_COUNCIL_ERROR_IBAN);
  assert_field_error ("email", "secretaris", BB_COUNCIL_ERROR_EMAIL);
  assert_field_error ("email", "secretaris@", BB_COUNCIL_ERROR_EMAIL);

  /* The message is the validator's own, word for word. */
  bb_council_set_iban (council, "NL65RABO0343231948");
  g_assert_false (bb_council_validate (council, &error));
  g_assert_false (bb_validate_iban ("NL65RABO0343231948", NULL, &validate_error));
  g_assert_error (error, BB_COUNCIL_ERROR, BB_COUNCIL_ERROR_IBAN);
  g_assert_cmpstr (error->message, ==, validate_error->message);
  g_clear_error (&error);

  /* The name comes first: it is the field a form shows at the top. */
  bb_council_set_name (council, "");
  g_assert_false (bb_council_validate (council, &error));
  g_assert_error (error, BB_COUNCIL_ERROR, BB_COUNCIL_ERROR_NAME);
  g_clear_error (&error);

  bb_council_set_name (council, "Wijkraad");
  bb_council_set_iban (council, "");
  bb_council_set_residents (council, BB_COUNCIL_MAX_RESIDENTS + 1);
  g_assert_false (bb_council_validate (council, &error));
  g_assert_error (error, BB_COUNCIL_ERROR, BB_COUNCIL_ERROR_RESIDENTS);
  g_clear_error (&error);

  bb_council_set_residents (council, BB_COUNCIL_MAX_RESIDENTS);
  g_assert_true (bb_council_validate (council, &error));
  g_assert_no_error (error);
}

static char *
suggested_basename (Fixture    *fixture,
                    const char *name)
{
  g_autofree char *path = bb_council_suggest_path (fixture->dir, name);
  g_autofree char *dir = g_path_get_dirname (path);

  /* Whatever the name, the file lands in the folder asked for. */
  g_assert_cmpstr (dir, ==, fixture->dir);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  return g_path_get_basename (path);
}

static void
test_suggest_path_collisions (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *first = bb_council_suggest_path (fixture->dir, "Wijkraad De Dommelhoek");
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *dangling = NULL;
  g_autofree char *fourth = NULL;

  expected = g_build_filename (fixture->dir, "Wijkraad De Dommelhoek.buurtboek", NULL);
  g_assert_cmpstr (first, ==, expected);

  touch (first);
  second = bb_council_suggest_path (fixture->dir, "Wijkraad De Dommelhoek");
  g_free (expected);
  expected = g_build_filename (fixture->dir, "Wijkraad De Dommelhoek (2).buurtboek", NULL);
  g_assert_cmpstr (second, ==, expected);

  touch (second);
  third = bb_council_suggest_path (fixture->dir, "Wijkraad De Dommelhoek");
  g_free (expected);
  expected = g_build_filename (fixture->dir, "Wijkraad De Dommelhoek (3).buurtboek", NULL);
  g_assert_cmpstr (third, ==, expected);

  /* A dangling link is taken: writing to it would land elsewhere. */
  dangling = g_build_filename (fixture->dir, "nowhere", NULL);
  g_assert_cmpint (symlink (dangling, third), ==, 0);
  fourth = bb_council_suggest_path (fixture->dir, "Wijkraad De Dommelhoek");
  g_free (expected);
  expected = g_build_filename (fixture->dir, "Wijkraad De Dommelhoek (4).buurtboek", NULL);
  g_assert_cmpstr (fourth, ==, expected);
}

static void
test_suggest_path_hostile (Fixture       *fixture,
                           gconstpointer  user_data)
{
  static const struct {
    const char *name;
    const char *basename;
  } cases[] = {
    { "../../etc/passwd", "etc-passwd.buurtboek" },
    { "a/b:c", "a-b-c.buurtboek" },
    { "Wat? *Nu* \"echt\" <ja> | nee\\", "Wat- -Nu- -echt- -ja- - nee.buurtboek" },
    { "tab\there\nnew line", "tab-here-new line.buurtboek" },
    { ".verborgen", "verborgen.buurtboek" },
    { "Wijkraad. . .", "Wijkraad.buurtboek" },
    { "-rf", "rf.buurtboek" },
    { "Buurtvereniging ’t Hofke", "Buurtvereniging ’t Hofke.buurtboek" },
    { "", "Council.buurtboek" },
    { "   ", "Council.buurtboek" },
    { "..", "Council.buurtboek" },
    { "/", "Council.buurtboek" },
    { NULL, "Council.buurtboek" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *basename = suggested_basename (fixture, cases[i].name);

      g_assert_cmpstr (basename, ==, cases[i].basename);
    }
}

static void
test_suggest_path_long (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GString) name = g_string_new ("Wijkraad ");
  g_autofree char *basename = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *invalid_name = NULL;
  g_autofree char *invalid_basename = NULL;

  /* Two-byte and four-byte characters, so a byte cut would split one. */
  for (guint i = 0; i < 200; i++)
    g_string_append (name, i % 2 == 0 ? "é" : "🏘");

  basename = suggested_basename (fixture, name->str);
  g_assert_true (g_utf8_validate (basename, -1, NULL));
  g_assert_true (g_str_has_suffix (basename, ".buurtboek"));
  g_assert_cmpuint (strlen (basename), <=, 255);

  stem = g_strndup (basename, strlen (basename) - strlen (".buurtboek"));
  g_assert_cmpuint (g_utf8_strlen (stem, -1), <=, 80);
  g_assert_true (g_str_has_prefix (stem, "Wijkraad é🏘"));

  /* Broken UTF-8 from an old file still gives a valid file name. */
  invalid_name = g_strdup ("Wijkraad \xff\xfe Zuid");
  invalid_basename = suggested_basename (fixture, invalid_name);
  g_assert_true (g_utf8_validate (invalid_basename, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid_basename, "Wijkraad "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/council/defaults", test_council_defaults);
  g_test_add_func ("/bb/council/notify", test_council_notify);
  g_test_add_func ("/bb/council/property-specs", test_council_property_specs);
  g_test_add_func ("/bb/council/copy", test_council_copy);
  g_test_add_func ("/bb/council/legal-form", test_legal_form);
  g_test_add_func ("/bb/council/validate/name", test_validate_name);
  g_test_add_func ("/bb/council/validate/optional", test_validate_optional_fields);
  g_test_add_func ("/bb/council/validate/normalises", test_validate_normalises);
  g_test_add_func ("/bb/council/validate/errors", test_validate_errors);
  g_test_add ("/bb/council/suggest-path/collisions", Fixture, NULL,
              fixture_setup, test_suggest_path_collisions, fixture_teardown);
  g_test_add ("/bb/council/suggest-path/hostile", Fixture, NULL,
              fixture_setup, test_suggest_path_hostile, fixture_teardown);
  g_test_add ("/bb/council/suggest-path/long", Fixture, NULL,
              fixture_setup, test_suggest_path_long, fixture_teardown);

  return g_test_run ();
}
