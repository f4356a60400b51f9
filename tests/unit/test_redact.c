/* redact: readable pseudonyms, stable in registration order; the one pass
 * over free text (whole words, longest first, phone numbers in every common
 * writing, e-mail addresses, words kept). */
#include "redact.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

static void expect(const struct redactor *r, const char *in, const char *want)
{
	char *got = redactor_apply(r, in);
	CHECK_STR(got, want);
	free(got);
}

static void test_pseudonyms(void)
{
	struct redactor *r = redactor_new();

	CHECK_STR(redactor_custodian(r, "C-001", "Dana Reyes"), "Custodian A");
	CHECK_STR(redactor_custodian(r, "C-002", "Marcus Bell"), "Custodian B");
	CHECK_STR(redactor_custodian(r, "C-001", "Dana Reyes"), "Custodian A");
	CHECK_STR(redactor_account(r, "whatsapp:+15550100001", "C-001"), "whatsapp:A-1");
	CHECK_STR(redactor_account(r, "wickr:d.reyes@example.gov", "C-001"), "wickr:A-2");
	CHECK_STR(redactor_account(r, "whatsapp:+15550100002", "C-002"), "whatsapp:B-1");
	CHECK_STR(redactor_counterpart(r, "+525555010131"), "Counterpart 1");
	CHECK_STR(redactor_counterpart(r, "Ana Castillo"), "Counterpart 2");
	CHECK_STR(redactor_counterpart(r, "+15550100002"), "B-1");     /* a known handle */
	CHECK_STR(redactor_official(r, "Evelyn Brandt"), "Official 1");
	CHECK_STR(redactor_addressee(r, "Laurence Brewer"), "Addressee");
	CHECK_STR(redactor_addressee(r, "Evelyn Brandt"), "Official 1");	/* known already */
	CHECK_STR(redactor_conversation(r, "wa-dm-0131-bell"), "conv-1");
	CHECK_STR(redactor_file(r, 7, "samples/exports/natarajan-castillo.txt", NULL),
		  "input-7.txt");
	/* an account of nobody known keeps its app */
	CHECK_STR(redactor_account(r, "signal:+15550100999", NULL), "signal:Counterpart 3");

	expect(r, "Dana Reyes (whatsapp:+15550100001) wrote to +15550100002",
	       "Custodian A (whatsapp:A-1) wrote to B-1");
	expect(r, "exported by Marcus Bell. Bell and Reyes agreed; bellows stay",
	       "exported by Custodian B. Custodian B and Custodian A agreed; bellows stay");
	expect(r, "DANA REYES", "Custodian A");                /* full names: any case */
	expect(r, "bell rang", "bell rang");                    /* a name word: its capital */
	expect(r, "the room wa-dm-0131-bell", "the room conv-1");
	expect(r, "read exports/natarajan-castillo.txt line 4",
	       "read exports/input-7.txt line 4");
	expect(r, "samples/exports/natarajan-castillo.txt:4", "input-7.txt:4");
	expect(r, "Hola Ana, from Ana Castillo", "Hola Counterpart 2, from Counterpart 2");
	expect(r, "d.reyes@example.gov and x.y@other.org", "A-2 and [e-mail]");
	expect(r, "C-0010 and C-001", "C-0010 and Custodian A");  /* whole tokens */
	redactor_free(r);
}

static void test_phones(void)
{
	struct redactor *r = redactor_new();

	redactor_custodian(r, "C-001", "Dana Reyes");
	redactor_account(r, "whatsapp:+15550100001", "C-001");
	redactor_counterpart(r, "+15550100002");
	/* every common writing of a known number gives its pseudonym */
	expect(r, "call 555-010-0001 now", "call A-1 now");
	expect(r, "call +1 (555) 010-0001.", "call A-1.");
	expect(r, "call (555) 010-0001", "call A-1");
	expect(r, "call 555.010.0002", "call Counterpart 1");
	expect(r, "call +15550100001", "call A-1");
	expect(r, "call 15550100001 or 5550100001", "call A-1 or A-1");
	expect(r, "call 555 010 0002", "call Counterpart 1");
	/* unknown numbers are withheld */
	expect(r, "or +44 20 7946 0958, or 555-0100", "or [phone], or [phone]");
	/* not phone numbers: dates, times, ZIP+4, ids, counts, hashes */
	expect(r, "on 2019-03-01 14:03, 2019-03-01T14:03:22Z", "on 2019-03-01 14:03, 2019-03-01T14:03:22Z");
	expect(r, "MD 20740-6001", "MD 20740-6001");
	expect(r, "case UD-2019-0001, device D-0001", "case UD-2019-0001, device D-0001");
	expect(r, "1,000,000 events, 412 messages", "1,000,000 events, 412 messages");
	expect(r, "f33c17e80acab9e0485dacd2 1234567abc", "f33c17e80acab9e0485dacd2 1234567abc");
	expect(r, "version 1.2.3.4567", "version 1.2.3.4567");
	expect(r, "", "");
	redactor_free(r);
}

static void test_keep_words(void)
{
	struct redactor *r = redactor_new();
	char *t;

	redactor_custodian(r, "C-005", "Lee Park");
	redactor_keep_words(r, "8601 Adelphi Road, College Park, MD 20740-6001");
	expect(r, "College Park; Lee Park; Park alone; Lee", "College Park; Custodian A; Park alone; Custodian A");
	t = redactor_apply(NULL, "Lee Park");
	CHECK_STR(t, "Lee Park");                       /* no redactor: a copy */
	free(t);
	t = redactor_apply(r, NULL);
	CHECK_STR(t, "");
	free(t);
	redactor_free(r);
}

int main(void)
{
	test_pseudonyms();
	test_phones();
	test_keep_words();
	return CHECK_DONE();
}
