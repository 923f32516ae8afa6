/* Publication dates as news data writes them, to "YYYY-MM-DD" (or a
 * shorter prefix). The calendar date is kept as written: a time zone does
 * not move it to another day. An ambiguous numeric date is refused rather
 * than guessed. */
#include "article.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const struct {
	const char *name;
	int month;
} month_names[] = {
	{"january", 1}, {"february", 2}, {"march", 3}, {"april", 4},
	{"may", 5}, {"june", 6}, {"july", 7}, {"august", 8},
	{"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
	{"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6},
	{"jul", 7}, {"aug", 8}, {"sep", 9}, {"sept", 9}, {"oct", 10},
	{"nov", 11}, {"dec", 12},
	/* Spanish */
	{"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4},
	{"mayo", 5}, {"junio", 6}, {"julio", 7}, {"agosto", 8},
	{"septiembre", 9}, {"setiembre", 9}, {"octubre", 10},
	{"noviembre", 11}, {"diciembre", 12},
	{"ene", 1}, {"abr", 4}, {"ago", 8}, {"dic", 12},
};

/* Words that may stand around a date and carry nothing: weekdays (English,
 * Spanish), Spanish "de"/"del", "the", "of". */
static const char *const filler_words[] = {
	"mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu",
	"thur", "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun",
	"sunday", "lunes", "martes", "miercoles", "miércoles", "jueves",
	"viernes", "sabado", "sábado", "domingo", "de", "del", "the", "of",
	"on",
};

static int word_month(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof month_names / sizeof month_names[0]; i++)
		if (strlen(month_names[i].name) == n &&
		    strncasecmp(w, month_names[i].name, n) == 0)
			return month_names[i].month;
	return 0;
}

static int word_filler(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof filler_words / sizeof filler_words[0]; i++)
		if (strlen(filler_words[i]) == n &&
		    strncasecmp(w, filler_words[i], n) == 0)
			return 1;
	return 0;
}

int corpus_days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static void put2(char *o, int v)
{
	o[0] = (char)('0' + v / 10);
	o[1] = (char)('0' + v % 10);
}

static int emit(char out[11], int y, int m, int d)
{
	if (y < 1000 || y > 9999)
		return -1;
	if (m != 0 && (m < 1 || m > 12))
		return -1;
	if (m != 0 && d != 0 && (d < 1 || d > corpus_days_in_month(y, m)))
		return -1;
	put2(out, y / 100);
	put2(out + 2, y % 100);
	out[4] = '\0';
	if (m == 0)
		return 0;
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '\0';
	if (d == 0)
		return 0;
	out[7] = '-';
	put2(out + 8, d);
	out[10] = '\0';
	return 0;
}

/* A token of the date: a number (with its digit count) or a month. */
typedef struct tok {
	int kind;     /* 'n' number, 'm' month */
	int value;
	int digits;
} tok;

/* Epoch seconds (10 digits) or milliseconds (13), as some APIs give. */
static int from_epoch(const char *s, size_t n, char out[11])
{
	long long v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	if (n == 13)
		v /= 1000;
	time_t t = (time_t)v;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return -1;
	return emit(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int corpus_parse_date(const char *s, char out[11])
{
	out[0] = '\0';
	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len)
		return -1;

	/* All digits: YYYYMMDD, YYYY, or an epoch time. */
	size_t alldig = 0;
	while (alldig < len && isdigit((unsigned char)s[alldig]))
		alldig++;
	if (alldig == len) {
		int v[3] = {0, 0, 0};
		if (len == 8) {
			sscanf(s, "%4d%2d%2d", &v[0], &v[1], &v[2]);
			return emit(out, v[0], v[1], v[2]) == 0 ? 0 : (out[0] = 0, -1);
		}
		if (len == 4) {
			sscanf(s, "%4d", &v[0]);
			return emit(out, v[0], 0, 0) == 0 ? 0 : (out[0] = 0, -1);
		}
		if (len == 10 || len == 13)
			return from_epoch(s, len, out) == 0 ? 0 : (out[0] = 0, -1);
		return -1;
	}

	tok t[3];
	int nt = 0;
	size_t i = 0;
	while (i < len && nt < 3) {
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c)) {
			size_t j = i;
			int v = 0;
			while (j < len && isdigit((unsigned char)s[j])) {
				if (j - i < 6)
					v = v * 10 + (s[j] - '0');
				j++;
			}
			if (j < len && s[j] == ':')
				break;  /* a time: the date is over */
			int digits = (int)(j - i);
			if (digits > 4)
				return -1;
			/* ordinal suffix: 26th, 1st, 2nd, 3rd; Spanish 1º */
			if (j + 1 < len && isalpha((unsigned char)s[j]) &&
			    isalpha((unsigned char)s[j + 1]) &&
			    (j + 2 >= len || !isalpha((unsigned char)s[j + 2]))) {
				const char *suf = s + j;
				if (!strncasecmp(suf, "st", 2) || !strncasecmp(suf, "nd", 2) ||
				    !strncasecmp(suf, "rd", 2) || !strncasecmp(suf, "th", 2))
					j += 2;
			}
			t[nt++] = (tok){'n', v, digits};
			i = j;
			/* ISO 8601 date followed by 'T' and a time */
			if (i < len && (s[i] == 'T' || s[i] == 't') && i + 1 < len &&
			    isdigit((unsigned char)s[i + 1]))
				break;
			continue;
		}
		if (isalpha(c) || c >= 0x80) {
			size_t j = i;
			while (j < len && (isalpha((unsigned char)s[j]) ||
			                   (unsigned char)s[j] >= 0x80))
				j++;
			int m = word_month(s + i, j - i);
			if (m) {
				t[nt++] = (tok){'m', m, 0};
			} else if (!word_filler(s + i, j - i)) {
				return -1;
			}
			i = j;
			continue;
		}
		if (c == '-' || c == '/' || c == '.' || c == ',' || isspace(c)) {
			i++;
			continue;
		}
		return -1;
	}

	int y = 0, m = 0, d = 0;
	if (nt == 1 && t[0].kind == 'n' && t[0].digits == 4) {
		y = t[0].value;
	} else if (nt == 2) {
		if (t[0].kind == 'n' && t[0].digits == 4 && t[1].kind == 'n' &&
		    t[1].digits <= 2) {                      /* 2024-11 */
			y = t[0].value;
			m = t[1].value;
		} else if (t[0].kind == 'm' && t[1].kind == 'n' &&
		           t[1].digits == 4) {               /* November 2024 */
			m = t[0].value;
			y = t[1].value;
		} else {
			return -1;
		}
	} else if (nt == 3) {
		tok a = t[0], b = t[1], c = t[2];
		if (a.kind == 'n' && a.digits == 4 && b.kind == 'n' &&
		    c.kind == 'n') {                         /* 2024-11-26 */
			y = a.value; m = b.value; d = c.value;
		} else if (a.kind == 'n' && a.digits == 4 && b.kind == 'm' &&
		           c.kind == 'n') {                  /* 2024 Nov 26 */
			y = a.value; m = b.value; d = c.value;
		} else if (a.kind == 'n' && b.kind == 'm' && c.kind == 'n' &&
		           a.digits <= 2) {                  /* 26 Nov 2024 */
			d = a.value; m = b.value; y = c.value;
			if (c.digits == 2)  /* RFC 822's two-digit year */
				y += y < 50 ? 2000 : 1900;
			else if (c.digits != 4)
				return -1;
		} else if (a.kind == 'm' && b.kind == 'n' && c.kind == 'n' &&
		           c.digits == 4 && b.digits <= 2) {  /* Nov 26, 2024 */
			m = a.value; d = b.value; y = c.value;
		} else if (a.kind == 'n' && b.kind == 'n' && c.kind == 'n' &&
		           c.digits == 4 && a.digits <= 2 && b.digits <= 2) {
			/* 26/11/2024 or 11/26/2024: only when one reading is
			 * impossible or both readings agree */
			y = c.value;
			int p = a.value, q = b.value;
			if (p == q) {
				m = p; d = q;
			} else if (p > 12 && q <= 12) {
				d = p; m = q;
			} else if (q > 12 && p <= 12) {
				m = p; d = q;
			} else {
				return -1;
			}
		} else {
			return -1;
		}
	} else {
		return -1;
	}
	if (emit(out, y, m, d) != 0) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}
