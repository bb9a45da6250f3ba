/* outbox: see outbox.h. */
#define _GNU_SOURCE
#include "outbox.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mlog.h"

struct ob_outbox {
    pthread_mutex_t mu;
    pthread_cond_t cv;       /* a job arrived, or stop */
    pthread_cond_t idle;     /* the queue emptied */
    ob_job *head, *tail;
    unsigned n, max;
    bool busy, stop;
    int64_t stop_deadline;
    om_transport t;
    ms_shared *store;
    uint64_t sent, failed;
    pthread_t thr;
};

void ob_job_free(ob_job *j)
{
    if (!j)
        return;
    free(j->from);
    free(j->rcpts);
    free(j->msg);
    free(j);
}

static void deliver(ob_outbox *o, ob_job *j)
{
    char err[700];
    if (om_send(&o->t, j->from, j->rcpts, j->msg, j->len, err, sizeof err) != 0) {
        mlog(LOG_ERR, "queue=%s %s to <%s> not sent: %s", j->qid, j->what, j->rcpts, err);
        pthread_mutex_lock(&o->mu);
        o->failed++;
        pthread_mutex_unlock(&o->mu);
        return;
    }
    if (err[0])
        mlog(LOG_WARNING, "queue=%s %s to <%s>: %s", j->qid, j->what, j->rcpts, err);
    mlog(LOG_INFO, "queue=%s %s sent to <%s>", j->qid, j->what, j->rcpts);
    if (j->key.keylen && ms_record(o->store, &j->key, err, sizeof err) != 0)
        mlog(LOG_ERR, "queue=%s %s sent but not remembered (store: %s)", j->qid, j->what, err);
    pthread_mutex_lock(&o->mu);
    o->sent++;
    pthread_mutex_unlock(&o->mu);
}

static void *worker(void *arg)
{
    ob_outbox *o = arg;
    pthread_mutex_lock(&o->mu);
    for (;;) {
        while (!o->head && !o->stop)
            pthread_cond_wait(&o->cv, &o->mu);
        if (!o->head)
            break;
        if (o->stop && (int64_t)time(NULL) > o->stop_deadline) {
            mlog(LOG_WARNING, "outbox: %u job(s) not sent at stop", o->n);
            while (o->head) {
                ob_job *j = o->head;
                o->head = j->next;
                ob_job_free(j);
            }
            o->tail = NULL;
            o->n = 0;
            break;
        }
        ob_job *j = o->head;
        o->head = j->next;
        if (!o->head)
            o->tail = NULL;
        o->n--;
        o->busy = true;
        pthread_mutex_unlock(&o->mu);
        deliver(o, j);
        ob_job_free(j);
        pthread_mutex_lock(&o->mu);
        o->busy = false;
        if (!o->head)
            pthread_cond_broadcast(&o->idle);
    }
    pthread_cond_broadcast(&o->idle);
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

ob_outbox *ob_new(const om_transport *t, ms_shared *store, unsigned max_jobs)
{
    ob_outbox *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
    pthread_cond_init(&o->idle, NULL);
    o->t = *t;
    o->store = store;
    o->max = max_jobs ? max_jobs : 1;
    if (pthread_create(&o->thr, NULL, worker, o) != 0) {
        pthread_mutex_destroy(&o->mu);
        pthread_cond_destroy(&o->cv);
        pthread_cond_destroy(&o->idle);
        free(o);
        return NULL;
    }
    return o;
}

void ob_free(ob_outbox **o_r, unsigned timeout_s)
{
    ob_outbox *o = *o_r;
    if (!o)
        return;
    pthread_mutex_lock(&o->mu);
    o->stop = true;
    o->stop_deadline = (int64_t)time(NULL) + timeout_s;
    pthread_cond_signal(&o->cv);
    pthread_mutex_unlock(&o->mu);
    pthread_join(o->thr, NULL);
    pthread_mutex_destroy(&o->mu);
    pthread_cond_destroy(&o->cv);
    pthread_cond_destroy(&o->idle);
    free(o);
    *o_r = NULL;
}

void ob_push(ob_outbox *o, ob_job *j)
{
    j->next = NULL;
    pthread_mutex_lock(&o->mu);
    if (o->n >= o->max || o->stop) {
        o->failed++;
        pthread_mutex_unlock(&o->mu);
        mlog(LOG_ERR, "queue=%s %s to <%s> dropped: outbox full (reply_queue_max)", j->qid,
             j->what, j->rcpts);
        ob_job_free(j);
        return;
    }
    if (o->tail)
        o->tail->next = j;
    else
        o->head = j;
    o->tail = j;
    o->n++;
    pthread_cond_signal(&o->cv);
    pthread_mutex_unlock(&o->mu);
}

void ob_drain(ob_outbox *o)
{
    pthread_mutex_lock(&o->mu);
    while (o->head || o->busy)
        pthread_cond_wait(&o->idle, &o->mu);
    pthread_mutex_unlock(&o->mu);
}

void ob_counts(ob_outbox *o, uint64_t *sent_r, uint64_t *failed_r)
{
    pthread_mutex_lock(&o->mu);
    *sent_r = o->sent;
    *failed_r = o->failed;
    pthread_mutex_unlock(&o->mu);
}
