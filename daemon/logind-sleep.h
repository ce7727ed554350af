/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * logind and sleep, over the system bus: PrepareForSleep, and a delay lock (Inhibit "sleep",
 * mode "delay", as iio-sensor-proxy and power-profiles-daemon take) so that logind waits,
 * up to its InhibitDelayMaxSec, until what is open is closed and written. The lock is
 * released once the callback for PrepareForSleep(true) has returned and taken again after
 * PrepareForSleep(false). Without logind (or when it refuses the lock) nothing waits for us:
 * sleep.h notices the sleep from the clocks instead.
 */

#include <gio/gio.h>
#include <stdbool.h>

/* PrepareForSleep(sleeping): when it returns, what is open must be closed and written. */
typedef void (*logind_sleep_fn)(bool sleeping, void *userdata);

struct logind_sleep;

struct logind_sleep *logind_sleep_new(GDBusConnection *system_bus, logind_sleep_fn fn,
				      void *userdata);
void logind_sleep_free(struct logind_sleep *ls);
