/* incident.h: what the files of the incident report share (private to
 * src/report/; the entry point is report_incident in report.h).
 *   incident.c        the order of the parts, the case's totals, sections
 *                     1 (records, volume, dates) and 2 (office)
 *   incident_circ.c   sections 3 (exact circumstances) and 4 (safeguards)
 *   incident_encl.c   the corrective actions, section 5 (salvage), the
 *                     enclosures (A: the affected-records workbook, its
 *                     top rows; C: the citations) */
#ifndef UDAUDIT_INCIDENT_H
#define UDAUDIT_INCIDENT_H

#include <stddef.h>

#include "casereport.h"
#include "timeutil.h"

/* A letter, not a listing: the sections show the top rows by volume and
 * say how many more the enclosed workbook (Enclosure A) lists. */
#define MAX_CONVERSATION_ROWS 10        /* the rest is summed in one line */
#define MAX_CUSTODIAN_ROWS 15
#define MAX_AFFECTED_ROWS 25
#define MAX_NAMES_LISTED 6              /* custodians named in one sentence */
#define MAX_GROUP_SENTENCES 5           /* per finding type; the rest in one */

enum { W_NUM = 24 };

/* The case's totals (section 1). */
struct figures {
	long long findings, copies, messages, conversations, custodians, devices, apps;
	long long store_rows, first, last, asof_end;
	char apps_list[512];
	size_t napps_listed, last_joint;
};


/* Helpers (incident.c). */
void inc_num(char *buf, size_t len, long long n);                 /* "12,345" */
void inc_day(long long ts, char out[TIME_DATE_LEN], int null);    /* ISO day */
/* The label of a finding type in a class (finding_label of findings.h). */
const char *inc_type_label(struct case_ctx *c, const char *type, const char *class);
/* What a finding's message_count counts (findings.h): message copies (the
 * message findings; their copies are in finding_copies), store rows
 * (EARLY_PURGE, RETENTION_SHORTFALL), or copies counted again from the
 * capture gaps (CAPTURE_OUTAGE). */
enum volume_kind { VOL_COPIES, VOL_STORE_ROWS, VOL_OUTAGE };
enum volume_kind inc_volume_kind(const char *type);
/* A table cell of that volume: "12", "7,408 store rows", "11,161 (also
 * capture gaps)". Returns buf. */
const char *inc_volume_cell(struct case_ctx *c, const char *type, long long n, char *buf,
			    size_t len);
/* The display name of an app key from [apps] ("whatsapp" -> "WhatsApp"). */
const char *inc_app_name(struct case_ctx *c, const char *key);
/* The first column of the first row of sql (0 when none); 0 or -1. */
int inc_query_ll(struct case_ctx *c, const char *sql, long long *out);

/* SQL: the custodian's name of finding row F (an alias): by its account,
 * else by its custodian_id (UNAPPROVED_APP, PROHIBITED_APP have no
 * account; temp.case_names of casereport_select), else NULL. */
#define INC_CUSTODIAN_NAME(F) \
	"coalesce((SELECT custodian_name FROM main.accounts a WHERE a.account = " F ".account)," \
	" (SELECT n.name FROM temp.case_names n WHERE n.custodian_id = " F ".custodian_id))"

/* The parts, in the order of the letter; each 0 or -1. */
int incident_section1(struct case_ctx *c, const struct figures *f);
int incident_section2(struct case_ctx *c);
int incident_section3(struct case_ctx *c, const struct figures *f);
int incident_section4(struct case_ctx *c);
int incident_section5(struct case_ctx *c, const struct figures *f);
int incident_corrective_actions(struct case_ctx *c);
/* Enclosure A: the workbook beside the letter (its path: caller frees),
 * written first because the letter quotes its digest; then its top rows
 * in the letter. */
char *incident_enclosure_path(const struct case_ctx *c);
int incident_write_enclosure(struct case_ctx *c, const char *path);
int incident_enclosure_a(struct case_ctx *c, const struct figures *f, const char *book,
			 const char *sha);
int incident_citations(struct case_ctx *c);

#endif
