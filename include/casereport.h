/* casereport: what the two PDF letters of a NARA case share (the incident
 * report, report/incident.c, and the status letter, report/status.c):
 * loading the case file and the report definition, choosing the analysis
 * run, selecting the case's findings, the letterhead, addressee and
 * signature, and --redact.
 *
 * Selection. The case's findings are those of the chosen run that pass
 * every [scope] filter of the case file (a repeated key: any of); a period
 * (from/to) selects the findings whose first..last overlaps it, counting
 * their whole volume so the figures stay those of `udaudit findings`;
 * without a class filter the reportable classes (actual, impending,
 * threatened) are taken. They are put in the temporary tables
 * case_findings (the findings rows) and case_copies (their finding_copies
 * rows with type and class), so each figure is one SQL query.
 *
 * Redaction (--redact). The document's every string goes through the
 * redactor of redact.h (pdf_doc_info.filter): the audit DB's people,
 * accounts, peers, conversations and files, and the case file's signatory
 * and addressee, become readable pseudonyms; the copy is marked "Redacted
 * copy" in its title, header and first page. */
#ifndef UDAUDIT_CASEREPORT_H
#define UDAUDIT_CASEREPORT_H

#include "casefile.h"
#include "findings.h"
#include "reportdef.h"
#include "timeutil.h"

/* Space the closing paragraph and the signature block need together, so
 * the signature never stands alone on the last page. */
#define CLOSING_KEEP_PT 170

struct store;
struct pdf_doc;
struct report_opts;
struct redactor;

#define CASEREPORT_MAX_VARS 128

struct case_ctx {
	struct store *st;
	const struct report_opts *o;
	struct case_file cf;
	struct reportdef *def;
	long long run_id;               /* -1: no analysis run */
	char run_as_of[TIME_DATE_LEN];  /* "" without a run */
	char *agency, *component, *reports_dir;
	long long doc_time;
	char date[TIME_DATE_LEN];       /* the document date */
	struct finding_filter flt;      /* the selection as a findings filter */
	struct redactor *red;           /* NULL unless --redact */
	struct pdf_doc *doc;
	/* the common placeholders of both letters, and room for more */
	struct rvar vars[CASEREPORT_MAX_VARS];
	char *owned[CASEREPORT_MAX_VARS];
	size_t nvars;
};

/* 1 when the tracker has the case and it is not closed (status "Closed"
 * or a closed_on date), or when the tracker does not know it; 0 when
 * closed; -1 on a database error (printed). */
int report_case_is_open(struct store *st, const char *case_id);

/* 1 when a letter of case cf dated date (YYYY-MM-DD) would be dated before
 * NARA's letter it answers or before the case was opened (the case file's
 * dates, else the tracker's), with the reason in why; else 0. */
int report_case_too_early(struct store *st, const struct case_file *cf, const char *date,
			  char *why, size_t len);

/* Load o->case_path and DEFNAME (e.g. "incident.ini") from the reports
 * dir, pick the run (latest on or before --as-of), select the findings and
 * build the redactor. Returns an exit code; on failure everything is
 * released already. */
int casereport_open(struct case_ctx *c, struct store *st, const struct report_opts *o,
		    const char *defname);
void casereport_close(struct case_ctx *c);

/* The selection alone: the findings of run_id that case file cf covers
 * into temp.case_findings (and, when copies, temp.case_copies), as
 * casereport_open does. The findings workbook uses it to find what no case
 * covers. 0 or -1. */
int casereport_select(struct store *st, long long run_id, const struct case_file *cf,
		      int copies);

/* Set (or replace) a placeholder; the value is copied (NULL: ""). */
void casereport_var(struct case_ctx *c, const char *name, const char *value);
void casereport_varf(struct case_ctx *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* section.key (i-th value) expanded with the placeholders.
 * Caller frees; NULL on error (printed). */
char *casereport_text(struct case_ctx *c, const char *section, const char *key, size_t i);

/* Create the document (title/subject/keywords/footer/header from the
 * definition's [document]), draw the letterhead, the date and addressee
 * block with the subject ([letter] subject). 0 or -1. */
int casereport_begin(struct case_ctx *c);
/* A heading (level 1 or 2) from section.key; -1 (printed) when missing. */
int casereport_heading(struct case_ctx *c, int level, const char *section, const char *key);
/* Body helpers (the document's filter redacts). */
int casereport_par(struct case_ctx *c, const char *text);
int casereport_bullet(struct case_ctx *c, const char *text);
int casereport_kv(struct case_ctx *c, const char *key, const char *value);
/* One table row of n cells. */
int casereport_row(struct case_ctx *c, const char *const *cells, int n);
/* section.key (every value, each a paragraph) expanded and set. */
int casereport_pars(struct case_ctx *c, const char *section, const char *key);
/* The signature block of the case's signatory (closing, name, title,
 * agency, contact, the date signed and the 36 CFR 1220.34(b) authority
 * line of [letter]), then the case file's cc list. 0 or -1. */
int casereport_sign(struct case_ctx *c);
/* Save to o->out; an exit code. */
int casereport_save(struct case_ctx *c);
/* The end of the letter: the closing paragraph kept with the signature
 * ([letter] closing_paragraph, casereport_sign), the list of enclosures
 * ([letter] enclosures), then a new page for them. 0 or -1. */
int casereport_closing(struct case_ctx *c);

/* Column titles from a definition key holding "A | B | C" (n wanted);
 * fills titles[] with pointers into buf. 0 or -1 (printed). */
int casereport_columns(struct case_ctx *c, const char *section, const char *key,
		       char *buf, size_t buflen, const char **titles, int n);

/* Dates in prose: "2019-03-01" -> "March 1, 2019" (anything else is
 * copied); a Unix time's day likewise. */
void casereport_long_date(const char *iso, char *out, size_t len);
void casereport_long_day(long long ts, char *out, size_t len);
/* "on D1" when the two are the same day, else "from D1 to D2" (the words
 * from [words] on, from, to). Returns buf. */
const char *casereport_range(struct case_ctx *c, const char *d1, const char *d2, char *buf,
			     size_t len);

/* n with thousands separators ("12,345"). Returns buf. */
const char *casereport_num(char *buf, size_t len, long long n);

/* The input manifest ([manifest] heading, intro, redacted, columns "File |
 * Records | SHA-256", bytes): each input's path with its kind and size,
 * records, and its digest on one line in a monospace font. 0 or -1. */
int casereport_manifest(struct case_ctx *c);

/* "1 message" / "12 messages" from the definition's [words] (singular and
 * plural keys, e.g. "message" and "messages"). Returns buf. */
const char *casereport_count(struct case_ctx *c, char *buf, size_t len, long long n,
			     const char *singular_key, const char *plural_key);

#endif
