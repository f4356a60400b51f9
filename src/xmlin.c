/* xmlin: libxml2 behind a small reading API, with the options that keep a
 * hostile document harmless. */
#include "xmlin.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "xalloc.h"

#define X(n) ((xmlNode *)(n))

/* No network, no DTD loading or validation, entities left as references
 * (XML_PARSE_NOENT off), no messages on stderr, libxml2's size limits kept
 * (XML_PARSE_HUGE off). */
#define XMLIN_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

static char errbuf[256];

/* A DOCTYPE in the prolog (before the root element), with its line: it is
 * refused before libxml2 reads it. */
static int doctype_line(const char *buf, size_t len, unsigned long *line)
{
	unsigned long l = 1;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			l++;
			continue;
		}
		if (buf[i] != '<')
			continue;
		if (len - i >= 9 && !memcmp(buf + i, "<!DOCTYPE", 9)) {
			*line = l;
			return 1;
		}
		if (len - i >= 2 && (buf[i + 1] == '?' || buf[i + 1] == '!')) {
			const char *end = buf[i + 1] == '?' ? "?>" : "-->";
			const char *e = memmem(buf + i, len - i, end, strlen(end));
			if (!e)
				return 0;       /* let the parser say what is wrong */
			for (; buf + i < e; i++)
				l += buf[i] == '\n';
			continue;
		}
		return 0;               /* the root element */
	}
	return 0;
}

struct xmlin *xmlin_parse(const char *buf, size_t len, unsigned long *line, const char **err)
{
	xmlParserCtxtPtr ctx;
	xmlDocPtr doc;

	*line = 0;
	*err = errbuf;
	if (len > XMLIN_MAX_DOC || len > (size_t)INT_MAX) {
		snprintf(errbuf, sizeof(errbuf), "document larger than %lu bytes", XMLIN_MAX_DOC);
		return NULL;
	}
	if (doctype_line(buf, len, line)) {
		snprintf(errbuf, sizeof(errbuf), "a DOCTYPE is not accepted");
		return NULL;
	}
	ctx = xmlNewParserCtxt();
	if (!ctx) {
		snprintf(errbuf, sizeof(errbuf), "out of memory");
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctx, buf, (int)len, NULL, NULL, XMLIN_OPTS);
	if (!doc || !ctx->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctx);
		size_t n;
		snprintf(errbuf, sizeof(errbuf), "%s", e && e->message ? e->message : "not well-formed");
		n = strlen(errbuf);
		while (n && (errbuf[n - 1] == '\n' || errbuf[n - 1] == ' '))
			errbuf[--n] = '\0';
		*line = e && e->line > 0 ? (unsigned long)e->line : 0;
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctx);
		return NULL;
	}
	xmlFreeParserCtxt(ctx);
	if (doc->intSubset || doc->extSubset) {
		snprintf(errbuf, sizeof(errbuf), "a DOCTYPE is not accepted");
		xmlFreeDoc(doc);
		return NULL;
	}
	if (!xmlDocGetRootElement(doc)) {
		snprintf(errbuf, sizeof(errbuf), "no root element");
		xmlFreeDoc(doc);
		return NULL;
	}
	return (struct xmlin *)doc;
}

struct xmlin *xmlin_parse_file(const char *path, unsigned long *line, const char **err)
{
	FILE *fp = fopen(path, "rb");
	struct xmlin *doc;
	char *buf;
	long n;

	*line = 0;
	*err = errbuf;
	if (!fp) {
		snprintf(errbuf, sizeof(errbuf), "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		snprintf(errbuf, sizeof(errbuf), "cannot read: %s", strerror(errno));
		fclose(fp);
		return NULL;
	}
	if ((unsigned long)n > XMLIN_MAX_DOC) {
		snprintf(errbuf, sizeof(errbuf), "document larger than %lu bytes", XMLIN_MAX_DOC);
		fclose(fp);
		return NULL;
	}
	buf = xmalloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		snprintf(errbuf, sizeof(errbuf), "cannot read: %s", strerror(errno));
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	doc = xmlin_parse(buf, (size_t)n, line, err);
	free(buf);
	return doc;
}

void xmlin_free(struct xmlin *doc)
{
	if (doc)
		xmlFreeDoc((xmlDocPtr)doc);
}

const struct xml_node *xmlin_root(const struct xmlin *doc)
{
	return (const struct xml_node *)xmlDocGetRootElement((xmlDocPtr)doc);
}

const char *xml_name(const struct xml_node *n)
{
	return n ? (const char *)X(n)->name : NULL;
}

static const struct xml_node *element_from(xmlNode *c, const char *name)
{
	for (; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (!name || !strcmp((const char *)c->name, name)))
			return (const struct xml_node *)c;
	return NULL;
}

const struct xml_node *xml_child(const struct xml_node *n, const char *name)
{
	return n ? element_from(X(n)->children, name) : NULL;
}

const struct xml_node *xml_next(const struct xml_node *n)
{
	return n ? element_from(X(n)->next, NULL) : NULL;
}

const char *xml_text(const struct xml_node *node, char *buf, size_t n)
{
	size_t k = 0;

	if (!n)
		return "";
	buf[0] = '\0';
	if (!node)
		return buf;
	for (xmlNode *c = X(node)->children; c; c = c->next) {
		size_t len;
		if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
			continue;
		len = strlen((const char *)c->content);
		if (len > n - 1 - k)
			len = n - 1 - k;
		memcpy(buf + k, c->content, len);
		k += len;
	}
	buf[k] = '\0';
	return buf;
}

unsigned long xml_line(const struct xml_node *n)
{
	long l = n ? xmlGetLineNo(X(n)) : 0;
	return l > 0 ? (unsigned long)l : 0;
}
