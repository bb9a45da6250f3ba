/* mlog: see mlog.h. */
#include "mlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static mconf_log g_mode = MCONF_LOG_STDERR;
static void (*g_hook)(int, const char *, void *);
static void *g_hook_arg;

void mlog_open(mconf_log mode)
{
    g_mode = mode;
    if (mode == MCONF_LOG_SYSLOG)
        openlog("sieve-milter", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void mlog_set_hook(void (*hook)(int, const char *, void *), void *arg)
{
    g_hook = hook;
    g_hook_arg = arg;
}

void mlog(int prio, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* Log lines quote untrusted text (addresses, reasons): no line breaks
     * or control bytes reach the log. */
    for (char *p = line; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = '?';
    if (g_hook)
        g_hook(prio, line, g_hook_arg);
    if (g_mode == MCONF_LOG_SYSLOG)
        syslog(prio, "%s", line);
    else if (g_mode == MCONF_LOG_STDERR) {
        static const char *const names[] = { "emerg", "alert", "crit", "error",
                                             "warning", "notice", "info", "debug" };
        fprintf(stderr, "sieve-milter: %s: %s\n", names[prio & 7], line);
    }
}
