/* csvin: libcsv does the RFC 4180 state machine; we feed it one physical
 * line at a time so every row knows where it starts, cap fields and rows,
 * and resynchronise after a bad row by replaying the lines it swallowed
 * (an unterminated quote costs one record, not the rest of the file). */
#include "csvin.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "strbuf.h"
#include "textin.h"
#include "xalloc.h"

#define CSV_MAX_ROW (4 * CSV_MAX_FIELD)        /* bytes of one row, all lines */

struct csv_reader {
	struct textin *in;
	struct csv_parser p;
	/* the row being built */
	struct strbuf data;             /* fields, each NUL-terminated */
	size_t *ofs, *len;              /* per field, into data */
	size_t nfields, alloc;
	char **ptr;                     /* handed out in csv_row */
	size_t ptr_alloc;
	int row_done, overflow;
	/* the raw lines of the pending row, for a replay after an error */
	struct strbuf raw;              /* lines, each with its "\n" */
	unsigned long row_line;         /* line where the pending row starts */
	/* lines to read again before the input */
	char *replay;
	size_t replay_len, replay_pos;
	unsigned long replay_line;      /* line number of the next replayed line */
	unsigned long lineno;           /* line last fed */
	unsigned long long_line;        /* an over-long line to report after the replay */
	int eof;
};

static void on_field(void *s, size_t n, void *user)
{
	struct csv_reader *r = user;

	if (r->overflow)
		return;
	if (r->nfields >= CSV_MAX_FIELDS || n > CSV_MAX_FIELD) {
		r->overflow = 1;
		return;
	}
	r->ofs = xgrow(r->ofs, r->nfields + 1, &r->alloc, sizeof(*r->ofs));
	r->len = xrealloc(r->len, r->alloc * sizeof(*r->len));
	r->ofs[r->nfields] = r->data.len;
	r->len[r->nfields] = n;
	if (strbuf_add(&r->data, s ? s : "", s ? n : 0) || strbuf_addch(&r->data, '\0')) {
		r->overflow = 1;
		return;
	}
	r->nfields++;
}

static void on_row(int c, void *user)
{
	struct csv_reader *r = user;
	(void)c;
	r->row_done = 1;
}

static void parser_start(struct csv_reader *r)
{
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI);
}

struct csv_reader *csv_reader_new(struct textin *t)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->in = t;
	strbuf_init(&r->data, CSV_MAX_ROW + CSV_MAX_FIELDS);
	strbuf_init(&r->raw, CSV_MAX_ROW + 2);
	parser_start(r);
	return r;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	csv_free(&r->p);
	strbuf_release(&r->data);
	strbuf_release(&r->raw);
	free(r->ofs);
	free(r->len);
	free(r->ptr);
	free(r->replay);
	textin_free(r->in);
	free(r);
}

/* Next physical line: from the replay buffer first, then the input.
 * 1 line, 0 end, -1 read error; *too_long for an over-long line. */
static int next_line(struct csv_reader *r, const char **line, size_t *len, int *too_long)
{
	*too_long = 0;
	if (r->replay && r->replay_pos < r->replay_len) {
		const char *p = r->replay + r->replay_pos;
		const char *nl = memchr(p, '\n', r->replay_len - r->replay_pos);
		size_t n = nl ? (size_t)(nl - p) : r->replay_len - r->replay_pos;
		*line = p;
		*len = n;
		r->replay_pos += n + 1;
		r->lineno = r->replay_line++;
		return 1;
	}
	if (r->long_line) {
		*line = "";
		*len = 0;
		*too_long = 1;
		r->lineno = r->long_line;
		r->long_line = 0;
		return 1;
	}
	int rc = textin_next(r->in, line, len);
	if (rc > 0) {
		r->lineno = textin_lineno(r->in);
		*too_long = textin_too_long(r->in);
	}
	return rc;
}

static void row_clear(struct csv_reader *r)
{
	strbuf_reset(&r->data);
	r->nfields = 0;
	r->row_done = 0;
	r->overflow = 0;
	strbuf_reset(&r->raw);
	r->row_line = 0;
}

/* After a bad row that began at row_line: read again every line after its
 * first (then extra, the line just read that did not fit in raw, if any),
 * and restart the parser. */
static void resync(struct csv_reader *r, const char *extra, size_t extra_len)
{
	const char *raw = r->raw.buf;
	const char *nl = memchr(raw, '\n', r->raw.len);
	unsigned long next = r->row_line + 1;
	size_t skip = nl ? (size_t)(nl + 1 - raw) : r->raw.len;

	csv_free(&r->p);
	parser_start(r);
	if (skip < r->raw.len || extra) {
		/* pending replay (if any) comes after the lines we put back */
		size_t rest = r->replay ? r->replay_len - r->replay_pos : 0;
		size_t n = r->raw.len - skip, x = extra ? extra_len + 1 : 0;
		char *buf = xmalloc(n + x + rest + 1);
		memcpy(buf, raw + skip, n);
		if (extra) {            /* may point into r->replay: copy first */
			memcpy(buf + n, extra, extra_len);
			buf[n + extra_len] = '\n';
		}
		if (rest)
			memcpy(buf + n + x, r->replay + r->replay_pos, rest);
		free(r->replay);
		r->replay = buf;
		r->replay_len = n + x + rest;
		r->replay_pos = 0;
		r->replay_line = next;
	}
	row_clear(r);
}

static void fill_row(struct csv_reader *r, struct csv_row *row)
{
	r->ptr = xgrow(r->ptr, r->nfields + 1, &r->ptr_alloc, sizeof(*r->ptr));
	for (size_t i = 0; i < r->nfields; i++)
		r->ptr[i] = r->data.buf + r->ofs[i];
	row->n = r->nfields;
	row->field = r->ptr;
	row->len = r->len;
	row->line = r->row_line;
}

/* The end of the input: 0 when no row is open, 1 when the open row is
 * complete, -1 (err set) when its quote never closed. */
static int end_of_input(struct csv_reader *r, struct csv_row *row, const char **err)
{
	r->eof = 1;
	if (!r->row_line)
		return 0;
	csv_fini(&r->p, on_field, on_row, r);
	if (csv_error(&r->p) == CSV_EPARSE || !r->row_done) {
		row->line = r->row_line;
		*err = "unterminated quoted field";
		r->eof = 0;     /* the replayed lines still follow */
		resync(r, NULL, 0);
		return -1;
	}
	return 1;
}

/* Add a line to the open row's raw text: 0, or -1 (err set) for a line
 * too long to read or one the row's buffer cannot take. */
static int take_line(struct csv_reader *r, struct csv_row *row, const char **err,
		     const char *line, size_t len, int too_long)
{
	if (too_long && r->row_line != r->lineno) {
		/* inside a row opened on an earlier line: that row is bad,
		   its later lines are read again, then this line is
		   reported in its turn (no record goes uncounted) */
		row->line = r->row_line;
		*err = "unterminated quoted field";
		r->long_line = r->lineno;
		resync(r, NULL, 0);
		return -1;
	}
	if (too_long) {
		row->line = r->lineno;
		*err = "line too long";
		csv_free(&r->p);
		parser_start(r);
		row_clear(r);
		return -1;
	}
	if (strbuf_add(&r->raw, line, len) || strbuf_addch(&r->raw, '\n')) {
		row->line = r->row_line;
		if (r->row_line == r->lineno) {
			/* one line bigger than a whole row may be: skip it */
			*err = "row too large (too many or too long fields)";
			csv_free(&r->p);
			parser_start(r);
			row_clear(r);
			return -1;
		}
		/* a quote swallowed lines up to the cap: this line and
		   the ones after the row's first are read again */
		*err = "unterminated quoted field";
		resync(r, line, len);
		return -1;
	}
	return 0;
}

/* Parse a line into the open row: 0, or -1 (err set). */
static int parse_line(struct csv_reader *r, struct csv_row *row, const char **err,
		      const char *line, size_t len)
{
	if (csv_parse(&r->p, line, len, on_field, on_row, r) == len &&
	    csv_parse(&r->p, "\n", 1, on_field, on_row, r) == 1)
		return 0;
	row->line = r->row_line;
	/* on the row's first line: garbage after a closing quote; on a later
	   line: the quote opened on the first line was never closed and
	   swallowed the lines after it, which are read again (a single-line
	   row is skipped whole) */
	if (csv_error(&r->p) != CSV_EPARSE)
		*err = "cannot parse row";
	else if (r->row_line == r->lineno)
		*err = "malformed quoted field";
	else
		*err = "unterminated quoted field";
	resync(r, NULL, 0);
	return -1;
}

int csv_next(struct csv_reader *r, struct csv_row *row, const char **err)
{
	const char *line;
	size_t len;
	int too_long, rc;

	row_clear(r);
	*err = NULL;
	for (;;) {
		rc = r->eof ? 0 : next_line(r, &line, &len, &too_long);
		if (rc < 0)
			return -2;
		if (rc == 0) {
			rc = end_of_input(r, row, err);
			if (rc <= 0)
				return rc;
			break;
		}
		if (!r->row_line) {
			if (!too_long && len == 0)
				continue;       /* blank line between rows */
			r->row_line = r->lineno;
		}
		if (take_line(r, row, err, line, len, too_long) ||
		    parse_line(r, row, err, line, len))
			return -1;
		if (r->row_done)
			break;
	}
	if (r->overflow) {
		row->line = r->row_line;
		*err = "row too large (too many or too long fields)";
		return -1;
	}
	fill_row(r, row);
	return 1;
}

void csv_header_init(struct csv_header *h, const struct csv_row *row)
{
	h->n = row->n;
	h->name = xcalloc(row->n ? row->n : 1, sizeof(*h->name));
	for (size_t i = 0; i < row->n; i++) {
		const char *s = row->field[i];
		size_t n = row->len[i];
		while (n && isspace((unsigned char)*s)) {
			s++;
			n--;
		}
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		h->name[i] = xstrndup(s, n);
		for (char *p = h->name[i]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
}

void csv_header_release(struct csv_header *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->name[i]);
	free(h->name);
	h->name = NULL;
	h->n = 0;
}

int csv_header_find(const struct csv_header *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcasecmp(h->name[i], name))
			return (int)i;
	return -1;
}

const char *csv_field(const struct csv_row *row, int idx)
{
	if (idx < 0 || (size_t)idx >= row->n)
		return NULL;
	return row->field[idx];
}
