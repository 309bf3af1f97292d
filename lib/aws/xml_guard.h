/*
 * Internal: expat set up once for every XML answer from AWS (STS, IAM):
 * no DOCTYPE, no entity of any kind (so no "billion laughs" and no
 * external file), and every buffer expat used zeroed when it is released,
 * since an STS answer carries a secret key and a token. A parser's state
 * begins with a struct awssts_xml, so that the guard's handlers, which get
 * the caller's state, can stop the parse and say why.
 */
#ifndef AWSSTS_XML_GUARD_H
#define AWSSTS_XML_GUARD_H

#include <expat.h>
#include <stdbool.h>
#include <stddef.h>

#include "awssts/error.h"

struct awssts_xml {
    XML_Parser parser;
    char fault[128]; /* why the parse was stopped; "" when expat failed on its own */
};

/* A guarded parser whose handlers get state, which begins with x. */
bool awssts_xml_open(struct awssts_xml *x, void *state);

/* Stops the parse; the first reason given is the one reported. */
void awssts_xml_refuse(struct awssts_xml *x, const char *why);

/* Parses body whole. AWSSTS_E_BAD_RESPONSE with "XML refused: WHY",
 * "XML error at line N: ..." or, for a body too large for expat,
 * "response too large". */
awssts_err awssts_xml_parse(struct awssts_xml *x, const char *body, size_t len,
                            struct awssts_error_info *ei);

void awssts_xml_close(struct awssts_xml *x);

#endif
