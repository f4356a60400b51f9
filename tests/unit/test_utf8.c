/* utf8: strict RFC 3629 validation: overlongs, surrogates, truncated
 * sequences, stray continuation bytes, code points past U+10FFFF; the
 * result is 1 + the offset of the first bad byte. */
#include <string.h>

#include "check.h"
#include "utf8.h"

#define U(s) utf8_check((s), sizeof(s) - 1)

/* ASCII is checked eight bytes at a time: a bad byte or a character at any
   offset of a longer string, and one just past the end, still count. */
static void offsets(void)
{
	char b[40];

	for (size_t at = 0; at < 30; at++) {
		memset(b, 'a', sizeof(b));
		b[at] = '\xFF';
		CHECK(utf8_check(b, 32) == (at < 32 ? at + 1 : 0));
		CHECK(utf8_check(b, at) == 0);          /* the bad byte just past len */
		memcpy(b + at, "\xC3\xA9", 2);
		CHECK(utf8_check(b, 32) == 0);
		CHECK(utf8_check(b, at + 1) == at + 1); /* truncated at len */
	}
}

int main(void)
{
	offsets();
	/* valid */
	CHECK(U("") == 0);
	CHECK(U("plain ascii") == 0);
	CHECK(U("caf\xC3\xA9") == 0);                   /* U+00E9 */
	CHECK(U("\xC2\x80") == 0);                      /* U+0080, smallest 2-byte */
	CHECK(U("\xDF\xBF") == 0);                      /* U+07FF */
	CHECK(U("\xE0\xA0\x80") == 0);                  /* U+0800, smallest 3-byte */
	CHECK(U("\xE2\x82\xAC") == 0);                  /* euro sign */
	CHECK(U("\xED\x9F\xBF") == 0);                  /* U+D7FF, just below surrogates */
	CHECK(U("\xEE\x80\x80") == 0);                  /* U+E000, just above */
	CHECK(U("\xEF\xBB\xBF") == 0);                  /* BOM is valid text */
	CHECK(U("\xEF\xBF\xBF") == 0);                  /* U+FFFF */
	CHECK(U("\xF0\x90\x80\x80") == 0);              /* U+10000 */
	CHECK(U("\xF0\x9F\x93\xB1") == 0);              /* mobile phone emoji */
	CHECK(U("\xF4\x8F\xBF\xBF") == 0);              /* U+10FFFF, the last */
	CHECK(U("\xE2\x80\x8E" "a\xE2\x80\xAF" "b") == 0);  /* LRM, narrow NBSP */
	CHECK(utf8_check("a\0b", 3) == 0);              /* NUL is valid UTF-8 */

	/* overlongs */
	CHECK(U("\xC0\x80") == 1);                      /* NUL as 2 bytes */
	CHECK(U("\xC1\xBF") == 1);
	CHECK(U("\xE0\x80\x80") == 1);
	CHECK(U("\xE0\x9F\xBF") == 1);                  /* U+07FF in 3 bytes */
	CHECK(U("\xF0\x80\x80\x80") == 1);
	CHECK(U("\xF0\x8F\xBF\xBF") == 1);              /* U+FFFF in 4 bytes */
	CHECK(U("ab\xC0\xAF") == 3);                    /* '/' overlong, at offset 2 */

	/* surrogates U+D800..U+DFFF (CESU-8) */
	CHECK(U("\xED\xA0\x80") == 1);
	CHECK(U("\xED\xBF\xBF") == 1);
	CHECK(U("x\xED\xA0\xBD\xED\xB3\xB1") == 2);     /* a surrogate pair */

	/* past U+10FFFF, and bytes that never occur */
	CHECK(U("\xF4\x90\x80\x80") == 1);
	CHECK(U("\xF5\x80\x80\x80") == 1);
	CHECK(U("\xF8\x88\x80\x80\x80") == 1);          /* old 5-byte form */
	CHECK(U("\xFC\x84\x80\x80\x80\x80") == 1);
	CHECK(U("\xFE") == 1);
	CHECK(U("\xFF") == 1);

	/* truncated sequences */
	CHECK(U("\xC3") == 1);
	CHECK(U("abc\xC3") == 4);
	CHECK(U("\xE2\x82") == 1);
	CHECK(U("\xF0\x9F\x93") == 1);
	CHECK(U("\xE2\x82" "a") == 1);                  /* cut short by ASCII */
	CHECK(U("\xF0\x9F" "ab") == 1);
	CHECK(U("ok \xE2\x82\xAC then \xE2\x82") == 13);

	/* stray continuation bytes */
	CHECK(U("\x80") == 1);
	CHECK(U("a\xBF") == 2);
	CHECK(U("\xC3\xA9\xA9") == 3);                  /* one too many */

	/* Latin-1 text is not UTF-8 */
	CHECK(U("caf\xE9") == 4);
	CHECK(U("caf\xE9 au lait") == 4);

	/* the length is respected: a valid prefix of a longer buffer */
	CHECK(utf8_check("\xC3\xA9\xFF", 2) == 0);
	CHECK(utf8_check("\xC3\xA9", 1) == 1);
	return CHECK_DONE();
}
