/* report: the `udaudit report KIND` writers. Each kind is one line in the
 * table of cmd/report.c and one function here; they share the options of
 * struct report_opts (a kind ignores what it does not use). */
#ifndef UDAUDIT_REPORT_H
#define UDAUDIT_REPORT_H

#include <stddef.h>

#include "timeutil.h"

struct store;
struct xlsx_sheet;

struct report_opts {
	const char *db;
	const char *out;                /* -o FILE */
	const char *as_of;              /* --as-of YYYY-MM-DD, or NULL */
	const char *case_path;          /* --case CASE.ini, or NULL */
	int redact;                     /* --redact: pseudonyms for people and accounts */
	const char *reports_dir;        /* --reports DIR (report definitions), or NULL:
					 * "reports" beside the run's rules dir, else
					 * ./reports */
	const char *letter_date;        /* --letter-date / [output] letter_date, or
					 * NULL: the letters are dated as_of */
	const char *const *case_paths;  /* the case files the findings workbook
					 * checks coverage against ([output] cases,
					 * report findings --case); may be NULL */
	size_t ncase_paths;
};

/* Each writes o->out and returns an exit code (enum exit_code). */
int report_findings(struct store *st, const struct report_opts *o);
int report_tracker(struct store *st, const struct report_opts *o);
/* The 36 CFR 1230.14 incident report and the NARA status letter of the case
 * o->case_path (PDF, report/incident.c and report/status.c). */
int report_incident(struct store *st, const struct report_opts *o);
int report_status(struct store *st, const struct report_opts *o);

/* Which findings of run_id the NARA cases cover, by each case file's own
 * [scope] (casereport_select: the incident report's selection): the
 * temporary table temp.case_cover (finding_id, case_id), and the actual and
 * impending findings no case covers, not yet reported to NARA (36 CFR
 * 1230.14). A case file that cannot be read is said (case_load) and
 * counted in unreadable. 0 or -1. */
struct report_coverage {
	int checked;                    /* at least one case file was read */
	int cases, unreadable;
	long long actual, impending;    /* covered by no case */
};
int report_coverage(struct store *st, long long run_id, const char *const *case_paths,
		    size_t ncases, struct report_coverage *cov);
/* One sentence for the Summary and `run`: "6 actual and 2 impending
 * findings covered by no NARA case (1 case file): report them ...". */
void report_coverage_sentence(const struct report_coverage *cov, char *buf, size_t len);

/* The input manifest (spec 5) on a sheet of its own: kind, path, size,
 * records, skipped, ignored and SHA-256 of every input (and, in a redacted
 * copy, a line saying the names are replaced). 0 or -1. */
int report_manifest_sheet(struct store *st, struct xlsx_sheet *sh, int redact);

/* The manifest's rows, for every report that carries it: each input, and
 * after it each of its side files (a file an option named, as teams'
 * users=FILE: kind "teams users=", records NULL). Columns: kind, path,
 * size, records, skipped, ignored, sha256, side (0 or 1). */
#define REPORT_MANIFEST_SQL \
	"SELECT kind, path, size, records, skipped, ignored, sha256, 0 AS side, input_id," \
	" '' AS opt FROM main.inputs UNION ALL SELECT i.kind || ' ' || f.option || '=', f.path," \
	" f.size, NULL, NULL, NULL, f.sha256, 1, f.input_id, f.option FROM main.input_files f" \
	" JOIN main.inputs i ON i.input_id = f.input_id WHERE f.option IS NOT NULL" \
	" ORDER BY input_id, side, opt"

/* The document date of a report, as Unix seconds (never 0): the given
 * --as-of date, else SOURCE_DATE_EPOCH, else the fallback date (e.g. the
 * run's as_of), else today. Also the date it stands for, "YYYY-MM-DD". A
 * bad --as-of or SOURCE_DATE_EPOCH is an error (-1, printed). */
int report_doc_time(const char *as_of, const char *fallback, long long *created,
		    char date[TIME_DATE_LEN]);

/* 0, or -1 after saying out is not written, when a query of st failed
 * (sticky, store.h): the single check before a writer puts its file in
 * place, so a report never stands on rows a failed query left out. */
int report_store_ok(const struct store *st, const char *out);

#endif
