/* bench: the scale benchmark of spec 8 (make bench).
 *
 *   bench gen N DIR        write a synthetic audit of N usage events to DIR:
 *                          accounts.csv, devices.csv, device_apps.csv,
 *                          usage.jsonl and compliance.sqlite (about N rows)
 *   bench time LABEL N CMD...
 *                          run CMD, then print its wall time, N/s and the
 *                          peak RSS of the child (getrusage RUSAGE_CHILDREN)
 *
 * The audit is deterministic (a fixed xorshift seed) and shaped like a
 * quarter of a large department: 80 % of traffic on an archived app (Wickr),
 * 10 % Teams, 7 % WhatsApp (manual capture, forwarded late or never), 3 %
 * Signal (no capture); group messages reach up to 3 agency accounts; a few
 * per cent of copies deleted; one capture outage; early purges. The
 * compliance store is built through udaudit's store API (store.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "timeutil.h"

static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned long long rnd(void)
{
	unsigned long long x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

#define NCUST 2000
#define NEXT 20000                      /* store-only accounts */
enum { APP_WICKR, APP_TEAMS, APP_WHATSAPP, APP_SIGNAL, NAPP };
static const char *const apps[NAPP] = { "wickr", "teams", "whatsapp", "signal" };
static const char *const captures[NAPP] = { "archiver", "archiver", "manual", "none" };

static void iso(long long ts, char out[TIME_ISO_LEN])
{
	time_fmt_iso(ts, out);
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	if (!fp) {
		perror(path);
		exit(1);
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	return fp;
}

static int gen(unsigned long long n, const char *dir)
{
	FILE *acc = open_out(dir, "accounts.csv"), *dev = open_out(dir, "devices.csv");
	FILE *dap = open_out(dir, "device_apps.csv"), *use = open_out(dir, "usage.jsonl");
	char path[4096];
	static const char *const roles[] = { "standard", "standard", "standard", "support", "capstone" };

	fputs("account,app,custodian_id,custodian_name,office,role,official,capture,"
	      "approved_on,opened_on,closed_on\n", acc);
	fputs("device_id,custodian_id,platform,model,ownership,managed,status,status_on,"
	      "replaced_by,enrolled_on\n", dev);
	fputs("device_id,app_id,app_name,version,first_seen,last_seen\n", dap);
	for (int c = 0; c < NCUST; c++) {
		const char *role = roles[c % 5];
		for (int a = 0; a < NAPP; a++)
			fprintf(acc, "%s:u%04d,%s,C-%04d,Custodian %d,Office %d,%s,%s,%s,%s,2019-01-01,%s\n",
				apps[a], c, apps[a], c, c, c % 40, role, a < 2 ? "yes" : "no",
				captures[a], a >= 2 && c % 3 ? "2020-01-01" : "",
				c % 97 == 0 ? "2022-06-30" : "");
		fprintf(dev, "D-%04d,C-%04d,%s,Phone,gfe,yes,%s,%s,,2019-01-01\n", c, c,
			c % 2 ? "ios" : "android", c % 211 == 5 ? "replaced" : "active",
			c % 211 == 5 ? "2021-08-15" : "");
		fprintf(dap, "D-%04d,com.wickr.pro,AWS Wickr,6.1,2019-01-01,2021-09-01\n", c);
		fprintf(dap, "D-%04d,com.whatsapp,WhatsApp,2.21,2019-01-01,2021-09-01\n", c);
		if (c % 301 == 7)
			fprintf(dap, "D-%04d,org.telegram.messenger,Telegram,8.0,2021-02-01,2021-09-01\n", c);
	}
	/* the store's other accounts (the filler below): the agency's own, on
	   the archived app, whose devices are outside this audit. Listed, so
	   the bench audit is a clean one (no unknown-account warnings) */
	for (int x = 0; x < NEXT; x++)
		fprintf(acc, "wickr:ext%05d,wickr,E-%05d,Staff %d,Office %d,standard,yes,archiver,,"
			"2019-01-01,\n", x, x, x, x % 40);
	fclose(acc);
	fclose(dev);
	fclose(dap);

	/* the compliance store, through the store API */
	snprintf(path, sizeof(path), "%s/compliance.sqlite", dir);
	unlink(path);
	struct store *st = store_open(path, 1);
	if (!st || store_exec(st, "CREATE TABLE messages (message_id TEXT PRIMARY KEY,"
			      " app TEXT NOT NULL, account TEXT NOT NULL, conversation_id TEXT,"
			      " sent_at TEXT NOT NULL, captured_at TEXT NOT NULL, sha256 TEXT,"
			      " purged_at TEXT, purge_reason TEXT)") ||
	    store_exec(st, "INSERT INTO retention_policies (app, role, retention_days,"
		       " effective_on) VALUES ('teams', 'support', 365, '2020-01-01')") ||
	    store_begin(st))
		return 1;
	struct stmt *ins = stmt_prepare(st, "INSERT INTO messages VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
	if (!ins)
		return 1;

	const long long start = 1625097600;     /* 2021-07-01 */
	const long long span = 85LL * 86400;    /* a quarter, as_of 2021-09-30 */
	const long long outage_from = start + 40 * 86400, outage_to = outage_from + 30 * 3600;
	unsigned long long events = 0, msgs = 0, store_rows = 0;
	char ts[TIME_ISO_LEN], cap[TIME_ISO_LEN], mid[40], conv[40], sha[65];

	while (events < n) {
		long long t = start + (long long)((double)span * (double)events / (double)n);
		unsigned a = pick(100);
		a = a < 80 ? APP_WICKR : a < 90 ? APP_TEAMS : a < 97 ? APP_WHATSAPP : APP_SIGNAL;
		unsigned sender = pick(NCUST), nrecv = pick(4);
		snprintf(mid, sizeof(mid), "%c%010llx", apps[a][0], msgs++);
		snprintf(conv, sizeof(conv), "%s-c%05u", apps[a], (sender * 7 + nrecv) % 50000);
		iso(t, ts);
		unsigned who[4] = { sender, 0, 0, 0 };
		for (unsigned r = 1; r <= nrecv; r++)
			who[r] = (sender + 1 + pick(NCUST - 1)) % NCUST;
		for (unsigned r = 0; r <= nrecv && events < n; r++) {
			fprintf(use, "{\"ts\":\"%s\",\"app\":\"%s\",\"account\":\"%s:u%04u\","
				"\"device_id\":\"D-%04u\",\"event\":\"%s\",\"message_id\":\"%s\","
				"\"conversation_id\":\"%s\",\"peer\":\"+1555%07u\"}\n", ts, apps[a],
				apps[a], who[r], who[r], r ? "received" : "sent", mid, conv, who[r]);
			events++;
			if (pick(100) < 3 && events < n) {
				char dts[TIME_ISO_LEN];
				iso(t + 60 + pick(86400), dts);
				fprintf(use, "{\"ts\":\"%s\",\"app\":\"%s\",\"account\":\"%s:u%04u\","
					"\"device_id\":\"D-%04u\",\"event\":\"%s\",\"message_id\":\"%s\"}\n",
					dts, apps[a], apps[a], who[r], who[r],
					pick(2) ? "deleted" : "expired", mid);
				events++;
			}
		}
		if (a == APP_WHATSAPP && pick(100) < 80 && events < n) {
			char fts[TIME_ISO_LEN];
			iso(t + 3600 + pick(30 * 86400), fts);
			fprintf(use, "{\"ts\":\"%s\",\"app\":\"whatsapp\",\"account\":\"whatsapp:u%04u\","
				"\"device_id\":\"D-%04u\",\"event\":\"forwarded\",\"message_id\":\"%s\","
				"\"to_account\":\"wickr:u%04u\"}\n", fts, sender, sender, mid, sender);
			events++;
		}
		if (a == APP_SIGNAL && pick(1000) < 2 && events < n) {
			fprintf(use, "{\"ts\":\"%s\",\"app\":\"signal\",\"account\":\"signal:u%04u\","
				"\"device_id\":\"D-%04u\",\"event\":\"timer_set\",\"ttl_seconds\":86400}\n",
				ts, sender, sender);
			events++;
		}
		int captured = a <= APP_TEAMS && !(t >= outage_from && t < outage_to) && pick(1000) != 0;
		/* store rows: this message, plus filler from accounts outside the
		   usage logs so the store is about as large as the event log */
		for (int k = 0; k < 2; k++) {
			char acct[40], fmid[40];
			if (k == 0 && !captured)
				continue;
			if (k == 1) {
				if (store_rows >= events)
					continue;
				snprintf(fmid, sizeof(fmid), "x%010llx", store_rows);
				snprintf(acct, sizeof(acct), "wickr:ext%05u", pick(NEXT));
			} else {
				snprintf(fmid, sizeof(fmid), "%s", mid);
				snprintf(acct, sizeof(acct), "%s:u%04u", apps[a], sender);
			}
			iso(t + 5, cap);
			for (int h = 0; h < 64; h++)
				sha[h] = "0123456789abcdef"[pick(16)];
			sha[64] = '\0';
			stmt_bind_text(ins, 1, fmid);
			stmt_bind_text(ins, 2, k ? "wickr" : apps[a]);
			stmt_bind_text(ins, 3, acct);
			stmt_bind_text(ins, 4, conv);
			stmt_bind_text(ins, 5, ts);
			stmt_bind_text(ins, 6, cap);
			stmt_bind_text(ins, 7, sha);
			if (pick(2000) == 0) {
				char pts[TIME_ISO_LEN];
				iso(t + 86400 * 30, pts);
				stmt_bind_text(ins, 8, pts);
				stmt_bind_text(ins, 9, "retention policy");
			}
			if (stmt_step(ins) < 0)
				return 1;
			stmt_reset(ins);
			store_rows++;
		}
	}
	/* top the store up to about n rows (accounts outside the usage logs) */
	for (long long t = start; store_rows < n; t += 7) {
		char fmid[40], acct[40];
		snprintf(fmid, sizeof(fmid), "y%010llx", store_rows);
		snprintf(acct, sizeof(acct), "wickr:ext%05u", pick(NEXT));
		snprintf(conv, sizeof(conv), "wickr-x%05u", pick(50000));
		iso(t, ts);
		iso(t + 5, cap);
		stmt_bind_text(ins, 1, fmid);
		stmt_bind_text(ins, 2, "wickr");
		stmt_bind_text(ins, 3, acct);
		stmt_bind_text(ins, 4, conv);
		stmt_bind_text(ins, 5, ts);
		stmt_bind_text(ins, 6, cap);
		if (stmt_step(ins) < 0)
			return 1;
		stmt_reset(ins);
		store_rows++;
	}
	stmt_free(ins);
	if (store_commit(st) || store_exec(st, "PRAGMA journal_mode = DELETE"))
		return 1;
	store_close(st);
	fclose(use);
	printf("bench: %llu usage events (%llu messages), %llu compliance rows in %s\n",
	       events, msgs, store_rows, dir);
	return 0;
}

static int time_cmd(const char *label, unsigned long long n, char **argv)
{
	struct timeval t0, t1;
	struct rusage ru;
	int status;

	gettimeofday(&t0, NULL);
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	gettimeofday(&t1, NULL);
	getrusage(RUSAGE_CHILDREN, &ru);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("bench: %-8s %11llu events %8.2f s %10.0f events/s  cpu %7.2f s  peak RSS %6.1f MB%s\n",
	       label, n, secs, secs > 0 ? (double)n / secs : 0.0, cpu, (double)ru.ru_maxrss / 1024.0,
	       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "" : "  (FAILED)");
	fflush(stdout);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(strtoull(argv[2], NULL, 10), argv[3]);
	if (argc >= 5 && !strcmp(argv[1], "time"))
		return time_cmd(argv[2], strtoull(argv[3], NULL, 10), argv + 4);
	fprintf(stderr, "usage: bench gen N DIR | bench time LABEL N CMD...\n");
	return 2;
}
