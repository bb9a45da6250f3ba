/* hplan: see hplan.h. */
#include "hplan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static size_t line_end(const char *b, size_t len, size_t i)
{
    while (i < len && b[i] != '\n')
        i++;
    return i < len ? i + 1 : len;
}

long hp_fields(const char *b, size_t len, hp_field **v_r, size_t max)
{
    *v_r = NULL;
    size_t n = 0, cap = 0, i = 0;
    hp_field *v = NULL;
    while (i < len) {
        /* An empty line ends the header. */
        if (b[i] == '\n' || (b[i] == '\r' && i + 1 < len && b[i + 1] == '\n'))
            break;
        size_t start = i;
        i = line_end(b, len, i);
        while (i < len && (b[i] == ' ' || b[i] == '\t'))
            i = line_end(b, len, i);
        if (n == max) {
            free(v);
            return -1;
        }
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            hp_field *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                free(v);
                return -1;
            }
            v = nv;
            cap = nc;
        }
        hp_field *f = &v[n++];
        f->p = b + start;
        f->len = i - start;
        const char *colon = memchr(f->p, ':', f->len);
        size_t nl = colon ? (size_t)(colon - f->p) : 0;
        while (nl && (f->p[nl - 1] == ' ' || f->p[nl - 1] == '\t'))
            nl--;
        for (size_t k = 0; k < nl; k++)
            if (f->p[k] == '\n' || f->p[k] == '\r')
                nl = 0;   /* a colon on a continuation line: no name */
        f->namelen = nl;
    }
    *v_r = v;
    return (long)n;
}

static bool same(const hp_field *a, const hp_field *b)
{
    return a->len == b->len && !memcmp(a->p, b->p, a->len);
}

void hp_plan_free(hp_plan *p)
{
    free(p->orig);
    free(p->fin);
    free(p->deleted);
    memset(p, 0, sizeof *p);
}

int hp_plan_make(const char *orig, size_t olen, const char *fin, size_t flen, size_t max_added,
                 hp_plan *p)
{
    memset(p, 0, sizeof *p);
    long no = hp_fields(orig, olen, &p->orig, HP_MAX_FIELDS);
    long nf = no < 0 ? -1 : hp_fields(fin, flen, &p->fin, HP_MAX_FIELDS);
    if (no < 0 || nf < 0)
        goto fail;
    p->norig = (size_t)no;
    p->nfin = (size_t)nf;
    p->deleted = calloc(p->norig ? p->norig : 1, sizeof *p->deleted);
    if (!p->deleted)
        goto fail;
    /* For each candidate number of new fields on top, match the rest
     * greedily (earliest first, which keeps the longest prefix) as a
     * subsequence of the original; what does not match must be new at the
     * bottom. The first split within max_added wins. */
    for (size_t k = 0; k <= p->nfin && k <= max_added; k++) {
        size_t i = k, j = 0;
        while (i < p->nfin) {
            size_t jj = j;
            while (jj < p->norig && !same(&p->fin[i], &p->orig[jj]))
                jj++;
            if (jj == p->norig)
                break;
            j = jj + 1;
            i++;
        }
        if (k + (p->nfin - i) > max_added)
            continue;
        p->ntop = k;
        p->nbottom = p->nfin - i;
        /* Replay the match to mark the original fields kept. */
        for (size_t x = 0; x < p->norig; x++)
            p->deleted[x] = true;
        j = 0;
        for (size_t y = k; y < i; y++) {
            while (!same(&p->fin[y], &p->orig[j]))
                j++;
            p->deleted[j++] = false;
        }
        p->ndeleted = 0;
        for (size_t x = 0; x < p->norig; x++)
            p->ndeleted += p->deleted[x];
        return 0;
    }
fail:
    hp_plan_free(p);
    return -1;
}

bool hp_is(const hp_field *f, const char *name)
{
    size_t n = strlen(name);
    return f->namelen == n && !strncasecmp(f->p, name, n);
}

int hp_occurrence(const hp_plan *p, size_t j)
{
    const hp_field *f = &p->orig[j];
    int k = 1;
    for (size_t i = 0; i < j; i++)
        if (p->orig[i].namelen == f->namelen && !strncasecmp(p->orig[i].p, f->p, f->namelen))
            k++;
    return k;
}

int hp_split(const hp_field *f, char *name, size_t namecap, char **value_r)
{
    *value_r = NULL;
    if (!f->namelen || f->namelen >= namecap)
        return -1;
    /* RFC 5322 3.6.8: ftext is %d33-57 / %d59-126. */
    for (size_t i = 0; i < f->namelen; i++) {
        unsigned char ch = (unsigned char)f->p[i];
        if (ch < 33 || ch > 126 || ch == ':')
            return -1;
    }
    if (f->namelen < f->len && f->p[f->namelen] != ':')
        return -1;   /* blanks before the colon: obsolete syntax, not ours */
    memcpy(name, f->p, f->namelen);
    name[f->namelen] = '\0';
    const char *s = f->p + f->namelen + 1, *e = f->p + f->len;
    if (s > e)
        return -1;
    /* The final line end is the field's own, not part of the value. */
    if (e > s && e[-1] == '\n')
        e--;
    if (e > s && e[-1] == '\r')
        e--;
    if (s < e && *s == ' ')
        s++;
    char *v = malloc((size_t)(e - s) + 1), *q = v;
    if (!v)
        return -1;
    for (const char *c = s; c < e; c++) {
        unsigned char ch = (unsigned char)*c;
        if (ch == '\r' || ch == '\n') {
            /* Only a fold: CRLF (or LF) followed by a blank; libmilter
             * takes it as LF. */
            if (ch == '\r') {
                if (c + 1 >= e || c[1] != '\n')
                    goto bad;
                c++;
            }
            if (c + 1 >= e || (c[1] != ' ' && c[1] != '\t'))
                goto bad;
            *q++ = '\n';
            continue;
        }
        if ((ch < 32 && ch != '\t') || ch >= 127)
            goto bad;
        *q++ = (char)ch;
    }
    *q = '\0';
    *value_r = v;
    return 0;
bad:
    free(v);
    return -1;
}
