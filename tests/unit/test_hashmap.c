/* hashmap: integer keys (0 and negatives included) through growth, the set
 * use, iteration, and string keys that collide on purpose (one hash for
 * every key) staying apart. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "hashmap.h"

static uint64_t same_hash(const char *s)
{
	(void)s;
	return 42;
}

int main(void)
{
	struct hashmap m = HASHMAP_INIT;
	int is_new;

	CHECK(hashmap_get(&m, 0) == NULL);
	for (long long k = -500; k < 20000; k++) {
		uint64_t *v = hashmap_slot(&m, (uint64_t)k, &is_new);
		CHECK(is_new);
		CHECK(*v == 0);
		*v = (uint64_t)(k * 3);
	}
	CHECK(m.n == 20500);
	int all = 1;
	for (long long k = -500; k < 20000; k++) {
		const uint64_t *v = hashmap_get(&m, (uint64_t)k);
		all &= v && *v == (uint64_t)(k * 3);
	}
	CHECK(all);
	CHECK(hashmap_get(&m, 20000) == NULL);
	CHECK(*hashmap_slot(&m, 0, &is_new) == 0 && !is_new);
	size_t pos = 0, seen = 0;
	uint64_t key, val, sum = 0;
	while (hashmap_next(&m, &pos, &key, &val)) {
		seen++;
		sum += val - key * 3;
	}
	CHECK(seen == 20500);
	CHECK(sum == 0);
	hashmap_clear(&m);
	CHECK(m.n == 0 && hashmap_get(&m, 5) == NULL);

	/* set use */
	CHECK(hashmap_add(&m, 7) == 1);
	CHECK(hashmap_add(&m, 7) == 0);
	CHECK(hashmap_add(&m, 0) == 1);
	CHECK(m.n == 2);
	hashmap_clear(&m);

	/* strings, normal hash */
	struct strmap s = STRMAP_INIT;
	char key_s[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(key_s, sizeof(key_s), "acct:%d", i);
		*strmap_slot(&s, key_s, &is_new) = (size_t)i;
		CHECK(is_new);
	}
	all = 1;
	for (int i = 0; i < 5000; i++) {
		snprintf(key_s, sizeof(key_s), "acct:%d", i);
		const size_t *v = strmap_get(&s, key_s);
		all &= v && *v == (size_t)i;
	}
	CHECK(all);
	CHECK(strmap_get(&s, "acct:5000") == NULL);
	CHECK(strmap_get(&s, NULL) == NULL);
	CHECK(*strmap_slot(&s, "acct:17", &is_new) == 17 && !is_new);
	/* with the caller's hash (the analysis's reader computes it); a
	   prefetch changes nothing */
	strmap_prefetch(&s, hash_str64("acct:42"), 0);
	strmap_prefetch(&s, hash_str64("acct:42"), 1);
	strmap_prefetch(&s, 0, 1);
	CHECK(strmap_get_h(&s, "acct:42", hash_str64("acct:42")) &&
	      *strmap_get_h(&s, "acct:42", hash_str64("acct:42")) == 42);
	CHECK(strmap_get_h(&s, "acct:5000", hash_str64("acct:5000")) == NULL);
	CHECK(strmap_get_h(&s, "acct:43", hash_str64("acct:42")) == NULL);
	CHECK(strmap_get_h(&s, NULL, 0) == NULL);
	strmap_clear(&s);
	CHECK(strmap_get_h(&s, "acct:1", hash_str64("acct:1")) == NULL);
	strmap_prefetch(&s, hash_str64("acct:1"), 1);
	CHECK(strmap_get(&s, "acct:1") == NULL);

	/* strings as a set */
	CHECK(strmap_add(&s, "conv-1") == 1);
	CHECK(strmap_add(&s, "conv-1") == 0);
	CHECK(strmap_add(&s, "conv-2") == 1);
	CHECK(s.n == 2 && !strcmp(strmap_key(&s, 1), "conv-2"));
	strmap_clear(&s);

	/* every key has the same hash: still exact */
	struct strmap c = STRMAP_INIT;
	c.hash = same_hash;
	*strmap_slot(&c, "wa-1", &is_new) = 1;
	*strmap_slot(&c, "wa-2", &is_new) = 2;
	CHECK(is_new);
	*strmap_slot(&c, "wa-3", &is_new) = 3;
	CHECK(c.n == 3);
	CHECK(*strmap_get(&c, "wa-1") == 1);
	CHECK(*strmap_get(&c, "wa-2") == 2);
	CHECK(*strmap_get(&c, "wa-3") == 3);
	CHECK(strmap_get(&c, "wa-4") == NULL);
	CHECK(*strmap_get_h(&c, "wa-2", same_hash("wa-2")) == 2);
	CHECK(strmap_get_h(&c, "wa-4", same_hash("wa-4")) == NULL);
	CHECK(*strmap_slot(&c, "wa-2", &is_new) == 2 && !is_new);
	strmap_clear(&c);

	CHECK(hash_str64("") != 0);
	CHECK(hash_str64("a") != hash_str64("b"));
	return CHECK_DONE();
}
