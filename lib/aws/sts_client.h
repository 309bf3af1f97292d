/* Internal: the client object behind the public STS API. */
#ifndef AWSSTS_STS_CLIENT_H
#define AWSSTS_STS_CLIENT_H

#include "awssts/endpoint.h"
#include "awssts/sts.h"
#include "aws/transport.h"

struct awssts_client {
    struct transport *transport; /* settings, connection, deadline, retries */
    struct awssts_endpoint endpoint;
};

/* The client's transport, for requests to other services (and unsigned
 * ones) that share its settings, connection and deadline. */
struct transport *awssts_client_transport(struct awssts_client *c);

#endif
