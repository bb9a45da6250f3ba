/* mailsource: see mailsource.h. */
#define _GNU_SOURCE 1   /* memmem */
#include "mailsource.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MS_DEFAULT_MAX (256u << 20)

typedef struct ms_entry {
    char *rel;            /* path relative to the Maildir root */
    const char *base;     /* file name inside rel */
    const char *folder;   /* owned by the source's folder list */
    bool is_new;
} ms_entry;

struct ms_source {
    ms_kind kind;
    ms_options opt;
    char *name;
    /* mbox or single message */
    const char *data;
    size_t len;
    void *map;
    size_t maplen;
    char *owned;
    size_t pos;
    bool done;
    /* Maildir */
    int rootfd;
    ms_entry *entries;
    size_t nentries, next;
    char **folders;
    size_t nfolders;
    /* per message */
    size_t count;
    char *buf;
    size_t cap;
    char *idbuf;
    size_t idcap;
    char errbuf[256];
};

/* "what: why" into the caller's buffer. */
static int fail(char *err, size_t errlen, const char *what, const char *why)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", what, why);
    return -1;
}

int ms_natural_compare(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && *q) {
        if (*p >= '0' && *p <= '9' && *q >= '0' && *q <= '9') {
            while (*p == '0' && p[1] >= '0' && p[1] <= '9')
                p++;
            while (*q == '0' && q[1] >= '0' && q[1] <= '9')
                q++;
            size_t lp = 0, lq = 0;
            while (p[lp] >= '0' && p[lp] <= '9')
                lp++;
            while (q[lq] >= '0' && q[lq] <= '9')
                lq++;
            if (lp != lq)
                return lp < lq ? -1 : 1;
            int c = memcmp(p, q, lp);
            if (c)
                return c;
            p += lp;
            q += lq;
            continue;
        }
        if (*p != *q)
            return *p < *q ? -1 : 1;
        p++;
        q++;
    }
    return *p == *q ? 0 : (*p < *q ? -1 : 1);
}

static bool grow(char **p, size_t *cap, size_t need)
{
    if (*cap >= need)
        return true;
    size_t c = *cap ? *cap : 4096;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return false;
        c *= 2;
    }
    char *n = realloc(*p, c);
    if (!n)
        return false;
    *p = n;
    *cap = c;
    return true;
}

static ms_source *source_new(const char *name, const ms_options *opt)
{
    ms_source *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (opt)
        s->opt = *opt;
    if (!s->opt.max_message_size)
        s->opt.max_message_size = MS_DEFAULT_MAX;
    s->rootfd = -1;
    s->name = strdup(name);
    if (!s->name) {
        free(s);
        return NULL;
    }
    return s;
}

void ms_close(ms_source **src_r)
{
    ms_source *s = *src_r;
    if (!s)
        return;
    *src_r = NULL;
    if (s->map)
        munmap(s->map, s->maplen);
    free(s->owned);
    if (s->rootfd >= 0)
        close(s->rootfd);
    for (size_t i = 0; i < s->nentries; i++)
        free(s->entries[i].rel);
    free(s->entries);
    for (size_t i = 0; i < s->nfolders; i++)
        free(s->folders[i]);
    free(s->folders);
    free(s->buf);
    free(s->idbuf);
    free(s->name);
    free(s);
}

ms_kind ms_source_kind(const ms_source *s)
{
    return s->kind;
}

/* ---- mbox ---------------------------------------------------------------- */

/* A separator after the first: "From ", a sender word, and something that
 * looks like the asctime date (a "d:dd" time), so that an unquoted "From "
 * at the start of a body paragraph (mboxo written by a careless program)
 * stays in the body. RFC 4155 appendix A describes the format. */
static bool separator_line(const char *p, size_t n)
{
    if (n < 5 || memcmp(p, "From ", 5) != 0)
        return false;
    const char *nl = memchr(p, '\n', n);
    size_t e = nl ? (size_t)(nl - p) : n;
    size_t i = 5;
    size_t w = i;
    while (w < e && p[w] != ' ' && p[w] != '\t' && p[w] != '\r')
        w++;
    if (w == i)
        return false;
    for (size_t k = w; k + 3 < e; k++) {
        if (p[k] >= '0' && p[k] <= '9' && p[k + 1] == ':' && p[k + 2] >= '0' &&
            p[k + 2] <= '9' && p[k + 3] >= '0' && p[k + 3] <= '9')
            return true;
    }
    return false;
}

static bool quoted_from(const char *p, size_t n, ms_quoting q)
{
    size_t i = 0;
    while (i < n && p[i] == '>')
        i++;
    if (i == 0 || (q == MS_MBOXO && i != 1))
        return false;
    return n - i >= 5 && memcmp(p + i, "From ", 5) == 0;
}

static int mbox_next(ms_source *s, ms_message *m)
{
    const char *d = s->data;
    size_t len = s->len;
    if (s->pos >= len)
        return 0;
    size_t line = s->pos;
    const char *nl = memchr(d + line, '\n', len - line);
    size_t body = nl ? (size_t)(nl - d) + 1 : len;
    m->mbox_sender = d + line + 5;
    size_t w = 0;
    while (line + 5 + w < body && !strchr(" \t\r\n", d[line + 5 + w]))
        w++;
    m->mbox_sender_len = w;

    /* One pass finds both the next separator and the first quoted "From "
     * line (so unquoting costs nothing without one). Both hold "From ", so
     * the scan jumps from one 'F' to the next (memchr, vectorised in libc;
     * in mail an 'F' is several times rarer than a line end) and looks
     * around each.
     * RFC 4155: each message is followed by an empty line, so a separator
     * must follow one (or directly follow the previous "From " line). */
    size_t end = len, quoted = SIZE_MAX;
    size_t p = body;
    while (p < len) {
        const char *f = memchr(d + p, 'F', len - p);
        if (!f)
            break;
        p = (size_t)(f - d);
        if (len - p < 5 || memcmp(d + p, "From ", 5) != 0) {
            p++;
            continue;
        }
        bool line_start = p == body || d[p - 1] == '\n';
        if (line_start) {
            bool prev_blank = p == body || p - 1 == body || d[p - 2] == '\n' ||
                              (d[p - 2] == '\r' && (p - 2 == body || d[p - 3] == '\n'));
            if (prev_blank && separator_line(d + p, len - p)) {
                end = p;
                break;
            }
        } else if (quoted == SIZE_MAX && d[p - 1] == '>') {
            size_t k = p - 1;
            while (k > body && d[k - 1] == '>')
                k--;
            bool at_line = k == body || d[k - 1] == '\n';
            if (at_line && (s->opt.quoting == MS_MBOXRD || p - k == 1))
                quoted = k;
        }
        p++;
    }
    s->pos = end;
    /* Drop the empty line the mbox writer added after the message. */
    size_t mend = end;
    if (mend - body == 1 && d[body] == '\n')
        mend = body;
    else if (mend - body == 2 && d[body] == '\r' && d[body + 1] == '\n')
        mend = body;
    else if (mend - body >= 2 && d[mend - 1] == '\n' && d[mend - 2] == '\n')
        mend--;
    else if (mend - body >= 4 && memcmp(d + mend - 4, "\r\n\r\n", 4) == 0)
        mend -= 2;

    if (mend - body > s->opt.max_message_size) {
        snprintf(s->errbuf, sizeof s->errbuf, "message larger than %zu bytes: skipped",
                 s->opt.max_message_size);
        m->error = s->errbuf;
        return 1;
    }
    size_t q = quoted < mend ? quoted : mend;
    if (q == mend) {
        m->data = d + body;
        m->len = mend - body;
        return 1;
    }
    /* mboxrd/mboxo unquoting needs a copy; only these messages pay for it. */
    if (!grow(&s->buf, &s->cap, mend - body + 1)) {
        m->error = "out of memory";
        return 1;
    }
    size_t o = 0, at = body;
    while (q < mend) {
        memcpy(s->buf + o, d + at, q - at);
        o += q - at;
        at = q + 1;   /* skip one '>' */
        size_t from = q + 1;
        q = mend;
        while (from < mend) {
            const char *h = memmem(d + from, mend - from, "\n>", 2);
            if (!h)
                break;
            size_t ls = (size_t)(h - d) + 1;
            if (quoted_from(d + ls, mend - ls, s->opt.quoting)) {
                q = ls;
                break;
            }
            from = ls;
        }
    }
    memcpy(s->buf + o, d + at, mend - at);
    o += mend - at;
    m->data = s->buf;
    m->len = o;
    return 1;
}

/* ---- files and memory ------------------------------------------------------ */

static int detect(ms_source *s, char *err, size_t errlen)
{
    bool from = s->len >= 5 && memcmp(s->data, "From ", 5) == 0;
    if (s->opt.format == MS_FORMAT_MESSAGE) {
        s->kind = MS_KIND_MESSAGE;
    } else if (from || s->len == 0) {
        s->kind = MS_KIND_MBOX;   /* an empty file is an empty mbox */
    } else if (s->opt.format == MS_FORMAT_MBOX) {
        return fail(err, errlen, s->name, "not an mbox (it does not begin with a \"From \" line)");
    } else {
        s->kind = MS_KIND_MESSAGE;
    }
    return 0;
}

int ms_open_memory(const char *name, const char *data, size_t len, const ms_options *opt,
                   ms_source **src_r, char *err, size_t errlen)
{
    *src_r = NULL;
    ms_source *s = source_new(name, opt);
    if (!s)
        return fail(err, errlen, name, "out of memory");
    s->data = data;
    s->len = len;
    if (detect(s, err, errlen) != 0) {
        ms_close(&s);
        return -1;
    }
    *src_r = s;
    return 0;
}

static int read_all(int fd, char **p_r, size_t *len_r, size_t max)
{
    char *p = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (!grow(&p, &cap, len + 65536)) {
            free(p);
            errno = ENOMEM;
            return -1;
        }
        ssize_t n = read(fd, p + len, cap - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(p);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > max) {
            free(p);
            errno = EFBIG;
            return -1;
        }
    }
    *p_r = p;
    *len_r = len;
    return 0;
}

static bool is_maildir(int dirfd, const char *prefix)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%scur", prefix);
    if (fstatat(dirfd, path, &st, 0) == 0 && S_ISDIR(st.st_mode))
        return true;
    snprintf(path, sizeof path, "%snew", prefix);
    return fstatat(dirfd, path, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

static int entry_compare(const void *a, const void *b)
{
    const ms_entry *x = a, *y = b;
    int c = ms_natural_compare(x->base, y->base);
    return c ? c : strcmp(x->rel, y->rel);
}

/* Lists cur/ and new/ of one folder; prefix is "" or ".Sub/" */
static int add_folder(ms_source *s, const char *prefix, const char *folder)
{
    size_t first = s->nentries;
    static const char *const subs[2] = { "cur", "new" };
    for (int k = 0; k < 2; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s%s", prefix, subs[k]);
        int fd = openat(s->rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            if (errno == ENOENT)
                continue;
            return -1;
        }
        DIR *dir = fdopendir(fd);
        if (!dir) {
            close(fd);
            return -1;
        }
        struct dirent *de;
        while ((de = readdir(dir)) != NULL) {
            if (de->d_name[0] == '.')
                continue;   /* ".", "..", and hidden files such as .keep */
            if (s->nentries % 256 == 0) {
                ms_entry *n = realloc(s->entries, (s->nentries + 256) * sizeof *n);
                if (!n) {
                    closedir(dir);
                    errno = ENOMEM;
                    return -1;
                }
                s->entries = n;
            }
            size_t lp = strlen(path), ln = strlen(de->d_name);
            char *rel = malloc(lp + ln + 2);
            if (!rel) {
                closedir(dir);
                errno = ENOMEM;
                return -1;
            }
            memcpy(rel, path, lp);
            rel[lp] = '/';
            memcpy(rel + lp + 1, de->d_name, ln + 1);
            s->entries[s->nentries++] = (ms_entry){ rel, rel + lp + 1, folder, k == 1 };
        }
        closedir(dir);
    }
    qsort(s->entries + first, s->nentries - first, sizeof *s->entries, entry_compare);
    return 0;
}

static int name_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_folder_name(ms_source *s, const char *name)
{
    char **n = realloc(s->folders, (s->nfolders + 1) * sizeof *n);
    if (!n)
        return -1;
    s->folders = n;
    if (!(n[s->nfolders] = strdup(name)))
        return -1;
    s->nfolders++;
    return 0;
}

static int maildir_open(ms_source *s, const char *path, char *err, size_t errlen)
{
    s->kind = MS_KIND_MAILDIR;
    s->rootfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->rootfd < 0)
        return fail(err, errlen, path, strerror(errno));
    if (!is_maildir(s->rootfd, ""))
        return fail(err, errlen, path, "not a Maildir (no cur/ or new/ directory)");
    if (add_folder_name(s, "") != 0 || add_folder(s, "", s->folders[0]) != 0)
        return fail(err, errlen, path, strerror(errno));
    if (!s->opt.recursive)
        return 0;
    /* Maildir++: subfolders are ".Name" or ".Parent.Child" in the root. */
    int fd = dup(s->rootfd);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir) {
        if (fd >= 0)
            close(fd);
        return fail(err, errlen, path, strerror(errno));
    }
    char **names = NULL;
    size_t nnames = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] != '.' || !de->d_name[1] || !strcmp(de->d_name, ".."))
            continue;
        char prefix[4096];
        snprintf(prefix, sizeof prefix, "%s/", de->d_name);
        if (!is_maildir(s->rootfd, prefix))
            continue;
        char **n = realloc(names, (nnames + 1) * sizeof *n);
        if (!n || !(n[nnames] = strdup(de->d_name))) {
            names = n ? n : names;
            rc = -1;
            break;
        }
        names = n;
        nnames++;
    }
    closedir(dir);
    if (rc == 0)
        qsort(names, nnames, sizeof *names, name_compare);
    for (size_t i = 0; rc == 0 && i < nnames; i++) {
        char prefix[4096];
        snprintf(prefix, sizeof prefix, "%s/", names[i]);
        if (add_folder_name(s, names[i] + 1) != 0 ||
            add_folder(s, prefix, s->folders[s->nfolders - 1]) != 0)
            rc = -1;
    }
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    if (rc != 0)
        return fail(err, errlen, path, strerror(errno ? errno : ENOMEM));
    return 0;
}

static int maildir_next(ms_source *s, ms_message *m)
{
    if (s->next >= s->nentries)
        return 0;
    const ms_entry *e = &s->entries[s->next++];
    m->id = e->rel;
    m->folder = e->folder;
    m->is_new = e->is_new;
    const char *info = strstr(e->base, ":2,");
    m->flags = info ? info + 3 : "";
    int fd = openat(s->rootfd, e->rel, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(s->errbuf, sizeof s->errbuf, "cannot read: %s", strerror(errno));
        m->error = s->errbuf;
        if (fd >= 0)
            close(fd);
        return 1;
    }
    if (!S_ISREG(st.st_mode)) {
        m->error = "not a regular file";
        close(fd);
        return 1;
    }
    if ((uint64_t)st.st_size > s->opt.max_message_size) {
        snprintf(s->errbuf, sizeof s->errbuf, "message larger than %zu bytes: skipped",
                 s->opt.max_message_size);
        m->error = s->errbuf;
        close(fd);
        return 1;
    }
    /* The file may grow while we read: read to EOF, within the cap. */
    size_t len = 0;
    for (;;) {
        if (!grow(&s->buf, &s->cap, len + (size_t)st.st_size + 4096)) {
            m->error = "out of memory";
            close(fd);
            return 1;
        }
        ssize_t n = read(fd, s->buf + len, s->cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(s->errbuf, sizeof s->errbuf, "cannot read: %s", strerror(errno));
            m->error = s->errbuf;
            close(fd);
            return 1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > s->opt.max_message_size) {
            snprintf(s->errbuf, sizeof s->errbuf, "message larger than %zu bytes: skipped",
                     s->opt.max_message_size);
            m->error = s->errbuf;
            close(fd);
            return 1;
        }
    }
    close(fd);
    m->data = s->buf;
    m->len = len;
    return 1;
}

int ms_open(const char *path, const ms_options *opt, ms_source **src_r, char *err, size_t errlen)
{
    *src_r = NULL;
    ms_source *s = source_new(path, opt);
    if (!s)
        return fail(err, errlen, path, "out of memory");
    if (strcmp(path, "-") == 0) {
        size_t len;
        if (read_all(STDIN_FILENO, &s->owned, &len, SIZE_MAX / 2) != 0) {
            fail(err, errlen, "standard input", strerror(errno));
            ms_close(&s);
            return -1;
        }
        s->data = s->owned;
        s->len = len;
    } else {
        struct stat st;
        if (stat(path, &st) != 0) {
            fail(err, errlen, path, strerror(errno));
            ms_close(&s);
            return -1;
        }
        if (S_ISDIR(st.st_mode)) {
            if (maildir_open(s, path, err, errlen) != 0) {
                ms_close(&s);
                return -1;
            }
            *src_r = s;
            return 0;
        }
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            fail(err, errlen, path, strerror(errno));
            ms_close(&s);
            return -1;
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0) {
            void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (map == MAP_FAILED) {
                fail(err, errlen, path, strerror(errno));
                close(fd);
                ms_close(&s);
                return -1;
            }
            madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
            madvise(map, (size_t)st.st_size, MADV_WILLNEED);
            s->map = map;
            s->maplen = (size_t)st.st_size;
            s->data = map;
            s->len = s->maplen;
        } else if (!S_ISREG(st.st_mode)) {
            size_t len;
            if (read_all(fd, &s->owned, &len, SIZE_MAX / 2) != 0) {
                fail(err, errlen, path, strerror(errno));
                close(fd);
                ms_close(&s);
                return -1;
            }
            s->data = s->owned;
            s->len = len;
        }
        close(fd);
    }
    if (detect(s, err, errlen) != 0) {
        ms_close(&s);
        return -1;
    }
    *src_r = s;
    return 0;
}

int ms_next(ms_source *s, ms_message *m)
{
    memset(m, 0, sizeof *m);
    int rc;
    switch (s->kind) {
    case MS_KIND_MBOX:
        rc = mbox_next(s, m);
        if (rc == 1) {
            /* replay-jsonl.md: "<mbox file name>#<n>": the name, not the
             * path it was reached by. */
            const char *slash = strrchr(s->name, '/');
            const char *base = slash && slash[1] ? slash + 1 : s->name;
            size_t need = strlen(base) + 24;
            if (!grow(&s->idbuf, &s->idcap, need))
                return 0;
            snprintf(s->idbuf, s->idcap, "%s#%zu", base, s->count + 1);
            m->id = s->idbuf;
        }
        break;
    case MS_KIND_MAILDIR:
        rc = maildir_next(s, m);
        break;
    case MS_KIND_MESSAGE:
    default:
        if (s->done)
            return 0;
        s->done = true;
        m->id = s->name;
        if (s->len > s->opt.max_message_size) {
            snprintf(s->errbuf, sizeof s->errbuf, "message larger than %zu bytes: skipped",
                     s->opt.max_message_size);
            m->error = s->errbuf;
        } else {
            m->data = s->data ? s->data : "";
            m->len = s->len;
        }
        rc = 1;
        break;
    }
    if (rc == 1)
        m->index = ++s->count;
    return rc;
}
