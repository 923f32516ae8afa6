/* Sentence boundaries for the passage splitter: where a news sentence ends
 * and the next begins. One forward pass; it looks back a few bytes at each
 * candidate full stop to recognise abbreviations, never more. */
#include "passage.h"

#include <string.h>

#include "../common/xalloc.h"

/* The longest abbreviation token we look back over ("Sept", "Calif", "Dña"
 * plus slack for "U.S.A."); longer tokens are ordinary words. */
#define ABBR_MAX 12

/* Abbreviations that do not end a sentence even when a capital follows
 * ("Gov. Gavin Newsom", "Jan. 20", "No. 2"). Case-sensitive on purpose:
 * "no." at the end of a sentence is a word, "No." before a number is not.
 * Tokens of the form X.Y. (U.S., D.C., a.m.) and single initials are caught
 * by pattern, not listed. */
static const char *const abbrevs[] = {
	/* titles and ranks */
	"Mr", "Mrs", "Ms", "Messrs", "Dr", "Drs", "Prof", "Rev", "Hon",
	"Gov", "Govs", "Sen", "Sens", "Rep", "Reps", "Gen", "Lt", "Sgt", "Col",
	"Capt", "Cmdr", "Adm", "Maj", "Cpl", "Pvt", "Supt", "Det", "Insp",
	"Atty", "Pres", "Amb", "Sec", "Secs",
	"St", "Jr", "Sr", "Mt", "Ft", "Ave", "Blvd", "Dept", "Univ",
	/* companies */
	"Inc", "Corp", "Co", "Cos", "Ltd", "Bros", "Assn",
	/* months (AP style abbreviates these five plus Jan. and Feb.) */
	"Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
	/* US states as AP writes them in datelines ("Springfield, Ill.") */
	"Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga",
	"Ill", "Ind", "Kan", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss",
	"Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Tenn", "Vt", "Va",
	"Wash", "Wis", "Wyo",
	/* misc */
	"No", "Nos", "vs", "v", "etc", "approx", "est", "fig", "Fig", "Vol",
	/* Spanish */
	"Sra", "Srta", "Sres", "Dña", "Dra", "Lic", "Ud", "Uds", "Av", "Gral",
	"núm", "Núm", "pág",
};

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_listed_abbrev(const char *tok, size_t n)
{
	for (size_t i = 0; i < sizeof abbrevs / sizeof *abbrevs; i++)
		if (strlen(abbrevs[i]) == n && memcmp(abbrevs[i], tok, n) == 0)
			return 1;
	return 0;
}

/* tok is the word before a full stop, without the stop. True for "U.S",
 * "D.C", "a.m": letters alternating with dots, at least one dot. */
static int is_dotted(const char *tok, size_t n)
{
	if (n < 3)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tok[i];
		if (i % 2 == 0 ? !is_alpha(c) : c != '.')
			return 0;
	}
	return n % 2 == 1;
}

/* Is the full stop at text[dot] part of an abbreviation? Looks back over the
 * word it ends (at most ABBR_MAX bytes, so the pass stays linear). */
static int ends_abbreviation(const char *text, size_t dot)
{
	size_t b = dot;
	while (b > 0 && dot - b <= ABBR_MAX) {
		unsigned char c = (unsigned char)text[b - 1];
		if (!(is_alpha(c) || c == '.' || c >= 0x80))
			break;
		b--;
	}
	if (dot - b > ABBR_MAX || b == dot)
		return 0;
	/* A curly opening quote or Spanish mark is made of bytes >= 0x80 that
	 * the loop above took for letters: drop it. */
	const char *tok = text + b;
	size_t n = dot - b;
	if (n >= 3 && (unsigned char)tok[0] == 0xE2 && (unsigned char)tok[1] == 0x80) {
		tok += 3;
		n -= 3;
	} else if (n >= 2 && (unsigned char)tok[0] == 0xC2) {
		tok += 2;
		n -= 2;
	}
	if (n == 0)
		return 0;
	if (n == 1 && is_alpha((unsigned char)tok[0]))
		return 1; /* an initial: "John F. Kennedy" */
	return is_dotted(tok, n) || is_listed_abbrev(tok, n);
}

/* Length of a closing quote or bracket at text[i], 0 if there is none. */
static size_t closer_len(const unsigned char *t, size_t i, size_t len)
{
	unsigned char c = t[i];
	if (c == '"' || c == '\'' || c == ')' || c == ']')
		return 1;
	if (c == 0xE2 && i + 2 < len && t[i + 1] == 0x80 &&
	    (t[i + 2] == 0x9D || t[i + 2] == 0x99))
		return 3; /* ” ’ */
	if (c == 0xC2 && i + 1 < len && t[i + 1] == 0xBB)
		return 2; /* » */
	return 0;
}

/* Can a sentence start at text[i]? A capital (ASCII or Latin-1 range of
 * UTF-8, for Spanish "Él", "Ángel"), a digit, or an opening quote, bracket
 * or Spanish inverted mark. */
static int opens_sentence(const unsigned char *t, size_t i, size_t len)
{
	unsigned char c = t[i];
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '"' ||
	    c == '\'' || c == '(' || c == '[')
		return 1;
	if (i + 1 >= len)
		return 0;
	if (c == 0xC3)
		return t[i + 1] >= 0x80 && t[i + 1] <= 0x9E && t[i + 1] != 0x97;
	if (c == 0xC2)
		return t[i + 1] == 0xAB || t[i + 1] == 0xBF || t[i + 1] == 0xA1;
	if (c == 0xE2 && i + 2 < len && t[i + 1] == 0x80)
		return t[i + 2] == 0x9C || t[i + 2] == 0x98; /* “ ‘ */
	return 0;
}

static void push(uint32_t **starts, size_t *n, size_t *cap, size_t at)
{
	XGROW(*starts, *cap, *n + 1);
	(*starts)[(*n)++] = (uint32_t)at;
}

/* A blank line (a whitespace run holding two newlines) also ends a
 * sentence: a headline or a list item need not end with a full stop. */
size_t passage_sentence_starts(const char *text, size_t len,
                               uint32_t **starts, size_t *n, size_t *cap)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t before = *n;
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	size_t i = 0;
	while (i < len && is_space(t[i]))
		i++;
	while (i < len) {
		unsigned char c = t[i];
		if (is_space(c)) {
			/* A whitespace run: a paragraph break if it has two
			 * newlines. */
			size_t j = i, nl = 0;
			while (j < len && is_space(t[j]))
				nl += t[j++] == '\n';
			if (nl >= 2 && j < len)
				push(starts, n, cap, j);
			i = j;
			continue;
		}
		if (c != '.' && c != '!' && c != '?') {
			i++;
			continue;
		}
		size_t stop = i;
		size_t j = i + 1;
		while (j < len && (t[j] == '.' || t[j] == '!' || t[j] == '?'))
			j++;
		size_t k;
		while (j < len && (k = closer_len(t, j, len)) > 0)
			j += k;
		if (j >= len || !is_space(t[j])) {
			i = j > i + 1 ? j : i + 1;
			continue;
		}
		size_t w = j, nl = 0;
		while (w < len && is_space(t[w]))
			nl += t[w++] == '\n';
		if (w < len && (nl >= 2 || (opens_sentence(t, w, len) &&
		    !(c == '.' && j == stop + 1 && ends_abbreviation(text, stop)))))
			push(starts, n, cap, w);
		i = w;
	}
	return *n - before;
}
