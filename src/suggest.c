/* suggest: case-insensitive lookup and nearest-word hints. */
#include "suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int word_index(const char *s, const char *const *words)
{
	for (int i = 0; s && words[i]; i++)
		if (!strcasecmp(s, words[i]))
			return i;
	return -1;
}

/* Edit distance (Levenshtein, with a swap of two neighbours counting as
 * one edit: "snet" is one from "sent"), ignoring ASCII case; words longer
 * than 63 bytes are never near anything (hints are for typos). */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	static _Thread_local int d[64][64];

	if (la > 63 || lb > 63)
		return 1000;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			int best = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

int word_nearest(const char *s, const char *const *words)
{
	int best = -1, best_d = 0;
	size_t len = strlen(s);
	int limit = len <= 4 ? 1 : (int)(len + 2) / 4;

	for (int i = 0; words[i]; i++) {
		int d = distance(s, words[i]);
		/* a prefix or suffix ("device" for "device_id") is a good hint too */
		if (d > limit && len >= 3 && (strncasecmp(words[i], s, len) == 0 ||
					     strncasecmp(s, words[i], strlen(words[i])) == 0))
			d = limit;
		if (d <= limit && (best < 0 || d < best_d)) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

void words_join(const char *const *words, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; words[i] && n < size; i++) {
		const char *sep = !i ? "" : words[i + 1] ? ", " : " or ";
		int w = snprintf(out + n, size - n, "%s%s", sep, words[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

void words_hint(const char *s, const char *const *words, char *out, size_t size)
{
	char list[400];
	int near = word_nearest(s, words);

	words_join(words, list, sizeof(list));
	if (near >= 0)
		snprintf(out, size, " (expected %s; did you mean '%s'?)", list, words[near]);
	else
		snprintf(out, size, " (expected %s)", list);
}
