/* findings_evidence: the Evidence sheet of the findings workbook, the
 * events behind each finding in Findings order (findings_wb.h).
 *
 * It is the workbook's largest sheet (a few evidence rows a finding), and
 * nothing else in the workbook depends on what it holds: its parts were
 * counted and added beforehand, and the Findings sheet links to rows it
 * computes from the same counts. So it is written on a thread of its own,
 * with its own read-only connection (and so its own temp.workbook_order),
 * while the main thread writes the other sheets. The main connection writes
 * nothing to the audit database meanwhile. The bytes are the same either
 * way: each sheet streams to a file of its own, and the styles were
 * numbered before (xlsx_number_styles). */
#include "findings_wb.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "findings.h"
#include "store.h"
#include "timing.h"
#include "workbook.h"
#include "xalloc.h"

int findings_evidence_sheet(struct store *st, const struct sheet_plan *ev)
{
	static const char *const hdr[] = {
		"Finding", "Event", "Message id", "Time (UTC)", "Input kind", "Input path", "Line"
	};
	static const double width[] = { 18, 22, 24, 19, 14, 40, 9 };
	struct sheet_stream ss = { ev->x, "Evidence", hdr, 7, width, 1u << 6, ~0ull, NULL, 0, 0,
				   ev->more, ev->nmore };
	struct findings_cursor *c;
	struct finding_evidence_row e;
	long long n = 0;
	int rc;

	/* what each row records is the analysis's (evidence.event, ...):
	 * the input tables are not read again */
	if (!sheet_stream_start(&ss, ev->sh) || !(c = finding_evidence_workbook_open(st, ev->run_id)))
		return -1;
	while ((rc = finding_evidence_next(c, &e)) == 1) {
		struct xlsx_sheet *out = sheet_stream_row(&ss);
		unsigned r = ss.row++;
		if (!out)
			break;
		xlsx_str(out, r, 0, e.finding_id, XS_NONE);
		xlsx_str(out, r, 1, e.event, XS_NONE);
		xlsx_str(out, r, 2, e.message_id, XS_NONE);
		if (e.ts != FINDING_NO_TS)
			sheet_when(out, r, 3, e.ts);
		else
			xlsx_date_str(out, r, 3, e.day);
		xlsx_str(out, r, 4, e.kind, XS_NONE);
		xlsx_str(out, r, 5, e.path, XS_NONE);
		xlsx_num(out, r, 6, (double)e.line, XS_INT);
		n++;
		if (xlsx_failed(ev->x))
			break;
	}
	findings_close(c);
	sheet_stream_finish(&ss);
	if (rc == 0 && n != ev->rows)
		return xlsx_fail(ev->x, "the Evidence sheet has %lld rows, not the %lld counted: the"
				 " audit database changed while the workbook was written", n, ev->rows);
	return rc < 0 || xlsx_failed(ev->x) ? -1 : 0;
}

struct evidence_writer {
	pthread_t tid;
	struct store *st;               /* the thread's own connection */
	struct sheet_plan ev;
	int rc;
	double wall, cpu;               /* the thread's, for UDAUDIT_TIMING */
};

static void *writer_main(void *arg)
{
	struct evidence_writer *w = arg;
	double wall = timing_now(CLOCK_MONOTONIC), cpu = timing_now(CLOCK_THREAD_CPUTIME_ID);

	/* as the main connection: a small cache keeps the sorter's memory flat */
	w->rc = store_exec(w->st, "PRAGMA cache_size = -8192") ||
		finding_workbook_order(w->st, w->ev.run_id) ||
		findings_evidence_sheet(w->st, &w->ev) || store_failed(w->st) ? -1 : 0;
	if (w->rc)
		xlsx_fail(w->ev.x, "a query of the audit database failed (Evidence sheet)");
	w->wall = timing_now(CLOCK_MONOTONIC) - wall;
	w->cpu = timing_now(CLOCK_THREAD_CPUTIME_ID) - cpu;
	return NULL;
}

struct evidence_writer *findings_evidence_start(struct store *st, const struct sheet_plan *ev)
{
	struct store *own = store_open_beside(st);
	struct evidence_writer *w;

	if (!own)
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->ev = *ev;
	w->st = own;
	if (pthread_create(&w->tid, NULL, writer_main, w) == 0)
		return w;
	store_close(w->st);
	free(w);
	return NULL;
}

int findings_evidence_finish(struct evidence_writer *w)
{
	int rc;

	pthread_join(w->tid, NULL);
	rc = w->rc;
	if (timing_on())
		phase_part(w->wall, w->cpu, "Evidence sheet (thread)");
	store_close(w->st);
	free(w);
	return rc;
}
