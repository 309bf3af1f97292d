/* expat with no DOCTYPE, no entity and zeroed buffers, for AWS's XML. */
#include "aws/xml_guard.h"
#include "awssts/secret.h"
#include "util/error_set.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void awssts_xml_refuse(struct awssts_xml *x, const char *why)
{
    if (x->fault[0] == '\0')
        snprintf(x->fault, sizeof(x->fault), "%s", why);
    XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL on_doctype(void *state, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    awssts_xml_refuse(state, "a DOCTYPE is not allowed");
}

static void XMLCALL on_entity_decl(void *state, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *sysid, const XML_Char *pubid,
                                   const XML_Char *notation)
{
    (void)name;
    (void)is_param;
    (void)value;
    (void)value_len;
    (void)base;
    (void)sysid;
    (void)pubid;
    (void)notation;
    awssts_xml_refuse(state, "an entity declaration is not allowed");
}

static int XMLCALL on_external_entity(XML_Parser p, const XML_Char *ctx, const XML_Char *base,
                                      const XML_Char *sysid, const XML_Char *pubid)
{
    (void)p;
    (void)ctx;
    (void)base;
    (void)sysid;
    (void)pubid;
    return XML_STATUS_ERROR;
}

/* expat's buffers may hold a secret key and token: zeroed on release. */
struct alloc_hdr {
    size_t size;
    size_t pad; /* keeps the payload 16-byte aligned */
};

static void *zalloc(size_t n)
{
    if (n > (size_t)-1 - sizeof(struct alloc_hdr))
        return NULL;
    struct alloc_hdr *h = malloc(sizeof(*h) + n);
    if (h == NULL)
        return NULL;
    h->size = n;
    return h + 1;
}

static void zfree(void *p)
{
    if (p == NULL)
        return;
    struct alloc_hdr *h = (struct alloc_hdr *)p - 1;
    awssts_memzero(p, h->size);
    free(h);
}

static void *zrealloc(void *p, size_t n)
{
    if (p == NULL)
        return zalloc(n);
    struct alloc_hdr *h = (struct alloc_hdr *)p - 1;
    void *q = zalloc(n);
    if (q == NULL)
        return NULL;
    memcpy(q, p, h->size < n ? h->size : n);
    zfree(p);
    return q;
}

static const XML_Memory_Handling_Suite zeroing_memory = {zalloc, zrealloc, zfree};

bool awssts_xml_open(struct awssts_xml *x, void *state)
{
    x->fault[0] = '\0';
    x->parser = XML_ParserCreate_MM(NULL, &zeroing_memory, NULL);
    if (x->parser == NULL)
        return false;
    XML_SetUserData(x->parser, state);
    XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);
    XML_SetEntityDeclHandler(x->parser, on_entity_decl);
    XML_SetExternalEntityRefHandler(x->parser, on_external_entity);
    XML_SetParamEntityParsing(x->parser, XML_PARAM_ENTITY_PARSING_NEVER);
    return true;
}

awssts_err awssts_xml_parse(struct awssts_xml *x, const char *body, size_t len,
                            struct awssts_error_info *ei)
{
    if (len > INT_MAX)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "response too large");
    if (XML_Parse(x->parser, body, (int)len, XML_TRUE) == XML_STATUS_OK)
        return AWSSTS_OK;
    if (x->fault[0] != '\0')
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "XML refused: %s", x->fault);
    return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "XML error at line %lu: %s",
                            (unsigned long)XML_GetCurrentLineNumber(x->parser),
                            XML_ErrorString(XML_GetErrorCode(x->parser)));
}

void awssts_xml_close(struct awssts_xml *x)
{
    if (x->parser != NULL)
        XML_ParserFree(x->parser);
    x->parser = NULL;
}
