/* pdf fixes for libharu 2.3.0 defects on our path, made in its object
 * tree, and the deterministic file ID (see the notes in doc.c). */
#include "pdf_int.h"

#include <stdio.h>
#include <string.h>

#include <hpdf_encrypt.h>       /* HPDF_MD5* */

/* libharu 2.3.0 bugs on our path, fixed in its object tree (the structs
 * are public in its headers):
 * - HPDF_PDFA_AppendOutputIntents names the key "DestOutputProfile "
 *   (trailing space, written /DestOutputProfile#20): the intent has no
 *   profile as far as PDF/A is concerned;
 * - the XMP stream gets /SubType /XML instead of /Subtype;
 * - a UTF-8 font's /ToUnicode is a copy of the encoding CMap
 *   (begincidrange), which text extraction cannot use. */
static void rename_key(HPDF_Dict d, const char *from, const char *to)
{
	if (!d || strlen(to) > strlen(from))
		return;
	for (HPDF_UINT i = 0; i < d->list->count; i++) {
		HPDF_DictElement e = HPDF_List_ItemAt(d->list, i);
		if (e && strcmp(e->key, from) == 0)
			memcpy(e->key, to, strlen(to) + 1);
	}
}

static int has_key(HPDF_Dict d, const char *key)
{
	for (HPDF_UINT i = 0; i < d->list->count; i++) {
		HPDF_DictElement e = HPDF_List_ItemAt(d->list, i);
		if (e && strcmp(e->key, key) == 0)
			return 1;
	}
	return 0;
}

void pdfi_fix_output_intent(HPDF_Doc pdf)
{
	HPDF_Array intents = HPDF_Dict_GetItem(pdf->catalog, "OutputIntents",
					       HPDF_OCLASS_ARRAY);

	if (intents)
		rename_key(HPDF_Array_GetItem(intents, 0, HPDF_OCLASS_DICT),
			   "DestOutputProfile ", "DestOutputProfile");
}

void pdfi_fix_metadata(HPDF_Doc pdf)
{
	rename_key(HPDF_Dict_GetItem(pdf->catalog, "Metadata", HPDF_OCLASS_DICT),
		   "SubType", "Subtype");
}

/* Our codes are Unicode BMP values (UTF-8 encoder, Identity-H), so
 * ToUnicode maps each code to itself. Only the code points drawn are
 * listed (a full identity map makes readers parse 65536 entries per page),
 * as bfrange runs that stay within one high byte, 100 to a block. Called
 * again before every save; rewrites the stream. */
static int used_bit(const unsigned char *used, unsigned cp)
{
	return cp < 65536 && (used[cp >> 3] >> (cp & 7)) & 1;
}

void pdfi_fix_to_unicode(HPDF_Font font, const unsigned char *used)
{
	static const char *const drop[] = {
		"CIDSystemInfo", "CMapName", "Type", "WMode", "UseCMap"
	};
	static const char head[] =
		"/CIDInit /ProcSet findresource begin\n"
		"12 dict begin\n"
		"begincmap\n"
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
		"/Supplement 0 >> def\n"
		"/CMapName /Adobe-Identity-UCS def\n"
		"/CMapType 2 def\n"
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
	static const char tail[] =
		"endcmap\n"
		"CMapName currentdict /CMap defineresource pop\n"
		"end\nend\n";
	HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	unsigned lo[100], hi[100];
	unsigned cp = 0;
	int n = 0;
	char line[64];

	if (!tu || !tu->stream)
		return;
	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		if (has_key(tu, drop[i]))
			HPDF_Dict_RemoveElement(tu, drop[i]);
	HPDF_MemStream_FreeData(tu->stream);
	HPDF_Stream_WriteStr(tu->stream, head);
	for (;;) {
		while (cp < 65536 && !used_bit(used, cp))
			cp++;
		if (cp < 65536) {
			lo[n] = cp;
			while (used_bit(used, cp + 1) && ((cp + 1) & 0xFF) != 0)
				cp++;
			hi[n++] = cp++;
		}
		if (n > 0 && (n == 100 || cp >= 65536)) {
			snprintf(line, sizeof(line), "%d beginbfrange\n", n);
			HPDF_Stream_WriteStr(tu->stream, line);
			for (int i = 0; i < n; i++) {
				snprintf(line, sizeof(line), "<%04X> <%04X> <%04X>\n",
					 lo[i], hi[i], lo[i]);
				HPDF_Stream_WriteStr(tu->stream, line);
			}
			HPDF_Stream_WriteStr(tu->stream, "endbfrange\n");
			n = 0;
		}
		if (cp >= 65536)
			break;
	}
	HPDF_Stream_WriteStr(tu->stream, tail);
}

/* Trailer /ID placeholder: two 16-byte zero strings; pdf_doc_save puts
 * the real value in. */
void pdfi_seed_id(HPDF_Doc pdf)
{
	static const HPDF_BYTE zero[HPDF_MD5_KEY_LEN];
	HPDF_Array id = HPDF_Array_New(pdf->mmgr);

	if (!id)
		return;
	if (HPDF_Dict_Add(pdf->trailer, "ID", id) != HPDF_OK)
		return;
	HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)zero,
					   HPDF_MD5_KEY_LEN));
	HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)zero,
					   HPDF_MD5_KEY_LEN));
}

static const unsigned char *find_last(const unsigned char *buf, size_t len,
				      const char *pat)
{
	size_t n = strlen(pat);

	for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
		if (memcmp(buf + i, pat, n) == 0)
			return buf + i;
	return NULL;
}

/* p at "  <" followed by ID_HEX digits and '>': the first digit, else NULL. */
static unsigned char *skip_to_hex(unsigned char *p, const unsigned char *end)
{
	while (p < end && *p == ' ')
		p++;
	if (end - p < ID_HEX + 2 || *p != '<' || p[ID_HEX + 1] != '>')
		return NULL;
	return p + 1;
}

/* Replace the placeholder /ID [ <0..0> <0..0> ] in the trailer with an MD5
 * of the rest of the file and the document date. Same length, so the
 * xref offsets stay right. */
int pdfi_patch_id(struct pdf_doc *doc, unsigned char *buf, size_t len)
{
	static const char hexd[] = "0123456789ABCDEF";
	const unsigned char *tr = find_last(buf, len, "trailer");
	const unsigned char *id;
	unsigned char *a, *b;
	HPDF_MD5_CTX ctx;
	HPDF_BYTE md[HPDF_MD5_KEY_LEN];
	char date[32];

	if (!tr)
		return -1;
	id = find_last(tr, len - (size_t)(tr - buf), "/ID [");
	if (!id)
		return -1;
	a = skip_to_hex(buf + (id - buf) + 5, buf + len);
	b = a ? skip_to_hex(a + ID_HEX + 1, buf + len) : NULL;
	if (!b)
		return -1;
	for (size_t i = 0; i < ID_HEX; i++)
		if (a[i] != '0' || b[i] != '0')
			return -1;
	snprintf(date, sizeof(date), "%lld", doc->date);
	HPDF_MD5Init(&ctx);
	HPDF_MD5Update(&ctx, (const HPDF_BYTE *)"udaudit-pdf-id\n", 15);
	HPDF_MD5Update(&ctx, (const HPDF_BYTE *)date, (HPDF_UINT32)strlen(date));
	HPDF_MD5Update(&ctx, buf, (HPDF_UINT32)(a - buf));
	HPDF_MD5Update(&ctx, b + ID_HEX, (HPDF_UINT32)(len - (size_t)(b + ID_HEX - buf)));
	HPDF_MD5Final(md, &ctx);
	for (size_t i = 0; i < HPDF_MD5_KEY_LEN; i++) {
		a[2 * i] = b[2 * i] = (unsigned char)hexd[md[i] >> 4];
		a[2 * i + 1] = b[2 * i + 1] = (unsigned char)hexd[md[i] & 15];
	}
	return 0;
}
