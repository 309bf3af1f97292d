/* cmocka needs these headers in this order. */
#ifndef TEST_CM_H
#define TEST_CM_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#endif
