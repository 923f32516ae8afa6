/* Direct quotes and their speakers (quotes.h). Two steps over one article
 * body: find the stretches between quotation marks, paragraph by
 * paragraph (as the gold set's README has it), then give each one a
 * speaker from the words around it, using the analyzer's tokens (their
 * folded forms, capitals, sentence starts) and the entity tagger's
 * officials. It must not tokenise again, allocate per token beyond one
 * array, or keep anything between calls. The rules are written down, with
 * why, in docs/quote-guidelines.md. */
#include "quotes.h"

#include <stdlib.h>
#include <string.h>

#include "../common/xalloc.h"
#include "analyzer_internal.h"

#define NELEM(a) (sizeof(a) / sizeof *(a))
#define NONE ((uint32_t)-1)

/* Word tables: folded, in strcmp order (word_in_sorted; the tests check). */
/* Which word tables token i is in, looked up once per token (the rules
 * ask the same token many times: a per-call cache, never shared). */
enum {
	TF_VERB_INV = 1u << 0, TF_VERB_PRE = 1u << 1, TF_HONOR_M = 1u << 2,
	TF_HONOR_F = 1u << 3, TF_HONOR_N = 1u << 4, TF_PRON_M = 1u << 5,
	TF_PRON_F = 1u << 6, TF_PRON_N = 1u << 7, TF_ROLE = 1u << 8,
	TF_TITLE = 1u << 9, TF_ORG = 1u << 10, TF_AUX = 1u << 11,
	TF_STOP = 1u << 12, TF_STOP_DONE = 1u << 30, TF_DONE = 1u << 31
};
/* Every word of the rules' tables (cue verbs, honorifics, pronouns, role
 * nouns, title words, organisation words, auxiliaries) with the tables it
 * is in: one binary search per token. */
static const struct qt_word {
	const char *w;
	uint16_t tables;   /* TF_* bits */
} qt_words[] = {
	{ "according", TF_VERB_PRE },
	{ "accused", TF_VERB_PRE },
	{ "accuses", TF_VERB_PRE },
	{ "accusing", TF_VERB_PRE },
	{ "acknowledged", TF_VERB_INV },
	{ "aclaro", TF_VERB_INV },
	{ "acting", TF_TITLE },
	{ "added", TF_VERB_INV },
	{ "adding", TF_VERB_PRE },
	{ "adds", TF_VERB_INV },
	{ "ademas", TF_AUX },
	{ "admitio", TF_VERB_INV },
	{ "admitted", TF_VERB_INV },
	{ "advertido", TF_VERB_INV },
	{ "advierte", TF_VERB_INV },
	{ "advirtio", TF_VERB_INV },
	{ "adviser", TF_ROLE },
	{ "advisor", TF_ROLE },
	{ "afirma", TF_VERB_INV },
	{ "afirmaba", TF_VERB_INV },
	{ "afirmado", TF_VERB_INV },
	{ "afirmo", TF_VERB_INV },
	{ "again", TF_AUX },
	{ "agency", TF_ORG },
	{ "agrega", TF_VERB_INV },
	{ "agregado", TF_VERB_INV },
	{ "agrego", TF_VERB_INV },
	{ "aide", TF_ROLE },
	{ "alcalde", TF_ROLE|TF_TITLE },
	{ "alcaldesa", TF_ROLE|TF_TITLE },
	{ "alliance", TF_ORG },
	{ "already", TF_AUX },
	{ "also", TF_AUX },
	{ "anade", TF_VERB_INV },
	{ "anadido", TF_VERB_INV },
	{ "anadio", TF_VERB_INV },
	{ "announced", TF_VERB_PRE },
	{ "announces", TF_VERB_PRE },
	{ "answered", TF_VERB_INV },
	{ "anuncia", TF_VERB_INV },
	{ "anunciado", TF_VERB_INV },
	{ "anuncio", TF_VERB_INV },
	{ "apunta", TF_VERB_INV },
	{ "apuntado", TF_VERB_INV },
	{ "apunto", TF_VERB_INV },
	{ "archbishop", TF_TITLE },
	{ "are", TF_AUX },
	{ "argue", TF_VERB_PRE },
	{ "argued", TF_VERB_INV },
	{ "argues", TF_VERB_INV },
	{ "arguing", TF_VERB_PRE },
	{ "argumenta", TF_VERB_INV },
	{ "argumento", TF_VERB_INV },
	{ "asegura", TF_VERB_INV },
	{ "aseguraba", TF_VERB_INV },
	{ "asegurado", TF_VERB_INV },
	{ "aseguro", TF_VERB_INV },
	{ "asevera", TF_VERB_INV },
	{ "asevero", TF_VERB_INV },
	{ "asked", TF_VERB_INV },
	{ "asking", TF_VERB_PRE },
	{ "asks", TF_VERB_INV },
	{ "asociacion", TF_ORG },
	{ "association", TF_ORG },
	{ "attacked", TF_VERB_PRE },
	{ "attorney", TF_TITLE },
	{ "authority", TF_ORG },
	{ "ayer", TF_AUX },
	{ "ayuntamiento", TF_ORG },
	{ "bank", TF_ORG },
	{ "baron", TF_HONOR_M },
	{ "baroness", TF_HONOR_F },
	{ "bbc", TF_ORG },
	{ "believes", TF_VERB_PRE },
	{ "blamed", TF_VERB_PRE },
	{ "board", TF_ORG },
	{ "boasted", TF_VERB_PRE },
	{ "branded", TF_VERB_PRE },
	{ "branding", TF_VERB_PRE },
	{ "brands", TF_VERB_PRE },
	{ "called", TF_VERB_PRE },
	{ "calls", TF_VERB_PRE },
	{ "campaign", TF_ORG },
	{ "canciller", TF_TITLE },
	{ "cautioned", TF_VERB_PRE },
	{ "center", TF_ORG },
	{ "centre", TF_ORG },
	{ "chair", TF_ROLE },
	{ "chairman", TF_ROLE|TF_TITLE },
	{ "chairwoman", TF_ROLE|TF_TITLE },
	{ "chamber", TF_ORG },
	{ "chambers", TF_ORG },
	{ "chancellor", TF_ROLE|TF_TITLE },
	{ "chief", TF_ROLE|TF_TITLE },
	{ "claimed", TF_VERB_PRE },
	{ "claiming", TF_VERB_PRE },
	{ "claims", TF_VERB_PRE },
	{ "coalition", TF_ORG },
	{ "col", TF_TITLE },
	{ "comenta", TF_VERB_INV },
	{ "comentado", TF_VERB_INV },
	{ "comento", TF_VERB_INV },
	{ "comision", TF_ORG },
	{ "commission", TF_ORG },
	{ "commissioner", TF_ROLE|TF_TITLE },
	{ "committee", TF_ORG },
	{ "commons", TF_ORG },
	{ "company", TF_ORG },
	{ "complained", TF_VERB_PRE },
	{ "conceded", TF_VERB_INV },
	{ "concejal", TF_ROLE|TF_TITLE },
	{ "concejala", TF_ROLE },
	{ "concluyo", TF_VERB_INV },
	{ "condemned", TF_VERB_PRE },
	{ "condemning", TF_VERB_PRE },
	{ "confederation", TF_ORG },
	{ "confeso", TF_VERB_INV },
	{ "confessed", TF_VERB_PRE },
	{ "confesses", TF_VERB_PRE },
	{ "confided", TF_VERB_PRE },
	{ "congreso", TF_ORG },
	{ "consejera", TF_ROLE|TF_TITLE },
	{ "consejero", TF_ROLE|TF_TITLE },
	{ "consejo", TF_ORG },
	{ "conservatives", TF_ORG },
	{ "considera", TF_VERB_INV },
	{ "constable", TF_TITLE },
	{ "contesta", TF_VERB_INV },
	{ "contesto", TF_VERB_INV },
	{ "continued", TF_VERB_INV },
	{ "continues", TF_VERB_INV },
	{ "corp", TF_ORG },
	{ "corporation", TF_ORG },
	{ "could", TF_AUX },
	{ "council", TF_ORG },
	{ "councillor", TF_TITLE },
	{ "councilman", TF_TITLE },
	{ "councilmember", TF_TITLE },
	{ "councilwoman", TF_TITLE },
	{ "court", TF_ORG },
	{ "criticado", TF_VERB_INV },
	{ "criticised", TF_VERB_PRE },
	{ "criticises", TF_VERB_PRE },
	{ "criticized", TF_VERB_PRE },
	{ "critico", TF_VERB_INV },
	{ "cuestiono", TF_VERB_INV },
	{ "dame", TF_HONOR_F },
	{ "decia", TF_VERB_INV },
	{ "declara", TF_VERB_INV },
	{ "declarado", TF_VERB_INV },
	{ "declared", TF_VERB_INV },
	{ "declares", TF_VERB_PRE },
	{ "declaring", TF_VERB_PRE },
	{ "declaro", TF_VERB_INV },
	{ "defendio", TF_VERB_INV },
	{ "delegada", TF_ROLE },
	{ "delegado", TF_ROLE },
	{ "democrats", TF_ORG },
	{ "denied", TF_VERB_PRE },
	{ "denies", TF_VERB_PRE },
	{ "denuncia", TF_VERB_INV },
	{ "denunciado", TF_VERB_INV },
	{ "denuncio", TF_VERB_INV },
	{ "department", TF_ORG },
	{ "deputy", TF_TITLE },
	{ "described", TF_VERB_PRE },
	{ "describes", TF_VERB_PRE },
	{ "describing", TF_VERB_PRE },
	{ "destaca", TF_VERB_INV },
	{ "destacado", TF_VERB_INV },
	{ "destaco", TF_VERB_INV },
	{ "detallo", TF_VERB_INV },
	{ "detective", TF_TITLE },
	{ "dice", TF_VERB_INV },
	{ "dicho", TF_VERB_INV },
	{ "dijo", TF_VERB_INV },
	{ "diputada", TF_ROLE|TF_TITLE },
	{ "diputado", TF_ROLE|TF_TITLE },
	{ "director", TF_ROLE|TF_TITLE },
	{ "directora", TF_ROLE },
	{ "dismissed", TF_VERB_PRE },
	{ "dismisses", TF_VERB_PRE },
	{ "don", TF_HONOR_M },
	{ "dona", TF_HONOR_F },
	{ "dr", TF_HONOR_N },
	{ "dubbed", TF_VERB_PRE },
	{ "earlier", TF_AUX },
	{ "ella", TF_PRON_F },
	{ "ellas", TF_PRON_N },
	{ "ellos", TF_PRON_N },
	{ "enfatizo", TF_VERB_INV },
	{ "entonces", TF_AUX },
	{ "escribe", TF_VERB_INV },
	{ "escribio", TF_VERB_INV },
	{ "ex", TF_TITLE },
	{ "exclamo", TF_VERB_INV },
	{ "executive", TF_ORG },
	{ "explained", TF_VERB_INV },
	{ "explains", TF_VERB_INV },
	{ "explica", TF_VERB_INV },
	{ "explicado", TF_VERB_INV },
	{ "explico", TF_VERB_INV },
	{ "expresa", TF_VERB_INV },
	{ "expresado", TF_VERB_INV },
	{ "expreso", TF_VERB_INV },
	{ "expuso", TF_VERB_INV },
	{ "federation", TF_ORG },
	{ "fiscal", TF_ROLE|TF_TITLE },
	{ "foreign", TF_TITLE },
	{ "former", TF_TITLE },
	{ "found", TF_VERB_PRE },
	{ "foundation", TF_ORG },
	{ "fuente", TF_ROLE },
	{ "fuentes", TF_ROLE },
	{ "fundacion", TF_ORG },
	{ "further", TF_AUX },
	{ "gen", TF_TITLE },
	{ "general", TF_ROLE|TF_TITLE },
	{ "gobernador", TF_ROLE|TF_TITLE },
	{ "gobernadora", TF_ROLE|TF_TITLE },
	{ "gobierno", TF_ORG },
	{ "gov", TF_TITLE },
	{ "government", TF_ORG },
	{ "governor", TF_ROLE|TF_TITLE },
	{ "group", TF_ORG },
	{ "guardia", TF_ORG },
	{ "ha", TF_AUX },
	{ "habia", TF_AUX },
	{ "habian", TF_AUX },
	{ "had", TF_AUX },
	{ "hailed", TF_VERB_PRE },
	{ "han", TF_AUX },
	{ "has", TF_AUX },
	{ "have", TF_AUX },
	{ "he", TF_PRON_M },
	{ "herself", TF_AUX },
	{ "himself", TF_AUX },
	{ "home", TF_TITLE },
	{ "house", TF_ORG },
	{ "hoy", TF_AUX },
	{ "implored", TF_VERB_PRE },
	{ "inc", TF_ORG },
	{ "indica", TF_VERB_INV },
	{ "indicado", TF_VERB_INV },
	{ "indico", TF_VERB_INV },
	{ "informaba", TF_VERB_INV },
	{ "informado", TF_VERB_INV },
	{ "informo", TF_VERB_INV },
	{ "insist", TF_VERB_PRE },
	{ "insiste", TF_VERB_INV },
	{ "insisted", TF_VERB_INV },
	{ "insistido", TF_VERB_INV },
	{ "insisting", TF_VERB_PRE },
	{ "insistio", TF_VERB_INV },
	{ "insists", TF_VERB_INV },
	{ "inspector", TF_TITLE },
	{ "institute", TF_ORG },
	{ "interim", TF_TITLE },
	{ "is", TF_AUX },
	{ "jefa", TF_ROLE|TF_TITLE },
	{ "jefe", TF_ROLE|TF_TITLE },
	{ "joked", TF_VERB_PRE },
	{ "judge", TF_ROLE|TF_TITLE },
	{ "juez", TF_ROLE|TF_TITLE },
	{ "jueza", TF_ROLE|TF_TITLE },
	{ "junta", TF_ORG },
	{ "justice", TF_TITLE },
	{ "king", TF_TITLE },
	{ "labeled", TF_VERB_PRE },
	{ "labelled", TF_VERB_PRE },
	{ "labour", TF_ORG },
	{ "lady", TF_HONOR_F },
	{ "lamento", TF_VERB_INV },
	{ "last", TF_AUX },
	{ "later", TF_AUX },
	{ "leader", TF_ROLE|TF_TITLE },
	{ "league", TF_ORG },
	{ "lider", TF_ROLE|TF_TITLE },
	{ "likened", TF_VERB_PRE },
	{ "llc", TF_ORG },
	{ "lord", TF_HONOR_M },
	{ "lords", TF_ORG },
	{ "lt", TF_TITLE },
	{ "ltd", TF_ORG },
	{ "luego", TF_AUX },
	{ "maintained", TF_VERB_PRE },
	{ "manifestado", TF_VERB_INV },
	{ "manifesto", TF_VERB_INV },
	{ "manifiesta", TF_VERB_INV },
	{ "may", TF_AUX },
	{ "mayor", TF_ROLE|TF_TITLE },
	{ "menciono", TF_VERB_INV },
	{ "mep", TF_TITLE },
	{ "might", TF_AUX },
	{ "minister", TF_ROLE|TF_TITLE },
	{ "ministerio", TF_ORG },
	{ "ministra", TF_ROLE|TF_TITLE },
	{ "ministro", TF_ROLE|TF_TITLE },
	{ "ministry", TF_ORG },
	{ "miss", TF_HONOR_F },
	{ "mp", TF_TITLE },
	{ "mr", TF_HONOR_M },
	{ "mrs", TF_HONOR_F },
	{ "ms", TF_HONOR_F },
	{ "network", TF_ORG },
	{ "news", TF_ORG },
	{ "night", TF_AUX },
	{ "noted", TF_VERB_INV },
	{ "notes", TF_VERB_INV },
	{ "observed", TF_VERB_INV },
	{ "office", TF_ORG },
	{ "officer", TF_TITLE },
	{ "official", TF_ROLE },
	{ "officials", TF_ROLE },
	{ "often", TF_AUX },
	{ "once", TF_AUX },
	{ "opino", TF_VERB_INV },
	{ "organisation", TF_ORG },
	{ "organization", TF_ORG },
	{ "papa", TF_TITLE },
	{ "partido", TF_ORG },
	{ "party", TF_ORG },
	{ "planteo", TF_VERB_INV },
	{ "plc", TF_ORG },
	{ "pledge", TF_VERB_PRE },
	{ "pledged", TF_VERB_PRE },
	{ "pledges", TF_VERB_PRE },
	{ "pointed", TF_VERB_PRE },
	{ "police", TF_ORG },
	{ "policia", TF_ORG },
	{ "pope", TF_TITLE },
	{ "portavoz", TF_ROLE|TF_TITLE },
	{ "post", TF_ORG },
	{ "precisado", TF_VERB_INV },
	{ "preciso", TF_VERB_INV },
	{ "predicted", TF_VERB_INV },
	{ "pregunta", TF_VERB_INV },
	{ "pregunto", TF_VERB_INV },
	{ "premier", TF_ROLE },
	{ "president", TF_ROLE|TF_TITLE },
	{ "presidenta", TF_ROLE|TF_TITLE },
	{ "presidente", TF_ROLE|TF_TITLE },
	{ "presumio", TF_VERB_INV },
	{ "previously", TF_AUX },
	{ "prime", TF_TITLE },
	{ "prince", TF_TITLE },
	{ "princess", TF_TITLE },
	{ "prof", TF_HONOR_N },
	{ "professor", TF_TITLE },
	{ "promised", TF_VERB_PRE },
	{ "promises", TF_VERB_PRE },
	{ "promising", TF_VERB_PRE },
	{ "publicly", TF_AUX },
	{ "puntualizo", TF_VERB_INV },
	{ "queen", TF_TITLE },
	{ "questioned", TF_VERB_PRE },
	{ "quoted", TF_VERB_PRE },
	{ "recalled", TF_VERB_INV },
	{ "recently", TF_AUX },
	{ "reconoce", TF_VERB_INV },
	{ "reconocido", TF_VERB_INV },
	{ "reconocio", TF_VERB_INV },
	{ "recordado", TF_VERB_INV },
	{ "recordo", TF_VERB_INV },
	{ "recuerda", TF_VERB_INV },
	{ "reina", TF_TITLE },
	{ "rejected", TF_VERB_PRE },
	{ "relata", TF_VERB_INV },
	{ "relato", TF_VERB_INV },
	{ "remarco", TF_VERB_INV },
	{ "remarked", TF_VERB_INV },
	{ "rep", TF_TITLE },
	{ "repeatedly", TF_AUX },
	{ "replico", TF_VERB_INV },
	{ "replied", TF_VERB_INV },
	{ "replies", TF_VERB_INV },
	{ "report", TF_ROLE },
	{ "representative", TF_ROLE },
	{ "resalto", TF_VERB_INV },
	{ "responde", TF_VERB_INV },
	{ "responded", TF_VERB_INV },
	{ "respondido", TF_VERB_INV },
	{ "respondio", TF_VERB_INV },
	{ "rev", TF_HONOR_N|TF_TITLE },
	{ "revealed", TF_VERB_PRE },
	{ "reverend", TF_HONOR_N },
	{ "rey", TF_TITLE },
	{ "said", TF_VERB_INV },
	{ "say", TF_VERB_PRE },
	{ "saying", TF_VERB_PRE },
	{ "says", TF_VERB_INV },
	{ "secretaria", TF_ROLE|TF_TITLE },
	{ "secretario", TF_ROLE|TF_TITLE },
	{ "secretary", TF_ROLE|TF_TITLE },
	{ "segun", TF_VERB_PRE },
	{ "sen", TF_TITLE },
	{ "senado", TF_ORG },
	{ "senador", TF_ROLE|TF_TITLE },
	{ "senadora", TF_ROLE|TF_TITLE },
	{ "senala", TF_VERB_INV },
	{ "senalado", TF_VERB_INV },
	{ "senalo", TF_VERB_INV },
	{ "senator", TF_ROLE|TF_TITLE },
	{ "senor", TF_HONOR_M },
	{ "senora", TF_HONOR_F },
	{ "sentencia", TF_VERB_INV },
	{ "sentencio", TF_VERB_INV },
	{ "service", TF_ORG },
	{ "services", TF_ORG },
	{ "sgt", TF_TITLE },
	{ "shadow", TF_TITLE },
	{ "she", TF_PRON_F },
	{ "sheriff", TF_ROLE },
	{ "since", TF_AUX },
	{ "sindicato", TF_ORG },
	{ "sir", TF_HONOR_M },
	{ "society", TF_ORG },
	{ "sostenido", TF_VERB_INV },
	{ "sostiene", TF_VERB_INV },
	{ "sostuvo", TF_VERB_INV },
	{ "source", TF_ROLE },
	{ "sources", TF_ROLE },
	{ "spokesman", TF_ROLE|TF_TITLE },
	{ "spokesmen", TF_ROLE },
	{ "spokespeople", TF_ROLE },
	{ "spokesperson", TF_ROLE },
	{ "spokeswoman", TF_ROLE|TF_TITLE },
	{ "sr", TF_HONOR_M },
	{ "sra", TF_HONOR_F },
	{ "srta", TF_HONOR_F },
	{ "stated", TF_VERB_PRE },
	{ "statement", TF_ROLE },
	{ "street", TF_ORG },
	{ "stressed", TF_VERB_INV },
	{ "stressing", TF_VERB_PRE },
	{ "study", TF_ROLE },
	{ "subraya", TF_VERB_INV },
	{ "subrayado", TF_VERB_INV },
	{ "subrayo", TF_VERB_INV },
	{ "suggest", TF_VERB_PRE },
	{ "suggested", TF_VERB_INV },
	{ "suggesting", TF_VERB_PRE },
	{ "superintendent", TF_TITLE },
	{ "tambien", TF_AUX },
	{ "tell", TF_VERB_PRE },
	{ "tells", TF_VERB_PRE },
	{ "then", TF_AUX },
	{ "they", TF_PRON_N },
	{ "times", TF_ORG },
	{ "today", TF_AUX },
	{ "told", TF_VERB_PRE },
	{ "tories", TF_ORG },
	{ "tribunal", TF_ORG },
	{ "trust", TF_ORG },
	{ "tuiteo", TF_VERB_INV },
	{ "tweeted", TF_VERB_PRE },
	{ "union", TF_ORG },
	{ "universidad", TF_ORG },
	{ "university", TF_ORG },
	{ "urged", TF_VERB_PRE },
	{ "urges", TF_VERB_PRE },
	{ "urging", TF_VERB_PRE },
	{ "vicepresidenta", TF_TITLE },
	{ "vicepresidente", TF_TITLE },
	{ "vocera", TF_ROLE },
	{ "vocero", TF_ROLE },
	{ "vowed", TF_VERB_PRE },
	{ "vows", TF_VERB_PRE },
	{ "warn", TF_VERB_PRE },
	{ "warned", TF_VERB_INV },
	{ "warning", TF_VERB_PRE },
	{ "warns", TF_VERB_INV },
	{ "was", TF_AUX },
	{ "we", TF_PRON_N },
	{ "welcomed", TF_VERB_PRE },
	{ "went", TF_VERB_PRE },
	{ "were", TF_AUX },
	{ "will", TF_AUX },
	{ "would", TF_AUX },
	{ "writes", TF_VERB_INV },
	{ "wrote", TF_VERB_INV },
	{ "ya", TF_AUX },
	{ "yesterday", TF_AUX },
};

void qt_quotes_clear(qt_quotes *q)
{
	q->n = 0;
	sb_reset(&q->arena);
	sb_addch(&q->arena, '\0');  /* offset 0 is "" */
}

void qt_quotes_release(qt_quotes *q)
{
	free(q->v);
	sb_release(&q->arena);
	memset(q, 0, sizeof *q);
}

static uint32_t arena_add(qt_quotes *q, const char *s, size_t n)
{
	if (!n)
		return 0;
	uint32_t off = (uint32_t)q->arena.len;
	sb_add(&q->arena, s, n);
	sb_addch(&q->arena, '\0');
	return off;
}

/* ---- quotation marks ------------------------------------------------- */

enum { M_NONE, M_OPEN, M_CLOSE, M_AMBIG };

/* The mark at body[i] (its length in *n), or M_NONE. */
static int mark_at(const char *b, size_t i, size_t end, size_t *n)
{
	const unsigned char *s = (const unsigned char *)b;
	*n = 1;
	if (s[i] == '"')
		return M_AMBIG;
	if (s[i] == '\'' && i + 1 < end && s[i + 1] == '\'') {
		*n = 2;     /* a typewriter double quote: '' */
		return M_AMBIG;
	}
	if (s[i] == 0xC2 && i + 1 < end) {
		*n = 2;
		if (s[i + 1] == 0xAB)
			return M_OPEN;    /* « */
		if (s[i + 1] == 0xBB)
			return M_CLOSE;   /* » */
	}
	if (s[i] == 0xE2 && i + 2 < end && s[i + 1] == 0x80) {
		*n = 3;
		if (s[i + 2] == 0x9C || s[i + 2] == 0x9E)
			return M_OPEN;    /* “ „ */
		if (s[i + 2] == 0x9D)
			return M_CLOSE;   /* ” */
	}
	*n = 1;
	return M_NONE;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A dash (– —) ending at body[i - 1] or starting at body[i]. */
static int dash_before(const char *b, size_t i, size_t lo)
{
	const unsigned char *s = (const unsigned char *)b;
	return i >= lo + 3 && s[i - 3] == 0xE2 && s[i - 2] == 0x80 &&
	       (s[i - 1] == 0x93 || s[i - 1] == 0x94);
}

static int emdash_at(const char *b, size_t i, size_t end)
{
	const unsigned char *s = (const unsigned char *)b;
	return i + 2 < end && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x94;
}

/* Whether a straight mark opens or closes, from its neighbours. */
static int straight_kind(const char *b, size_t i, size_t n, size_t ps,
                         size_t pe)
{
	unsigned char prev = i > ps ? (unsigned char)b[i - 1] : '\n';
	unsigned char next = i + n < pe ? (unsigned char)b[i + n] : '\n';
	if (is_space(prev) || strchr("([{-/", prev) || dash_before(b, i, ps))
		return is_space(next) ? M_AMBIG : M_OPEN;
	if (is_space(next) || strchr(".,;:!?)]}-'", next) ||
	    (next == 0xE2 && i + n + 2 < pe))
		return M_CLOSE;
	return M_AMBIG;
}

struct region {
	uint32_t s, e;        /* the quoted words */
	uint32_t open_end;    /* the paragraph ended with the quote open */
	uint32_t para_start;  /* it opened at the paragraph's start */
	uint32_t t0, t1;      /* tokens inside: [t0, t1) */
	uint32_t speaker;     /* index into the people, or NONE */
	uint32_t cue_tok;     /* token of the cue verb, or NONE */
	uint32_t cue_end;     /* last token of the cue phrase (after-cues) */
	uint8_t how;
	uint8_t keep;
	uint32_t group;
};

struct ctx {
	const char *b;
	size_t len;
	const an_tokens *toks;
	const ent_mentions *ents;
	size_t efrom, eto;
	int es;               /* Spanish cues and articles */
	struct region *r;
	size_t nr, rcap;
	int32_t *treg;        /* per token: its region, or -1 */
	uint32_t *tf;         /* per token: tflags, 0 until asked */
	struct person *p;
	size_t np, pcap;
	strbuf tmp;
	/* speaker events in text order, for pronouns and floating quotes */
	struct event { uint32_t pos, who; uint8_t mention; } *ev;
	size_t nev, evcap;
};

static void add_region(struct ctx *c, size_t s, size_t e, int open_end,
                       int para_start)
{
	while (s < e && is_space((unsigned char)c->b[s]))
		s++;
	while (e > s && is_space((unsigned char)c->b[e - 1]))
		e--;
	if (e <= s)
		return;
	XGROW(c->r, c->rcap, c->nr + 1);
	struct region *r = &c->r[c->nr++];
	memset(r, 0, sizeof *r);
	r->s = (uint32_t)s;
	r->e = (uint32_t)e;
	r->open_end = (uint32_t)open_end;
	r->para_start = (uint32_t)para_start;
	r->speaker = r->cue_tok = r->cue_end = NONE;
	r->keep = 1;
}

/* A paragraph that opens with an em dash is dialogue (Spanish style):
 * "—Words —dijo el ministro—. More words." The words run to the next dash;
 * after the narrator's part, a third dash reopens them. */
static void dash_paragraph(struct ctx *c, size_t ps, size_t pe)
{
	size_t i = ps;
	while (i < pe && is_space((unsigned char)c->b[i]))
		i++;
	if (!emdash_at(c->b, i, pe))
		return;
	size_t q0 = i + 3, d1 = q0;
	while (d1 < pe && !emdash_at(c->b, d1, pe))
		d1++;
	add_region(c, q0, d1, 0, 1);
	if (d1 >= pe)
		return;
	size_t d2 = d1 + 3;
	while (d2 < pe && !emdash_at(c->b, d2, pe))
		d2++;
	if (d2 >= pe)
		return;
	size_t q1 = d2 + 3;
	while (q1 < pe && strchr(".,; ", c->b[q1]))
		q1++;
	add_region(c, q1, pe, 0, 0);
}

/* The regions of one paragraph body[ps..pe): pairs of double marks; an
 * open mark while one is open ends the first quote before it; a close mark
 * with none open starts at the paragraph. */
static void paragraph_regions(struct ctx *c, size_t ps, size_t pe)
{
	size_t before = c->nr;
	size_t cur = (size_t)-1, curn = 0;
	int cur_curly = 0;
	for (size_t i = ps; i < pe;) {
		size_t n;
		int k = mark_at(c->b, i, pe, &n);
		if (k == M_NONE) {
			i++;
			continue;
		}
		int straight = k == M_AMBIG;
		if (straight && cur != (size_t)-1 && cur_curly && n == 1) {
			/* a straight mark inside a curly quote closed later in
			 * the paragraph is a nested quote */
			int later = 0;
			for (size_t j = i + 1; j < pe; j++) {
				size_t m;
				if (mark_at(c->b, j, pe, &m) == M_CLOSE) {
					later = 1;
					break;
				}
			}
			if (later) {
				i += n;
				continue;
			}
		}
		if (straight)
			k = straight_kind(c->b, i, n, ps, pe);
		if (k == M_AMBIG)
			k = cur != (size_t)-1 ? M_CLOSE : M_OPEN;
		if (k == M_OPEN) {
			if (cur != (size_t)-1)
				add_region(c, cur + curn, i, 0, cur == ps);
			cur = i;
			curn = n;
			cur_curly = !straight;
		} else if (cur == (size_t)-1) {
			/* a close mark with none open: from the paragraph start,
			 * or (a long paragraph: a reader may have joined lines)
			 * the last sentence start before it */
			size_t s0 = ps;
			if (i - ps > 400)
				for (size_t j = i; j > ps + 2; j--)
					if (strchr(".!?", c->b[j - 2]) && c->b[j - 1] == ' ') {
						s0 = j;
						break;
					}
			add_region(c, s0, i, 0, s0 == ps);
		} else {
			size_t j = ps;
			while (j < cur && is_space((unsigned char)c->b[j]))
				j++;
			add_region(c, cur + curn, i, 0, j == cur);
			cur = (size_t)-1;
		}
		i += n;
	}
	if (cur != (size_t)-1) {
		size_t j = ps;
		while (j < cur && is_space((unsigned char)c->b[j]))
			j++;
		add_region(c, cur + curn, pe, 1, j == cur);
	}
	if (c->nr == before)
		dash_paragraph(c, ps, pe);
}

static void find_regions(struct ctx *c)
{
	size_t ps = 0;
	for (size_t i = 0; i <= c->len; i++) {
		if (i == c->len || c->b[i] == '\n') {
			if (i > ps)
				paragraph_regions(c, ps, i);
			ps = i + 1;
		}
	}
}

/* ---- tokens ------------------------------------------------------------ */

static const char *tw(const struct ctx *c, size_t i, size_t *n)
{
	*n = c->toks->v[i].term_len;
	return an_term(c->toks, &c->toks->v[i]);
}

static int in_tab(const struct ctx *c, size_t i, const char *const *tab,
                  size_t n)
{
	size_t l;
	const char *w = tw(c, i, &l);
	return word_in_sorted(tab, n, w, l);
}
/* A small table of one function. */
#define INL(c, i, tab) in_tab(c, i, tab, NELEM(tab))

#define TF_BIT_verb_inv TF_VERB_INV
#define TF_BIT_verb_pre TF_VERB_PRE
#define TF_BIT_honor_m TF_HONOR_M
#define TF_BIT_honor_f TF_HONOR_F
#define TF_BIT_honor_n TF_HONOR_N
#define TF_BIT_pron_m TF_PRON_M
#define TF_BIT_pron_f TF_PRON_F
#define TF_BIT_pron_n TF_PRON_N
#define TF_BIT_role_head TF_ROLE
#define TF_BIT_title_word TF_TITLE
#define TF_BIT_org_word TF_ORG
#define TF_BIT_aux TF_AUX

static int qt_word_cmp(const void *key, const void *elt)
{
	const struct { const char *w; size_t n; } *k = key;
	const struct qt_word *e = elt;
	int c = strncmp(k->w, e->w, k->n);
	return c ? c : (e->w[k->n] ? -1 : 0);
}

static uint32_t tflags(const struct ctx *c, size_t i)
{
	uint32_t f = c->tf[i];
	if (f & TF_DONE)
		return f;
	struct { const char *w; size_t n; } k;
	k.w = tw(c, i, &k.n);
	f = TF_DONE;
	/* the longest word of the table has 14 letters */
	const struct qt_word *e = k.n > 14 ? NULL
	                          : bsearch(&k, qt_words, NELEM(qt_words),
	                                    sizeof *qt_words, qt_word_cmp);
	if (e)
		f |= e->tables;
	c->tf[i] = f;
	return f;
}

/* Whether token i is a stop word in English or Spanish (cached too: most
 * tokens are never asked). */
static int lang_stop(const struct ctx *c, size_t i)
{
	uint32_t f = tflags(c, i);
	if (!(f & TF_STOP_DONE)) {
		size_t l;
		const char *w = tw(c, i, &l);
		f |= TF_STOP_DONE;
		if (analyzer_is_stopword("en", w, l) || analyzer_is_stopword("es", w, l))
			f |= TF_STOP;
		c->tf[i] = f;
	}
	return (f & TF_STOP) != 0;
}
#define IN(c, i, tab) ((tflags(c, i) & TF_BIT_##tab) != 0)

static int is_word(const struct ctx *c, size_t i, const char *w)
{
	size_t l;
	const char *t = tw(c, i, &l);
	return l == strlen(w) && !memcmp(t, w, l);
}

/* Whether token i ends in a possessive 's ("Mr Blair's government"):
 * the analyzer keeps it inside the token's span. */
static int possessive(const struct ctx *c, size_t i)
{
	const an_token *t = &c->toks->v[i];
	const char *b = c->b;
	if (t->end - t->start >= 3 && b[t->end - 1] == 's' && b[t->end - 2] == '\'')
		return 1;
	return t->end - t->start >= 5 && b[t->end - 1] == 's' &&
	       !memcmp(b + t->end - 4, "\xE2\x80\x99", 3);
}

/* Days and months: "The prime minister on Sunday said". */
static int time_word(const struct ctx *c, size_t i)
{
	static const char *const tab[] = {
		"april", "august", "december", "february", "friday", "january",
		"july", "june", "march", "monday", "november", "october",
		"saturday", "september", "sunday", "thursday", "tuesday",
		"wednesday"
	};
	return INL(c, i, tab);
}

static int capital(const struct ctx *c, size_t i)
{
	return (c->toks->v[i].flags & AN_CAP) != 0;
}

static int sent_start(const struct ctx *c, size_t i)
{
	return (c->toks->v[i].flags & (AN_SENT_START | AN_PARA_START)) != 0;
}

/* The bytes between tokens i - 1 and i (i >= 1). */
static int gap_has(const struct ctx *c, size_t i, const char *chars)
{
	for (size_t k = c->toks->v[i - 1].end; k < c->toks->v[i].start; k++)
		if (strchr(chars, c->b[k]))
			return 1;
	return 0;
}

/* Only white space, a hyphen or a full stop (Mr. J. K.) between i-1, i. */
static int gap_name(const struct ctx *c, size_t i)
{
	for (size_t k = c->toks->v[i - 1].end; k < c->toks->v[i].start; k++)
		if (!strchr(" .-\t", c->b[k]))
			return 0;
	return c->toks->v[i].start - c->toks->v[i - 1].end <= 3;
}


static int honorific(const struct ctx *c, size_t i)
{
	return IN(c, i, honor_m) || IN(c, i, honor_f) || IN(c, i, honor_n);
}

/* A capitalised word that may be (part of) a name. */
static int name_word(const struct ctx *c, size_t i)
{
	const an_token *t = &c->toks->v[i];
	if (!(t->flags & AN_CAP) || c->treg[i] >= 0)
		return 0;
	if (t->kind != AN_WORD && t->kind != AN_ACRONYM)
		return 0;
	if (honorific(c, i))
		return 1;
	if (IN(c, i, verb_inv) || IN(c, i, verb_pre))
		return 0;     /* "Said", "Asked" at a sentence start */
	if (lang_stop(c, i) && !(t->flags & AN_ALLCAPS)) {
		/* The, But, He, El (but US, UN); a capitalised stop word
		 * right after a first name is a surname ("Theresa May") */
		const an_token *p = i > 0 ? &c->toks->v[i - 1] : NULL;
		return p && !(t->flags & (AN_SENT_START | AN_PARA_START)) &&
		       (p->flags & AN_CAP) && p->kind == AN_WORD &&
		       c->treg[i - 1] < 0 && gap_name(c, i) &&
		       !lang_stop(c, i - 1) &&
		       !(tflags(c, i - 1) & (TF_TITLE | TF_HONOR_M | TF_HONOR_F));
	}
	return 1;
}

static int particle(const struct ctx *c, size_t i)
{
	/* not "y", "and": "Italia y Malta" is two names */
	static const char *const tab[] = { "da", "de", "del", "di", "for", "la",
	                                   "le", "of", "the", "van", "von" };
	return !capital(c, i) && INL(c, i, tab);
}

/* The name phrase around token i (a name word): [*a, *z]. Stays inside
 * [lo, hi). */
static void name_span(const struct ctx *c, size_t i, size_t lo, size_t hi,
                      size_t *a, size_t *z)
{
	size_t s = i, e = i;
	while (s > lo && gap_name(c, s) && c->treg[s - 1] < 0 && !sent_start(c, s)) {
		if (name_word(c, s - 1))
			s--;
		else if (s >= lo + 2 && particle(c, s - 1) && name_word(c, s - 2) &&
		         gap_name(c, s - 1))
			s -= 2;
		else if (s >= lo + 3 && is_word(c, s - 1, "the") &&
		         particle(c, s - 2) && name_word(c, s - 3) &&
		         gap_name(c, s - 1) && gap_name(c, s - 2))
			s -= 3;   /* "Secretary of State for the Family" */
		else
			break;
	}
	while (e + 1 < hi && gap_name(c, e + 1) && c->treg[e + 1] < 0) {
		if (name_word(c, e + 1) && !sent_start(c, e + 1))
			e++;
		else if (e + 2 < hi && particle(c, e + 1) && name_word(c, e + 2) &&
		         gap_name(c, e + 2))
			e += 2;
		else
			break;
	}
	*a = s;
	*z = e;
}

/* ---- people ------------------------------------------------------------ */

enum { G_UNKNOWN, G_MALE, G_FEMALE };

struct person {
	uint32_t key, display, role;   /* offsets into out->arena */
	uint32_t roles;   /* offset into tmp-like arena: folded role words */
	uint8_t gender, org, official;
	uint8_t unnamed;  /* a role nobody in the article holds ("officials
	                     said"): shown, but no speaker key */
	uint8_t titled;   /* named once right after a title ("el papa
	                     Francisco", "Mayor Bass") */
	uint8_t nwords;
	uint32_t last;    /* its last word, offset into out->arena */
	uint32_t first;   /* byte offset of its first mention */
};

static const ent_mention *official_over(const struct ctx *c, size_t a,
                                        size_t z, int type)
{
	uint32_t s = c->toks->v[a].start, e = c->toks->v[z].end;
	for (size_t k = c->efrom; k < c->eto; k++) {
		const ent_mention *m = &c->ents->v[k];
		if (m->type == type && m->start < e && m->end > s)
			return m;
	}
	return NULL;
}

/* The person whose key is key (or a new one). */
static uint32_t person_get(struct ctx *c, qt_quotes *out, const char *key,
                           const char *display, size_t dlen, int org)
{
	for (size_t k = 0; k < c->np; k++)
		if (!strcmp(qt_str(out, c->p[k].key), key))
			return (uint32_t)k;
	XGROW(c->p, c->pcap, c->np + 1);
	struct person *p = &c->p[c->np];
	memset(p, 0, sizeof *p);
	p->key = arena_add(out, key, strlen(key));
	p->display = arena_add(out, display, dlen);
	p->org = (uint8_t)org;
	p->first = NONE;
	const char *sp = strrchr(key, ' ');
	p->last = sp ? p->key + (uint32_t)(sp + 1 - key) : p->key;
	p->nwords = 1;
	for (const char *k = key; *k; k++)
		p->nwords += *k == ' ';
	return (uint32_t)c->np++;
}

/* The full-name person a lone surname (or partial name) stands for: the
 * first person of more words whose last word it is. */
static uint32_t full_name_of(struct ctx *c, qt_quotes *out, uint32_t who)
{
	struct person *p = &c->p[who];
	if (p->org || p->official)
		return who;
	const char *last = qt_str(out, p->last);
	for (size_t k = 0; k < c->np; k++) {
		struct person *q = &c->p[k];
		if (k != who && !q->org && q->nwords > p->nwords &&
		    !strcmp(qt_str(out, q->last), last))
			return (uint32_t)k;
	}
	return who;
}

static int has_word(const char *list, const char *w, size_t l);

/* Role word w joins who's roles once: the roles are only asked whether
 * they hold a word (role_person), and a name seen often would otherwise
 * copy a longer list into the arena at every mention. */
static void add_role(struct ctx *c, qt_quotes *out, uint32_t who,
                     const char *w, size_t n)
{
	struct person *p = &c->p[who];
	if (!n || has_word(qt_str(out, p->roles), w, n))
		return;
	sb_reset(&c->tmp);
	sb_addstr(&c->tmp, qt_str(out, p->roles));
	if (c->tmp.len)
		sb_addch(&c->tmp, ' ');
	sb_add(&c->tmp, w, n);
	p->roles = arena_add(out, c->tmp.buf, c->tmp.len);
}

/* The person the name phrase [a, z] names: title words in front become
 * its role, honorifics its gender; an official the tagger found gives its
 * key. */
static uint32_t person_of_span(struct ctx *c, qt_quotes *out, size_t a,
                               size_t z)
{
	int gender = G_UNKNOWN, org = 0;
	size_t s = a;
	strbuf role = STRBUF_INIT;
	/* the name starts after the last title or honorific word
	 * ("French President Jacques Chirac", "Home Secretary Charles
	 * Clarke"); what stands before it is the role */
	for (size_t k = a; k < z; k++)
		if (IN(c, k, title_word) || IN(c, k, role_head) || honorific(c, k))
			s = k + 1;
	while (s < z && particle(c, s))
		s++;
	for (size_t k = a; k < s; k++) {
		if (IN(c, k, honor_m))
			gender = G_MALE;
		else if (IN(c, k, honor_f))
			gender = G_FEMALE;
		else if (!IN(c, k, honor_n)) {
			size_t l;
			const char *w = tw(c, k, &l);
			if (role.len)
				sb_addch(&role, ' ');
			sb_add(&role, w, l);
		}
	}
	/* a single word behind titles only ("the Mayor"): keep it */
	for (size_t k = s; k <= z; k++)
		if (IN(c, k, org_word) || (c->toks->v[k].flags & AN_ALLCAPS))
			org = 1;
	/* an organisation keeps its whole name ("Home Office") */
	if (org)
		s = a;
	/* the name's own words, not the title's ("House Ways and Means
	 * Committee Chairman Dan Rostenkowski" is a person) */
	if (official_over(c, s, z, ENT_AGENCY) || official_over(c, s, z, ENT_CITY) ||
	    official_over(c, s, z, ENT_STATE))
		org = 1;
	const ent_mention *m = org ? NULL : official_over(c, a, z, ENT_OFFICIAL);
	uint32_t who;
	if (m) {
		/* the key is the tagger's; the name as the text first gives it
		 * in full ("Luis Videgaray Caso") is the display */
		size_t nk = 1;
		for (const char *k = m->key; *k; k++)
			nk += *k == ' ';
		uint32_t ds = c->toks->v[s].start, de = c->toks->v[z].end;
		int fuller = z + 1 - s > nk && !possessive(c, z);
		if (fuller)
			who = person_get(c, out, m->key, c->b + ds, de - ds, 0);
		else
			who = person_get(c, out, m->key, m->display, strlen(m->display), 0);

		c->p[who].official = 1;
		if (m->role && !c->p[who].role)
			c->p[who].role = arena_add(out, m->role, strlen(m->role));
		if (m->role)
			add_role(c, out, who, m->role, strlen(m->role));
	} else {
		sb_reset(&c->tmp);
		for (size_t k = s; k <= z; k++) {
			size_t l;
			const char *w = tw(c, k, &l);
			if (c->tmp.len)
				sb_addch(&c->tmp, ' ');
			sb_add(&c->tmp, w, l);
		}
		char *key = xstrdup(sb_cstr(&c->tmp));
		uint32_t ds = c->toks->v[s].start, de = c->toks->v[z].end;
		if (possessive(c, z))
			de -= c->b[de - 2] == '\'' ? 2 : 4;   /* 's or ’s */
		who = person_get(c, out, key, c->b + ds, de - ds, org);
		free(key);
	}
	if (gender)
		c->p[who].gender = (uint8_t)gender;
	if (c->p[who].first == NONE || c->p[who].first > c->toks->v[a].start)
		c->p[who].first = c->toks->v[a].start;
	if (role.len) {
		add_role(c, out, who, role.buf, role.len);
		c->p[who].titled = 1;
	}
	sb_release(&role);
	return who;
}

/* Lower-case role words right before a name ("Tory leader Michael
 * Howard", "el ministro Juan Pérez"), and an appositive right after it
 * ("David Frost, director general of ..."), become its role. */
static void roles_around(struct ctx *c, qt_quotes *out, uint32_t who,
                         size_t a, size_t z)
{
	for (size_t k = a, n = 0; k > 0 && n < 3; k--, n++) {
		if (!gap_name(c, k) || c->treg[k - 1] >= 0)
			break;
		if (IN(c, k - 1, role_head) || IN(c, k - 1, title_word)) {
			size_t l;
			const char *w = tw(c, k - 1, &l);
			add_role(c, out, who, w, l);
			if (k == a)
				c->p[who].titled = 1;
		} else if (capital(c, k - 1)) {
			size_t l;   /* "Tory leader": the modifier is a role word */
			const char *w = tw(c, k - 1, &l);
			add_role(c, out, who, w, l);
		} else {
			break;
		}
	}
	if (a > 1 && gap_has(c, a, ",") && !gap_has(c, a, ".;:")) {
		for (size_t k = a - 1, m = 0; m < 5; k--, m++) {
			if (c->treg[k] >= 0 || (k + 1 < a && gap_has(c, k + 1, ",.;:")))
				break;
			if (IN(c, k, role_head) || IN(c, k, title_word) ||
			    (capital(c, k) && !lang_stop(c, k))) {
				size_t l;
				const char *w = tw(c, k, &l);
				add_role(c, out, who, w, l);
			}
			if (k == 0)
				break;
		}
	}
	size_t n = c->toks->n;
	if (z + 1 < n && gap_has(c, z + 1, ",")) {
		for (size_t k = z + 1; k < n && k < z + 6; k++) {
			if (c->treg[k] >= 0 || (k > z + 1 && gap_has(c, k, ",.;:")))
				break;
			if (IN(c, k, role_head) || IN(c, k, title_word)) {
				size_t l;
				const char *w = tw(c, k, &l);
				add_role(c, out, who, w, l);
			}
		}
	}
}

/* Every name phrase of the text outside quotes, first to last: the
 * article's people, so that "Mr Howard" finds "Michael Howard" wherever
 * the full name stands, and "the chancellor" whoever was introduced so. */
static void collect_people(struct ctx *c, qt_quotes *out)
{
	size_t n = c->toks->n;
	for (size_t i = 0; i < n; i++) {
		if (!name_word(c, i))
			continue;
		size_t a, z;
		name_span(c, i, 0, n, &a, &z);
		/* a lone capital at a sentence start is most often not a
		 * name ("Critics", "Labour" are, but also "Today") */
		if (a == z && sent_start(c, a) && !honorific(c, a) &&
		    !(c->toks->v[a].flags & AN_ALLCAPS)) {
			i = z;
			continue;
		}
		uint32_t who = person_of_span(c, out, a, z);
		roles_around(c, out, who, a, z);
		i = z;
	}
}

/* ---- speakers ---------------------------------------------------------- */

/* What a cue names. */
struct subj {
	int kind;        /* 0 none, 1 person, 2 pronoun, 3 role */
	uint32_t who;    /* person */
	int gender;      /* pronoun */
	uint32_t role_tok;
	uint32_t mod0, mod1;   /* roles: capitalised modifiers [mod0, mod1)
	                          ("the Tory leader") */
};

static int pronoun(const struct ctx *c, size_t i, int *gender)
{
	if (IN(c, i, pron_m))
		*gender = G_MALE;
	else if (IN(c, i, pron_f))
		*gender = G_FEMALE;
	else if (IN(c, i, pron_n))
		*gender = G_UNKNOWN;
	else
		return 0;
	return 1;
}

/* 1: a cue verb whose subject is before it; 2: one that may also have it
 * after ("said Mr Blair", "dijo el ministro"); 3: "according to",
 * "según": the source follows. The cue phrase ends at *last. */
static int verb_at(const struct ctx *c, size_t i, size_t *last)
{
	*last = i;
	uint32_t f = tflags(c, i);
	if (!(f & (TF_VERB_INV | TF_VERB_PRE)))
		return 0;
	if (c->treg[i] >= 0 || (capital(c, i) && !sent_start(c, i)))
		return 0;
	size_t n = c->toks->n;
	if (is_word(c, i, "according")) {
		if (i + 1 >= n || !is_word(c, i + 1, "to"))
			return 0;
		*last = i + 1;
		return 3;
	}
	if (is_word(c, i, "segun"))
		return 3;
	if (is_word(c, i, "went") || is_word(c, i, "pointed")) {
		if (i + 1 >= n || !(is_word(c, i + 1, "on") || is_word(c, i + 1, "out")))
			return 0;
		*last = i + 1;
		return 1;
	}
	return f & TF_VERB_INV ? 2 : 1;
}

/* The subject a role noun at token h names: an organisation in capitals
 * before it ("a Home Office spokesman") or after "for"/"of" ("a
 * spokesman for the Home Office"), else the role itself ("the mayor"). */
static int spokes_head(const struct ctx *c, size_t h)
{
	static const char *const tab[] = {
		"portavoz", "report", "source", "sources", "spokesman", "spokesmen",
		"spokespeople", "spokesperson", "spokeswoman", "statement",
		"vocera", "vocero"
	};
	return INL(c, h, tab);
}

static struct subj role_subject(struct ctx *c, qt_quotes *out, size_t h,
                                size_t lo, size_t hi)
{
	struct subj s = { 3, NONE, 0, (uint32_t)h, 0, 0 };
	size_t k = h;
	while (k > lo && gap_name(c, k) && !capital(c, k - 1) &&
	       IN(c, k - 1, role_head))
		k--;   /* "press secretary" */
	/* "Mr Crosby's statement", "Labour's spokesman": the possessor */
	if (k > lo && gap_name(c, k) && name_word(c, k - 1) && possessive(c, k - 1)) {
		size_t a, z;
		name_span(c, k - 1, lo, k, &a, &z);
		s.kind = 1;
		s.who = person_of_span(c, out, a, z);
		return s;
	}
	size_t m = k;
	while (m > lo && gap_name(c, m) && name_word(c, m - 1) &&
	       !possessive(c, m - 1))
		m--;
	static const char *const def[] = { "el", "la", "the" };
	int definite = m > lo && INL(c, m - 1, def);
	if (m < k) {
		/* "the Tory leader", "The French president": a person with
		 * that role; "a Home Office spokesman": the office */
		if (definite && !spokes_head(c, h)) {
			s.mod0 = (uint32_t)m;
			s.mod1 = (uint32_t)k;
			return s;
		}
		size_t a, z;
		name_span(c, k - 1, m, k, &a, &z);
		s.kind = 1;
		s.who = person_of_span(c, out, a, z);
		if (spokes_head(c, h))
			c->p[s.who].org = 1;   /* "a Tory spokesman": the party */
		return s;
	}
	size_t j = h + 1;
	if (spokes_head(c, h) && j < hi &&
	    (is_word(c, j, "for") || is_word(c, j, "of") ||
	     is_word(c, j, "del") || is_word(c, j, "de")) &&
	    !gap_has(c, j, ",.;:")) {
		j++;
		if (j < hi && (is_word(c, j, "the") || is_word(c, j, "la") ||
		               is_word(c, j, "el")))
			j++;
		if (j < hi && name_word(c, j) && !gap_has(c, j, ",.;:")) {
			size_t a, z;
			name_span(c, j, j, hi, &a, &z);
			s.kind = 1;
			s.who = person_of_span(c, out, a, z);
			return s;
		}
	}
	return s;
}

static struct subj subject_before(struct ctx *c, qt_quotes *out, size_t v,
                                  size_t lo);

/* "Critics said", "One delegate said": a lone capitalised word that opens
 * a sentence names somebody only if the article names them elsewhere (or
 * it is an acronym). */
static int lone_word_names(const struct ctx *c, const qt_quotes *out, size_t a)
{
	if (c->toks->v[a].flags & AN_ALLCAPS)
		return 1;
	size_t l;
	const char *w = tw(c, a, &l);
	for (size_t k = 0; k < c->np; k++) {
		const char *last = qt_str(out, c->p[k].last);
		if (strlen(last) == l && !memcmp(last, w, l))
			return 1;
	}
	return 0;
}
static uint32_t last_body(const struct ctx *c, uint32_t pos);

/* "the committee said", "the government said": the organisation of the
 * article named with that word ("Joint Committee on Human Rights"), the
 * last one named before; else the word itself, as an organisation. */
static struct subj body_subject(struct ctx *c, qt_quotes *out, size_t t)
{
	struct subj s = { 1, NONE, 0, 0, 0, 0 };
	size_t l;
	const char *w = tw(c, t, &l);
	uint32_t pos = c->toks->v[t].start;
	for (size_t k = 0; k < c->np; k++) {
		const struct person *p = &c->p[k];
		if (p->org && p->first != NONE && p->first < pos &&
		    has_word(qt_str(out, p->key), w, l) &&
		    (s.who == NONE || p->first > c->p[s.who].first))
			s.who = (uint32_t)k;
	}
	static const char *const generic[] = { "bank", "company", "corp",
	                                       "firm", "group" };
	if (s.who == NONE && INL(c, t, generic))
		s.who = last_body(c, pos);
	if (s.who == NONE) {
		char *key = xmalloc(l + 1);
		memcpy(key, w, l);
		key[l] = '\0';
		const an_token *tk = &c->toks->v[t];
		s.who = person_get(c, out, key, c->b + tk->start, tk->end - tk->start, 1);
		c->p[s.who].unnamed = 1;
		free(key);
	}
	return s;
}

/* The subject of the clause that starts at lo ("Mr Blair on Sunday
 * dismissed the claims, saying: ..."): its first name, pronoun or role,
 * behind at most a conjunction or two. */
static struct subj clause_subject(struct ctx *c, qt_quotes *out, size_t lo,
                                  size_t v)
{
	struct subj s = { 0, NONE, 0, 0, 0, 0 };
	/* an adverbial opening ("Más tarde, el presidente ...", "In a
	 * statement, ..."): the subject comes after its comma */
	for (size_t k = lo + 1; k < v && k < lo + 6; k++) {
		if (name_word(c, k - 1) || c->treg[k] >= 0)
			break;
		if (gap_has(c, k, ",")) {
			lo = k;
			break;
		}
	}
	for (size_t i = lo; i < v && i < lo + 3; i++) {
		int g;
		if (pronoun(c, i, &g)) {
			s.kind = 2;
			s.gender = g;
			return s;
		}
		if (name_word(c, i)) {
			size_t a, z;
			name_span(c, i, lo, v, &a, &z);
			if (possessive(c, z))
				return s;
			/* "Liberal Democrat leader Charles Kennedy has begun":
			 * the name after the role words */
			size_t k = z + 1;
			while (k < v && k < z + 4 && gap_name(c, k) && !capital(c, k) &&
			       (IN(c, k, role_head) || IN(c, k, title_word)))
				k++;
			if (k > z + 1 && k < v && gap_name(c, k) && name_word(c, k))
				name_span(c, k, k, v, &a, &z);
			else if (a == z && sent_start(c, a) && !honorific(c, a) &&
			         !lone_word_names(c, out, a))
				return s;   /* "One delegate said" */
			s.kind = 1;
			s.who = person_of_span(c, out, a, z);
			return s;
		}
		if (IN(c, i, role_head) || IN(c, i, title_word)) {
			/* "El primer ministro italiano, Giuseppe Conte, dio":
			 * the name in apposition to the role */
			for (size_t k = i + 1; k < v && k < i + 9; k++) {
				if (c->treg[k] >= 0 || gap_has(c, k, ".;:"))
					break;
				if (gap_has(c, k, ",")) {
					if (name_word(c, k)) {
						size_t a, z;
						name_span(c, k, k, v, &a, &z);
						if (z > a) {
							s.kind = 1;
							s.who = person_of_span(c, out, a, z);
							return s;
						}
					}
					break;
				}
			}
			if (IN(c, i, role_head))
				return role_subject(c, out, i, lo, v);
		}
		if (!lang_stop(c, i) && !IN(c, i, title_word))
			return s;
	}
	return s;
}

/* The subject of the cue verb at v, looking back to lo: "Mr Blair said",
 * "he told", "the mayor said", "David Frost, director of X, warned". */
static struct subj subject_before(struct ctx *c, qt_quotes *out, size_t v,
                                  size_t lo)
{
	struct subj s = { 0, NONE, 0, 0, 0, 0 };
	size_t i = v;
	for (;;) {
		if (i > lo && !capital(c, i - 1) && IN(c, i - 1, aux) &&
		    !gap_has(c, i, ",.;:"))
			i--;
		else if (i > lo + 1 && time_word(c, i - 1) &&
		         (is_word(c, i - 2, "on") || is_word(c, i - 2, "in") ||
		          is_word(c, i - 2, "last") || is_word(c, i - 2, "el")))
			i -= 2;   /* "on Sunday" */
		else
			break;
	}
	if (i <= lo)
		return s;
	/* "Professor Chris Woodhead, who has said": the name before who */
	if (i > lo + 1 && (is_word(c, i - 1, "who") || is_word(c, i - 1, "quien")) &&
	    gap_has(c, i - 1, ",") && name_word(c, i - 2)) {
		size_t a, z;
		name_span(c, i - 2, lo, i - 1, &a, &z);
		s.kind = 1;
		s.who = person_of_span(c, out, a, z);
		return s;
	}
	/* "X, who ..., said": the part between commas is the subject when
	 * it is a name, else what stands before it */
	if (gap_has(c, i, ",")) {
		size_t k = i - 1;
		while (k > lo && k + 25 > i && !gap_has(c, k, ",.;:"))
			k--;
		if (name_word(c, i - 1)) {
			size_t a, z;
			name_span(c, i - 1, lo, i, &a, &z);
			if (a == k && z == i - 1 && (z > a || !sent_start(c, a)) &&
			    !IN(c, a, title_word)) {
				int org = 0;
				for (size_t t = a; t <= z; t++)
					org |= IN(c, t, org_word);
				if (!org) {
					s.kind = 1;
					s.who = person_of_span(c, out, a, z);
					return s;
				}
			}
		}
		if (k > lo && gap_has(c, k, ","))
			i = k;
		else if (k == lo)
			return clause_subject(c, out, lo, v);
		else
			return s;
	}
	size_t t = i - 1;
	int g;
	if (pronoun(c, t, &g)) {
		s.kind = 2;
		s.gender = g;
		return s;
	}
	/* "The chancellor would not comment, but insisted": the subject of
	 * the sentence */
	if ((is_word(c, t, "but") || is_word(c, t, "and") || is_word(c, t, "pero") ||
	     is_word(c, t, "y")) && t > lo)
		return clause_subject(c, out, lo, t);
	if (name_word(c, t)) {
		size_t a, z;
		name_span(c, t, lo, t + 1, &a, &z);
		if (a == z && sent_start(c, a) && !honorific(c, a)) {
			if (!lone_word_names(c, out, a))
				return s;
		}
		if (possessive(c, z))
			return s;   /* "Mr Blair's plan said": not Blair */
		/* "A spokesman for the embassy in London said": a place */
		if (a > lo && (is_word(c, a - 1, "in") || is_word(c, a - 1, "en")) &&
		    !gap_has(c, a, ",.;:"))
			return subject_before(c, out, a - 1, lo);
		/* "Laura Brownlees of Save the Children said": the person */
		size_t k = a;
		if (k > lo && (is_word(c, k - 1, "the") || is_word(c, k - 1, "la") ||
		               is_word(c, k - 1, "el")))
			k--;
		if (k > lo + 1 && (is_word(c, k - 1, "of") || is_word(c, k - 1, "from") ||
		                   is_word(c, k - 1, "at") || is_word(c, k - 1, "de")) &&
		    name_word(c, k - 2) && !gap_has(c, k - 1, ",.;:")) {
			size_t a2, z2;
			name_span(c, k - 2, lo, k - 1, &a2, &z2);
			if (z2 > a2 || honorific(c, a2)) {
				a = a2;
				z = z2;
			}
		}
		s.kind = 1;
		s.who = person_of_span(c, out, a, z);
		return s;
	}
	if (IN(c, t, role_head))
		return role_subject(c, out, t, lo, v);
	if (IN(c, t, org_word))
		return body_subject(c, out, t);
	return s;
}

/* The subject after the cue verb at v (up to hi): "said Mr Blair",
 * "dijo el ministro del Interior, Fernando Grande-Marlaska". */
static struct subj subject_after(struct ctx *c, qt_quotes *out, size_t v,
                                 size_t hi)
{
	struct subj s = { 0, NONE, 0, 0, 0, 0 };
	size_t role = NONE;
	for (size_t i = v + 1; i < hi && i < v + 9; i++) {
		if (c->treg[i] >= 0 || sent_start(c, i))
			break;
		int g;
		if (i == v + 1 && pronoun(c, i, &g)) {
			s.kind = 2;
			s.gender = g;
			return s;
		}
		if (name_word(c, i)) {
			size_t a, z;
			name_span(c, i, i, hi, &a, &z);
			/* "el ministro de Exteriores, Josep Borrell", "the
			 * chairman of the Commons committee, Labour MP Barry
			 * Sheerman": after a role, the person behind the comma */
			if (role != NONE) {
				size_t k = z + 1;
				while (k < hi && k < z + 12 && c->treg[k] < 0 &&
				       !gap_has(c, k, ",.;:") && !sent_start(c, k))
					k++;
				if (k < hi && c->treg[k] < 0 && gap_has(c, k, ",")) {
					size_t j = k;
					while (j < hi && j < k + 4 && !name_word(c, j))
						j++;
					if (j < hi && name_word(c, j) && c->treg[j] < 0) {
						size_t a2, z2;
						name_span(c, j, j, hi, &a2, &z2);
						if (z2 > a2) {
							a = a2;
							z = z2;
						}
					}
				}
			}
			s.kind = 1;
			s.who = person_of_span(c, out, a, z);
			return s;
		}
		if (IN(c, i, role_head)) {
			if (role == NONE)
				role = i;
			continue;
		}
		if (gap_has(c, i, ".;:") || (i > v + 1 && gap_has(c, i, ",") &&
		                            role == NONE))
			break;
		if (lang_stop(c, i) || IN(c, i, title_word))
			continue;
		/* "said 20-year-old politics student Nick Vaughan": a
		 * description may stand before the name, up to a comma */
		if (role == NONE && i > v + 5)
			break;
	}
	if (role != NONE)
		return role_subject(c, out, role, v + 1, hi);
	return s;
}

/* Somebody spoke at pos (mention 0), or was named there: a person opening
 * a sentence (1) or anywhere (2), an organisation opening one (3). */
static void event(struct ctx *c, uint32_t pos, uint32_t who, int mention)
{
	if (who == NONE)
		return;
	XGROW(c->ev, c->evcap, c->nev + 1);
	c->ev[c->nev].pos = pos;
	c->ev[c->nev].who = who;
	c->ev[c->nev].mention = (uint8_t)mention;
	c->nev++;
}

/* The last speaker before pos of a gender that fits. Floating quotes
 * (people = 0) take whoever spoke last. Pronouns (people = 1) take the
 * last person who spoke, unless a person opened a sentence since, before
 * the pronoun's own sentence (sent_lo): "Mr Howard unveiled the plan.
 * "...," he said." */
static uint32_t last_speaker(const struct ctx *c, uint32_t pos, int gender,
                             int people, uint32_t sent_lo)
{
	uint32_t spoke = NONE, spoke_pos = 0;
	for (size_t k = c->nev; k-- > 0;) {
		const struct event *e = &c->ev[k];
		const struct person *p = &c->p[e->who];
		if (e->pos > pos || e->mention)
			continue;
		if (people && (p->org || (gender && p->gender && p->gender != gender) ||
		               (p->nwords == 1 && !p->official && !p->gender &&
		                !p->titled)))
			continue;   /* "he" is no "Tory" (but "el papa Francisco") */
		spoke = e->who;
		spoke_pos = e->pos;
		break;
	}
	if (!people)
		return spoke;
	for (size_t k = c->nev; k-- > 0;) {
		const struct event *e = &c->ev[k];
		const struct person *p = &c->p[e->who];
		/* any person named before counts only when nobody spoke yet,
		 * and only one named as a person: with a title, an honorific,
		 * or as an official ("la operación Esperanza Mediterráneo" is
		 * nobody) */
		if (e->pos >= sent_lo || !e->mention || e->mention == 3 ||
		    (e->mention == 2 && (spoke != NONE ||
		                         !(p->titled || p->official || p->gender))))
			continue;
		if (spoke != NONE && e->pos <= spoke_pos)
			break;
		if (gender && p->gender && p->gender != gender)
			continue;
		return e->who;
	}
	return spoke;
}

/* The organisation that spoke last before pos, else the last one a
 * sentence opened with ("Diamond Shamrock Corp said it cut ... A
 * spokeswoman said"); NONE when neither. */
static uint32_t last_body(const struct ctx *c, uint32_t pos)
{
	uint32_t named = NONE;
	for (size_t k = c->nev; k-- > 0;) {
		const struct event *e = &c->ev[k];
		if (e->pos > pos || !c->p[e->who].org)
			continue;
		if (!e->mention)
			return e->who;
		if (e->mention == 3 && named == NONE)
			named = e->who;
	}
	return named;
}

/* Byte offset of the start of token t's sentence. */
static uint32_t sentence_of(const struct ctx *c, size_t t)
{
	while (t > 0 && !sent_start(c, t))
		t--;
	return c->toks->n ? c->toks->v[t].start : 0;
}

static int has_word(const char *list, const char *w, size_t l)
{
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == l && !memcmp(p, w, l))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* The person a role names ("the mayor", "the Tory leader"): of the people
 * introduced with the role word, the one who shares most of its
 * modifiers, then the one named last before pos. */
static uint32_t role_person(const struct ctx *c, qt_quotes *out,
                            const struct subj *s, uint32_t pos)
{
	size_t l;
	const char *w = tw(c, s->role_tok, &l);
	uint32_t best = NONE;
	int best_score = 0;
	for (size_t k = 0; k < c->np; k++) {
		const struct person *p = &c->p[k];
		const char *r = qt_str(out, p->roles);
		if (p->org || !has_word(r, w, l))
			continue;
		int score = 2 + (p->first != NONE && p->first < pos);
		for (uint32_t m = s->mod0; m < s->mod1; m++) {
			size_t ml;
			const char *mw = tw(c, m, &ml);
			score += 2 * has_word(r, mw, ml);
		}
		if (score > best_score ||
		    (score == best_score && p->first < pos &&
		     (c->p[best].first > pos || p->first > c->p[best].first))) {
			best = (uint32_t)k;
			best_score = score;
		}
	}
	return best;
}

/* A person subject, resolved: pronouns and roles to people, partial
 * names to full ones. */
static uint32_t resolve(struct ctx *c, qt_quotes *out, const struct subj *s,
                        uint32_t pos, uint8_t *how)
{
	switch (s->kind) {
	case 1:
		*how = QT_CUE;
		return full_name_of(c, out, s->who);
	case 2: {
		*how = QT_PRONOUN;
		uint32_t w = last_speaker(c, pos, s->gender, 1,
		                          sentence_of(c, s->role_tok));
		if (w != NONE && s->gender && !c->p[w].gender)
			c->p[w].gender = (uint8_t)s->gender;
		return w;
	}
	case 3: {
		*how = QT_ROLE;
		uint32_t w = NONE;
		if (spokes_head(c, s->role_tok)) {
			/* "the spokesman added": the body whose spokesman spoke,
			 * else the one a sentence was last about */
			w = last_body(c, pos);
		} else {
			w = role_person(c, out, s, pos);
		}
		if (w != NONE)
			return w;
		/* an unnamed role: "a spokesman", "the minister" */
		const an_token *t = &c->toks->v[s->role_tok];
		size_t l;
		const char *k = tw(c, s->role_tok, &l);
		char *key = xmalloc(l + 1);
		memcpy(key, k, l);
		key[l] = '\0';
		w = person_get(c, out, key, c->b + t->start, t->end - t->start, 0);
		c->p[w].unnamed = 1;
		free(key);
		return w;
	}
	}
	*how = QT_NONE;
	return NONE;
}

static int sentence_subject(struct ctx *c, qt_quotes *out, struct region *r,
                            size_t lo, struct subj *s);
/* The cue of region r: a speech verb just after the quote in the same
 * sentence ("...," he said), else the last one before it in its sentence
 * (Mr Blair said: "..."; the Tories dismissed it as "desperate"). */
static int find_cue(struct ctx *c, qt_quotes *out, struct region *r,
                    struct subj *s)
{
	size_t n = c->toks->n;
	/* after: up to the sentence's end, or the next quote */
	size_t i = r->t1;
	int cont = i < n && c->treg[i] < 0 &&
	           !gap_has(c, i, "\n") &&
	           (!sent_start(c, i) || !capital(c, i));
	/* a cue after the quote follows a quote that ends in punctuation
	 * ("...," he said) and starts with its subject or verb; "the plan
	 * was "desperate", while the Liberal Democrats said" is no cue */
	if (cont) {
		unsigned char lastc = (unsigned char)c->b[r->e - 1];
		size_t m = r->e;
		while (m < c->len && (c->b[m] == '"' || (unsigned char)c->b[m] >= 0x80))
			m++;
		int punct = strchr(",.!?;", lastc) || lastc == 0xA6 ||
		            (m < c->len && c->b[m] == ',') ||
		            (r->e < c->len && c->b[r->e] != '"' && c->b[r->e] != '\'');
		static const char *const det[] = { "a", "an", "el", "la", "las",
		                                   "los", "the", "un", "una" };
		int g;
		size_t l;
		if (!punct ||
		    !(verb_at(c, i, &l) || pronoun(c, i, &g) || name_word(c, i) ||
		      INL(c, i, det) || IN(c, i, role_head) ||
		      IN(c, i, title_word) || c->toks->v[i].kind == AN_NUMBER))
			cont = 0;
	}
	if (cont) {
		size_t hi = i;
		while (hi < n && c->treg[hi] < 0 && !gap_has(c, hi, "\n") &&
		       (hi == i || !sent_start(c, hi)))
			hi++;
		for (size_t v = i; v < hi && v < i + 10; v++) {
			size_t last;
			int k = verb_at(c, v, &last);
			if (!k) {
				if (v > i && gap_has(c, v, ".;:"))
					break;
				continue;
			}
			struct subj t = { 0, NONE, 0, 0, 0, 0 };
			if (v == i && k >= 2)
				t = subject_after(c, out, last, hi);
			if (!t.kind && k != 3)
				t = subject_before(c, out, v, i);
			if (!t.kind && k == 2 && v > i)
				t = subject_after(c, out, last, hi);
			if (!t.kind && v == i && c->es) {
				t.kind = 2;   /* "—dijo." Spanish drops the subject */
			}
			if (!t.kind)
				break;
			r->cue_tok = (uint32_t)v;
			r->cue_end = (uint32_t)last;
			if (t.kind == 2)
				t.role_tok = (uint32_t)v;
			*s = t;
			return 1;
		}
	}
	/* before: back to the sentence start or the previous quote */
	size_t lo = r->t0;
	while (lo > 0 && c->treg[lo - 1] < 0 && !gap_has(c, lo, "\n") &&
	       !(lo < r->t0 && sent_start(c, lo)))
		lo--;
	if (lo < r->t0 && r->t0 < n && sent_start(c, r->t0) && r->t0 > 0 &&
	    !gap_has(c, r->t0, ":,"))
		return 0;   /* the quote starts its own sentence */
	for (size_t v = r->t0; v-- > lo;) {
		size_t last;
		int k = verb_at(c, v, &last);
		if (!k) {
			if (v == lo && lo < r->t0)
				return sentence_subject(c, out, r, lo, s);
			continue;
		}
		struct subj t = { 0, NONE, 0, 0, 0, 0 };
		if (k == 3)
			t = subject_after(c, out, last, r->t0);
		else
			t = subject_before(c, out, v, lo);
		/* inversion before a quote is Spanish ("dijo el ministro:");
		 * English "said the police had" names what was said */
		if (!t.kind && k == 2 && (c->es || v == lo))
			t = subject_after(c, out, last, r->t0);
		if (!t.kind && c->es && k == 2)
			t.kind = 2;
		if (!t.kind)
			continue;
		r->cue_tok = (uint32_t)v;
		r->cue_end = (uint32_t)last;
		if (t.kind == 2)
			t.role_tok = (uint32_t)v;
		*s = t;
		return 1;
	}
	return 0;
}

/* A quote inside a sentence that has no speech verb ("Michael Howard has
 * launched an attack on Britain's "chaotic" asylum system"): the words are
 * the sentence subject's when that is a name or a role. */
static int sentence_subject(struct ctx *c, qt_quotes *out, struct region *r,
                            size_t lo, struct subj *s)
{
	struct subj t = clause_subject(c, out, lo, r->t0);
	if (t.kind == 3 && !spokes_head(c, t.role_tok)) {
		uint32_t w = role_person(c, out, &t, c->toks->v[t.role_tok].start);
		if (w == NONE)
			return 0;
		t.kind = 1;
		t.who = w;
	}
	if (t.kind != 1 || c->p[t.who].org)
		return 0;
	*s = t;
	return 1;
}

/* Speech verbs outside quotes that are no quote's cue still say who spoke
 * last ("She said new mothers were entitled ..."), and a sentence that
 * opens with a person's name makes them the one "he" or "she" means. */
static void events_upto(struct ctx *c, qt_quotes *out, size_t *ti,
                        size_t end, const uint8_t *used)
{
	size_t n = c->toks->n;
	for (; *ti < end && *ti < n; (*ti)++) {
		size_t i = *ti;
		if (c->treg[i] >= 0 || used[i])
			continue;
		size_t last;
		int k = verb_at(c, i, &last);
		if (k) {
			size_t lo = i;
			while (lo > 0 && c->treg[lo - 1] < 0 && !sent_start(c, lo))
				lo--;
			size_t hi = last + 1;
			while (hi < n && c->treg[hi] < 0 && !sent_start(c, hi))
				hi++;
			struct subj s = { 0, NONE, 0, 0, 0, 0 };
			if (k != 3)
				s = subject_before(c, out, i, lo);
			/* "said the shadow Cabinet had ...": English names
			 * what was said after said; Spanish, who said it, and
			 * so does English after a comma: "..., said Andrew
			 * Sheaf, general manager of ..." */
			if (!s.kind && (k == 3 || (k == 2 && c->es) ||
			                (k == 2 && i > 0 && gap_has(c, i, ",") &&
			                 i + 1 < n && (name_word(c, i + 1) ||
			                               IN(c, i + 1, title_word)))))
				s = subject_after(c, out, last, hi);
			if (s.kind == 2)
				s.role_tok = (uint32_t)i;
			uint8_t how;
			uint32_t who = resolve(c, out, &s, c->toks->v[i].start, &how);
			event(c, c->toks->v[i].start, who, 0);
			continue;
		}
		if (name_word(c, i) && (i == 0 || !name_word(c, i - 1) ||
		                        !gap_name(c, i))) {
			size_t a, z;
			name_span(c, i, i, n, &a, &z);
			/* "Tory co-chairman Liam Fox has opened": Liam Fox */
			size_t j = z + 1;
			while (j < n && j < z + 4 && gap_name(c, j) && !capital(c, j) &&
			       (IN(c, j, role_head) || IN(c, j, title_word) ||
			        (c->toks->v[j].flags & AN_JOINED)))
				j++;
			if (j > z + 1 && j < n && gap_name(c, j) && name_word(c, j))
				name_span(c, j, j, n, &a, &z);
			if ((z > a || honorific(c, a)) && !possessive(c, z)) {
				uint32_t who = person_of_span(c, out, a, z);
				if (!c->p[who].org)
					event(c, c->toks->v[a].start,
					      full_name_of(c, out, who),
					      sent_start(c, i) ? 1 : 2);
				else if (sent_start(c, a))
					event(c, c->toks->v[a].start, who, 3);
			}
			*ti = z;
		}
	}
}

/* Not speech: a title or a name in quotes ("Strictly Come Dancing"), a
 * word talked about (the so-called "war on terror"), a scare quote (one
 * to three words with no cue in their sentence). */
static int not_speech(const struct ctx *c, const struct region *r)
{
	size_t nt = r->t1 - r->t0;
	if (!nt)
		return 1;
	unsigned char lastc = (unsigned char)c->b[r->e - 1];
	int punct = strchr(".!?,;", lastc) || lastc == 0xA6 /* … */;
	if (nt <= 8 && !punct) {
		int caps = 0, lower = 0;
		for (size_t i = r->t0; i < r->t1; i++) {
			if (capital(c, i))
				caps++;
			else if (c->toks->v[i].kind == AN_WORD && !lang_stop(c, i))
				lower++;
		}
		if (caps && !lower)
			return 1;
	}
	if (nt <= 4 && r->t0 > 0 && c->treg[r->t0 - 1] < 0) {
		static const char *const naming[] = {
			"denominada", "denominado", "entitled", "expresion", "hashtag",
			"lema", "llamada", "llamado", "palabra", "slogan", "so", "term",
			"termino", "titled", "titulada", "titulado", "word", "words"
		};
		size_t t = r->t0 - 1;
		if (INL(c, t, naming) || (is_word(c, t, "called") && t > 0 &&
		                         is_word(c, t - 1, "so")))
			return 1;
	}
	return 0;
}

static void attribute(struct ctx *c, qt_quotes *out)
{
	size_t n = c->toks->n, ti = 0;
	uint8_t *used = xcalloc(n ? n : 1, 1);
	for (size_t k = 0; k < c->nr; k++) {
		struct region *r = &c->r[k];
		events_upto(c, out, &ti, r->t0, used);
		struct subj s;
		if (r->t1 > r->t0 && find_cue(c, out, r, &s)) {
			r->speaker = resolve(c, out, &s, r->s, &r->how);
			if (r->cue_tok != NONE)
				for (size_t t = r->cue_tok; t <= r->cue_end && t < n; t++)
					used[t] = 1;
		} else {
			r->speaker = last_speaker(c, r->s, 0, 0, r->s);
			r->how = r->speaker == NONE ? QT_NONE : QT_FLOAT;
		}
		event(c, r->s, r->speaker, 0);
		ti = ti > r->t1 ? ti : r->t1;
	}
	free(used);
}

/* Parts of one quote share a group: a quote continued in the next
 * paragraph, or split by its cue ("...," he said, "..."). */
static void group_parts(struct ctx *c)
{
	size_t prev = NONE;
	for (size_t k = 0; k < c->nr; k++) {
		struct region *r = &c->r[k];
		r->group = (uint32_t)k;
		if (!r->keep)
			continue;
		if (prev != NONE) {
			struct region *p = &c->r[prev];
			size_t between = r->t0 - p->t1;
			int same_cue = r->cue_tok != NONE && r->cue_tok == p->cue_tok;
			int after_cue = p->cue_tok != NONE && p->cue_tok >= p->t1 &&
			                p->cue_end + 1 >= r->t0 - (between > 8 ? 8 : between) &&
			                !memchr(c->b + p->e, '\n', r->s - p->e);
			int continued = between == 0 && (r->how == QT_FLOAT ||
			                                  r->how == QT_NONE);
			if (same_cue || continued ||
			    (after_cue && r->how == QT_FLOAT && between <= 8)) {
				r->group = p->group;
				r->speaker = p->speaker;
				r->how = QT_CONTINUED;
				if (r->cue_tok == NONE) {
					r->cue_tok = p->cue_tok;
					r->cue_end = p->cue_end;
				}
			}
		}
		prev = k;
	}
}

void qt_extract(const char *body, size_t len, const an_tokens *toks,
                const ent_mentions *ents, size_t from, size_t to,
                const char *lang, qt_quotes *out)
{
	qt_quotes_clear(out);
	struct ctx c;
	memset(&c, 0, sizeof c);
	c.b = body;
	c.len = len;
	c.toks = toks;
	c.ents = ents;
	c.efrom = ents ? from : 0;
	c.eto = ents ? to : 0;
	c.es = lang && !strcmp(lang, "es");
	find_regions(&c);
	if (!c.nr)
		return;
	size_t n = toks->n;
	c.treg = xmalloc((n ? n : 1) * sizeof *c.treg);
	c.tf = xcalloc(n ? n : 1, sizeof *c.tf);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const an_token *t = &toks->v[i];
		while (k < c.nr && c.r[k].e <= t->start)
			k++;
		c.treg[i] = k < c.nr && t->start >= c.r[k].s && t->end <= c.r[k].e
		            ? (int32_t)k : -1;
	}
	for (size_t r = 0, i = 0; r < c.nr; r++) {
		while (i < n && toks->v[i].start < c.r[r].s)
			i++;
		c.r[r].t0 = (uint32_t)i;
		while (i < n && toks->v[i].end <= c.r[r].e)
			i++;
		c.r[r].t1 = (uint32_t)i;
	}
	collect_people(&c, out);
	attribute(&c, out);
	for (size_t r = 0; r < c.nr; r++)
		c.r[r].keep = !not_speech(&c, &c.r[r]);
	group_parts(&c);
	size_t *slot = xmalloc(c.nr * sizeof *slot);
	for (size_t r = 0; r < c.nr; r++) {
		struct region *g = &c.r[r];
		slot[r] = out->n;
		if (!g->keep)
			continue;
		XGROW(out->v, out->cap, out->n + 1);
		qt_quote *q = &out->v[out->n++];
		memset(q, 0, sizeof *q);
		q->start = g->s;
		q->end = g->e;
		q->group = (uint32_t)slot[g->group];
		q->how = g->how;
		if (g->speaker != NONE) {
			const struct person *p = &c.p[g->speaker];
			q->speaker = p->unnamed ? 0 : p->key;
			q->display = p->display;
			q->role = p->role;
		}
		if (g->cue_tok != NONE) {
			sb_reset(&c.tmp);
			for (size_t t = g->cue_tok; t <= g->cue_end; t++) {
				size_t l;
				const char *w = tw(&c, t, &l);
				if (c.tmp.len)
					sb_addch(&c.tmp, ' ');
				sb_add(&c.tmp, w, l);
			}
			q->cue = arena_add(out, c.tmp.buf, c.tmp.len);
		}
	}
	free(slot);
	free(c.r);
	free(c.treg);
	free(c.tf);
	free(c.p);
	free(c.ev);
	sb_release(&c.tmp);
}

int qt_words_sorted(void)
{
	for (size_t i = 1; i < NELEM(qt_words); i++)
		if (strcmp(qt_words[i - 1].w, qt_words[i].w) >= 0)
			return 0;
	return 1;
}
