/* Character classes and folding for the analyzer: which codepoints make
 * words, and the one way a word is lowercased and stripped of accents
 * (utf8proc case folding + mark stripping + compatibility decomposition).
 * The tokenizer inlines an equivalent ASCII path; tests hold the two equal. */
#include "analyzer_internal.h"

#include <string.h>
#include <utf8proc.h>

#include "../common/strbuf.h"

/* Built by hand from fold_class's rules so ASCII needs no table lookup in
 * utf8proc; test_analyzer checks every byte against fold_class. */
const unsigned char fold_ascii_class[128] = {
	['\t'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
	[' '] = C_SPACE, ['\n'] = C_NL,
	['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT,
	['4'] = C_DIGIT, ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT,
	['8'] = C_DIGIT, ['9'] = C_DIGIT,
	['A'] = C_LETTER, ['B'] = C_LETTER, ['C'] = C_LETTER, ['D'] = C_LETTER,
	['E'] = C_LETTER, ['F'] = C_LETTER, ['G'] = C_LETTER, ['H'] = C_LETTER,
	['I'] = C_LETTER, ['J'] = C_LETTER, ['K'] = C_LETTER, ['L'] = C_LETTER,
	['M'] = C_LETTER, ['N'] = C_LETTER, ['O'] = C_LETTER, ['P'] = C_LETTER,
	['Q'] = C_LETTER, ['R'] = C_LETTER, ['S'] = C_LETTER, ['T'] = C_LETTER,
	['U'] = C_LETTER, ['V'] = C_LETTER, ['W'] = C_LETTER, ['X'] = C_LETTER,
	['Y'] = C_LETTER, ['Z'] = C_LETTER,
	['a'] = C_LETTER, ['b'] = C_LETTER, ['c'] = C_LETTER, ['d'] = C_LETTER,
	['e'] = C_LETTER, ['f'] = C_LETTER, ['g'] = C_LETTER, ['h'] = C_LETTER,
	['i'] = C_LETTER, ['j'] = C_LETTER, ['k'] = C_LETTER, ['l'] = C_LETTER,
	['m'] = C_LETTER, ['n'] = C_LETTER, ['o'] = C_LETTER, ['p'] = C_LETTER,
	['q'] = C_LETTER, ['r'] = C_LETTER, ['s'] = C_LETTER, ['t'] = C_LETTER,
	['u'] = C_LETTER, ['v'] = C_LETTER, ['w'] = C_LETTER, ['x'] = C_LETTER,
	['y'] = C_LETTER, ['z'] = C_LETTER,
	['\''] = C_APOS, ['-'] = C_HYPHEN, ['.'] = C_DOT, [','] = C_COMMA,
	['!'] = C_TERM, ['?'] = C_TERM,
	['"'] = C_CLOSE, [')'] = C_CLOSE, [']'] = C_CLOSE, ['}'] = C_CLOSE,
};

int fold_class_ascii(unsigned char c)
{
	return c < 128 ? fold_ascii_class[c] : C_OTHER;
}

/* Scripts written without spaces between words: one token per character,
 * so a query in them becomes a phrase of characters (AN_JOINED). */
static int is_ideo(int32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x2FDF) ||   /* CJK radicals */
	       (cp >= 0x3040 && cp <= 0x30FF) ||   /* hiragana, katakana */
	       (cp >= 0x3100 && cp <= 0x312F) ||   /* bopomofo */
	       (cp >= 0x31A0 && cp <= 0x31FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) ||   /* CJK extension A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* CJK unified */
	       (cp >= 0xA000 && cp <= 0xA4CF) ||   /* Yi */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||   /* CJK compatibility */
	       (cp >= 0x20000 && cp <= 0x3134F);   /* CJK extensions B-G */
}

int fold_class(int32_t cp)
{
	switch (cp) {
	case '\t': case '\v': case '\f': case '\r': case ' ':
		return C_SPACE;
	case '\n': case 0x2028:
		return C_NL;
	case 0x2029:
		return C_PARA;
	case '\'': case 0x2019: case 0x02BC: case 0xFF07:
		return C_APOS;
	case '-': case 0x2010: case 0x2011:
		return C_HYPHEN;
	case 0x00AD:
		return C_SOFT;
	case '.':
		return C_DOT;
	case ',':
		return C_COMMA;
	case '!': case '?': case 0x3002: case 0xFF01: case 0xFF1F:
		return C_TERM;
	case '"': case ')': case ']': case '}':
	case 0x201D: case 0x00BB: case 0x203A: case 0xFF09:
		return C_CLOSE;
	}
	if (cp < 0 || cp > 0x10FFFF)
		return C_OTHER;
	if (is_ideo(cp))
		return C_IDEO;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return C_LETTER;
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return C_MARK;
	case UTF8PROC_CATEGORY_ND:
		return C_DIGIT;
	case UTF8PROC_CATEGORY_ZS:
		return C_SPACE;
	default:
		return C_OTHER;
	}
}

int fold_case(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
		return 1;
	case UTF8PROC_CATEGORY_LL:
		return -1;
	default:
		return 0;
	}
}

size_t fold_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	utf8proc_int32_t c;
	utf8proc_ssize_t r = utf8proc_iterate(s, n > 4 ? 4 : (utf8proc_ssize_t)n, &c);
	if (r <= 0) {
		*cp = -1;
		return 1;
	}
	*cp = c;
	return (size_t)r;
}

size_t fold_cp(int32_t cp, char *dst)
{
	/* Hangul syllables and the no-space scripts: decomposing them (jamo,
	 * kana voicing marks) would change the word, not just its accents. */
	if ((cp >= 0xAC00 && cp <= 0xD7A3) || is_ideo(cp))
		return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)dst);
	utf8proc_int32_t buf[32];
	int bc = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, buf, 32,
		UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE |
		UTF8PROC_COMPAT, &bc);
	if (n <= 0 || n > 32)
		return 0;
	size_t w = 0;
	for (utf8proc_ssize_t k = 0; k < n; k++) {
		/* an apostrophe out of a compatibility form (U+0149) is dropped
		 * as the tokenizer drops apostrophes */
		if (buf[k] == 0x02BC || buf[k] == '\'')
			continue;
		w += (size_t)utf8proc_encode_char(buf[k], (utf8proc_uint8_t *)dst + w);
	}
	return w;
}

/* Everything outside words is kept as it is, so a multiword name keeps its
 * spaces ("Karen Bass" -> "karen bass"); apostrophes, soft hyphens, NUL
 * and invalid bytes go. No length limit: the caller chose the string. */
void analyzer_fold(analyzer *a, const char *s, size_t len, strbuf *out)
{
	(void)a;
	const unsigned char *u = (const unsigned char *)s;
	char tmp[FOLD_CP_MAX];
	size_t i = 0;
	while (i < len) {
		unsigned char c = u[i];
		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				sb_addch(out, c + 32);
			else if (c != '\'' && c != 0)
				sb_addch(out, c);
			i++;
			continue;
		}
		int32_t cp;
		size_t n = fold_decode(u + i, len - i, &cp);
		if (cp >= 0) {
			switch (fold_class(cp)) {
			case C_LETTER: case C_DIGIT: case C_MARK: case C_IDEO:
				sb_add(out, tmp, fold_cp(cp, tmp));
				break;
			case C_APOS: case C_SOFT:
				break;
			default:
				sb_add(out, u + i, n);
			}
		}
		i += n;
	}
	if (!out->buf)
		sb_grow(out, 0);
}
