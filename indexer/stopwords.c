/* Stop words (English, Spanish) and the abbreviations that do not end a
 * sentence. Static sorted tables and binary search: no state, no set-up,
 * safe from any thread. The words are folded (no accents, no apostrophes),
 * because that is what the tokenizer hands out. "us" is deliberately not an
 * English stop word: U.S. folds to it. */
#include "analyzer_internal.h"

#include <string.h>

static const char *const stop_en[] = {
	"a", "about", "above", "after", "again", "against", "all", "also", "am",
	"an", "and", "another", "any", "are", "arent", "around", "as", "at", "be",
	"because", "been", "before", "being", "below", "between", "both", "but",
	"by", "can", "cant", "could", "couldnt", "did", "didnt", "do", "does",
	"doesnt", "doing", "dont", "down", "during", "each", "either", "else",
	"even", "few", "for", "from", "further", "had", "has", "have", "having",
	"he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
	"however", "i", "if", "im", "in", "into", "is", "isnt", "it", "its",
	"itself", "ive", "just", "may", "me", "might", "more", "most", "much",
	"must", "my", "myself", "no", "nor", "not", "of", "off", "on", "once",
	"only", "onto", "or", "other", "our", "ours", "ourselves", "out", "over",
	"own", "same", "she", "should", "shouldnt", "so", "some", "such", "than",
	"that", "the", "their", "theirs", "them", "themselves", "then", "there",
	"these", "they", "theyre", "this", "those", "through", "to", "too",
	"under", "until", "up", "very", "was", "wasnt", "we", "were", "werent",
	"what", "when", "where", "whether", "which", "while", "who", "whom",
	"whose", "why", "will", "with", "wont", "would", "wouldnt", "you", "your",
	"youre", "yours", "yourself", "yourselves",
};

static const char *const stop_es[] = {
	"a", "acaso", "al", "algo", "alguien", "algun", "alguna", "algunas",
	"alguno", "algunos", "alli", "ambos", "ante", "antes", "aquel", "aquella",
	"aquellas", "aquello", "aquellos", "aqui", "asi", "aun", "aunque", "bajo",
	"bien", "cada", "casi", "como", "con", "contra", "cual", "cuales",
	"cualquier", "cuando", "cuanto", "cuantos", "de", "del", "demas", "desde",
	"donde", "durante", "e", "el", "ella", "ellas", "ello", "ellos", "en",
	"entonces", "entre", "era", "eran", "eres", "es", "esa", "esas", "ese",
	"eso", "esos", "esta", "estaba", "estaban", "estado", "estamos", "estan",
	"estar", "estas", "este", "esto", "estos", "estoy", "fue", "fuera",
	"fueron", "ha", "haber", "habia", "habian", "habra", "hacia", "han",
	"hasta", "hay", "he", "hemos", "la", "las", "le", "les", "lo", "los",
	"mas", "me", "mi", "mientras", "mis", "misma", "mismo", "mismos", "mucho",
	"muchos", "muy", "nada", "ni", "ningun", "ninguna", "ninguno", "no",
	"nos", "nosotros", "nuestra", "nuestras", "nuestro", "nuestros", "nunca",
	"o", "os", "otra", "otras", "otro", "otros", "para", "pero", "poco",
	"pocos", "por", "porque", "pues", "que", "quien", "quienes", "se", "sea",
	"sean", "segun", "ser", "sera", "si", "sido", "siempre", "siendo", "sin",
	"sino", "sobre", "solo", "son", "su", "sus", "suya", "suyas", "suyo",
	"suyos", "tal", "tambien", "tan", "tanto", "te", "tenemos", "tener",
	"tengo", "ti", "tiene", "tienen", "toda", "todas", "todo", "todos",
	"tras", "tu", "tus", "u", "un", "una", "unas", "uno", "unos", "usted",
	"ustedes", "va", "vamos", "van", "vosotros", "y", "ya", "yo",
};

static const char *const abbrev_cap[] = {
	"adm", "ala", "apr", "ariz", "ark", "atty", "aug", "ave", "blvd", "calif",
	"capt", "cmdr", "co", "col", "colo", "conn", "corp", "dec", "del", "dept",
	"det", "dr", "dra", "feb", "fla", "ft", "ga", "gen", "gov", "gral", "hon",
	"ill", "inc", "ind", "ing", "jan", "jr", "jul", "jun", "kan", "ky", "lic",
	"lt", "ltd", "maj", "mar", "mass", "md", "messrs", "mich", "minn", "miss",
	"mo", "mont", "mr", "mrs", "ms", "mt", "neb", "nev", "no", "nov", "oct",
	"okla", "ore", "pa", "pres", "prof", "rep", "rev", "sen", "sep", "sept",
	"sgt", "sr", "sra", "srta", "st", "supt", "tenn", "tex", "va", "vt",
	"wash", "wis", "wyo",
};

static const char *const abbrev_any[] = {
	"approx", "cf", "dept", "est", "vs",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* strcmp order between a counted word and a C string */
static int cmp_word(const char *w, size_t len, const char *s)
{
	size_t sl = strlen(s);
	int c = memcmp(w, s, len < sl ? len : sl);
	if (c)
		return c;
	return len < sl ? -1 : len > sl;
}

int word_in_sorted(const char *const *tab, size_t n, const char *w, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_word(w, len, tab[mid]);
		if (!c)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int analyzer_is_stopword(const char *lang, const char *word, size_t len)
{
	if (!lang || !word || len == 0 || len > 16)
		return 0;
	if (!strcmp(lang, "en") || !strcmp(lang, "english"))
		return word_in_sorted(stop_en, NELEM(stop_en), word, len);
	if (!strcmp(lang, "es") || !strcmp(lang, "spanish"))
		return word_in_sorted(stop_es, NELEM(stop_es), word, len);
	return 0;
}

int stop_is_abbrev(const char *word, size_t len, int capitalized)
{
	if (len == 0 || len > 8)
		return 0;
	if (capitalized && word_in_sorted(abbrev_cap, NELEM(abbrev_cap), word, len))
		return 1;
	return word_in_sorted(abbrev_any, NELEM(abbrev_any), word, len);
}

/* For the tests: every table must be sorted for the binary search. */
int stop_tables_sorted(void)
{
	const char *const *tabs[] = { stop_en, stop_es, abbrev_cap, abbrev_any };
	size_t ns[] = { NELEM(stop_en), NELEM(stop_es), NELEM(abbrev_cap),
	                NELEM(abbrev_any) };
	for (size_t t = 0; t < 4; t++)
		for (size_t k = 1; k < ns[t]; k++)
			if (strcmp(tabs[t][k - 1], tabs[t][k]) >= 0)
				return 0;
	return 1;
}

size_t stop_count(const char *lang)
{
	if (!strcmp(lang, "en"))
		return NELEM(stop_en);
	if (!strcmp(lang, "es"))
		return NELEM(stop_es);
	return 0;
}
