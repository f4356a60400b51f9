/* casefile: a NARA unauthorized-disposition case file, cases/UD-YYYY-NNNN.ini
 * (spec §5.1), read through conf (inih) with file:line errors.
 *
 *   [case]        id (UD-YYYY-NNNN, required), title, opened_on,
 *                 nara_letter_on, response_due_on (YYYY-MM-DD or empty),
 *                 last_update_on (the date of the previous status letter;
 *                 empty: the case's latest tracker update)
 *   [scope]       office, app, custodian, account, device, type, class (a
 *                 repeated key means "any of"), from, to (YYYY-MM-DD, once)
 *   [addressee]   name, title, organization, office, address (repeatable:
 *                 one line each), email, cc (repeatable: the letter's copy
 *                 recipients, one a line)
 *   [signatory]   name, title (required: the official authorized to sign
 *                 records schedules, 36 CFR 1220.34(b)), phone, email
 *   [narrative]   circumstances, safeguards, salvage: long text continues
 *                 on indented lines; a repeated key starts a new paragraph
 *
 * Every value is kept as written (UTF-8); dates and names of types and
 * classes are checked. */
#ifndef UDAUDIT_CASEFILE_H
#define UDAUDIT_CASEFILE_H

#include <stddef.h>

/* A list of strings (repeated keys), owned. */
struct case_list {
	char **v;
	size_t n, alloc;
};

enum case_filter {
	CF_OFFICE, CF_APP, CF_CUSTODIAN, CF_ACCOUNT, CF_DEVICE, CF_TYPE, CF_CLASS,
	CF_COUNT
};
/* The findings column each filter compares with (same order). */
extern const char *const case_filter_columns[CF_COUNT];

struct case_file {
	char *path;
	char *id, *title, *opened_on, *nara_letter_on, *response_due_on, *last_update_on;
	struct case_list scope[CF_COUNT];
	char *from, *to;                /* YYYY-MM-DD or NULL */
	char *to_name, *to_title, *to_org, *to_office, *to_email;
	struct case_list to_address, cc;        /* cc: one copy recipient a line */
	char *sig_name, *sig_title, *sig_phone, *sig_email;
	struct case_list circumstances, safeguards, salvage;    /* paragraphs */
};

/* Load and validate a case file. 0, or -1 after printing FILE:LINE errors
 * (cf is then released). Release with case_release() after success. */
int case_load(const char *path, struct case_file *cf);
/* The same over memory (tests); name is used in messages. */
int case_load_mem(const char *buf, size_t len, const char *name, struct case_file *cf);
void case_release(struct case_file *cf);

/* 1 when id has the form UD-YYYY-NNNN. */
int case_id_valid(const char *id);

#endif
