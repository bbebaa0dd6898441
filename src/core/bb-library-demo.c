/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The demo council's library: documents of its own and some that came
 * from other (made-up) councils by sync. Every council, person and address
 * is made up. */

#include "config.h"

#include <string.h>

#include "bb-library.h"
#include "bb-replica.h"

typedef struct
{
  const char *title;
  const char *type;        /* "practice", "template", "rule_set" */
  const char *summary;
  const char *body;
  const char *themes;      /* comma-separated theme ids */
  const char *tags;        /* comma-separated */
  int         origin;      /* -1: own; else an index in other_councils[] */
  const char *licence;     /* NULL: CC-BY-4.0 */
  const char *attachment;  /* nullable: file name */
  const char *attachment_type;
  const char *attachment_text;
} DemoDocument;

typedef struct
{
  const char *id;
  const char *name;
  const char *municipality;
} OtherCouncil;

static const OtherCouncil other_councils[] = {
  { "6d1f0c2e-8a5b-4e7d-9c31-0b2a4f6e8d10", "Wijkraad Oosterpark", "Groningen" },
  { "b3e9a7d4-1c2f-4a6b-8e5d-7f0c9a1b2d34", "Buurtplatform De Kruidenwijk", "Zwolle" },
  { "0f4c8e2a-6b1d-4c9e-a3f7-5d2b8e0a1c56", "Dorpsraad Ouddorp-Noord", "Goeree-Overflakkee" },
};

static const DemoDocument demo_documents[] = {
  { "Huishoudelijk reglement", "template",
    "Regels voor vergaderen, stemmen en de taken van het bestuur, aanvullend op de statuten.",
    "# Huishoudelijk reglement\n\n"
    "Dit reglement vult de statuten van de wijkraad aan. Bij tegenstrijdigheid gaan de statuten voor.\n\n"
    "## Artikel 1 – Vergaderingen\n\n"
    "1. Het bestuur vergadert ten minste **zes keer per jaar**.\n"
    "2. De agenda en stukken worden uiterlijk *zeven dagen* vooraf rondgestuurd.\n"
    "3. Vergaderingen zijn openbaar, tenzij het over personen gaat.\n\n"
    "## Artikel 2 – Besluiten\n\n"
    "- Besluiten worden genomen met gewone meerderheid van stemmen.\n"
    "- Bij staking van stemmen beslist de voorzitter.\n"
    "- Over personen wordt schriftelijk gestemd.\n\n"
    "## Artikel 3 – Penningmeester\n\n"
    "De penningmeester doet uitgaven boven **€ 250** alleen na akkoord van een tweede bestuurslid.\n",
    "topic-organisation,obstacle-reinstitutionalisation", "reglement,bestuur,vergaderen", -1, NULL,
    NULL, NULL, NULL },
  { "Privacyverklaring (AVG)", "template",
    "Hoe de wijkraad omgaat met persoonsgegevens van bewoners en vrijwilligers.",
    "# Privacyverklaring\n\n"
    "De wijkraad verwerkt persoonsgegevens volgens de **Algemene verordening gegevensbescherming (AVG)**.\n\n"
    "## Welke gegevens\n\n"
    "- naam en adres van vrijwilligers;\n"
    "- e-mailadres en telefoonnummer, alleen voor contact;\n"
    "- aantal uren, voor de vrijwilligersvergoeding.\n\n"
    "## Hoe lang\n\n"
    "Wij bewaren gegevens niet langer dan nodig: uiterlijk **twee jaar** na het laatste contact, "
    "financiële gegevens zeven jaar (fiscale bewaarplicht).\n\n"
    "## Uw rechten\n\n"
    "U kunt uw gegevens inzien, laten verbeteren of laten verwijderen. Mail naar de secretaris.\n\n"
    "> Wij verkopen of delen uw gegevens nooit met anderen.\n",
    "topic-organisation,obstacle-regulation", "AVG,privacy,persoonsgegevens", -1, NULL,
    NULL, NULL, NULL },
  { "Draaiboek burendag", "practice",
    "Zo organiseerden we de burendag op het Dommelplein met 300 bezoekers.",
    "# Draaiboek burendag\n\n"
    "## Zes weken vooraf\n\n"
    "1. Datum kiezen (de landelijke burendag is in september).\n"
    "2. Bijdrage aanvragen bij het Oranje Fonds.\n"
    "3. Vrijwilligers werven voor opbouw, koffie, kinderhoek en afbouw.\n\n"
    "## Op de dag\n\n"
    "| Tijd | Wat |\n|---|---|\n| 09:00 | Opbouw tenten en tafels |\n| 11:00 | Start met koffie en taart |\n"
    "| 14:00 | Buurtquiz |\n| 16:00 | Afbouw |\n\n"
    "Tip: zet een **vrijwilligersrooster** op papier bij de koffietafel.\n",
    "topic-events,topic-volunteers", "burendag,draaiboek,feest", -1, NULL,
    "rooster-burendag.csv", "text/csv",
    "tijd;taak;aantal vrijwilligers\n09:00;opbouw;6\n11:00;koffie en taart;3\n13:00;kinderhoek;2\n16:00;afbouw;6\n" },
  { "Draaiboek buurtbarbecue", "practice",
    "Een barbecue voor 120 buren met halal en vegetarische opties.",
    "# Buurtbarbecue\n\n"
    "- Meld het evenement tijdig bij de gemeente (**melding klein evenement**).\n"
    "- Huur twee barbecues en een aggregaat; vraag de buurman met de aanhanger.\n"
    "- Koop vlees apart voor halal en zet de vegetarische grill **links**.\n"
    "- Vraag een eigen bijdrage van € 5 per volwassene; kinderen gratis.\n\n"
    "Het grootste werk is de afwas: regel *vier* vrijwilligers voor na afloop.\n",
    "topic-events", "barbecue,ontmoeting", -1, NULL, NULL, NULL, NULL },
  { "Subsidieaanvraag leefbaarheidsbudget die werkte", "practice",
    "De aanvraag waarmee we € 12.500 kregen voor drie jaar buurtactiviteiten.",
    "# Subsidieaanvraag leefbaarheidsbudget\n\n"
    "Wat volgens de ambtenaar het verschil maakte:\n\n"
    "1. **Concrete doelen**: \"40 ouderen nemen maandelijks deel aan de soos\" in plaats van \"meer ontmoeting\".\n"
    "2. Een **begroting per activiteit**, met eigen bijdragen en inzet van vrijwilligers in uren.\n"
    "3. Een paragraaf over samenwerking met het buurthuis en de school.\n\n"
    "Zie ook de [subsidieregeling](https://www.valkenswaard.nl) van de gemeente.\n",
    "topic-subsidies,obstacle-competition", "subsidie,aanvraag,begroting", -1, NULL,
    "begroting-aanvraag.csv", "text/csv",
    "post;bedrag\nBurendag;1500\nSoos ouderen;2400\nWijkkrant;3200\nKinderactiviteiten;2100\nOnvoorzien;500\n" },
  { "Vrijwilligersovereenkomst", "template",
    "Afspraken tussen de wijkraad en een vrijwilliger, inclusief vrijwilligersvergoeding.",
    "# Vrijwilligersovereenkomst\n\n"
    "De ondergetekenden, **Wijkraad De Dommelhoek** en de vrijwilliger, spreken af:\n\n"
    "1. De vrijwilliger helpt bij: `……………………`.\n"
    "2. Gemiddeld aantal uren per maand: `……`.\n"
    "3. De vergoeding blijft binnen de fiscale grens voor vrijwilligersvergoedingen.\n"
    "4. De wijkraad heeft een vrijwilligersverzekering via de gemeente.\n"
    "5. Beide partijen kunnen de overeenkomst met een maand opzegtermijn beëindigen.\n",
    "topic-volunteers,domain-work", "vrijwilligers,overeenkomst,vergoeding", -1, NULL,
    NULL, NULL, NULL },
  { "Vragen voor het werven van een opbouwwerker", "template",
    "Gespreksvragen die we samen met de welzijnsorganisatie gebruikten.",
    "# Sollicitatievragen opbouwwerker\n\n"
    "- Vertel over een buurtinitiatief dat u **niet** zelf trok maar wel mogelijk maakte.\n"
    "- Hoe gaat u om met een bewonersgroep die iets anders wil dan de gemeente?\n"
    "- Wat doet u als vrijwilligers afhaken?\n"
    "- Hoe laat u zien wat uw werk oplevert, zonder alleen te tellen?\n\n"
    "> Let op: professionals moeten ruimte laten aan bewoners, niet het initiatief overnemen.\n",
    "obstacle-professionals,domain-welfare", "opbouwwerk,werving,welzijn", -1, NULL,
    NULL, NULL, NULL },
  { "Notulen-sjabloon bestuursvergadering", "template",
    "Vaste opbouw voor de notulen, met actielijst.",
    "# Notulen bestuursvergadering\n\n"
    "**Datum:** \n**Aanwezig:** \n**Afwezig met kennisgeving:** \n\n"
    "## 1. Opening en vaststellen agenda\n\n"
    "## 2. Notulen vorige vergadering\n\n"
    "## 3. Ingekomen stukken\n\n"
    "## 4. Financiën\n\n"
    "## 5. Rondvraag en sluiting\n\n"
    "### Actielijst\n\n| Actie | Wie | Wanneer |\n|---|---|---|\n|  |  |  |\n",
    "topic-organisation,topic-communication", "notulen,vergaderen,sjabloon", -1, NULL,
    NULL, NULL, NULL },
  { "Jaarverslag-sjabloon", "template",
    "Hoofdstukken voor het jaarverslag aan bewoners en gemeente.",
    "# Jaarverslag 20..\n\n"
    "## Voorwoord van de voorzitter\n\n"
    "## Wat we deden\n\nPer activiteit: doel, aantal deelnemers, inzet vrijwilligers.\n\n"
    "## Financieel overzicht\n\nBegroting tegenover werkelijkheid; verklaar afwijkingen boven 10 %.\n\n"
    "## Vooruitblik\n",
    "topic-organisation,topic-subsidies", "jaarverslag,verantwoording", -1, NULL,
    NULL, NULL, NULL },
  { "Checklist vergunning Koningsdag", "practice",
    "Wat er geregeld moet zijn voor de vrijmarkt en het kinderspel op Koningsdag.",
    "# Koningsdag: checklist vergunning\n\n"
    "- [ ] Evenementenvergunning **acht weken** vooraf aangevraagd\n"
    "- [ ] Verkeersplan: straat afgesloten van 07:00 tot 18:00\n"
    "- [ ] EHBO aanwezig (twee personen)\n"
    "- [ ] Ontheffing geluid voor de muziek\n"
    "- [ ] Afvalplan en extra containers\n\n"
    "Zonder vergunning geen verzekering: begin op tijd.\n",
    "topic-events,obstacle-regulation", "Koningsdag,vergunning,vrijmarkt", -1, NULL,
    "checklist-koningsdag.txt", "text/plain",
    "Checklist Koningsdag\n1. Vergunning aanvragen\n2. Verkeersplan\n3. EHBO\n4. Geluid\n5. Afval\n" },
  { "Wijkkrant maken met vrijwilligers", "practice",
    "Vier keer per jaar een krant voor 2.100 adressen, geheel door vrijwilligers.",
    "# Wijkkrant\n\nRedactie van vijf bewoners; bezorging in 14 wijken door 22 vrijwilligers.\n\n"
    "- Kopijsluiting vier weken voor verschijnen.\n- Drukken via de gemeentelijke drukkerij scheelt de helft.\n"
    "- Advertenties van lokale ondernemers dekken een derde van de kosten.\n",
    "topic-communication,topic-volunteers", "wijkkrant,communicatie", -1, NULL, NULL, NULL, NULL },
  { "Energiecafé in het buurthuis", "practice",
    "Bewoners helpen elkaar met energiebesparing; 60 huishoudens bereikt.",
    "# Energiecafé\n\nElke eerste dinsdag van de maand: energiecoaches geven tips en lenen warmtecamera's uit.\n\n"
    "Samen met de energiecoöperatie zijn **60 huishoudens** bezocht.\n",
    "domain-energy,domain-housing", "energie,energiecoöperatie,duurzaam", -1, NULL, NULL, NULL, NULL },
  { "Huiswerkklas met gepensioneerde leraren", "practice",
    "Twee middagen per week hulp bij huiswerk voor kinderen uit de wijk.",
    "# Huiswerkklas\n\nVijf gepensioneerde leraren, 25 leerlingen van groep 6 tot de brugklas.\n\n"
    "De school zag het eerst als *concurrentie*; nu verwijst de intern begeleider zelf door.\n",
    "domain-education,obstacle-competition", "huiswerk,onderwijs,jeugd", -1, NULL, NULL, NULL, NULL },
  { "Boodschappendienst voor ouderen", "practice",
    "Buren doen boodschappen voor wie slecht ter been is.",
    "# Boodschappendienst\n\nEen telefoonnummer, een lijst van 18 vrijwilligers en vaste koppels.\n\n"
    "Let op de grens met professionele thuiszorg: wij doen **geen persoonlijke verzorging**.\n",
    "domain-care,obstacle-professionals", "ouderen,zorg,burenhulp", -1, NULL, NULL, NULL, NULL },
  /* From other councils, received by sync. */
  { "Buurtmoestuin op braakliggend terrein", "practice",
    "Van braakliggend gemeenteterrein naar moestuin met 30 tuinders.",
    "# Buurtmoestuin\n\nDe gemeente gaf een **bruikleenovereenkomst** voor vijf jaar.\n\n"
    "- Water via een regenton en een put.\n- Elke tuinder betaalt € 15 per jaar.\n",
    "domain-housing,obstacle-infrastructure", "moestuin,groen", 0, "CC-BY-SA-4.0",
    NULL, NULL, NULL },
  { "Wijkbudget: bewoners beslissen mee", "practice",
    "Bewoners stemmen over de besteding van € 20.000 wijkbudget.",
    "# Wijkbudget\n\nIedereen vanaf 12 jaar mocht stemmen, online en op papier in de bibliotheek.\n\n"
    "De gemeente moest wennen aan het loslaten van het budget: *herinstitutionalisering* kost tijd.\n",
    "obstacle-reinstitutionalisation,topic-subsidies", "wijkbudget,participatie", 0, NULL,
    NULL, NULL, NULL },
  { "Reglement buurthuis-gebruik", "template",
    "Afspraken voor groepen die het buurthuis gebruiken.",
    "# Reglement buurthuis\n\n1. Reserveren via de beheerder.\n2. Achterlaten zoals aangetroffen.\n"
    "3. Geen alcohol voor 17:00.\n",
    "obstacle-infrastructure,topic-organisation", "buurthuis,reglement", 1, NULL,
    "sleutelprotocol.md", "text/markdown",
    "# Sleutelprotocol\n\n- Sleutel ophalen bij de beheerder\n- Alarm uitzetten met de code\n" },
  { "Taalcafé voor nieuwe buren", "practice",
    "Nederlands oefenen in een ontspannen sfeer, elke donderdag.",
    "# Taalcafé\n\nVrijwillige taalmaatjes en nieuwe buren aan tafels van vier.\n\n"
    "Samenwerking met de bibliotheek voor lesmateriaal.\n",
    "domain-education,domain-welfare", "taal,inburgering,ontmoeting", 1, NULL, NULL, NULL, NULL },
  { "Dorpsbus met vrijwillige chauffeurs", "practice",
    "Vervoer naar huisarts en supermarkt voor dorpsbewoners zonder auto.",
    "# Dorpsbus\n\n14 chauffeurs, een bus in bruikleen van de gemeente, ritten op afspraak.\n\n"
    "Het vervoersbedrijf zag ons eerst als concurrent; nu rijden we alleen waar zij niet rijden.\n",
    "domain-care,obstacle-competition,topic-volunteers", "vervoer,ouderen,dorp", 2, "CC-BY-4.0",
    NULL, NULL, NULL },
  { "Subsidieregels gemeentelijk leefbaarheidsfonds", "rule_set",
    "De regels van het fonds: wat wel en niet wordt vergoed.",
    "# Regels leefbaarheidsfonds\n\n- Maximaal € 5.000 per aanvraag.\n- Geen vergoeding voor alcohol of prijzen.\n"
    "- Verantwoording binnen drie maanden na afloop.\n",
    "topic-subsidies,obstacle-regulation", "subsidie,regels", 2, NULL, NULL, NULL, NULL },
};

static GStrv
split_list (const char *text)
{
  if (text == NULL || *text == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, ",", -1);
}

static JsonObject *
foreign_body (const DemoDocument *demo,
              const char         *now)
{
  const OtherCouncil *council = &other_councils[demo->origin];
  g_auto(GStrv) themes = split_list (demo->themes);
  g_auto(GStrv) tags = split_list (demo->tags);
  JsonObject *body = json_object_new ();
  JsonObject *origin = json_object_new ();
  JsonArray *theme_array = json_array_new ();
  JsonArray *tag_array = json_array_new ();

  for (guint i = 0; themes[i] != NULL; i++)
    json_array_add_string_element (theme_array, themes[i]);
  for (guint i = 0; tags[i] != NULL; i++)
    json_array_add_string_element (tag_array, tags[i]);

  json_object_set_string_member (body, "format", BB_LIBRARY_FORMAT);
  json_object_set_string_member (body, "type", demo->type);
  json_object_set_string_member (body, "title", demo->title);
  json_object_set_string_member (body, "summary", demo->summary);
  json_object_set_string_member (body, "body", demo->body);
  json_object_set_array_member (body, "themes", theme_array);
  json_object_set_array_member (body, "tags", tag_array);
  json_object_set_string_member (body, "language", "nl");
  json_object_set_string_member (body, "licence", demo->licence != NULL ? demo->licence : BB_LIBRARY_DEFAULT_LICENCE);
  json_object_set_string_member (origin, "council_id", council->id);
  json_object_set_string_member (origin, "council_name", council->name);
  json_object_set_string_member (origin, "municipality", council->municipality);
  json_object_set_object_member (body, "origin", origin);
  json_object_set_string_member (body, "created_at", now);
  json_object_set_string_member (body, "updated_at", now);
  return body;
}

gboolean
bb_library_add_demo (BbStore  *store,
                     GError  **error)
{
  g_autoptr(GPtrArray) foreign = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *first_foreign = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (demo_documents); i++)
    {
      const DemoDocument *demo = &demo_documents[i];
      g_autoptr(GBytes) attachment = NULL;

      if (demo->attachment != NULL)
        attachment = g_bytes_new_static (demo->attachment_text, strlen (demo->attachment_text));

      if (demo->origin < 0)
        {
          g_autoptr(BbLibraryDocument) doc = bb_library_document_new ();
          g_auto(GStrv) themes = split_list (demo->themes);
          g_auto(GStrv) tags = split_list (demo->tags);
          BbLibraryDocType type = BB_LIBRARY_DOC_PRACTICE;

          bb_library_doc_type_from_string (demo->type, &type);
          bb_library_document_set_doc_type (doc, type);
          bb_library_document_set_title (doc, demo->title);
          bb_library_document_set_summary (doc, demo->summary);
          bb_library_document_set_body (doc, demo->body);
          bb_library_document_set_themes (doc, (const char * const *) themes);
          bb_library_document_set_tags (doc, (const char * const *) tags);
          if (demo->licence != NULL)
            bb_library_document_set_licence (doc, demo->licence);
          if (attachment != NULL)
            bb_library_document_add_attachment_bytes (doc, demo->attachment, demo->attachment_type, attachment);
          if (!bb_library_save (store, doc, error))
            return FALSE;
        }
      else
        {
          /* As a peer sends it: a generation-1 revision with the
           * attachment inline. */
          g_autofree char *now = g_strdup ("2026-03-14T10:00:00Z");
          g_autoptr(JsonObject) body = foreign_body (demo, now);
          g_autofree char *canonical = bb_replica_canonical_json (body);
          g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_MD5, canonical, -1);
          g_autofree char *id = g_compute_checksum_for_string (G_CHECKSUM_SHA256, demo->title, -1);
          g_autofree char *rev = g_strconcat ("1-", hash, NULL);
          g_autofree char *doc_id = g_strndup (id, 32);

          json_object_set_string_member (body, "_id", doc_id);
          json_object_set_string_member (body, "_rev", rev);
          if (attachment != NULL)
            {
              JsonObject *attachments = json_object_new ();
              JsonObject *entry = json_object_new ();
              g_autofree char *data = g_base64_encode ((const guchar *) demo->attachment_text,
                                                       strlen (demo->attachment_text));

              json_object_set_string_member (entry, "content_type", demo->attachment_type);
              json_object_set_string_member (entry, "data", data);
              json_object_set_int_member (entry, "revpos", 1);
              json_object_set_object_member (attachments, demo->attachment, entry);
              json_object_set_object_member (body, "_attachments", attachments);
            }
          if (first_foreign == NULL)
            first_foreign = g_strdup (doc_id);
          g_ptr_array_add (foreign, g_steal_pointer (&body));
        }
    }

  if (!bb_replica_put_revisions (store, foreign, NULL, NULL, error))
    return FALSE;

  /* One of them reused as the council's own, with its attribution. */
  {
    g_autoptr(BbLibraryDocument) copy = bb_library_use_as_own (store, first_foreign, error);

    if (copy == NULL)
      return FALSE;
    bb_library_document_set_title (copy, "Buurtmoestuin achter de Dommelhoek");
    bb_library_document_set_summary (copy, "Overgenomen van Wijkraad Oosterpark en aangepast aan onze wijk.");
    if (!bb_library_save (store, copy, error))
      return FALSE;
  }

  return TRUE;
}
