/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the fuzz targets share: one council file in a temporary folder
 * that every input writes to, and JSON parsing of the raw bytes. Built
 * both as libFuzzer targets (-Dfuzzing=true, clang) and with replay.c as
 * tests that run the corpus (suite "fuzz"). */

#include <stddef.h>
#include <stdint.h>

#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

int        LLVMFuzzerTestOneInput (const uint8_t *data,
                                   size_t         size);

/* The shared store; made on first use (and afresh every few thousand
 * inputs, so a long run does not grow one file without end). Warnings and
 * criticals abort, so the fuzzer reports them. */
BbStore   *fuzz_store             (void);

/* Runs what the writes scheduled on the main context (index flushes). */
void       fuzz_idle              (void);

/* @data as JSON, or NULL when it is not JSON (the caller gives up):
 * bb_sync_parse_json(), as the endpoint and the replicator read what a
 * peer sends, so the targets see only what they would see. */
JsonNode  *fuzz_parse_json        (const uint8_t *data,
                                   size_t         size);

G_END_DECLS
