/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the verbs of buurtboek-cli share. The foundation's verbs live in
 * buurtboek-cli.c; each feature adds its verbs ("library add", "ledger
 * import", …) in its own bb-cli-FEATURE.c as a BbCliVerb array and lists it
 * in verb_groups[] in buurtboek-cli.c. */

#include <glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define CLI_NAME "buurtboek-cli"

#define BB_CLI_ERROR (bb_cli_error_quark ())

typedef enum {
  BB_CLI_ERROR_USAGE,    /* exit status 2, with a hint towards --help */
  BB_CLI_ERROR_EXISTS,   /* a destination is there and --force was not given */
  BB_CLI_ERROR_FAILED,
} BbCliError;

GQuark bb_cli_error_quark (void);

enum {
  EXIT_STATUS_OK      = 0,
  EXIT_STATUS_FAILURE = 1,
  EXIT_STATUS_USAGE   = 2,
};

typedef struct _BbCli BbCli;

/* (*args)[0] is the verb's last word ("add" for "library add"); a verb
 * parses its options with bb_cli_parse_verb_options() and then its
 * positional arguments. Printing goes to stdout; an error is returned, and
 * main() prints it as one line on stderr. */
typedef gboolean (*BbCliVerbFunc) (BbCli      *cli,
                                   char     ***args,
                                   GError    **error);

typedef struct {
  const char    *name;               /* one word, or two: "library add" */
  const char    *parameter_string;   /* N_(): translated by GOptionContext */
  const char    *summary;            /* N_(): one line, also in the verb list */
  const char    *description;        /* N_(), nullable: below the options */
  BbCliVerbFunc  run;
} BbCliVerb;

struct _BbCli {
  const BbCliVerb *verb;
  char            *file;          /* the global --file, before the verb */
  char            *backup_root;
};

char        *bb_cli_display_path        (const char    *path);
gboolean     bb_cli_is_blank            (const char    *text);
/* lstat: a dangling symbolic link counts as there. */
gboolean     bb_cli_path_exists         (const char    *path);
gboolean     bb_cli_refuse_same_file    (const char    *source,
                                         const char    *dest,
                                         GError       **error);

/* The verb's --file, else the global one, else $BUURTBOEK_FILE. */
const char  *bb_cli_council_file        (BbCli         *cli,
                                         const char    *verb_file,
                                         GError       **error);
BbStore     *bb_cli_open_read_only      (BbCli         *cli,
                                         const char    *path,
                                         GError       **error);
/* Opens for writing, with the automatic backup on opening. */
BbStore     *bb_cli_open_writable       (BbCli         *cli,
                                         const char    *path,
                                         GError       **error);
/* Closing makes the closing backup of a written file, which can fail. */
gboolean     bb_cli_close_store         (BbStore       *store,
                                         GError       **error);

/* Parses the verb's own options (@entries plus --help); *out_help tells
 * that the help was printed and the verb should return TRUE. */
gboolean     bb_cli_parse_verb_options  (BbCli         *cli,
                                         GOptionEntry  *entries,
                                         char        ***args,
                                         gboolean      *out_help,
                                         GError       **error);
/* Exactly one positional argument named @name (N_()), or none when NULL. */
gboolean     bb_cli_take_arguments      (char         **args,
                                         const char    *name,
                                         const char   **out_value,
                                         GError       **error);
gboolean     bb_cli_require_option      (const char    *value,
                                         const char    *option,
                                         GError       **error);

/* Writing a destination file: straight when it does not exist; with
 * @force over an existing one, into a private folder beside it and renamed
 * over it by bb_cli_output_commit() (a council file replaced this way is
 * backed up first). Write to out->target. */
typedef struct {
  char *dest;
  char *tmp_dir;     /* NULL when writing straight to @dest */
  char *target;      /* where the core writes */
} BbCliOutput;

gboolean     bb_cli_output_begin        (BbCliOutput   *out,
                                         const char    *dest,
                                         gboolean       force,
                                         GError       **error);
gboolean     bb_cli_output_commit       (BbCliOutput   *out,
                                         GError       **error);
void         bb_cli_output_clear        (BbCliOutput   *out);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BbCliOutput, bb_cli_output_clear)

/* Money (bb-cli-money.c): subsidy list, ledger import, ledger list. */
#define BB_CLI_MONEY_N_VERBS 3
extern const BbCliVerb bb_cli_money_verbs[BB_CLI_MONEY_N_VERBS];

/* Programme (bb-cli-programme.c): programme list, export-ics, export-pdf. */
#define BB_CLI_PROGRAMME_N_VERBS 3
extern const BbCliVerb bb_cli_programme_verbs[BB_CLI_PROGRAMME_N_VERBS];

/* Volunteers (bb-cli-volunteers.c): volunteer import-csv, export-csv,
 * inzage, erase, list; hours report. */
#define BB_CLI_VOLUNTEER_N_VERBS 6
extern const BbCliVerb bb_cli_volunteer_verbs[BB_CLI_VOLUNTEER_N_VERBS];

/* Report (bb-cli-report.c): report, the verantwoording of a subsidy. */
#define BB_CLI_REPORT_N_VERBS 1
extern const BbCliVerb bb_cli_report_verbs[BB_CLI_REPORT_N_VERBS];

/* Sync (bb-cli-sync.c): serve, sync, sync log, conflicts, conflicts resolve. */
#define BB_CLI_SYNC_N_VERBS 5
extern const BbCliVerb bb_cli_sync_verbs[BB_CLI_SYNC_N_VERBS];

/* Library (bb-cli-library.c): library add, list, search, show, export-doc. */
#define BB_CLI_LIBRARY_N_VERBS 5
extern const BbCliVerb bb_cli_library_verbs[BB_CLI_LIBRARY_N_VERBS];

G_END_DECLS
