/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * sitlogd's control interface io.sitlog.Sitlog1 (io.sitlog.Sitlog1.xml), shared by sitlogd and
 * sitlog: the interface itself is gdbus-codegen's SitlogSitlog1 (skeleton and proxy, from the
 * XML); the names the XML cannot carry are here, once.
 */

#include "sitlog-dbus-generated.h"

/* The well-known name on the session bus, and the one object sitlogd exports. */
#define SITLOG_DBUS_NAME "io.sitlog.Sitlog1"
#define SITLOG_DBUS_PATH "/io/sitlog/Sitlog1"

/* Snooze without an open bout: there is no prompt to move. */
#define SITLOG_DBUS_ERROR_NO_BOUT SITLOG_DBUS_NAME ".Error.NoBout"

/* A write the daemon could not make (Prune: the database fails). */
#define SITLOG_DBUS_ERROR_FAILED SITLOG_DBUS_NAME ".Error.Failed"
