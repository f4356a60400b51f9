/* redact: the one redaction pass of every report meant to leave the agency
 * (--redact, or [output] redact = yes). Every outgoing string (sentences,
 * table cells, notes, narratives, file names, conversation ids, document
 * metadata) goes through redactor_apply(); the PDF and XLSX writers call it
 * on each string they write (pdf_doc_info.filter, xlsx_opts.filter).
 *
 * Pseudonyms a reader can follow, stable within a run (numbered in a fixed
 * order from the audit DB, so every report of one DB uses the same ones):
 *
 *   custodian id or name "C-001", "Dana Reyes"  -> "Custodian A"
 *   account "whatsapp:+15550100001"            -> "whatsapp:A-1"
 *   its handle "+15550100001", "5550100001"    -> "A-1"
 *   a counterpart (peer) "+525555010131"       -> "Counterpart 1"
 *   an official (action owner, signatory)      -> "Official 1"
 *   a conversation id "wa-dm-0131-bell"        -> "conv-3"
 *   an input file "exports/natarajan-castillo.txt" -> "input-7.txt"
 *   its side file "exports/users.csv" (users=)   -> "input-7-users.csv"
 *
 * Full names, handles, ids and paths are replaced wherever they occur
 * (case-insensitive; whole words where they begin or end with a letter or
 * digit). First and last names alone are replaced as whole words with
 * their capital (case-sensitive), except words kept with
 * redactor_keep_words() (a surname that is also a word of the letter's own
 * text, as in "College Park"). Phone numbers in any common writing
 * (+15550100001, 555-010-0001, +1 (555) 010-0001, 555.010.0002, bare 10 to
 * 15 digits) and e-mail addresses that are not known become the known
 * pseudonym of their digits, else "[phone]" / "[e-mail]". */
#ifndef UDAUDIT_REDACT_H
#define UDAUDIT_REDACT_H

#include <stddef.h>

struct store;
struct redactor;

struct redactor *redactor_new(void);
void redactor_free(struct redactor *r);         /* NULL is fine */

/* Everything the audit DB knows: custodians and accounts (accounts.csv),
 * action owners (tracker), conversation ids and peers (usage, the
 * compliance store, findings), input files (manifest). NULL on a database
 * error (printed). */
struct redactor *redactor_load(struct store *st);

/* Registering by hand (what the DB does not hold: the case file's
 * signatory and addressee). Each returns the pseudonym (owned by r); a
 * name already known keeps its pseudonym. */
const char *redactor_custodian(struct redactor *r, const char *id, const char *name);
const char *redactor_account(struct redactor *r, const char *account, const char *custodian_id);
const char *redactor_counterpart(struct redactor *r, const char *peer);
const char *redactor_official(struct redactor *r, const char *name);
/* "Addressee": the letter's addressee (NARA's, not an agency official) */
const char *redactor_addressee(struct redactor *r, const char *name);
const char *redactor_conversation(struct redactor *r, const char *conversation_id);
/* path as recorded in the manifest; abs_path may be NULL */
const char *redactor_file(struct redactor *r, long long input_id, const char *path,
			  const char *abs_path);
/* a side file of input input_id (the file its option named):
 * "input-7-users.csv" */
const char *redactor_side_file(struct redactor *r, long long input_id, const char *option,
			       const char *path, const char *abs_path);
/* Single name words found in text are no longer replaced alone. */
void redactor_keep_words(struct redactor *r, const char *text);

/* A redacted copy of text (caller frees); NULL text gives "". With r NULL
 * a plain copy. */
char *redactor_apply(const struct redactor *r, const char *text);
/* The same, with the signature the PDF and XLSX filters take. */
char *redactor_filter(void *r, const char *text);

#endif
