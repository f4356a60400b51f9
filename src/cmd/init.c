/* udaudit init: a new quarter's audit folder, every file a template to
 * fill in: audit.ini with each section and key explained, the canonical
 * CSVs and the tracker CSVs with the headers their readers take, the
 * compliance store's schema as SQL, and a case file. It never overwrites
 * a file: when one of them exists, nothing is written. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adapters.h"
#include "cli.h"
#include "config.h"
#include "diag.h"
#include "kinds.h"
#include "strbuf.h"
#include "timeutil.h"
#include "tracker.h"
#include "xalloc.h"

enum { O_QUARTER, O_AGENCY, O_COMPONENT };

static const struct cli_opt init_opts[] = {
	[O_QUARTER] = { "quarter", 0, "YYYYQn", "the quarter audited (default: the current one)",
			CLI_QUARTER, 0 },
	[O_AGENCY] = { "agency", 0, "NAME", "the agency, as the reports name it", CLI_ANY, 0 },
	[O_COMPONENT] = { "component", 0, "NAME", "the component or office audited", CLI_ANY, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const init_synopsis[] = {
	"udaudit init [--quarter YYYYQn] [--agency NAME] [--component NAME] DIR", NULL
};

static const char *const init_notes[] = {
	"Writes a new audit's skeleton into DIR (created when missing): audit.ini,",
	"with every section and key explained; accounts.csv, devices.csv and",
	"device_apps.csv with their headers; compliance-schema.sql, the compliance",
	"store's tables (sqlite3 compliance.sqlite < compliance-schema.sql);",
	"tracker/*.csv with their headers; and cases/UD-YYYY-0001.ini, a case file.",
	"Fill them in, then: udaudit run DIR/audit.ini. Nothing is overwritten:",
	"when one of the files exists, init writes none (exit 2).",
	NULL
};

/* spec 3.5: what `compliance` reads (other tables and columns are ignored) */
static const char compliance_sql[] =
	"-- The compliance store (udaudit spec 3.5): the archive that captures\n"
	"-- messages. Most agencies point [inputs] compliance at their archive's\n"
	"-- own SQLite file; to build one from another archive's export:\n"
	"--   sqlite3 compliance.sqlite < compliance-schema.sql\n"
	"-- then insert the rows. Times are ISO 8601 with a zone (Z or an offset).\n"
	"CREATE TABLE messages (\n"
	"  message_id      TEXT PRIMARY KEY,\n"
	"  app             TEXT NOT NULL,     -- an app key of rules/apps.ini\n"
	"  account         TEXT NOT NULL,     -- sender account, app:handle\n"
	"  conversation_id TEXT,\n"
	"  sent_at         TEXT NOT NULL,     -- ISO 8601\n"
	"  captured_at     TEXT NOT NULL,\n"
	"  sha256          TEXT,              -- of the captured body\n"
	"  purged_at       TEXT,              -- set when the archive itself deleted it\n"
	"  purge_reason    TEXT\n"
	");\n"
	"CREATE TABLE retention_policies (\n"
	"  app TEXT NOT NULL, role TEXT,      -- NULL role = all roles\n"
	"  retention_days INTEGER,            -- NULL = keep indefinitely\n"
	"  effective_on TEXT                  -- YYYY-MM-DD\n"
	");\n";

/* The skeleton's files, relative to DIR; the case file's name is built. */
enum { F_INI, F_ACCOUNTS, F_DEVICES, F_DEVICE_APPS, F_SQL, F_RECS, F_ACTIONS, F_UPDATES,
       F_CASES, F_CASE, F_COUNT };
static const char *const files[F_COUNT] = {
	"audit.ini", "accounts.csv", "devices.csv", "device_apps.csv", "compliance-schema.sql",
	"tracker/recommendations.csv", "tracker/actions.csv", "tracker/updates.csv",
	"tracker/cases.csv", NULL,
};
/* the kind whose reader gives a CSV file its header */
static const char *const header_kind[F_COUNT] = {
	NULL, "accounts", "devices", "device-apps", NULL, "recommendations", "actions",
	"updates", "cases", NULL,
};

struct skeleton {
	char quarter[7], year[5], case_id[13], as_of[TIME_DATE_LEN], first_day[TIME_DATE_LEN];
	const char *agency, *component;
	char *path[F_COUNT];
};

static void csv_header(struct strbuf *sb, const char *kind)
{
	const struct csv_col *cols = NULL;
	int n = canon_csv_columns(kind, &cols);

	if (!n)
		n = tracker_csv_columns(kind, &cols);
	for (int i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? "," : "", cols[i].name);
	strbuf_addch(sb, '\n');
}

static void lines(struct strbuf *sb, const char *const *l)
{
	for (; *l; l++)
		strbuf_addf(sb, "%s\n", *l);
}

/* [inputs]: the canonical kinds, then each adapter from the kind table
 * with its options, so the list is never behind the code. */
static void ini_inputs(struct strbuf *sb)
{
	static const char *const head[] = {
		"[inputs]",
		"; KIND = PATH [option=value ...]: one input file each; a KIND may repeat.",
		"; Paths are relative to this file. Timestamps carry a zone (Z or an offset);",
		"; tz=+00:00 on an input that takes it accepts zone-less times as UTC.",
		"; accounts.csv (spec 3.1): who holds which messaging account",
		"accounts    = accounts.csv",
		"; devices.csv (spec 3.2): the device inventory, one row a device",
		"devices     = devices.csv",
		"; device_apps.csv (spec 3.3): the apps found on each device",
		"device_apps = device_apps.csv",
		"; usage.jsonl (spec 3.4): app-usage events, one JSON object a line, e.g.",
		";   {\"ts\":\"2024-04-02T14:03:22Z\",\"app\":\"whatsapp\",\"account\":\"whatsapp:+15550100001\","
		"\"device_id\":\"D-0001\",\"event\":\"sent\",\"message_id\":\"wa-1\"}",
		"; usage       = usage.jsonl",
		"; the compliance store (spec 3.5), an SQLite file, opened read-only; to build",
		"; one: sqlite3 compliance.sqlite < compliance-schema.sql",
		"; compliance  = compliance.sqlite",
		"; Real exports, mapped to the files above (spec 6):",
		NULL
	};
	lines(sb, head);
	for (const struct ingest_kind *k = ingest_kinds; k->name; k++) {
		const char *const *opt = ingest_kind_options(k);
		const struct csv_col *cols;
		char key[32];
		if (k->keep_versions || canon_csv_columns(k->name, &cols) ||
		    !strcmp(k->name, "usage") || !strcmp(k->name, "compliance"))
			continue;
		snprintf(key, sizeof(key), "%s", k->name);
		for (char *p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		strbuf_addf(sb, ";   %s: %s\n; %s = FILE", key, k->summary, key);
		for (; *opt; opt++)
			strbuf_addf(sb, " [%s=...]", *opt);
		strbuf_addch(sb, '\n');
	}
	strbuf_addch(sb, '\n');
}

static void ini_text(struct strbuf *sb, const struct skeleton *k)
{
	static const char *const tail[] = {
		"[rules]",
		"; the rule packs (apps.ini, retention.ini, exclusions.ini); default: rules/",
		"; beside this file or its parent, else the installed ones",
		"; dir = ../rules",
		"",
		"[tracker]",
		"; the corrective-action tracker (spec 3.6): OIG/GAO/NARA recommendations, the",
		"; agency's actions, their dated status updates and NARA cases",
		"recommendations = tracker/recommendations.csv",
		"actions         = tracker/actions.csv",
		"updates         = tracker/updates.csv",
		"cases           = tracker/cases.csv",
		"",
		"[output]",
		"; the reports' folder: QUARTER-findings.xlsx, QUARTER-tracker.xlsx, and the",
		"; letters of each case file below",
		"dir = out",
		NULL
	};
	strbuf_addf(sb, "; udaudit audit of %s. Fill in the files this one names, then run:\n"
		    ";   udaudit run audit.ini\n"
		    "; A long value continues on the next lines, each indented.\n\n"
		    "[audit]\n"
		    "; the agency and component, as the reports name them\n"
		    "%sagency    = %s\n%scomponent = %s\n"
		    "; the quarter audited, YYYYQn\nquarter   = %s\n"
		    "; the audit date, YYYY-MM-DD (default: the last day of the quarter)\n"
		    "; as_of     = %s\n"
		    "; the audit database: the loaded inputs, findings and tracker history\n"
		    "db        = out/audit.db\n\n", k->quarter,
		    k->agency ? "" : "; ", k->agency ? k->agency : "Example Agency",
		    k->component ? "" : "; ", k->component ? k->component : "Office of Field Operations",
		    k->quarter, k->as_of);
	ini_inputs(sb);
	lines(sb, tail);
	strbuf_addf(sb, "; a case file for each NARA case (36 CFR 1230.14): its incident report and,\n"
		    "; while it is open, its status letter; the key may repeat\n"
		    "; cases = cases/%s.ini\n"
		    "; yes: a redacted copy of each report too, without personal data\n"
		    "; redact = no\n"
		    "; the date of the letters, YYYY-MM-DD (default: as_of)\n"
		    "; letter_date = %s\n", k->case_id, k->as_of);
}

static void case_text(struct strbuf *sb, const struct skeleton *k)
{
	static const char *const addressee[] = {
		"",
		"[addressee]",
		"; whom the report goes to; address and cc may repeat, one line each",
		"title = Chief Records Officer for the U.S. Government",
		"organization = National Archives and Records Administration",
		"address = 8601 Adelphi Road, College Park, MD 20740-6001",
		"email = UnauthorizedDisposition@nara.gov",
		"; cc = Inspector General",
		"",
		"[signatory]",
		"; the official authorized to sign records schedules, 36 CFR 1220.34(b)",
		"name = Name of the signing official",
		"title = Agency Records Officer",
		"; phone =",
		"; email =",
		"",
		"[narrative]",
		"; The report's own words. A long paragraph continues on the next lines, each",
		"; indented; the same key again starts a new paragraph.",
		"circumstances = Describe the exact circumstances of the unauthorized disposition: who",
		"    used which app for what business, how the messages were lost (deleted, expired,",
		"    lost with a device), when the agency learned of it, and what the audit found.",
		"safeguards = Describe the safeguards now in place so that it does not happen again:",
		"    policy, capture of the app's messages, device replacement procedures, training.",
		"salvage = Describe the actions taken to salvage, retrieve or reconstruct the records.",
		NULL
	};
	strbuf_addf(sb, "; Case file of NARA unauthorized-disposition case %s: name it under\n"
		    "; [output] cases in audit.ini. udaudit computes the volume and dates of the\n"
		    "; records from the findings [scope] selects; the rest is written here.\n\n"
		    "[case]\n; UD-YYYY-NNNN\nid = %s\n"
		    "title = Loss of messages kept in a messaging app\n"
		    "; YYYY-MM-DD, or empty\nopened_on =\n"
		    "; the date of NARA's letter (36 CFR 1230.16(b)); empty when the agency\n"
		    "; reports on its own\nnara_letter_on =\nresponse_due_on =\n\n"
		    "[scope]\n"
		    "; which findings the report covers; every key is optional and may repeat\n"
		    "; (\"any of\"): office, app, custodian, account, device, type (e.g.\n"
		    "; UNCAPTURED_DELETION), class (default: actual, impending and threatened);\n"
		    "; from and to (YYYY-MM-DD) once each\n"
		    "; custodian = C-001\n; type = UNCAPTURED_DELETION\n; from = %s\n; to = %s\n",
		    k->case_id, k->case_id, k->first_day, k->as_of);
	lines(sb, addressee);
}

static char *file_text(const struct skeleton *k, int f)
{
	struct strbuf sb = STRBUF_INIT;

	if (f == F_INI)
		ini_text(&sb, k);
	else if (f == F_SQL)
		strbuf_addstr(&sb, compliance_sql);
	else if (f == F_CASE)
		case_text(&sb, k);
	else
		csv_header(&sb, header_kind[f]);
	return strbuf_detach(&sb);
}

/* Create path new (never over a file or through a symlink), 0600 as every
 * output: these files will hold personal data. */
static int write_new(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	size_t len = strlen(text), done = 0;

	if (fd < 0)
		return diag_error(NULL, "cannot create '%s': %s", path, strerror(errno));
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = errno;
			close(fd);
			return diag_error(NULL, "cannot write '%s': %s", path, strerror(err));
		}
		done += (size_t)n;
	}
	if (close(fd) != 0)
		return diag_error(NULL, "cannot write '%s': %s", path, strerror(errno));
	return 0;
}

static int setup(struct skeleton *k, const struct cli_args *a)
{
	const char *q = cli_get(a, O_QUARTER);
	char today[TIME_DATE_LEN];

	if (!q) {
		time_fmt_day((long long)time(NULL), today);
		snprintf(k->quarter, sizeof(k->quarter), "%.4sQ%c", today,
			 '1' + (atoi(today + 5) - 1) / 3);
	} else {
		snprintf(k->quarter, sizeof(k->quarter), "%s", q);
	}
	snprintf(k->year, sizeof(k->year), "%.4s", k->quarter);
	snprintf(k->case_id, sizeof(k->case_id), "UD-%s-0001", k->year);
	quarter_end(k->quarter, k->as_of);
	snprintf(k->first_day, sizeof(k->first_day), "%.4s-%02u-01", k->year,
		 (unsigned)(k->quarter[5] - '1') % 4 * 3 + 1);
	k->agency = cli_get(a, O_AGENCY);
	k->component = cli_get(a, O_COMPONENT);
	for (int f = 0; f < F_COUNT; f++) {
		k->path[f] = f == F_CASE ? xasprintf("%s/cases/%s.ini", a->pos[0], k->case_id)
			   : xasprintf("%s/%s", a->pos[0], files[f]);
	}
	/* all or nothing: an existing file (or anything at its name) stops
	   init before it writes a byte */
	for (int f = 0; f < F_COUNT; f++) {
		struct stat sb;
		if (lstat(k->path[f], &sb) == 0) {
			diag_error(NULL, "'%s' exists: init never overwrites a file (give a new folder)",
				   k->path[f]);
			return EXIT_USAGE;
		}
	}
	return -1;
}

static int init_validate(struct cli_args *a)
{
	if (a->npos != 1)
		return a->npos ? cli_usage_error(a, "unexpected argument '%s'", a->pos[1]) :
				 cli_usage_error(a, "the folder to create is required");
	for (int i = O_AGENCY; i <= O_COMPONENT; i++) {
		const char *v = cli_get(a, i);
		if (v && (strpbrk(v, "\n\r;") || !*v))
			return cli_usage_error(a, "bad --%s '%s' (one line, without ';')",
					       init_opts[i].name, v);
	}
	return -1;
}

static int init_run(struct cli_args *a)
{
	struct skeleton k;
	int rc;

	memset(&k, 0, sizeof(k));
	rc = setup(&k, a);
	for (int f = 0; rc < 0 && f < F_COUNT; f++) {
		char *dir = path_dirname(k.path[f]);
		char *text = file_text(&k, f);
		if (make_dirs(dir) || write_new(k.path[f], text))
			rc = EXIT_DB;
		free(text);
		free(dir);
	}
	if (rc < 0) {
		printf("udaudit init: %s, a skeleton for %s\n", a->pos[0], k.quarter);
		for (int f = 0; f < F_COUNT; f++)
			printf("  %s\n", k.path[f]);
		printf("next: fill in the files, then udaudit run %s\n", k.path[F_INI]);
		rc = EXIT_OK;
	}
	for (int f = 0; f < F_COUNT; f++)
		free(k.path[f]);
	return rc;
}

const struct cli_command cmd_init = {
	"init", init_run, "write a new audit's skeleton: audit.ini, CSV headers, schema, case file",
	init_synopsis, init_opts, init_notes, NULL, init_validate, 0,
};
