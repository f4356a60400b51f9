/* casefile and reportdef: the case file format (keys, repeated filters,
 * continuation lines, paragraphs, validation with file:line) and report
 * definition templates (placeholders, lists, unknown placeholders named
 * with file:line). Messages on stderr are captured and checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casefile.h"
#include "capture.h"
#include "check.h"
#include "reportdef.h"

static const char GOOD[] =
	"; a case\n"
	"[case]\n"
	"id = UD-2019-0001\n"
	"title = Deleted messages\n"
	"opened_on = 2019-03-08\n"
	"nara_letter_on =\n"
	"[scope]\n"
	"custodian = C-001\n"
	"custodian = C-002\n"
	"type = DEVICE_LOSS\n"
	"class = actual\n"
	"from = 2018-10-01\n"
	"to = 2019-02-28\n"
	"[addressee]\n"
	"name = Morgan Avery\n"
	"address = 8601 Adelphi Road\n"
	"address = College Park, MD 20740-6001\n"
	"[signatory]\n"
	"name = Evelyn Brandt\n"
	"title = Agency Records Officer\n"
	"[narrative]\n"
	"circumstances = First paragraph\n"
	"    continues here.\n"
	"circumstances = Second paragraph.\n";

static void test_good(void)
{
	struct case_file cf;
	CHECK(case_load_mem(GOOD, sizeof(GOOD) - 1, "c.ini", &cf) == 0);
	CHECK_STR(cf.id, "UD-2019-0001");
	CHECK_STR(cf.opened_on, "2019-03-08");
	CHECK(cf.nara_letter_on == NULL);                /* empty: not given */
	CHECK(cf.scope[CF_CUSTODIAN].n == 2);
	CHECK_STR(cf.scope[CF_CUSTODIAN].v[1], "C-002");
	CHECK(cf.scope[CF_APP].n == 0);
	CHECK_STR(cf.from, "2018-10-01");
	CHECK(cf.to_address.n == 2);
	CHECK_STR(cf.sig_title, "Agency Records Officer");
	CHECK(cf.circumstances.n == 2);
	CHECK_STR(cf.circumstances.v[0], "First paragraph continues here.");
	case_release(&cf);
}

static void bad(const char *text, const char *want)
{
	struct case_file cf;
	const char *err;
	int rc;

	capture_begin();
	rc = case_load_mem(text, strlen(text), "c.ini", &cf);
	err = capture_end();
	CHECK(rc == -1);
	if (!strstr(err, want))
		fprintf(stderr, "want '%s' in:\n%s", want, err);
	CHECK(strstr(err, want) != NULL);
}

#define TAIL "[addressee]\nname = A\n[signatory]\nname = S\ntitle = T\n"

static void test_bad(void)
{
	CHECK(case_id_valid("UD-2021-0042"));
	CHECK(!case_id_valid("UD-2021-042"));
	CHECK(!case_id_valid("XD-2021-0042"));
	bad("[case]\nid = UD-19-1\n" TAIL, "c.ini:2: error: bad case id 'UD-19-1'");
	bad("[case]\nid = UD-2019-0001\nopened_on = 2019-02-30\n" TAIL,
	    "c.ini:3: error: bad date '2019-02-30' for 'opened_on'");
	bad("[case]\nid = UD-2019-0001\n[scope]\ntype = LOST\n" TAIL,
	    "c.ini:4: error: unknown finding type 'LOST'");
	bad("[case]\nid = UD-2019-0001\n[scope]\nclass = bad\n" TAIL,
	    "c.ini:4: error: unknown class 'bad'");
	bad("[case]\nid = UD-2019-0001\n[scope]\nfrom = 2019-01-01\nfrom = 2019-01-02\n" TAIL,
	    "c.ini:5: error: 'from' given twice");
	bad("[case]\nid = UD-2019-0001\n[scope]\nfrom = 2019-02-01\nto = 2019-01-01\n" TAIL,
	    "'from' 2019-02-01 is after 'to' 2019-01-01");
	bad("[case]\nid = UD-2019-0001\n[other]\nx = 1\n" TAIL, "c.ini:4: error: unknown section '[other]'"
	    " (expected case, scope, addressee, signatory or narrative)");
	/* a typo of a key or a value names the nearest valid one */
	bad("[case]\nid = UD-2019-0001\nopend_on = 2019-01-01\n" TAIL,
	    "c.ini:3: error: unknown key 'opend_on' in [case] (expected id, title, opened_on,"
	    " nara_letter_on, response_due_on or last_update_on; did you mean 'opened_on'?)");
	bad("[case]\nid = UD-2019-0001\n[narrative]\nsafegards =\n" TAIL,
	    "c.ini:4: error: unknown key 'safegards' in [narrative] (expected circumstances,"
	    " safeguards or salvage; did you mean 'safeguards'?)");
	bad("[case]\nid = UD-2019-0001\n[signatory]\ntitel = T\n" TAIL,
	    "did you mean 'title'?");
	bad("[case]\nid = UD-2019-0001\n[scope]\ntype = DEVICE_LOS\n" TAIL,
	    "c.ini:4: error: unknown finding type 'DEVICE_LOS' (expected UNCAPTURED_DELETION,"
	    " DEVICE_LOSS, ");
	bad("[case]\nid = UD-2019-0001\n[scope]\ntype = DEVICE_LOS\n" TAIL,
	    "did you mean 'DEVICE_LOSS'?)");
	bad("[case]\nid = UD-2019-0001\n[scope]\nclass = actuall\n" TAIL,
	    "c.ini:4: error: unknown class 'actuall' (expected policy, threatened, impending or"
	    " actual; did you mean 'actual'?)");
	bad("[case]\nid = UD-2019-0001\n[addressee]\nname = A\n", "missing 'name' in [signatory]");
	bad("[case]\ntitle = x\n" TAIL, "missing 'id' in [case]");
}

/* Types and classes in any case, kept as the findings store them. */
static void test_any_case(void)
{
	static const char text[] =
		"[case]\nid = UD-2019-0001\n[scope]\ntype = device_loss\ntype = Capture_Gap\n"
		"class = Actual\nclass = IMPENDING\n" TAIL;
	struct case_file cf;

	CHECK(case_load_mem(text, sizeof(text) - 1, "c.ini", &cf) == 0);
	CHECK(cf.scope[CF_TYPE].n == 2);
	CHECK_STR(cf.scope[CF_TYPE].v[0], "DEVICE_LOSS");
	CHECK_STR(cf.scope[CF_TYPE].v[1], "CAPTURE_GAP");
	CHECK(cf.scope[CF_CLASS].n == 2);
	CHECK_STR(cf.scope[CF_CLASS].v[0], "actual");
	CHECK_STR(cf.scope[CF_CLASS].v[1], "impending");
	case_release(&cf);
}

static void test_reportdef(void)
{
	static const char def[] =
		"[s]\n"
		"a = {n_messages} of {who}, {not a placeholder} {x\n"
		"list = one {who}\n"
		"list = two\n"
		"bad = {who} and\n"
		"    {nobody}\n";
	struct rvar vars[] = { { "n_messages", "26 messages" }, { "who", "Dana" } };
	struct reportdef *d = reportdef_load_mem(def, sizeof(def) - 1, "r.ini");
	char *t;
	const char *err;

	CHECK(d != NULL);
	if (!d)
		return;
	t = reportdef_expand(d, "s", "a", vars, 2);
	CHECK_STR(t, "26 messages of Dana, {not a placeholder} {x");
	free(t);
	CHECK(reportdef_count(d, "s", "list") == 2);
	t = reportdef_expand_nth(d, "s", "list", 0, vars, 2);
	CHECK_STR(t, "one Dana");
	free(t);
	capture_begin();
	t = reportdef_expand(d, "s", "bad", vars, 2);
	err = capture_end();
	CHECK(t == NULL);
	CHECK(strstr(err, "r.ini:5: error: unknown placeholder '{nobody}' in [s] 'bad'") != NULL);
	capture_begin();
	t = reportdef_expand(d, "s", "missing", vars, 2);
	err = capture_end();
	CHECK(t == NULL);
	CHECK(strstr(err, "r.ini: error: missing key 'missing' in [s]") != NULL);
	/* a key the definition misspells is named at its line */
	capture_begin();
	t = reportdef_expand(d, "s", "lists", vars, 2);
	err = capture_end();
	CHECK(t == NULL);
	CHECK(strstr(err, "r.ini:3: error: missing key 'lists' in [s]: 'list' here is not a key"
		     " (a typo of 'lists'?)") != NULL);
	reportdef_free(d);
}

int main(void)
{
	test_good();
	test_bad();
	test_any_case();
	test_reportdef();
	return CHECK_DONE();
}
