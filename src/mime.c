/* mime: GMime 3.0 for the EML layer of RSMF files. The message is parsed
 * from memory, its parts walked, the attachment decoded (base64 or
 * quoted-printable) into memory with a cap; nothing touches the disk. */
#include "mime.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "diag.h"
#include "xalloc.h"

int mime_looks_like(const char *buf, size_t len)
{
	size_t i = 0;
	int lines = 0;

	/* header lines "Name: value" (or folded continuations) up to a blank line */
	while (i < len && lines < 200) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
		const char *l = buf + i;
		if (n && l[n - 1] == '\r')
			n--;
		if (!n)
			break;
		if (!strncasecmp(l, "MIME-Version:", 13) || !strncasecmp(l, "Content-Type:", 13))
			return 1;
		if (l[0] != ' ' && l[0] != '\t') {
			const char *colon = memchr(l, ':', n);
			if (!colon || colon == l)
				return 0;
			for (const char *p = l; p < colon; p++)
				if (*p <= ' ' || *p > '~')
					return 0;
		}
		lines++;
		if (!nl)
			break;
		i += (size_t)(nl - (buf + i)) + 1;
	}
	return 0;
}

static void init_once(void)
{
	static int done;

	if (!done) {
		g_mime_init();
		done = 1;
	}
}

/* The part's name: its Content-Disposition filename, else the
 * Content-Type's name parameter (GMime looks at both). */
static int matches(GMimeObject *obj, const char *want, int loose)
{
	const char *fname;
	GMimeContentType *ct;

	if (!GMIME_IS_PART(obj))
		return 0;
	fname = g_mime_part_get_filename(GMIME_PART(obj));
	if (fname && !strcasecmp(fname, want))
		return 1;
	if (!loose)
		return 0;
	if (fname && strlen(fname) > 4 && !strcasecmp(fname + strlen(fname) - 4, ".zip"))
		return 1;
	ct = g_mime_object_get_content_type(obj);
	return ct && g_mime_content_type_is_type(ct, "application", "zip");
}

static GMimeObject *find_part(GMimeObject *root, const char *want, int loose)
{
	GMimePartIter *it = g_mime_part_iter_new(root);
	GMimeObject *found = NULL;

	if (g_mime_part_iter_is_valid(it)) {
		do {
			GMimeObject *cur = g_mime_part_iter_get_current(it);
			if (matches(cur, want, loose)) {
				found = cur;
				break;
			}
		} while (g_mime_part_iter_next(it));
	}
	g_mime_part_iter_free(it);
	if (!found && matches(root, want, loose))
		found = root;   /* a message that is only the attachment */
	return found;
}

int mime_attachment(const char *buf, size_t len, const char *name, const char *want,
		    char **out, size_t *outlen, const char *header, char **header_value)
{
	struct src_loc at = { name, 0, 0 };
	GMimeStream *in, *mem = NULL;
	GMimeParser *parser;
	GMimeMessage *msg;
	GMimeObject *part;
	GMimeDataWrapper *content;
	GByteArray *bytes;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	if (header_value)
		*header_value = NULL;
	init_once();
	in = g_mime_stream_mem_new_with_buffer(buf, len);
	parser = g_mime_parser_new_with_stream(in);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(in);
	if (!msg)
		return diag_error(&at, "not a readable MIME message");
	if (header && header_value) {
		const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), header);
		if (v)
			*header_value = xstrdup(v);
	}
	part = g_mime_message_get_mime_part(msg) ?
	       find_part(g_mime_message_get_mime_part(msg), want, 0) : NULL;
	if (!part && g_mime_message_get_mime_part(msg))
		part = find_part(g_mime_message_get_mime_part(msg), want, 1);
	if (!part) {
		rc = 1;
		diag_error(&at, "no attachment '%s' (or other .zip) in the message", want);
		goto done;
	}
	content = g_mime_part_get_content(GMIME_PART(part));
	if (!content) {
		diag_error(&at, "attachment '%s' is empty", want);
		goto done;
	}
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(content, mem) < 0) {
		diag_error(&at, "attachment '%s' cannot be decoded", want);
		goto done;
	}
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (bytes->len > MIME_MAX_PART) {
		diag_error(&at, "attachment larger than %lu bytes", MIME_MAX_PART);
		goto done;
	}
	*out = xmalloc(bytes->len + 1);
	if (bytes->len)         /* an empty part's data is NULL */
		memcpy(*out, bytes->data, bytes->len);
	(*out)[bytes->len] = '\0';
	*outlen = bytes->len;
	rc = 0;
done:
	if (mem)
		g_object_unref(mem);
	g_object_unref(msg);
	if (rc && header_value) {
		free(*header_value);
		*header_value = NULL;
	}
	return rc;
}
