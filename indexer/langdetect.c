/* English or Spanish? Count hits of each language's most frequent function
 * words in the start of the text. Words the two share ("a", "no", "me",
 * "he", "e") count for neither. Stateless; "en" when unsure. */
#include "analyzer_internal.h"

#include <string.h>

#define DETECT_BYTES 2000

/* sorted, folded; about fifty each */
static const char *const top_en[] = {
	"about", "after", "all", "an", "and", "are", "as", "at", "be", "been",
	"but", "by", "can", "could", "for", "from", "had", "has", "have", "her",
	"his", "if", "in", "into", "is", "it", "its", "more", "not", "of",
	"on", "or", "said", "she", "than", "that", "the", "their", "there",
	"they", "this", "to", "was", "were", "which", "who", "will", "with",
	"would", "you",
};
static const char *const top_es[] = {
	"al", "como", "con", "cuando", "de", "del", "desde", "donde", "el",
	"ella", "en", "entre", "es", "esta", "este", "fue", "ha", "han", "hasta",
	"hay", "la", "las", "le", "les", "lo", "los", "mas", "muy", "para",
	"pero", "por", "porque", "que", "se", "ser", "si", "sin", "sobre",
	"son", "su", "sus", "tambien", "todo", "una", "uno", "y", "ya",
};

const char *analyzer_detect_lang(const char *text, size_t len)
{
	if (!text)
		return "en";
	const unsigned char *s = (const unsigned char *)text;
	size_t end = len < DETECT_BYTES ? len : DETECT_BYTES;
	int en = 0, es = 0;
	size_t i = 0;
	while (i < end) {
		/* one word: letters folded into w, longer words just skipped */
		char w[16];
		size_t wl = 0;
		int too_long = 0;
		while (i < end) {
			int32_t cp;
			size_t n = fold_decode(s + i, end - i, &cp);
			if (cp < 0 || fold_class(cp) != C_LETTER) {
				if (wl || too_long)
					break;
				i += n;
				continue;
			}
			char f[FOLD_CP_MAX];
			size_t fl = fold_cp(cp, f);
			if (wl + fl < sizeof w) {
				memcpy(w + wl, f, fl);
				wl += fl;
			} else {
				too_long = 1;
			}
			i += n;
		}
		if (!wl || too_long)
			continue;
		w[wl] = '\0';
		en += word_in_sorted(top_en, sizeof top_en / sizeof *top_en, w, wl);
		es += word_in_sorted(top_es, sizeof top_es / sizeof *top_es, w, wl);
	}
	return es >= 3 && es > en ? "es" : "en";
}
