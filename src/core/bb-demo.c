/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>

#include "bb-demo.h"
#include "bb-money-demo.h"
#include "bb-programme-demo.h"
#include "bb-volunteer.h"
#include "bb-library.h"

/* Every person, number and address here is made up. The IBAN passes the
 * mod-97 check (and the old Dutch 11-test) so that forms accept it. */
#define DEMO_COUNCIL_NAME  "Wijkraad De Dommelhoek"
#define DEMO_MUNICIPALITY  "Valkenswaard"
#define DEMO_KVK_NUMBER    "40123456"
#define DEMO_IBAN          "NL64 RABO 0343 2319 48"
#define DEMO_CONTACT_NAME  "Marieke van den Heuvel"
#define DEMO_EMAIL         "secretaris@dedommelhoek.nl"
#define DEMO_PHONE         "040 201 4587"
#define DEMO_RESIDENTS     4500

typedef struct
{
  const char *path;
  const char *backup_root;
  BbStore    *store;
} DemoBuild;

typedef gboolean (*DemoStep) (DemoBuild  *build,
                              GError    **error);

static gboolean
add_council (DemoBuild  *build,
             GError    **error)
{
  g_autoptr(BbCouncil) council = bb_council_new ();

  g_assert (build->store == NULL);

  bb_council_set_name (council, DEMO_COUNCIL_NAME);
  bb_council_set_municipality (council, DEMO_MUNICIPALITY);
  bb_council_set_legal_form (council, BB_LEGAL_FORM_VERENIGING);
  bb_council_set_kvk_number (council, DEMO_KVK_NUMBER);
  bb_council_set_iban (council, DEMO_IBAN);
  /* The secretary (secretaris) is the council's contact. */
  bb_council_set_contact_name (council, DEMO_CONTACT_NAME);
  bb_council_set_email (council, DEMO_EMAIL);
  bb_council_set_phone (council, DEMO_PHONE);
  bb_council_set_residents (council, DEMO_RESIDENTS);

  build->store = bb_store_create (build->path, council, build->backup_root, error);

  return build->store != NULL;
}

static gboolean
add_library (DemoBuild  *build,
             GError    **error)
{
  return bb_library_add_demo (build->store, error);
}

static gboolean
add_volunteers (DemoBuild  *build,
                GError    **error)
{
  return bb_volunteer_add_demo (build->store, error);
}

static gboolean
add_money (DemoBuild  *build,
           GError    **error)
{
  return bb_money_add_demo (build->store, error);
}

static gboolean
add_programme (DemoBuild  *build,
               GError    **error)
{
  return bb_programme_add_demo (build->store, error);
}

/* In order: the first step creates the file, each later one fills in a
 * part of the council's year in it. */
static const DemoStep demo_steps[] = {
  add_council,
  add_volunteers,   /* before the programme: it assigns them and confirms hours */
  add_programme,    /* after the volunteers: it assigns them to tasks */
  add_money,        /* after both: transactions link activities and volunteers */
  add_library,
};

BbStore *
bb_demo_create (const char  *path,
                const char  *backup_root,
                GError     **error)
{
  DemoBuild build = { path, backup_root, NULL };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (demo_steps); i++)
    {
      if (!demo_steps[i] (&build, error))
        {
          /* A half-filled demo would only confuse: take it away. The
           * store is dropped without a closing backup. */
          if (build.store != NULL)
            {
              g_clear_object (&build.store);
              g_remove (path);
            }
          return NULL;
        }
    }

  return build.store;
}
