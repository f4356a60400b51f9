/* config: the audit configuration file, audit.ini (spec §3.7). Paths in it
 * are relative to the file and are returned resolved; keys of [inputs] may
 * repeat, and each value is "PATH [key=value ...]" (values may be
 * double-quoted) giving the input's options, e.g. WhatsApp's account. */
#ifndef UDAUDIT_CONFIG_H
#define UDAUDIT_CONFIG_H

#include <stddef.h>

#include "ingest.h"

struct audit_input {
	char *kind;                     /* an ingest kind, e.g. "device-apps" */
	char *path;                     /* resolved */
	char *given;                    /* as written (normalized): the manifest's path */
	char *config_key;               /* "CONFIG#key" when the key is used once, else NULL */
	struct ingest_opt *opt;         /* owned, with owned strings */
	char **opt_given;               /* per opt: a file option as written, else NULL */
	int nopt;
	unsigned long line;             /* in the config file */
};

enum tracker_file { TRACK_RECOMMENDATIONS, TRACK_ACTIONS, TRACK_UPDATES, TRACK_CASES, TRACK_COUNT };

struct audit_config {
	char *path, *dir;               /* the file and its directory */
	char *agency, *component, *quarter, *as_of;
	char *db;                       /* resolved */
	struct audit_input *inputs;
	size_t ninputs, inputs_alloc;
	char *rules_dir;                /* resolved; NULL = not given */
	char *tracker[TRACK_COUNT];     /* resolved; NULL = not given */
	char *tracker_given[TRACK_COUNT];       /* as written: the manifest's path */
	char *output_dir;               /* resolved; default DIR/out */
	char **cases;                   /* resolved case files */
	size_t ncases, cases_alloc;
	int redact;                     /* [output] redact = yes: redacted copies too */
	char *letter_date;              /* [output] letter_date (YYYY-MM-DD); NULL: as_of */
};

/* Load and validate; 0, or -1 after printing FILE:LINE errors. */
int config_load(const char *path, struct audit_config *cfg);
void config_release(struct audit_config *cfg);

/* "DIR/PATH" unless PATH is absolute or DIR is "."; a new string. */
char *path_resolve(const char *dir, const char *path);
/* The directory part of a path ("." when none); a new string. */
char *path_dirname(const char *path);

/* A folder of the installation (name "rules" or "reports"), found from
 * the binary's own location, never the current folder: BIN/../share/
 * udaudit/NAME when installed (make install), else BIN/NAME or BIN/../NAME
 * (the build tree: ./udaudit, build-san/udaudit). A new string; NULL when neither exists. */
char *data_dir(const char *name);
/* The default of a folder for a config: DIR/NAME or DIR/../NAME beside
 * the config file when there, else data_dir(name). A new string or NULL. */
char *config_data_dir(const struct audit_config *cfg, const char *name);

/* The last day of a quarter "YYYYQn" as "YYYY-MM-DD" (out has 11 bytes);
 * 0 or -1 when the quarter is not of that form. */
int quarter_end(const char *quarter, char *out);

#endif
