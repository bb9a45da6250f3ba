/* ext_metadata: the run-time half of RFC 5490's metadata, metadataexists,
 * servermetadata and servermetadataexists (SIEVE_TEST_METADATA and
 * SIEVE_TEST_METADATAEXISTS records, operands in abi.h). Values come from
 * sieve_settings.mailboxes->metadata; without it every test is false.
 */
#ifndef SIEVE_RT_EXT_METADATA_H
#define SIEVE_RT_EXT_METADATA_H

#include "exec.h"

int32_t rt_test_metadata(rt_run *r, const rt_ptest *t);
int32_t rt_test_metadataexists(rt_run *r, const rt_ptest *t);

#endif
