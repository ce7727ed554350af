/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The running sitlogd, reached over its control interface (io.sitlog.Sitlog1), and whether it
 * writes the database a command names: compared by device and inode, never by the path's text.
 */

#include <gio/gio.h>
#include <stdbool.h>

#include "sitlog-dbus.h"

#define DAEMON_TIMEOUT_MS 5000
#define DAEMON_CALL_FLAGS G_DBUS_CALL_FLAGS_NO_AUTO_START

/* The daemon's proxy, or NULL with *ret_why saying why there is none (no bus, nobody owns the
 * name). Its properties are not loaded: daemon_load_properties() asks with our timeout. */
SitlogSitlog1 *daemon_proxy(char **ret_why);

/* All properties in one GetAll, kept in the proxy's cache where the generated getters read
 * them. */
bool daemon_load_properties(SitlogSitlog1 *proxy, GError **error);

/* After daemon_load_properties(): true when the daemon writes the file at path (the same
 * st_dev and st_ino). False otherwise, with *ret_theirs the file it writes as it names it,
 * for a message (printable: not UTF-8 escaped), "an unnamed database" when it does not say. */
bool daemon_writes(SitlogSitlog1 *proxy, const char *path, char **ret_theirs);

/* For a verb that only the daemon can carry out (pause, resume, snooze): a proxy of a daemon
 * that writes path, or NULL after saying (sitlog: VERB: …) why there is none. */
SitlogSitlog1 *daemon_for(const char *verb, const char *path);
