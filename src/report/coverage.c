/* report_coverage: which findings of a run the NARA cases cover, decided by
 * each case file's own [scope] filters through casereport_select() (the
 * incident report's selection, not a second copy of it), and which actual
 * and impending findings no case covers: those are not yet reported to
 * NARA (36 CFR 1230.14). The answer is the temporary table
 * temp.case_cover (finding_id, case_id) and the counts. */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "casefile.h"
#include "casereport.h"
#include "diag.h"
#include "store.h"

int report_coverage(struct store *st, long long run_id, const char *const *case_paths,
		    size_t ncases, struct report_coverage *cov)
{
	struct stmt *s;
	int rc;

	memset(cov, 0, sizeof(*cov));
	if (store_exec(st, "DROP TABLE IF EXISTS temp.case_cover;"
		       "CREATE TEMP TABLE case_cover (finding_id TEXT NOT NULL, case_id TEXT NOT NULL);"))
		return -1;
	for (size_t i = 0; i < ncases; i++) {
		struct case_file cf = { 0 };
		if (case_load(case_paths[i], &cf)) {
			cov->unreadable++;
			continue;
		}
		rc = casereport_select(st, run_id, &cf, 0);
		if (!rc) {
			s = stmt_prepare(st, "INSERT INTO temp.case_cover SELECT finding_id, ?1"
					 " FROM temp.case_findings");
			rc = s ? stmt_bind_text(s, 1, cf.id) : -1;
			if (!rc)
				rc = stmt_step(s) < 0 ? -1 : 0;
			stmt_free(s);
		}
		case_release(&cf);
		if (rc)
			return -1;
		cov->cases++;
	}
	if (store_exec(st, "CREATE INDEX temp.case_cover_id ON case_cover (finding_id);"))
		return -1;
	cov->checked = cov->cases > 0;
	s = stmt_prepare(st, "SELECT coalesce(sum(class = 'actual'), 0),"
			 " coalesce(sum(class = 'impending'), 0) FROM main.findings f"
			 " WHERE run_id = ?1 AND class IN ('actual', 'impending') AND NOT EXISTS"
			 " (SELECT 1 FROM temp.case_cover v WHERE v.finding_id = f.finding_id)");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	rc = stmt_step(s);
	if (rc == 1) {
		cov->actual = stmt_int(s, 0);
		cov->impending = stmt_int(s, 1);
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

void report_coverage_sentence(const struct report_coverage *cov, char *buf, size_t len)
{
	if (!cov->checked && cov->unreadable)
		snprintf(buf, len, "not checked: the case file%s could not be read (see the"
			 " messages)", cov->unreadable == 1 ? "" : "s");
	else if (!cov->checked)
		snprintf(buf, len, "not checked: no case file (name them in [output] cases, or"
			 " give report findings --case FILE)");
	else if (!cov->actual && !cov->impending)
		snprintf(buf, len, "none: every actual and impending finding is covered by a case"
			 " (%d case file%s)", cov->cases, cov->cases == 1 ? "" : "s");
	else
		snprintf(buf, len, "%lld actual and %lld impending finding%s covered by no NARA case"
			 " (%d case file%s): report %s (36 CFR 1230.14)", cov->actual, cov->impending,
			 cov->actual + cov->impending == 1 ? "" : "s", cov->cases,
			 cov->cases == 1 ? "" : "s", cov->actual + cov->impending == 1 ? "it" : "them");
}
