/* config: audit.ini: paths relative to the file, repeated input keys,
 * input options, defaults, and FILE:LINE errors (unknown keys, over-long
 * lines, bad values). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "check.h"
#include "config.h"
#include "timeutil.h"
#include "xalloc.h"

static char dir[] = "/tmp/udaudit-config-XXXXXX";

/* Write text to DIR/name; the path (static). */
static const char *write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

static int load(const char *name, const char *text, struct audit_config *cfg, const char **err)
{
	const char *path = write_file(name, text);
	int rc;

	capture_begin();
	rc = config_load(path, cfg);
	*err = capture_end();
	return rc;
}

static void test_good(void)
{
	struct audit_config cfg;
	const char *err;
	char want[600];
	int rc = load("audit.ini",
		"[audit]\n"
		"agency      = Example Agency\n"
		"component   = Office of Field Operations\n"
		"quarter     = 2021Q3\n"
		"as_of       = 2021-09-24\n"
		"db          = ../out/audit.db\n"
		"\n"
		"[inputs]                 ; paths relative to this file; a key may repeat\n"
		"accounts    = accounts.csv\n"
		"device_apps = device_apps.csv\n"
		"usage       = usage.jsonl\n"
		"usage       = more/usage-2.jsonl\n"
		"compliance  = /abs/compliance.sqlite\n"
		"whatsapp    = \"with space.txt\" tz=-05:00 self=\"Jane Doe\"\n"
		"\n"
		"[rules]\n"
		"dir = ../rules\n"
		"[tracker]\n"
		"recommendations = tracker/recommendations.csv\n"
		"[output]\n"
		"dir   = ../out\n"
		"cases = cases/UD-2019-0001.ini\n"
		"cases = cases/UD-2019-0002.ini\n", &cfg, &err);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	if (rc)
		return;
	CHECK_STR(cfg.agency, "Example Agency");
	CHECK_STR(cfg.component, "Office of Field Operations");
	CHECK_STR(cfg.quarter, "2021Q3");
	CHECK_STR(cfg.as_of, "2021-09-24");
	CHECK_STR(cfg.dir, dir);
	/* "../out" from the config's directory, folded */
	char *parent = path_dirname(dir);
	snprintf(want, sizeof(want), "%s/out/audit.db", parent);
	CHECK_STR(cfg.db, want);
	CHECK(cfg.ninputs == 6);
	if (cfg.ninputs == 6) {
		CHECK_STR(cfg.inputs[0].kind, "accounts");
		snprintf(want, sizeof(want), "%s/accounts.csv", dir);
		CHECK_STR(cfg.inputs[0].path, want);
		CHECK(cfg.inputs[0].line == 9);
		CHECK_STR(cfg.inputs[1].kind, "device-apps");
		CHECK(cfg.inputs[1].line == 10);
		/* a repeated key: both inputs, in order */
		CHECK_STR(cfg.inputs[2].kind, "usage");
		CHECK_STR(cfg.inputs[3].kind, "usage");
		snprintf(want, sizeof(want), "%s/more/usage-2.jsonl", dir);
		CHECK_STR(cfg.inputs[3].path, want);
		CHECK(cfg.inputs[3].line == 12);
		CHECK_STR(cfg.inputs[4].path, "/abs/compliance.sqlite");  /* absolute kept */
		snprintf(want, sizeof(want), "%s/with space.txt", dir);
		CHECK_STR(cfg.inputs[5].path, want);
		CHECK(cfg.inputs[5].nopt == 2);
		if (cfg.inputs[5].nopt == 2) {
			CHECK_STR(cfg.inputs[5].opt[0].key, "tz");
			CHECK_STR(cfg.inputs[5].opt[0].value, "-05:00");
			CHECK_STR(cfg.inputs[5].opt[1].key, "self");
			CHECK_STR(cfg.inputs[5].opt[1].value, "Jane Doe");
		}
	}
	snprintf(want, sizeof(want), "%s/rules", parent);
	CHECK_STR(cfg.rules_dir, want);
	snprintf(want, sizeof(want), "%s/tracker/recommendations.csv", dir);
	CHECK_STR(cfg.tracker[TRACK_RECOMMENDATIONS], want);
	CHECK(cfg.tracker[TRACK_ACTIONS] == NULL);
	snprintf(want, sizeof(want), "%s/out", parent);
	CHECK_STR(cfg.output_dir, want);
	free(parent);
	CHECK(cfg.ncases == 2);
	config_release(&cfg);
}

static void test_defaults(void)
{
	struct audit_config cfg;
	const char *err;
	char want[600];
	int rc = load("min.ini", "[audit]\nquarter = 2021Q4\n", &cfg, &err);

	CHECK(rc == 0);
	if (rc)
		return;
	CHECK_STR(cfg.as_of, "2021-12-31");     /* the end of the quarter */
	snprintf(want, sizeof(want), "%s/out/audit.db", dir);
	CHECK_STR(cfg.db, want);
	snprintf(want, sizeof(want), "%s/out", dir);
	CHECK_STR(cfg.output_dir, want);
	CHECK(cfg.ninputs == 0);
	CHECK(cfg.rules_dir == NULL);
	config_release(&cfg);
}

/* Load text that must fail and whose stderr must contain want. */
static void check_fails(const char *text, const char *want)
{
	struct audit_config cfg;
	const char *err;
	char path_want[700];
	int rc = load("bad.ini", text, &cfg, &err);

	CHECK(rc == -1);
	snprintf(path_want, sizeof(path_want), "udaudit: %s/bad.ini:%s", dir, want);
	CHECK(strstr(err, path_want) != NULL);
	if (!strstr(err, path_want))
		fprintf(stderr, "  want '%s'\n  got  '%s'\n", path_want, err);
	config_release(&cfg);
}

static void test_errors(void)
{
	char text[1024];
	int n;

	check_fails("[audit]\nagency = A\nagnecy = B\n", "3: error: unknown key 'agnecy' in [audit]"
		    " (expected agency, component, quarter, as_of or db; did you mean 'agency'?)");
	check_fails("[audit]\n[inputz]\nusage = u.jsonl\n", "3: error: unknown section '[inputz]'"
		    " (expected audit, inputs, rules, tracker or output; did you mean 'inputs'?)");
	check_fails("[audit]\nasof = 2021-09-24\n", "2: error: unknown key 'asof' in [audit]"
		    " (expected agency, component, quarter, as_of or db; did you mean 'as_of'?)");
	check_fails("[rules]\ndirectory = r\n", "2: error: unknown key 'directory' in [rules]"
		    " (expected dir; did you mean 'dir'?)");
	check_fails("[tracker]\nrecomendations = r.csv\n", "2: error: unknown key 'recomendations'"
		    " in [tracker] (expected recommendations, actions, updates or cases; did you"
		    " mean 'recommendations'?)");
	check_fails("[output]\nletterdate = 2021-10-01\n", "2: error: unknown key 'letterdate' in"
		    " [output] (expected dir, cases, case, redact or letter_date; did you mean"
		    " 'letter_date'?)");
	check_fails("[output]\nredcat = yes\n", "2: error: unknown key 'redcat' in [output]"
		    " (expected dir, cases, case, redact or letter_date; did you mean 'redact'?)");
	check_fails("[audit]\nzzz = 1\n", "2: error: unknown key 'zzz' in [audit] (expected agency,"
		    " component, quarter, as_of or db)\n");
	check_fails("[inputs]\nmessages = m.csv\n", "2: error: unknown input kind 'messages'");
	check_fails("[audit]\nquarter = 2021Q5\n", "2: error: bad quarter '2021Q5'");
	check_fails("[audit]\nas_of = 2021-02-29\n",
		    "2: error: bad date '2021-02-29' for 'as_of' (expected YYYY-MM-DD)");
	check_fails("[audit]\ndb = a.db\n\ndb = b.db\n", "4: error: 'db' given twice");
	check_fails("[inputs]\nusage =\n", "2: error: input 'usage' has no file");
	check_fails("[tracker]\ncases =\n", "2: error: 'cases' has no file");
	check_fails("[inputs]\nusage = u.jsonl tz\n", "2: error: input option 'tz' is not key=value");
	check_fails("[inputs]\nusage = \"my usage.jsonl\n", "2: error: input 'usage': unterminated quote");
	check_fails("[inputs]\nusage = u.jsonl self=\"Jane\n", "2: error: input 'usage': unterminated quote");
	check_fails("[audit]\n  \nnot a key line\n", "3: error: syntax error");

	/* a 250-character line names its own line, and the key after it is
	   still read at its own line (no phantom key from the tail) */
	n = snprintf(text, sizeof(text), "[audit]\nagency = A\n[inputs]\nusage = ");
	for (int i = 0; i < 242; i++)
		text[n++] = (char)('a' + i % 26);
	n += snprintf(text + n, sizeof(text) - (size_t)n, ".jsonl\nbogus = 1\n");
	check_fails(text, "4: error: line longer than 198 characters (continue a long value on the next lines, each indented)");
	check_fails(text, "5: error: unknown input kind 'bogus'");

	/* every error is shown, not only the first */
	{
		struct audit_config cfg;
		const char *err;
		int rc = load("bad2.ini", "[audit]\nx = 1\ny = 2\n", &cfg, &err);
		CHECK(rc == -1);
		CHECK(strstr(err, "bad2.ini:2: error: unknown key 'x'") != NULL);
		CHECK(strstr(err, "bad2.ini:3: error: unknown key 'y'") != NULL);
		config_release(&cfg);
	}
	/* a missing file */
	{
		struct audit_config cfg;
		const char *err;
		capture_begin();
		int rc = config_load("/nonexistent/audit.ini", &cfg);
		err = capture_end();
		CHECK(rc == -1);
		CHECK(strstr(err, "/nonexistent/audit.ini: error: cannot open") != NULL);
		config_release(&cfg);
	}
}

static void test_paths(void)
{
	char *s, out[TIME_DATE_LEN];

	s = path_dirname("a/b/c.ini");
	CHECK_STR(s, "a/b");
	free(s);
	s = path_dirname("c.ini");
	CHECK_STR(s, ".");
	free(s);
	s = path_dirname("/c.ini");
	CHECK_STR(s, "/");
	free(s);
	s = path_resolve("a/b", "x.csv");
	CHECK_STR(s, "a/b/x.csv");
	free(s);
	s = path_resolve(".", "x.csv");
	CHECK_STR(s, "x.csv");
	free(s);
	s = path_resolve("a", "/abs/x.csv");
	CHECK_STR(s, "/abs/x.csv");
	free(s);
	s = path_resolve("/", "x.csv");
	CHECK_STR(s, "/x.csv");
	free(s);
	/* lexical normalisation: what a person would write */
	s = path_resolve("samples", "../out/audit.db");
	CHECK_STR(s, "out/audit.db");
	free(s);
	s = path_resolve("a/./b", "./c/../x.csv");
	CHECK_STR(s, "a/b/x.csv");
	free(s);
	s = path_resolve("..", "../x.csv");
	CHECK_STR(s, "../../x.csv");
	free(s);
	/* an empty value (key =) stays empty; it once wrote "." past its byte */
	s = path_resolve(".", "");
	CHECK_STR(s, "");
	free(s);
	s = path_resolve("a", "..");
	CHECK_STR(s, ".");
	free(s);
	s = path_resolve("/a", "../../x.csv");
	CHECK_STR(s, "/x.csv");
	free(s);

	CHECK(quarter_end("2021Q1", out) == 0);
	CHECK_STR(out, "2021-03-31");
	CHECK(quarter_end("2021Q2", out) == 0);
	CHECK_STR(out, "2021-06-30");
	CHECK(quarter_end("2021Q3", out) == 0);
	CHECK_STR(out, "2021-09-30");
	CHECK(quarter_end("2021Q4", out) == 0);
	CHECK_STR(out, "2021-12-31");
	CHECK(quarter_end("2021Q0", out) == -1);
	CHECK(quarter_end("2021q1", out) == -1);
	CHECK(quarter_end("21Q1", out) == -1);
	CHECK(quarter_end("2021Q12", out) == -1);
	CHECK(quarter_end("20X1Q1", out) == -1);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_good();
	test_defaults();
	test_errors();
	test_paths();
	{
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return CHECK_DONE();
}
