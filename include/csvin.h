/* csvin: RFC 4180 rows through libcsv (csvin.c is the only file that
 * includes <csv.h>), fed one physical line at a time from a textin so each
 * row knows the line it starts on; fields and rows are capped. */
#ifndef UDAUDIT_CSVIN_H
#define UDAUDIT_CSVIN_H

#include <stddef.h>

#define CSV_MAX_FIELD (64 * 1024)
#define CSV_MAX_FIELDS 512

struct csv_reader;
struct textin;

struct csv_row {
	size_t n;               /* fields in this row */
	char **field;           /* NUL-terminated, borrowed until next csv_next */
	size_t *len;
	unsigned long line;     /* physical line where the row starts */
};

/* Takes ownership of t. */
struct csv_reader *csv_reader_new(struct textin *t);
void csv_reader_free(struct csv_reader *r);

/* 1 row, 0 end, -1 a bad row: *err says what (e.g. "unterminated quoted
 * field"), row->line where; the caller may go on with the next row. -2: a
 * read error, stop. */
int csv_next(struct csv_reader *r, struct csv_row *row, const char **err);

/* Header mapping: find columns by case-insensitive name (spaces trimmed). */
struct csv_header {
	size_t n;
	char **name;            /* lowercased, owned */
};
void csv_header_init(struct csv_header *h, const struct csv_row *row);
void csv_header_release(struct csv_header *h);
/* Index of the column or -1. */
int csv_header_find(const struct csv_header *h, const char *name);
/* Field of a row by index (NULL when idx < 0 or past the row's end);
 * empty fields are returned as "" (callers treat "" as unknown). */
const char *csv_field(const struct csv_row *row, int idx);

#endif
