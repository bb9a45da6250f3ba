/* reply: see reply.h. */
#include "reply.h"

#include <string.h>

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ')
            return 0;
    return 1;
}

static void build(reply_text *r, const char *reason)
{
    r->nlines = 0;
    size_t col = 0, out = 0;
    char *line = r->lines[0];
    line[0] = '\0';
    int truncated = 0;
    for (const unsigned char *p = (const unsigned char *)reason; *p; p++) {
        int brk = *p == '\n' || *p == '\r';
        if (brk && *p == '\r' && p[1] == '\n')
            p++;
        if (brk || col == REPLY_LINE_MAX) {
            line[out] = '\0';
            if (r->nlines + 1 == REPLY_MAX_LINES) {
                truncated = 1;
                break;
            }
            r->nlines++;
            line = r->lines[r->nlines];
            col = out = 0;
            if (brk)
                continue;
        }
        unsigned char c = *p;
        if (c == '\t')
            c = ' ';
        if (c < 0x20 || c > 0x7e)
            c = '?';
        line[out++] = (char)c;
        if (c == '%')
            line[out++] = '%';
        col++;
    }
    if (truncated) {
        /* Replace the last line so the client sees the reason was cut. */
        strcpy(r->lines[REPLY_MAX_LINES - 1], "(reason truncated)");
        r->nlines = REPLY_MAX_LINES;
        return;
    }
    line[out] = '\0';
    r->nlines++;
    /* Drop trailing empty lines; an empty reply line is legal but useless. */
    while (r->nlines > 1 && blank(r->lines[r->nlines - 1]))
        r->nlines--;
}

void reply_make(reply_text *r, const char *reason, const char *fallback)
{
    if (reason)
        build(r, reason);
    if (!reason || (r->nlines == 1 && blank(r->lines[0])))
        build(r, fallback);
}
