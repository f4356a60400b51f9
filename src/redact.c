/* redact: readable pseudonyms and the one redaction pass (see redact.h).
 *
 * The replacements live in one open-addressing hash table keyed by the
 * ASCII-lowercased text. redactor_apply() walks the text once: where a
 * replacement may start it hashes the following bytes incrementally and
 * tries the lengths that some entry has, longest first; else it tries a
 * phone number, then an e-mail address; else it copies the byte. */
#include "redact.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

#define MAX_FROM 1024           /* longer texts are not registered */
#define MIN_FROM 3              /* "Al", "C1": too short to replace safely */

struct entry {
	char *key;              /* lowercased from; NULL: free slot */
	char *from, *to;
	size_t len;
	unsigned exact : 1;     /* a single name word: case-sensitive */
	unsigned kept : 1;      /* redactor_keep_words: not replaced alone */
};

struct redactor {
	struct entry *t;
	size_t n, cap;          /* cap: a power of two */
	unsigned char lens[MAX_FROM + 1];       /* 1: some entry has this length */
	size_t maxlen;
	int max_spaces;         /* most spaces in one entry */
	int ncust, ncp, nofficial, nconv;
	int *acct_per_cust;     /* accounts numbered per custodian letter */
	size_t acct_alloc;
};

static int word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

static uint64_t fnv_step(uint64_t h, unsigned char c)
{
	return (h ^ (unsigned char)tolower(c)) * 1099511628211ULL;
}

#define FNV_INIT 14695981039346656037ULL

static uint64_t hash_lower(const char *s, size_t len)
{
	uint64_t h = FNV_INIT;
	for (size_t i = 0; i < len; i++)
		h = fnv_step(h, (unsigned char)s[i]);
	return h;
}

static struct entry *find(const struct redactor *r, uint64_t h, const char *s, size_t len)
{
	if (!r->cap)
		return NULL;
	for (size_t i = h & (r->cap - 1);; i = (i + 1) & (r->cap - 1)) {
		struct entry *e = &r->t[i];
		if (!e->key)
			return NULL;
		if (e->len == len && !strncasecmp(e->key, s, len))
			return e;
	}
}

static void grow(struct redactor *r)
{
	struct entry *old = r->t;
	size_t oldcap = r->cap;

	r->cap = oldcap ? oldcap * 2 : 256;
	r->t = xcalloc(r->cap, sizeof(*r->t));
	for (size_t i = 0; i < oldcap; i++) {
		size_t j;
		if (!old[i].key)
			continue;
		j = hash_lower(old[i].key, old[i].len) & (r->cap - 1);
		while (r->t[j].key)
			j = (j + 1) & (r->cap - 1);
		r->t[j] = old[i];
	}
	free(old);
}

/* Register from -> to (first registration wins). Returns the entry of
 * from, or NULL when from is too short or too long. */
static struct entry *add(struct redactor *r, const char *from, size_t len, const char *to,
			 int exact)
{
	uint64_t h;
	struct entry *e;
	size_t i;
	int spaces = 0;

	while (len && from[len - 1] == ' ')
		len--;
	while (len && *from == ' ') {
		from++;
		len--;
	}
	if (len < MIN_FROM || len > MAX_FROM)
		return NULL;
	h = hash_lower(from, len);
	e = find(r, h, from, len);
	if (e)
		return e;
	if ((r->n + 1) * 2 > r->cap)
		grow(r);
	for (i = h & (r->cap - 1); r->t[i].key; i = (i + 1) & (r->cap - 1))
		;
	e = &r->t[i];
	e->from = xstrndup(from, len);
	e->key = xstrndup(from, len);
	for (size_t k = 0; k < len; k++) {
		e->key[k] = (char)tolower((unsigned char)e->key[k]);
		spaces += from[k] == ' ';
	}
	e->to = xstrdup(to);
	e->len = len;
	e->exact = exact ? 1 : 0;
	r->n++;
	r->lens[len] = 1;
	if (len > r->maxlen)
		r->maxlen = len;
	if (spaces > r->max_spaces)
		r->max_spaces = spaces;
	return e;
}

/* The pseudonym registered for from ("" when from is not registrable).
 * The string, not the entry: a later add may grow the table and move the
 * entries, but never frees their strings. */
static const char *add_str(struct redactor *r, const char *from, const char *to)
{
	const struct entry *e = from ? add(r, from, strlen(from), to, 0) : NULL;
	return e ? e->to : "";
}

static const struct entry *lookup(const struct redactor *r, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	return len ? find(r, hash_lower(s, len), s, len) : NULL;
}

/* Each word (letters, 3 bytes or more) of a name on its own, with its
 * capital. */
static void add_words(struct redactor *r, const char *name, const char *to)
{
	const char *p = name;

	while (p && *p) {
		const char *w;
		while (*p && !word_byte((unsigned char)*p))
			p++;
		w = p;
		while (word_byte((unsigned char)*p))
			p++;
		if (p > w && isupper((unsigned char)*w))
			add(r, w, (size_t)(p - w), to, 1);
	}
}

/* The digits of a phone-like handle ("+1 (555) 010-0001"), and its last 10. */
static void add_digits(struct redactor *r, const char *handle, const char *to)
{
	char d[32];
	size_t n = 0;

	for (const char *p = handle; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof(d))
				return;
			d[n++] = *p;
		} else if (!strchr("+-() .", *p)) {
			return;         /* not a phone number */
		}
	}
	d[n] = '\0';
	if (n >= 7) {
		add(r, d, n, to, 0);
		if (n > 10)
			add(r, d + n - 10, 10, to, 0);
	}
}

struct redactor *redactor_new(void)
{
	return xcalloc(1, sizeof(struct redactor));
}

void redactor_free(struct redactor *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->cap; i++) {
		if (!r->t[i].key)
			continue;
		free(r->t[i].key);
		free(r->t[i].from);
		free(r->t[i].to);
	}
	free(r->t);
	free(r->acct_per_cust);
	free(r);
}

/* "A".."Z", "AA".."AZ", ... for 0, 1, ... */
static void letters(int n, char *out, size_t len)
{
	char tmp[16];
	size_t k = 0;

	n++;
	while (n > 0 && k < sizeof(tmp) - 1) {
		n--;
		tmp[k++] = (char)('A' + n % 26);
		n /= 26;
	}
	for (size_t i = 0; i < k && i + 1 < len; i++)
		out[i] = tmp[k - 1 - i];
	out[k < len ? k : len - 1] = '\0';
}

const char *redactor_custodian(struct redactor *r, const char *id, const char *name)
{
	const char *pseudonym;
	const char *key = id && *id ? id : name;
	struct entry *e;
	char to[32], l[16];

	if (!key || !*key)
		return "";
	e = (struct entry *)lookup(r, key);
	if (e)
		return e->to;
	letters(r->ncust++, l, sizeof(l));
	snprintf(to, sizeof(to), "Custodian %s", l);
	pseudonym = add_str(r, key, to);
	if (name && *name) {
		add_str(r, name, to);
		add_words(r, name, to);
	}
	return pseudonym;
}

const char *redactor_counterpart(struct redactor *r, const char *peer)
{
	const char *pseudonym;
	const struct entry *e;
	char to[32];

	if (!peer || !*peer)
		return "";
	e = lookup(r, peer);
	if (e)
		return e->to;
	snprintf(to, sizeof(to), "Counterpart %d", ++r->ncp);
	pseudonym = add_str(r, peer, to);
	add_digits(r, peer, to);
	if (strchr(peer, ' '))
		add_words(r, peer, to);
	return pseudonym;
}

const char *redactor_account(struct redactor *r, const char *account, const char *custodian_id)
{
	const char *pseudonym;
	const struct entry *e, *ce;
	const char *colon, *handle;
	char to[96], hto[64];
	int applen;

	if (!account || !*account)
		return "";
	e = lookup(r, account);
	if (e)
		return e->to;
	colon = strchr(account, ':');
	handle = colon ? colon + 1 : account;
	applen = colon ? (int)(colon - account) : 0;
	if (applen > 32)
		applen = 32;
	ce = custodian_id ? lookup(r, custodian_id) : NULL;
	if (ce && !strncmp(ce->to, "Custodian ", 10)) {
		const char *l = ce->to + 10;
		int idx = 0;
		for (const char *p = l; *p; p++)
			idx = idx * 26 + (*p - 'A' + 1);
		if ((size_t)idx >= r->acct_alloc) {
			size_t old = r->acct_alloc;
			r->acct_per_cust = xgrow(r->acct_per_cust, (size_t)idx + 1, &r->acct_alloc,
						 sizeof(*r->acct_per_cust));
			memset(r->acct_per_cust + old, 0,
			       (r->acct_alloc - old) * sizeof(*r->acct_per_cust));
		}
		snprintf(hto, sizeof(hto), "%s-%d", l, ++r->acct_per_cust[idx]);
	} else {
		snprintf(hto, sizeof(hto), "%s", redactor_counterpart(r, handle));
	}
	snprintf(to, sizeof(to), "%.*s%s%s", applen, account, colon ? ":" : "", hto);
	pseudonym = add_str(r, account, to);
	add_str(r, handle, hto);
	add_digits(r, handle, hto);
	return pseudonym;
}

const char *redactor_official(struct redactor *r, const char *name)
{
	const char *pseudonym;
	const struct entry *e;
	char to[32];

	if (!name || !*name)
		return "";
	e = lookup(r, name);
	if (e)
		return e->to;
	snprintf(to, sizeof(to), "Official %d", ++r->nofficial);
	pseudonym = add_str(r, name, to);
	add_words(r, name, to);
	return pseudonym;
}

/* The letter's addressee is NARA's official, not one of the agency's: a
 * pseudonym of its own, so that the legend's "Official N" stays the
 * agency's people and the salutation reads "Dear Addressee:". */
const char *redactor_addressee(struct redactor *r, const char *name)
{
	const struct entry *e;
	const char *pseudonym;

	if (!name || !*name)
		return "";
	e = lookup(r, name);
	if (e)
		return e->to;
	pseudonym = add_str(r, name, "Addressee");
	add_words(r, name, "Addressee");
	return pseudonym;
}

const char *redactor_conversation(struct redactor *r, const char *conversation_id)
{
	const char *pseudonym;
	const struct entry *e;
	char to[32];

	if (!conversation_id || !*conversation_id)
		return "";
	e = lookup(r, conversation_id);
	if (e)
		return e->to;
	snprintf(to, sizeof(to), "conv-%d", ++r->nconv);
	pseudonym = add_str(r, conversation_id, to);
	return pseudonym;
}

/* "input-7.txt", or for a side file "input-7-users.csv" (option "users"). */
static const char *file_pseudonym(struct redactor *r, long long input_id, const char *option,
				  const char *path, const char *abs_path)
{
	const char *pseudonym;
	const char *base, *dot;
	const struct entry *e;
	char to[96];

	if (!path || !*path)
		return "";
	e = lookup(r, path);
	if (e)
		return e->to;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || dot == base || strlen(dot) > 8)
		dot = "";
	snprintf(to, sizeof(to), "input-%lld%s%.32s%s", input_id, option ? "-" : "",
		 option ? option : "", dot);
	pseudonym = add_str(r, path, to);
	add_str(r, abs_path, to);
	add_str(r, base, to);
	return pseudonym;
}

const char *redactor_file(struct redactor *r, long long input_id, const char *path,
			  const char *abs_path)
{
	return file_pseudonym(r, input_id, NULL, path, abs_path);
}

const char *redactor_side_file(struct redactor *r, long long input_id, const char *option,
			       const char *path, const char *abs_path)
{
	return file_pseudonym(r, input_id, option, path, abs_path);
}

void redactor_keep_words(struct redactor *r, const char *text)
{
	const char *p = text;

	while (p && *p) {
		const char *w;
		struct entry *e;
		while (*p && !word_byte((unsigned char)*p))
			p++;
		w = p;
		while (word_byte((unsigned char)*p))
			p++;
		if (p - w < MIN_FROM)
			continue;
		e = find(r, hash_lower(w, (size_t)(p - w)), w, (size_t)(p - w));
		if (e && e->exact && !memcmp(e->from, w, e->len))
			e->kept = 1;
	}
}

/* ---- loading from the audit DB ------------------------------------------ */

static int each_row(struct store *st, const char *sql, struct redactor *r,
		    void (*fn)(struct redactor *, struct stmt *))
{
	struct stmt *s = stmt_prepare(st, sql);
	int rc;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1)
		fn(r, s);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

static void on_custodian(struct redactor *r, struct stmt *s)
{
	redactor_custodian(r, stmt_text(s, 0), stmt_text(s, 1));
}

static void on_account(struct redactor *r, struct stmt *s)
{
	redactor_account(r, stmt_text(s, 0), stmt_text(s, 1));
}

static void on_official(struct redactor *r, struct stmt *s)
{
	redactor_official(r, stmt_text(s, 0));
}

static void on_conversation(struct redactor *r, struct stmt *s)
{
	redactor_conversation(r, stmt_text(s, 0));
}

static void on_peer(struct redactor *r, struct stmt *s)
{
	const char *p = stmt_text(s, 0);
	/* an account id of an app ("wickr:x") keeps its app prefix */
	if (p && strchr(p, ':') && !strchr(p, ' ') && !strchr(p, '@'))
		redactor_account(r, p, NULL);
	else
		redactor_counterpart(r, p);
}

static void on_file(struct redactor *r, struct stmt *s)
{
	redactor_file(r, stmt_int(s, 0), stmt_text(s, 1), stmt_text(s, 2));
}

static void on_side_file(struct redactor *r, struct stmt *s)
{
	redactor_side_file(r, stmt_int(s, 0), stmt_text(s, 1), stmt_text(s, 2), stmt_text(s, 3));
}

struct redactor *redactor_load(struct store *st)
{
	struct redactor *r = redactor_new();

	/* order matters: custodians before their accounts, conversation ids
	 * before peers (a room id is both), known handles before peers */
	if (each_row(st, "SELECT custodian_id, max(custodian_name) FROM accounts"
		     " WHERE custodian_id IS NOT NULL AND custodian_id <> ''"
		     " GROUP BY custodian_id ORDER BY custodian_id", r, on_custodian) ||
	    each_row(st, "SELECT DISTINCT custodian_name, NULL FROM accounts"
		     " WHERE (custodian_id IS NULL OR custodian_id = '') AND custodian_name <> ''"
		     " ORDER BY 1", r, on_custodian) ||
	    each_row(st, "SELECT account, custodian_id FROM accounts ORDER BY custodian_id, account",
		     r, on_account) ||
	    each_row(st, "SELECT DISTINCT owner FROM actions WHERE owner <> '' ORDER BY owner",
		     r, on_official) ||
	    each_row(st, "SELECT conversation_id FROM usage WHERE conversation_id <> ''"
		     " UNION SELECT conversation_id FROM store_messages WHERE conversation_id <> ''"
		     " UNION SELECT conversation_id FROM finding_copies WHERE conversation_id <> ''"
		     " ORDER BY 1", r, on_conversation) ||
	    each_row(st, "SELECT peer FROM usage WHERE peer <> ''"
		     " UNION SELECT to_account FROM usage WHERE to_account <> ''"
		     " UNION SELECT account FROM usage WHERE account <> ''"
		     " UNION SELECT account FROM store_messages WHERE account <> ''"
		     " UNION SELECT account FROM findings WHERE account <> ''"
		     " ORDER BY 1", r, on_peer) ||
	    each_row(st, "SELECT input_id, path, abs_path FROM inputs ORDER BY input_id",
		     r, on_file) ||
	    each_row(st, "SELECT f.input_id, f.option, f.path, f.abs_path FROM input_files f"
		     " JOIN inputs i ON i.input_id = f.input_id WHERE f.option IS NOT NULL"
		     " ORDER BY f.input_id, f.option", r, on_side_file)) {
		redactor_free(r);
		return NULL;
	}
	return r;
}

/* ---- the pass ----------------------------------------------------------- */

/* A phone number starting at t[i] (a token start): its length, with its
 * digits in d (NUL-terminated); 0 if there is none. */
static size_t phone_at(const char *t, size_t i, char *d, size_t dlen)
{
	size_t j = i, end = i, nd = 0;
	int glen[8] = { 0 }, groups = 0, in_group = 0, plus = 0;

	if (t[j] == '+') {
		plus = 1;
		j++;
	}
	for (;;) {
		unsigned char c = (unsigned char)t[j];
		if (isdigit(c)) {
			if (nd + 1 >= dlen)
				return 0;
			d[nd++] = (char)c;
			if (!in_group) {
				if (groups == 8)
					return 0;
				groups++;
				in_group = 1;
			}
			glen[groups - 1]++;
			end = ++j;
		} else if (c == '-' || c == '.' || c == '(' || c == ')' ||
			   (c == ' ' && t[j + 1] && (isdigit((unsigned char)t[j + 1]) ||
						     t[j + 1] == '('))) {
			if (j > i && t[j - 1] == c)
				break;
			in_group = 0;
			j++;
		} else {
			break;
		}
	}
	d[nd] = '\0';
	if (nd < 7 || nd > 15 || end == i)
		return 0;
	/* what follows must end the token: not "D-0001x", "555-0100-ab", "3.14" */
	if (word_byte((unsigned char)t[end]) ||
	    ((t[end] == '-' || t[end] == '_' || t[end] == '.' || t[end] == '/') &&
	     word_byte((unsigned char)t[end + 1])))
		return 0;
	if (!plus && nd < 10 && !(groups == 2 && glen[0] == 3 && glen[1] == 4))
		return 0;       /* only 555-0100 is a phone number under 10 digits
				 * (not a ZIP+4 20740-6001) */
	/* dates and date-times: 2019-03-01, 2019-03-01 14 */
	if (groups >= 3 && glen[0] == 4 && glen[1] == 2 && glen[2] == 2)
		return 0;
	if (groups >= 2 && glen[0] == 4 && glen[1] == 4 && !plus)
		return 0;       /* a case id tail, 2019-0001 */
	return end - i;
}

static int local_byte(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* An e-mail address starting at t[i]: its length, or 0. */
static size_t email_at(const char *t, size_t i)
{
	size_t j = i, k, dot = 0;

	while (local_byte((unsigned char)t[j]))
		j++;
	if (j == i || t[j] != '@')
		return 0;
	k = j + 1;
	while (isalnum((unsigned char)t[k]) || t[k] == '-' || t[k] == '.') {
		if (t[k] == '.')
			dot = k;
		k++;
	}
	while (k > j + 1 && t[k - 1] == '.')
		k--;
	if (!dot || dot >= k - 1)
		return 0;
	return k - i;
}

char *redactor_apply(const struct redactor *r, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t hs[MAX_FROM + 1];
	size_t len, i = 0;

	if (!text)
		return xstrdup("");
	if (!r)
		return xstrdup(text);
	len = strlen(text);
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		int start = i == 0 || !word_byte((unsigned char)text[i - 1]);
		const struct entry *hit = NULL;
		size_t n;

		if ((start || !word_byte(c)) && r->n) {
			size_t lim = len - i, m = 0;
			int spaces = 0;
			uint64_t h = FNV_INIT;
			if (lim > r->maxlen)
				lim = r->maxlen;
			while (m < lim) {
				if (text[i + m] == ' ' && ++spaces > r->max_spaces)
					break;
				h = fnv_step(h, (unsigned char)text[i + m]);
				hs[++m] = h;
			}
			for (size_t l = m; l >= MIN_FROM && !hit; l--) {
				const struct entry *e;
				if (!r->lens[l])
					continue;
				e = find(r, hs[l], text + i, l);
				if (!e || e->kept || (e->exact && memcmp(e->from, text + i, l)))
					continue;
				if (word_byte((unsigned char)e->from[0]) && !start)
					continue;
				if (word_byte((unsigned char)e->from[l - 1]) &&
				    word_byte((unsigned char)text[i + l]))
					continue;
				hit = e;
			}
		}
		if (hit) {
			strbuf_addstr(&sb, hit->to);
			i += hit->len;
			continue;
		}
		if (start && (isdigit(c) || c == '+' || c == '(') &&
		    (i == 0 || !strchr("-_./#@", text[i - 1]))) {
			char d[32];
			n = phone_at(text, i, d, sizeof(d));
			if (n) {
				const struct entry *e = lookup(r, d);
				size_t nd = strlen(d);
				if (!e && nd > 10)
					e = lookup(r, d + nd - 10);
				strbuf_addstr(&sb, e ? e->to : "[phone]");
				i += n;
				continue;
			}
		}
		if (start && isalnum(c)) {
			n = email_at(text, i);
			if (n) {
				strbuf_addstr(&sb, "[e-mail]");
				i += n;
				continue;
			}
		}
		strbuf_addch(&sb, c);
		i++;
	}
	return strbuf_detach(&sb);
}

char *redactor_filter(void *r, const char *text)
{
	return redactor_apply(r, text);
}
