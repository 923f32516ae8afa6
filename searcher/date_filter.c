/* Date ranges as a boolean query: whole years and whole months inside the
 * range by their year (XY) and month (XM) terms, the days of a month cut
 * by an end through the date value. A term postlist is walked in step
 * with the words; a value range reads every candidate's date, which made
 * dated queries two to six times slower than the same words alone. */
#include "search_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"
#include "../corpus/article.h"
#include "../indexer/index_schema.h"

typedef struct piece_list {
	lx_query **v;
	size_t n, cap;
	int failed;
} piece_list;

static void add_piece(piece_list *l, lx_query *q)
{
	if (!q) {
		l->failed = 1;
		return;
	}
	XGROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = q;
}

static lx_query *date_term(const char *prefix, const char *digits, size_t n)
{
	char t[16];
	int len = snprintf(t, sizeof t, "%s%.*s", prefix, (int)n, digits);
	return lx_query_term(t, (size_t)len, 1, 0);
}

/* The months of year y (4 digits) that meet [lo, hi]: contained ones by
 * term, the one or two cut by an end through the value. A document dated
 * by month only ("YYYYMM00") goes with its month's term; in a month cut
 * by the range it is not known to lie inside, so it does not match. */
static void add_months(piece_list *l, const char *y, const char *lo,
                       const char *hi)
{
	int year = atoi(y);
	for (int m = 1; m <= 12; m++) {
		char first[24], last[24];   /* 8 used; room for any int */
		snprintf(first, sizeof first, "%.4s%02d01", y, m);
		snprintf(last, sizeof last, "%.4s%02d%02d", y, m,
		         corpus_days_in_month(year, m));
		if (strcmp(last, lo) < 0 || strcmp(first, hi) > 0)
			continue;
		if (strcmp(lo, first) <= 0 && strcmp(last, hi) <= 0) {
			add_piece(l, date_term(PFX_MONTH, first, 6));
			continue;
		}
		const char *from = strcmp(lo, first) > 0 ? lo : first;
		const char *to = strcmp(hi, last) < 0 ? hi : last;
		add_piece(l, lx_query_value_range(SLOT_DATE, from, 8, to, 8));
	}
}

lx_query *search_date_range(lede_db *db, const char *from, const char *to)
{
	char lo[9], hi[9];
	snprintf(lo, sizeof lo, "%.8s", from ? from : "00000000");
	snprintf(hi, sizeof hi, "%.8s", to ? to : "99999999");
	/* the years the index holds: an open end reaches the last of them,
	 * not every year a string could name */
	lx_termiter *it;
	if (lx_db_allterms(db->db, PFX_YEAR, &it) != 0) {
		lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
		return NULL;
	}
	piece_list l = { 0 };
	const char *t;
	size_t tl;
	size_t pl = strlen(PFX_YEAR);
	int rc;
	while ((rc = lx_termiter_next(it, &t, &tl, NULL)) == 1) {
		if (tl != pl + 4)
			continue;
		char y[5], first[24], last[24];
		memcpy(y, t + pl, 4);
		y[4] = '\0';
		snprintf(first, sizeof first, "%s0101", y);
		snprintf(last, sizeof last, "%s1231", y);
		if (strcmp(last, lo) < 0 || strcmp(first, hi) > 0)
			continue;
		/* a whole year: its documents dated by year only too */
		if (strcmp(lo, first) <= 0 && strcmp(last, hi) <= 0)
			add_piece(&l, date_term(PFX_YEAR, y, 4));
		else
			add_months(&l, y, lo, hi);
	}
	lx_termiter_free(it);
	lx_query *any = NULL;
	if (rc == 0 && !l.failed)
		any = lx_query_combine(LX_OP_OR, (const lx_query *const *)l.v,
		                       l.n, 0);
	for (size_t i = 0; i < l.n; i++)
		lx_query_free(l.v[i]);
	free(l.v);
	/* a filter: it selects, it never ranks */
	lx_query *q = any ? lx_query_scale(any, 0) : NULL;
	lx_query_free(any);
	if (!q)
		lede_fail(db, LEDE_EDB, "%s", lx_last_errmsg());
	return q;
}
