/* Tests of the entity tagger and the gazetteers: the case rules (Mobile the
 * city, mobile the adjective; ICE the agency, ice the water), aliases,
 * officials and their later mentions, normalisation of field values, bad
 * input, and precision/recall on hand-labelled paragraphs in
 * tests/data/entities/ (text, a line "---", then "type<TAB>key" lines). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../indexer/entities.h"

struct fx {
	analyzer *a;
	gazetteer *g;
	ent_tagger *t;
	an_tokens toks;
	ent_mentions m;
};

static int fx_setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	f->a = analyzer_new();
	char *err = NULL;
	f->g = gazetteer_load_builtin(f->a, &err);
	if (!f->g) {
		fprintf(stderr, "gazetteer: %s\n", err);
		free(err);
		return -1;
	}
	f->t = ent_tagger_new(f->g);
	f->toks = (an_tokens)AN_TOKENS_INIT;
	f->m = (ent_mentions)ENT_MENTIONS_INIT;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	ent_tagger_free(f->t);
	gazetteer_free(f->g);
	analyzer_free(f->a);
	an_tokens_release(&f->toks);
	ent_mentions_release(&f->m);
	free(f);
	return 0;
}

/* Tag text as a passage of the current article (mentions accumulate). */
static void tag_more(struct fx *f, const char *text, size_t len)
{
	an_tokens_clear(&f->toks);
	analyzer_tokenize(f->a, text, len, 0, &f->toks);
	ent_tag(f->t, text, &f->toks, &f->m);
}

/* Tag text as a new article. */
static void tag(struct fx *f, const char *text)
{
	ent_tagger_begin_article(f->t);
	ent_mentions_clear(&f->m);
	tag_more(f, text, strlen(text));
}

/* The first mention of type and key, or NULL. */
static const ent_mention *find(const struct fx *f, int type, const char *key)
{
	for (size_t i = 0; i < f->m.n; i++)
		if (f->m.v[i].type == type && !strcmp(f->m.v[i].key, key))
			return &f->m.v[i];
	return NULL;
}

static size_t count_type(const struct fx *f, int type)
{
	size_t n = 0;
	for (size_t i = 0; i < f->m.n; i++)
		n += f->m.v[i].type == type;
	return n;
}

static void dump(const struct fx *f)
{
	for (size_t i = 0; i < f->m.n; i++)
		fprintf(stderr, "  %s\t%s\t%s\n", ent_type_name(f->m.v[i].type),
		        f->m.v[i].key, f->m.v[i].role ? f->m.v[i].role : "");
}

#define HAS(f, type, key) do { \
	if (!find((f), (type), (key))) { dump(f); \
		fail_msg("missing %s %s", ent_type_name(type), (key)); } \
} while (0)
#define HASNT(f, type, key) do { \
	if (find((f), (type), (key))) { dump(f); \
		fail_msg("unexpected %s %s", ent_type_name(type), (key)); } \
} while (0)

/* ---- names and case ---- */

static void test_type_names(void **state)
{
	(void)state;
	for (int t = 0; t < ENT_NTYPES; t++) {
		const char *s = ent_type_name((ent_type)t);
		assert_int_equal(ent_type_from_name(s, strlen(s)), t);
	}
	assert_int_equal(ent_type_from_name("cityx", 5), -1);
	assert_int_equal(ent_type_from_name("", 0), -1);
}

static void test_mobile_city_vs_adjective(void **state)
{
	struct fx *f = *state;
	tag(f, "Agents detained 12 workers in Mobile on Tuesday.");
	HAS(f, ENT_CITY, "mobile al");
	tag(f, "Officials set up mobile processing units near the border.");
	HASNT(f, ENT_CITY, "mobile al");
	tag(f, "Mobile phones were confiscated at the checkpoint.");
	HASNT(f, ENT_CITY, "mobile al");
	tag(f, "The raid happened in Mobile, Ala., last week.");
	HAS(f, ENT_CITY, "mobile al");
	HAS(f, ENT_STATE, "alabama");
}

static void test_ice_agency_vs_water(void **state)
{
	struct fx *f = *state;
	tag(f, "ICE agents arrested him outside the courthouse.");
	HAS(f, ENT_AGENCY, "ice");
	tag(f, "The roads were covered in ice and the school closed.");
	assert_int_equal(count_type(f, ENT_AGENCY), 0);
	tag(f, "Ice formed on the fence overnight.");
	assert_int_equal(count_type(f, ENT_AGENCY), 0);
	tag(f, "U.S. Immigration and Customs Enforcement said it would appeal.");
	HAS(f, ENT_AGENCY, "ice");
	tag(f, "El Servicio de Inmigración y Control de Aduanas detuvo a 40 personas.");
	HAS(f, ENT_AGENCY, "ice");
}

static void test_city_aliases(void **state)
{
	struct fx *f = *state;
	tag(f, "Protests spread from L.A. to NYC and Philly.");
	HAS(f, ENT_CITY, "los angeles ca");
	HAS(f, ENT_CITY, "new york ny");
	HAS(f, ENT_CITY, "philadelphia pa");
	tag(f, "She flew to Washington, D.C., then to San Diego.");
	HAS(f, ENT_CITY, "washington dc");
	HAS(f, ENT_CITY, "san diego ca");
	/* Spanish: "la" the article is never L.A. */
	tag(f, "La policía de la ciudad no colabora con la Patrulla Fronteriza.");
	HASNT(f, ENT_CITY, "los angeles ca");
	HAS(f, ENT_AGENCY, "border patrol");
	/* a city's state after a comma picks the row and is tagged too */
	tag(f, "Portland, Maine, and Kansas City, Kan., joined the suit.");
	HAS(f, ENT_CITY, "portland me");
	HASNT(f, ENT_CITY, "portland or");
	HAS(f, ENT_CITY, "kansas city ks");
	HAS(f, ENT_STATE, "kansas");
	tag(f, "Washington state sued, and George Washington would not approve.");
	HAS(f, ENT_STATE, "washington");
	HASNT(f, ENT_CITY, "washington dc");
	/* two-letter codes are words on their own */
	tag(f, "Come IN OR go, ME first.");
	assert_int_equal(count_type(f, ENT_STATE), 0);
	tag(f, "El Paso, TX and Tijuana were busy; Ciudad Juárez too.");
	HAS(f, ENT_CITY, "el paso tx");
	HAS(f, ENT_STATE, "texas");
	HAS(f, ENT_CITY, "tijuana bc");
	HAS(f, ENT_CITY, "ciudad juarez chih");
}

static void test_person_named_cities(void **state)
{
	struct fx *f = *state;
	tag(f, "Austin Butler spoke; Tyler Perry did not.");
	HASNT(f, ENT_CITY, "austin tx");
	HASNT(f, ENT_CITY, "tyler tx");
	tag(f, "Shelters in Austin and Tyler are full.");
	HAS(f, ENT_CITY, "austin tx");
	HAS(f, ENT_CITY, "tyler tx");
	tag(f, "Austin police said they would not help.");
	HAS(f, ENT_CITY, "austin tx");
}

/* ---- officials ---- */

static void test_mayor_then_surname(void **state)
{
	struct fx *f = *state;
	ent_tagger_begin_article(f->t);
	ent_mentions_clear(&f->m);
	const char *title = "Mayor Karen Bass vows to fight raids";
	const char *body = "Bass said the city would not cooperate. "
	                   "Lance Bass was not there.";
	tag_more(f, title, strlen(title));
	tag_more(f, body, strlen(body));
	const ent_mention *m = find(f, ENT_OFFICIAL, "karen bass");
	assert_non_null(m);
	assert_string_equal(m->role, "mayor");
	assert_string_equal(m->display, "Karen Bass");
	assert_int_equal(m->start, 6);
	assert_int_equal(m->end, 16);
	/* the body's "Bass said" is the same official */
	size_t n = 0;
	for (size_t i = 0; i < f->m.n; i++)
		if (f->m.v[i].type == ENT_OFFICIAL) {
			assert_string_equal(f->m.v[i].key, "karen bass");
			n++;
		}
	assert_int_equal(n, 2); /* Lance Bass is someone else */
	/* a new article forgets her */
	tag(f, "Bass said nothing.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
}

static void test_homan_role(void **state)
{
	struct fx *f = *state;
	tag(f, "The order came from former acting ICE Director Tom Homan, "
	       "now the border czar.");
	const ent_mention *m = find(f, ENT_OFFICIAL, "tom homan");
	assert_non_null(m);
	assert_string_equal(m->role, "ice director");
	HAS(f, ENT_AGENCY, "ice");
	HAS(f, ENT_RESPONSE, "border czar");
	tag(f, "Border czar Tom Homan said more agents would come.");
	m = find(f, ENT_OFFICIAL, "tom homan");
	assert_non_null(m);
	assert_string_equal(m->role, "border czar");
}

static void test_hyphenated_and_spanish(void **state)
{
	struct fx *f = *state;
	tag(f, "Councilmember Hugo Soto-Martinez called for an end to the raids. "
	       "Soto-Martinez said families were afraid.");
	const ent_mention *m = find(f, ENT_OFFICIAL, "hugo soto martinez");
	assert_non_null(m);
	assert_string_equal(m->role, "councilmember");
	assert_string_equal(m->display, "Hugo Soto-Martinez");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 2);

	tag(f, "La alcaldesa Karen Bass criticó las redadas en Los Ángeles.");
	m = find(f, ENT_OFFICIAL, "karen bass");
	assert_non_null(m);
	assert_string_equal(m->role, "mayor");
	HAS(f, ENT_RESPONSE, "raid");
	HAS(f, ENT_CITY, "los angeles ca");

	tag(f, "El gobernador Juan de la Cruz firmó la orden ejecutiva.");
	m = find(f, ENT_OFFICIAL, "juan de la cruz");
	assert_non_null(m);
	assert_string_equal(m->role, "governor");
	HAS(f, ENT_RESPONSE, "executive order");
}

static void test_gov_newsom(void **state)
{
	struct fx *f = *state;
	tag(f, "Gov. Gavin Newsom sued over the deployment. Newsom's office "
	       "said the National Guard was federalized.");
	const ent_mention *m = find(f, ENT_OFFICIAL, "gavin newsom");
	assert_non_null(m);
	assert_string_equal(m->role, "governor");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 2);
	HAS(f, ENT_RESPONSE, "lawsuit");
	HAS(f, ENT_AGENCY, "national guard");
	HAS(f, ENT_RESPONSE, "military deployment");
	tag(f, "Secretary of Homeland Security Kristi Noem visited El Paso.");
	m = find(f, ENT_OFFICIAL, "kristi noem");
	assert_non_null(m);
	assert_string_equal(m->role, "dhs secretary");
	HAS(f, ENT_AGENCY, "dhs");
	HAS(f, ENT_CITY, "el paso tx");
}

/* ---- responses ---- */

static void test_responses(void **state)
{
	struct fx *f = *state;
	tag(f, "The county ended its 287(g) agreement after Title 42 expired.");
	HAS(f, ENT_RESPONSE, "287g");
	HAS(f, ENT_RESPONSE, "title 42");
	tag(f, "Chicago remains a sanctuary city despite threats to cut funding.");
	HAS(f, ENT_RESPONSE, "sanctuary policy");
	HAS(f, ENT_RESPONSE, "funding cut");
	HAS(f, ENT_CITY, "chicago il");
	tag(f, "Raids continued; the raided farms were empty. Detainers rose.");
	HAS(f, ENT_RESPONSE, "raid");
	HAS(f, ENT_RESPONSE, "detainer");
	tag(f, "Sue Smith, a teacher, spoke.");
	HASNT(f, ENT_RESPONSE, "lawsuit");
	tag(f, "Los activistas rechazan la deportación masiva y las redadas.");
	HAS(f, ENT_RESPONSE, "mass deportation");
	HAS(f, ENT_RESPONSE, "raid");
	tag(f, "He invoked the Alien Enemies Act and declared a national emergency.");
	HAS(f, ENT_RESPONSE, "alien enemies act");
	HAS(f, ENT_RESPONSE, "national emergency");
	/* stems only in the text's language: "red" is not a redada */
	tag(f, "The red flag was raised as demand for workers grew.");
	assert_int_equal(count_type(f, ENT_RESPONSE), 0);
	tag(f, "La red de apoyo atendió a los migrantes, dijo la demanda laboral.");
	HASNT(f, ENT_RESPONSE, "raid");
	ent_tagger_begin_article(f->t);
	ent_mentions_clear(&f->m);
	ent_tagger_set_lang(f->t, "es");
	tag_more(f, "Tras las redadas, deportaron a 40.", 34);
	HAS(f, ENT_RESPONSE, "raid");
	HAS(f, ENT_RESPONSE, "deportation");
	tag(f, "DACA recipients and TPS holders feared expedited removal.");
	HAS(f, ENT_RESPONSE, "daca");
	HAS(f, ENT_RESPONSE, "tps");
	HAS(f, ENT_RESPONSE, "expedited removal");
}

/* ---- precision guards found on real archives ---- */

/* A city or state inside a street, a county, a paper or a company's name
 * (city_suffixes.tsv) is not the place. */
static void test_place_inside_other_names(void **state)
{
	struct fx *f = *state;
	tag(f, "Marchers gathered on Milwaukee Avenue in Albany Park, and at a "
	       "farm in Ventura County.");
	HASNT(f, ENT_CITY, "milwaukee wi");
	HASNT(f, ENT_CITY, "albany ny");
	HASNT(f, ENT_CITY, "ventura ca");
	tag(f, "El Paso County Judge Ramona Escalante said Wells Fargo and the "
	       "Meridian Wire had asked.");
	HASNT(f, ENT_CITY, "el paso tx");
	HASNT(f, ENT_CITY, "fargo nd");
	HASNT(f, ENT_CITY, "meridian id");
	HAS(f, ENT_OFFICIAL, "ramona escalante");
	tag(f, "The New York Times and the Los Angeles Times reported it from "
	       "Pennsylvania Avenue.");
	assert_int_equal(count_type(f, ENT_CITY), 0);
	assert_int_equal(count_type(f, ENT_STATE), 0);
	/* a team named after its city is not the city (issue 18) */
	tag(f, "The Los Angeles Dodgers beat the San Francisco Giants, and the "
	       "Boston Red Sox lost to the Toronto Blue Jays.");
	assert_int_equal(count_type(f, ENT_CITY), 0);
	tag(f, "Giants fans marched in San Francisco; the Dodgers played in Los "
	       "Angeles.");
	HAS(f, ENT_CITY, "san francisco ca");
	HAS(f, ENT_CITY, "los angeles ca");
	/* a person with a city's name; a bank with one */
	tag(f, "\"It is not a rip-off,\" said Mr Renton of Credit Suisse First "
	       "Boston.");
	assert_int_equal(count_type(f, ENT_CITY), 0);
	/* a state's office: the state, not the city */
	tag(f, "New York Attorney General Eliot Spitzer sued, and New York Gov. "
	       "George Pataki and Washington Governor Gary Locke agreed with "
	       "Oregon Gov. Ted Kulongoski.");
	HAS(f, ENT_STATE, "oregon");
	assert_int_equal(count_type(f, ENT_CITY), 0);
	HAS(f, ENT_OFFICIAL, "eliot spitzer");
	HAS(f, ENT_OFFICIAL, "george pataki");
	/* a city that is also a word takes no article */
	tag(f, "Number eight was Flight of the Phoenix, shot near Phoenix and "
	       "the Phoenix area.");
	HAS(f, ENT_CITY, "phoenix az");
	assert_int_equal(count_type(f, ENT_CITY), 2);
	/* civic words keep the city */
	tag(f, "The El Paso City Council and the Houston Police Department met "
	       "in Milwaukee.");
	HAS(f, ENT_CITY, "el paso tx");
	HAS(f, ENT_CITY, "houston tx");
	HAS(f, ENT_CITY, "milwaukee wi");
}

/* Title-case headlines: the word after a title is a verb. */
static void test_headline_verbs(void **state)
{
	struct fx *f = *state;
	static const char *const heads[] = {
		"Judge Blocks Order Cutting Funds to Sanctuary Cities",
		"President Declares National Emergency to Fund Border Wall",
		"Judge Rules Guard Deployment Illegal, Orders Control Returned",
		"Federal Judge Halts Sanctuary Funding Cutoff; L.A. Officials Cheer",
		"Harris County Sheriff Ends 287(g) Jail Agreement With ICE",
		"Judge's Late-Night Order Halts Removals at JFK",
		"Judge Orders DACA Renewals to Resume",
		"Philadelphia DA Seeks Limits on ICE Arrests",
	};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		tag(f, heads[i]);
		if (count_type(f, ENT_OFFICIAL)) {
			dump(f);
			fail_msg("an official in \"%s\"", heads[i]);
		}
	}
	/* the name before the verb is kept */
	tag(f, "Mayor Kessler Tapped as 'Border Czar'; Denver, Chicago React");
	HAS(f, ENT_OFFICIAL, "kessler");
	HASNT(f, ENT_OFFICIAL, "kessler tapped");
	HAS(f, ENT_CITY, "denver co");
	/* a headline's city before a verb is the city */
	tag(f, "Tucson Approves Welcoming Ordinance");
	HAS(f, ENT_CITY, "tucson az");
	/* the same words in running text are not a headline */
	tag(f, "The judge said Mayor Rosa Blocks would appeal the order.");
	HAS(f, ENT_OFFICIAL, "rosa blocks");
}

/* A title before a place or a thing: schools, centres, possessives, role
 * words that look like a name. */
static void test_title_before_things(void **state)
{
	struct fx *f = *state;
	tag(f, "Students from Garfield, Chief Sealth and Rainier Beach high "
	       "schools marched to City Hall.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
	tag(f, "They met at Chief Sealth High School on Monday.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
	tag(f, "They rallied on the steps of the city's Criminal Justice Center, "
	       "saying arrests scared witnesses.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
	tag(f, "He attends the annual Governor's Ball, and sales rose over the "
	       "President's Day weekend.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
	/* the titles after the names make no official of their own; Paul
	 * Boateng is one from the officeholders' gazetteer, Karen Thomson of
	 * AOL none */
	tag(f, "Paul Boateng, Chief Secretary to the Treasury, said so; Karen "
	       "Thomson, Chief Executive of AOL UK, agreed.");
	HAS(f, ENT_OFFICIAL, "paul boateng");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 1);
	tag(f, "He met UN Secretary General Kofi Annan in New York.");
	HAS(f, ENT_OFFICIAL, "kofi annan");
	HASNT(f, ENT_OFFICIAL, "general kofi annan");
	tag(f, "Chief Treasury Secretary Paul Boateng and Assistant Chief "
	       "Constable David Warcup spoke; Judge Charles Harris QC agreed.");
	HAS(f, ENT_OFFICIAL, "paul boateng");
	HAS(f, ENT_OFFICIAL, "charles harris");
	HASNT(f, ENT_OFFICIAL, "treasury secretary paul boateng");
	HASNT(f, ENT_OFFICIAL, "constable david warcup");
	tag(f, "Acting Detective Chief Superintendent Mick Deats said it.");
	HAS(f, ENT_OFFICIAL, "mick deats");
	HASNT(f, ENT_OFFICIAL, "superintendent");
	/* a chief with an agency may go by surname; a full name is fine */
	tag(f, "Border Patrol Chief Kessler said no. Police Chief Ana Ruiz "
	       "and Chief Art Acevedo agreed.");
	HAS(f, ENT_OFFICIAL, "kessler");
	HAS(f, ENT_OFFICIAL, "ana ruiz");
	HAS(f, ENT_OFFICIAL, "art acevedo");
}

/* Honorifics are not part of the name, and do not hide a surname. */
static void test_honorifics(void **state)
{
	struct fx *f = *state;
	tag(f, "Labour spokesman Fraser Kemp spoke first. Later Mr Kemp said "
	       "it was wrong, and Mr. Kemp left.");
	HAS(f, ENT_OFFICIAL, "fraser kemp");
	HASNT(f, ENT_OFFICIAL, "mr kemp");
	size_t n = 0;
	for (size_t i = 0; i < f->m.n; i++)
		if (f->m.v[i].type == ENT_OFFICIAL) {
			assert_string_equal(f->m.v[i].key, "fraser kemp");
			n++;
		}
	assert_true(n >= 2);
	tag(f, "Senator Dr. Ana Ruiz said so, and spokesman Mr Lewis agreed.");
	HAS(f, ENT_OFFICIAL, "ana ruiz");
	HAS(f, ENT_OFFICIAL, "lewis");
	HASNT(f, ENT_OFFICIAL, "mr lewis");
}

/* Text set in capitals (TIME's archive): a lone capital without a full
 * stop is the article "A", not an initial, and a two-letter word before a
 * shouted name is not a name; initials with their stop still count. */
static void test_all_caps_text(void **state)
{
	struct fx *f = *state;
	tag(f, "THE U.S. AMBASSADOR A HALF HOUR LATER MET PRESIDENT DE GAULLE "
	       "AND GENERAL U THANT IN PARIS .");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
	tag(f, "President John F. Kennedy spoke, then Senator A. Ruiz replied.");
	HAS(f, ENT_OFFICIAL, "john f kennedy");
	HAS(f, ENT_OFFICIAL, "a ruiz");
	tag(f, "Chinese President Xi said the talks would go on.");
	HAS(f, ENT_OFFICIAL, "xi");
}

/* A surname first seen alone after a title (a headline) and then with its
 * first name is one official under the full name, headline included. */
static void test_surname_then_full_name(void **state)
{
	struct fx *f = *state;
	ent_tagger_begin_article(f->t);
	ent_mentions_clear(&f->m);
	const char *title = "Ex-Border Patrol Chief Kessler Tapped as 'Border Czar'";
	const char *body = "Wade Kessler, a former Border Patrol chief, will "
	                   "serve. Kessler said he was ready.";
	tag_more(f, title, strlen(title));
	tag_more(f, body, strlen(body));
	size_t n = 0;
	for (size_t i = 0; i < f->m.n; i++)
		if (f->m.v[i].type == ENT_OFFICIAL) {
			assert_string_equal(f->m.v[i].key, "wade kessler");
			assert_string_equal(f->m.v[i].display, "Wade Kessler");
			n++;
		}
	assert_int_equal(n, 3);

	ent_tagger_begin_article(f->t);
	ent_mentions_clear(&f->m);
	title = "Guardia Nacional en Los \xc3\x81ngeles: la alcaldesa Marquez "
	        "exige su retiro";
	body = "La alcaldesa Elena Marquez exigi\xc3\xb3 el retiro. \"No\", "
	       "dijo Marquez.";
	tag_more(f, title, strlen(title));
	tag_more(f, body, strlen(body));
	HASNT(f, ENT_OFFICIAL, "marquez");
	HAS(f, ENT_OFFICIAL, "elena marquez");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 3);

	/* without a titled mention first, a surname is nobody */
	tag(f, "Marquez said the city would sue. Kessler agreed.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
}

/* ---- normalisation ---- */

static int norm_has(struct fx *f, int type, const char *text, const char *key,
                    size_t *count)
{
	strbuf out = STRBUF_INIT;
	size_t n = gazetteer_normalize(f->g, f->a, (ent_type)type, text,
	                               strlen(text), &out);
	*count = n;
	int found = 0;
	size_t p = 0;
	for (size_t i = 0; i < n; i++) {
		const char *k = out.buf + p;
		if (!strcmp(k, key))
			found = 1;
		p += strlen(k) + 1;
	}
	assert_int_equal(p, out.len);
	sb_release(&out);
	return found;
}

static void test_normalize(void **state)
{
	struct fx *f = *state;
	size_t n;
	assert_true(norm_has(f, ENT_CITY, "L.A.", "los angeles ca", &n));
	assert_int_equal(n, 1);
	assert_true(norm_has(f, ENT_CITY, "los angeles", "los angeles ca", &n));
	assert_true(norm_has(f, ENT_CITY, "Los Angeles, CA", "los angeles ca", &n));
	assert_true(norm_has(f, ENT_CITY, "nyc", "new york ny", &n));
	assert_true(norm_has(f, ENT_CITY, "portland", "portland or", &n));
	assert_true(norm_has(f, ENT_CITY, "portland", "portland me", &n));
	assert_int_equal(n, 2);
	assert_true(norm_has(f, ENT_AGENCY, "Immigration and Customs Enforcement",
	                     "ice", &n));
	assert_int_equal(n, 1);
	assert_true(norm_has(f, ENT_AGENCY, "ice", "ice", &n));
	assert_true(norm_has(f, ENT_STATE, "Calif.", "california", &n));
	assert_true(norm_has(f, ENT_RESPONSE, "raids", "raid", &n));
	assert_true(norm_has(f, ENT_RESPONSE, "sanctuary cities",
	                     "sanctuary policy", &n));
	assert_true(norm_has(f, ENT_RESPONSE, "287(g)", "287g", &n));
	assert_true(norm_has(f, ENT_OFFICIAL, "bass", "bass", &n));
	assert_int_equal(n, 1);
	assert_true(norm_has(f, ENT_OFFICIAL, "Karen Bass", "karen bass", &n));
	assert_true(norm_has(f, ENT_OFFICIAL, "Hugo Soto-Martinez",
	                     "hugo soto martinez", &n));
	/* unknown values stay themselves; empty gives nothing */
	assert_true(norm_has(f, ENT_CITY, "Timbuktu", "timbuktu", &n));
	strbuf out = STRBUF_INIT;
	assert_int_equal(gazetteer_normalize(f->g, f->a, ENT_CITY, "", 0, &out), 0);
	assert_int_equal(gazetteer_normalize(f->g, f->a, ENT_NTYPES, "x", 1, &out),
	                 0);
	assert_int_equal(out.len, 0);
	sb_release(&out);
}

/* ---- loading ---- */

static char *write_tmp_dir(const char *name, const char *content)
{
	char tmpl[] = "/tmp/lede-gaz-XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	strbuf p = STRBUF_INIT;
	sb_addf(&p, "%s/%s", dir, name);
	FILE *fp = fopen(p.buf, "w");
	assert_non_null(fp);
	fputs(content, fp);
	fclose(fp);
	sb_release(&p);
	return xstrdup(dir);
}

static void remove_tmp_dir(char *dir, const char *name)
{
	strbuf p = STRBUF_INIT;
	sb_addf(&p, "%s/%s", dir, name);
	unlink(p.buf);
	rmdir(dir);
	sb_release(&p);
	free(dir);
}

static void test_load_dir_errors(void **state)
{
	struct fx *f = *state;
	char *err = NULL;
	char *dir = write_tmp_dir("bad.tsv", "# comment\ncity\tstate\taliases\tflags\n"
	                          "Springfield\tIL\t\t\nShelbyville\tIL\t\tbogus\n");
	gazetteer *g = gazetteer_load_dir(f->a, dir, &err);
	assert_null(g);
	assert_non_null(err);
	assert_non_null(strstr(err, "bad.tsv:4"));
	assert_non_null(strstr(err, "bogus"));
	free(err);
	remove_tmp_dir(dir, "bad.tsv");

	err = NULL;
	dir = write_tmp_dir("x.tsv", "planet\tname\nMars\tx\n");
	assert_null(gazetteer_load_dir(f->a, dir, &err));
	assert_non_null(strstr(err, "x.tsv:1"));
	free(err);
	remove_tmp_dir(dir, "x.tsv");

	/* a common word is one word; a suffix's flags are checked */
	err = NULL;
	dir = write_tmp_dir("w.tsv", "common\tflags\nblocks\nhalts sharply\n");
	assert_null(gazetteer_load_dir(f->a, dir, &err));
	assert_non_null(strstr(err, "w.tsv:3"));
	free(err);
	remove_tmp_dir(dir, "w.tsv");
	err = NULL;
	dir = write_tmp_dir("s.tsv", "suffix\tflags\nAvenue\tperson\nPark\tbogus\n");
	assert_null(gazetteer_load_dir(f->a, dir, &err));
	assert_non_null(strstr(err, "s.tsv:3"));
	free(err);
	remove_tmp_dir(dir, "s.tsv");

	err = NULL;
	assert_null(gazetteer_load_dir(f->a, "/nonexistent/lede", &err));
	assert_non_null(strstr(err, "/nonexistent/lede"));
	free(err);

	/* a small custom gazetteer works */
	dir = write_tmp_dir("c.tsv", "agency\tdisplay\taliases\n"
	                    "mpd\tMPD\tMetro Police Dept\n");
	err = NULL;
	g = gazetteer_load_dir(f->a, dir, &err);
	assert_non_null(g);
	ent_tagger *t = ent_tagger_new(g);
	an_tokens toks = AN_TOKENS_INIT;
	ent_mentions m = ENT_MENTIONS_INIT;
	const char *s = "The Metro Police Dept and MPD said so.";
	analyzer_tokenize(f->a, s, strlen(s), 0, &toks);
	ent_tag(t, s, &toks, &m);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.v[0].key, "mpd");
	/* a title-case line with no common words or suffixes loaded */
	ent_mentions_clear(&m);
	an_tokens_clear(&toks);
	s = "MPD Chief Blocks Order On Metro Police Dept Avenue";
	analyzer_tokenize(f->a, s, strlen(s), 0, &toks);
	ent_tag(t, s, &toks, &m);
	assert_true(m.n >= 1);
	ent_mentions_release(&m);
	an_tokens_release(&toks);
	ent_tagger_free(t);
	gazetteer_free(g);
	remove_tmp_dir(dir, "c.tsv");
}

static void test_load_repo_dir(void **state)
{
	struct fx *f = *state;
	const char *src = getenv("LEDE_SRC");
	strbuf p = STRBUF_INIT;
	sb_addf(&p, "%s/corpus/gazetteer", src ? src : ".");
	char *err = NULL;
	gazetteer *g = gazetteer_load_dir(f->a, p.buf, &err);
	if (!g)
		fail_msg("%s", err);
	gazetteer_free(g);
	sb_release(&p);
}

/* ---- bad input ---- */

static void test_bad_input(void **state)
{
	struct fx *f = *state;
	/* empty, and no tokens at all */
	tag(f, "");
	assert_int_equal(f->m.n, 0);
	ent_tag(f->t, "", &(an_tokens)AN_TOKENS_INIT, &f->m);
	assert_int_equal(f->m.n, 0);
	tag(f, "  ,,, ... !!! ");
	assert_int_equal(f->m.n, 0);

	/* random bytes, NULs included */
	unsigned x = 12345;
	size_t len = 200000;
	char *buf = xmalloc(len);
	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (char)(x >> 16);
		}
		ent_tagger_begin_article(f->t);
		ent_mentions_clear(&f->m);
		tag_more(f, buf, len);
		for (size_t i = 0; i < f->m.n; i++) {
			assert_true(f->m.v[i].end <= len);
			assert_true(f->m.v[i].start <= f->m.v[i].end);
			assert_true(f->m.v[i].tok_first <= f->m.v[i].tok_last);
			assert_true(f->m.v[i].tok_last < f->toks.n);
		}
	}
	free(buf);

	/* 10,000 capitalised words: linear, no official without a title */
	strbuf sb = STRBUF_INIT;
	static const char *const words[] = { "Alpha", "Bravo", "Charlie",
		"Delta", "Echo", "Foxtrot", "Golf", "Hotel" };
	for (int i = 0; i < 10000; i++)
		sb_addf(&sb, "%s ", words[i % 8]);
	tag(f, sb.buf);
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);

	/* a title then 1,000 capitalised words: no endless name */
	sb_reset(&sb);
	sb_addstr(&sb, "Mayor ");
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "%s ", words[i % 8]);
	tag(f, sb.buf);
	for (size_t i = 0; i < f->m.n; i++)
		if (f->m.v[i].type == ENT_OFFICIAL)
			assert_true(f->m.v[i].tok_last - f->m.v[i].tok_first < 10);

	/* many titled names: the memory is bounded, keys stay valid */
	sb_reset(&sb);
	for (int i = 0; i < 500; i++)
		sb_addf(&sb, "Mayor %s%c Smith spoke. ", words[i % 8], 'a' + i % 26);
	tag(f, sb.buf);
	assert_true(count_type(f, ENT_OFFICIAL) >= 400);
	for (size_t i = 0; i < f->m.n; i++)
		assert_non_null(strstr(f->m.v[i].key, "smith"));

	/* surnames alone, then with first names, past the memory's bound:
	 * every key upgraded or not stays a valid string */
	sb_reset(&sb);
	for (int i = 0; i < 300; i++)
		sb_addf(&sb, "Mayor %s%c Says No. Then Wade %s%c said so, Mr %s%c "
		        "too. ", words[i % 8], 'a' + i % 26, words[i % 8],
		        'a' + i % 26, words[i % 8], 'a' + i % 26);
	tag(f, sb.buf);
	assert_true(count_type(f, ENT_OFFICIAL) >= 300);
	for (size_t i = 0; i < f->m.n; i++)
		assert_true(strlen(f->m.v[i].key) > 0);
	sb_release(&sb);
}

/* ---- hand-labelled paragraphs ---- */

struct pair { int type; char *key; };

struct counts { size_t tp, fp, fn; };

static int pair_in(const struct pair *v, size_t n, int type, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].type == type && !strcmp(v[i].key, key))
			return 1;
	return 0;
}

static void print_pr(const char *name, const struct counts *c)
{
	double p = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 1.0;
	double r = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 1.0;
	printf("  %-9s P=%.3f R=%.3f (tp %zu, fp %zu, fn %zu)\n", name, p, r,
	       c->tp, c->fp, c->fn);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_labelled_paragraphs(void **state)
{
	struct fx *f = *state;
	const char *src = getenv("LEDE_SRC");
	strbuf dirp = STRBUF_INIT;
	sb_addf(&dirp, "%s/tests/data/entities", src ? src : ".");
	DIR *d = opendir(dirp.buf);
	if (!d)
		fail_msg("cannot open %s (set LEDE_SRC)", dirp.buf);
	char **names = NULL;
	size_t nn = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l > 4 && !strcmp(de->d_name + l - 4, ".txt")) {
			XGROW(names, cap, nn + 1);
			names[nn++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, nn, sizeof *names, name_cmp);
	assert_true(nn >= 30);

	struct counts per[ENT_NTYPES], all = { 0, 0, 0 };
	memset(per, 0, sizeof per);
	int verbose = getenv("LEDE_ENT_VERBOSE") != NULL;
	for (size_t fi = 0; fi < nn; fi++) {
		strbuf path = STRBUF_INIT, data = STRBUF_INIT;
		sb_addf(&path, "%s/%s", dirp.buf, names[fi]);
		FILE *fp = fopen(path.buf, "rb");
		assert_non_null(fp);
		char buf[4096];
		size_t got;
		while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
			sb_add(&data, buf, got);
		fclose(fp);
		char *sep = strstr(data.buf, "\n---\n");
		assert_non_null(sep);
		size_t textlen = (size_t)(sep - data.buf);
		/* expected pairs */
		struct pair *exp = NULL;
		size_t ne = 0, ecap = 0;
		char *line = sep + 5;
		while (*line) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			char *tab = strchr(line, '\t');
			if (tab) {
				*tab = '\0';
				int type = ent_type_from_name(line, strlen(line));
				if (type < 0)
					fail_msg("%s: bad type %s", names[fi], line);
				XGROW(exp, ecap, ne + 1);
				exp[ne++] = (struct pair){ type, tab + 1 };
			}
			if (!nl)
				break;
			line = nl + 1;
		}
		/* found pairs, distinct */
		ent_tagger_begin_article(f->t);
		ent_mentions_clear(&f->m);
		tag_more(f, data.buf, textlen);
		struct pair *got_v = NULL;
		size_t ng = 0, gcap = 0;
		for (size_t i = 0; i < f->m.n; i++) {
			const ent_mention *m = &f->m.v[i];
			if (pair_in(got_v, ng, m->type, m->key))
				continue;
			XGROW(got_v, gcap, ng + 1);
			got_v[ng++] = (struct pair){ m->type, (char *)m->key };
		}
		for (size_t i = 0; i < ng; i++) {
			int ok = pair_in(exp, ne, got_v[i].type, got_v[i].key);
			struct counts *c = &per[got_v[i].type];
			if (ok) {
				c->tp++;
				all.tp++;
			} else {
				c->fp++;
				all.fp++;
				if (verbose)
					printf("%s: FP %s\t%s\n", names[fi],
					       ent_type_name(got_v[i].type), got_v[i].key);
			}
		}
		for (size_t i = 0; i < ne; i++)
			if (!pair_in(got_v, ng, exp[i].type, exp[i].key)) {
				per[exp[i].type].fn++;
				all.fn++;
				if (verbose)
					printf("%s: FN %s\t%s\n", names[fi],
					       ent_type_name(exp[i].type), exp[i].key);
			}
		free(exp);
		free(got_v);
		sb_release(&path);
		sb_release(&data);
	}
	printf("entities on %zu labelled paragraphs:\n", nn);
	for (int t = 0; t < ENT_NTYPES; t++)
		print_pr(ent_type_name((ent_type)t), &per[t]);
	print_pr("overall", &all);
	double p = (double)all.tp / (double)(all.tp + all.fp);
	double r = (double)all.tp / (double)(all.tp + all.fn);
	assert_true(all.tp > 100);
	assert_true(p >= 0.85);
	assert_true(r >= 0.85);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	sb_release(&dirp);
}

/* ---- the rules of issue 13: one true and one false case each ---- */

/* Tag text as a new article of the given year. */
static void tag_dated(struct fx *f, int year, const char *text)
{
	ent_tagger_begin_article(f->t);
	ent_tagger_set_year(f->t, year);
	ent_mentions_clear(&f->m);
	tag_more(f, text, strlen(text));
}

/* Tag text as a whole article, closing it (responses need context). */
static void tag_article(struct fx *f, const char *text)
{
	tag(f, text);
	ent_tagger_end_article(f->t, &f->m);
}

/* A surname-city or word-city needs place context. */
static void test_city_needs_place_context(void **state)
{
	struct fx *f = *state;
	tag(f, "The family moved to a new house in Allen last spring.");
	HAS(f, ENT_CITY, "allen tx");
	tag(f, "Allen said the vote would be close.");
	HASNT(f, ENT_CITY, "allen tx");
	tag(f, "Crowds gathered at Independence on Saturday.");
	HAS(f, ENT_CITY, "independence mo");
	tag(f, "The colony declared Independence after the war.");
	HASNT(f, ENT_CITY, "independence mo");
	/* ", State" and a dateline are place context too */
	tag(f, "Officials in the suburb of Surprise, Ariz., said little.");
	HAS(f, ENT_CITY, "surprise az");
	tag(f, "Allen - Police closed two roads on Friday.");
	HAS(f, ENT_CITY, "allen tx");
	tag(f, "To everyone's Surprise the bill passed.");
	HASNT(f, ENT_CITY, "surprise az");
	/* Brent the borough, Brent the crude oil */
	tag(f, "Brent Council voted on the plan.");
	HAS(f, ENT_CITY, "brent");
	tag(f, "Brent rose 40 cents a barrel.");
	HASNT(f, ENT_CITY, "brent");
}

/* All-caps lines, quoted Usenet lines and signatures read no acronyms. */
static void test_no_acronyms_when_shouted_or_quoted(void **state)
{
	struct fx *f = *state;
	tag(f, "ICE agents arrived at the plant before dawn.");
	HAS(f, ENT_AGENCY, "ice");
	tag(f, "BALTIC SEA ICE FORMS EARLY THIS WINTER");
	HASNT(f, ENT_AGENCY, "ice");
	tag(f, "I rode up on Sunday.\n> The DoD bought the bikes, I heard.\n"
	       "Not true.");
	HASNT(f, ENT_AGENCY, "dod");
	tag(f, "See you at the rally.\n-- \nPat, DoD #1234, ride safe\n");
	HASNT(f, ENT_AGENCY, "dod");
	tag(f, "The DoD said the contract was cancelled.");
	HAS(f, ENT_AGENCY, "dod");
	tag(f, "RESIDENTES DE LA CIUDAD PIDEN CALMA");
	HASNT(f, ENT_CITY, "los angeles ca");
	/* a member number makes the acronym a club's; a year does not */
	tag(f, "Nick the biker, DoD# 1069, rides a red Sabre.");
	HASNT(f, ENT_AGENCY, "dod");
	tag(f, "The DoD 2004 budget request grew.");
	HAS(f, ENT_AGENCY, "dod");
	/* and the numbers after a state code or a city are still places */
	tag(f, "Write to 12 Elm Road, Dallas, TX  75006.");
	HAS(f, ENT_STATE, "texas");
}

/* An ambiguous acronym (INS) needs an article about immigration. */
static void test_agency_needs_context(void **state)
{
	struct fx *f = *state;
	tag(f, "The INS deported him, his immigration lawyer said.");
	ent_tagger_end_article(f->t, &f->m);
	HAS(f, ENT_AGENCY, "ins");
	tag(f, "The INS unit on the probe drifted by a degree an hour.");
	ent_tagger_end_article(f->t, &f->m);
	HASNT(f, ENT_AGENCY, "ins");
}

/* One key per person in an article, the same key in every article. */
static void test_one_key_per_person(void **state)
{
	struct fx *f = *state;
	tag(f, "Ronald Reagan signed the bill. Later Reagan flew home.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 2);
	for (size_t i = 0; i < f->m.n; i++)
		assert_string_equal(f->m.v[i].key, "ronald reagan");
	/* another article naming him by surname only: the same key */
	tag(f, "Reagan vetoed the measure on Friday.");
	HAS(f, ENT_OFFICIAL, "ronald reagan");
	/* namesakes: the article's year picks the one then in office */
	tag(f, "President Bush met the press.");
	HAS(f, ENT_OFFICIAL, "bush");
	tag_dated(f, 1990, "President Bush met the press.");
	HAS(f, ENT_OFFICIAL, "george h w bush");
	tag_dated(f, 2004, "President Bush met the press.");
	HAS(f, ENT_OFFICIAL, "george w bush");
	/* another Reagan is not him */
	tag(f, "Nancy Reagan opened the exhibition.");
	HASNT(f, ENT_OFFICIAL, "ronald reagan");
}

/* Officials without a title, from the officeholders' gazetteer. */
static void test_officials_without_title(void **state)
{
	struct fx *f = *state;
	tag(f, "Tony Blair told reporters the plan was sound.");
	const ent_mention *m = find(f, ENT_OFFICIAL, "tony blair");
	assert_non_null(m);
	assert_string_equal(m->role, "prime minister");
	assert_string_equal(m->where, "united kingdom");
	tag(f, "Cherie Blair told reporters the plan was sound.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
	/* an honorific and a gazetteer surname */
	tag(f, "Mr Blunkett said the figures were wrong.");
	HAS(f, ENT_OFFICIAL, "david blunkett");
	tag(f, "Mr Pendleworth said the figures were wrong.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
}

/* A name in apposition to an office. */
static void test_apposition(void **state)
{
	struct fx *f = *state;
	tag(f, "Maria Delgrave, the deputy transport minister, opened the road.");
	const ent_mention *m = find(f, ENT_OFFICIAL, "maria delgrave");
	assert_non_null(m);
	assert_string_equal(m->role, "minister");
	tag(f, "Maria Delgrave, a senior adviser to Acme Foods, opened the road.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
	tag(f, "Maria Delgrave, a senior adviser to the Treasury, spoke.");
	HAS(f, ENT_OFFICIAL, "maria delgrave");
	/* a peer's title, and the Lord of the churches */
	tag(f, "Lord Penmarric of Tintagel spoke in the debate.");
	HAS(f, ENT_OFFICIAL, "penmarric");
	/* a plural title names each */
	tag(f, "Lords Penmarric, Trevose and Polgarth agreed.");
	HAS(f, ENT_OFFICIAL, "penmarric");
	HAS(f, ENT_OFFICIAL, "trevose");
	HAS(f, ENT_OFFICIAL, "polgarth");
	tag(f, "Senators Ada Kellworth and Bo Ranft voted no, and Tom Ash did too.");
	HAS(f, ENT_OFFICIAL, "ada kellworth");
	HAS(f, ENT_OFFICIAL, "bo ranft");
	HASNT(f, ENT_OFFICIAL, "tom ash");
	tag(f, "They prayed to the Lord Jesus Christ for rain.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
}

/* A title set off by commas, a chairman of a body, a Spanish "de". */
static void test_more_title_forms(void **state)
{
	struct fx *f = *state;
	tag(f, "The Scottish Labour leader, Morag Penhallow, said no.");
	HAS(f, ENT_OFFICIAL, "morag penhallow");
	tag(f, "The Scottish Labour leader, Morag, said no.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
	tag(f, "Ravi Okonjo, chairman of the Electoral Commission, resigned.");
	HAS(f, ENT_OFFICIAL, "ravi okonjo");
	tag(f, "Ravi Okonjo, chairman of Okonjo Textiles, resigned.");
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
	tag(f, "Lo dijo el director de Migración Colombia Tomás Arbeláez.");
	HAS(f, ENT_OFFICIAL, "tomas arbelaez");
	tag(f, "Lo dijo el director de cine Tomás Arbeláez.");
	HASNT(f, ENT_OFFICIAL, "tomas arbelaez");
	/* a thing in apposition is no person */
	tag(f, "Volvió al Hotel del Puerto Viejo, la delegada del Gobierno, dijo.");
	if (count_type(f, ENT_OFFICIAL))
		dump(f);
	assert_int_equal(count_type(f, ENT_OFFICIAL), 0);
}

/* The larger gazetteers: world cities, UK and Spanish bodies, the INS. */
static void test_world_cities_and_bodies(void **state)
{
	struct fx *f = *state;
	tag(f, "The Home Office in London said the INS had been consulted.");
	HAS(f, ENT_AGENCY, "home office");
	HAS(f, ENT_AGENCY, "ins");
	HAS(f, ENT_CITY, "london");
	tag(f, "The insurance firm ins and outs were explained at home.");
	assert_int_equal(f->m.n, 0);
	/* a country's armed force keeps the country in its key */
	tag(f, "The Iraqi Air Force bombed the villages.");
	HAS(f, ENT_AGENCY, "iraqi air force");
	HASNT(f, ENT_AGENCY, "air force");
	tag(f, "The Air Force said the jets were grounded.");
	HAS(f, ENT_AGENCY, "air force");
	tag(f, "El Ministerio de Sanidad habló desde Madrid.");
	HAS(f, ENT_AGENCY, "health ministry");
	HAS(f, ENT_CITY, "madrid");
}

/* Responses only where the article is about immigration or borders. */
static void test_responses_need_context(void **state)
{
	struct fx *f = *state;
	tag_article(f, "The city sued over the new asylum rules.");
	HAS(f, ENT_RESPONSE, "lawsuit");
	HAS(f, ENT_RESPONSE, "asylum");
	tag_article(f, "The software maker sued its rival over a patent.");
	HASNT(f, ENT_RESPONSE, "lawsuit");
	tag_article(f, "Border towns said visas took months to process.");
	HAS(f, ENT_RESPONSE, "visa");
	tag_article(f, "She paid with a Visa card at the market.");
	assert_int_equal(count_type(f, ENT_RESPONSE), 0);
	/* a capitalised verb before a comma is a name addressed */
	tag_article(f, "Deportation fears? Sue, see if I care.");
	HASNT(f, ENT_RESPONSE, "lawsuit");
	tag_article(f, "Deportation fears? Sue the agency, they said.");
	HAS(f, ENT_RESPONSE, "lawsuit");
}

/* The role's jurisdiction when the text gives it. */
static void test_role_jurisdiction(void **state)
{
	struct fx *f = *state;
	tag(f, "Tucson Mayor Regina Romero spoke on Monday.");
	const ent_mention *m = find(f, ENT_OFFICIAL, "regina romero");
	assert_non_null(m);
	assert_string_equal(m->role, "mayor");
	assert_string_equal(m->where, "tucson az");
	tag(f, "Mayor Regina Romero spoke on Monday.");
	m = find(f, ENT_OFFICIAL, "regina romero");
	assert_non_null(m);
	assert_null(m->where);
}

/* Hyphenated names and officeholders' other names normalise. */
static void test_normalize_names(void **state)
{
	struct fx *f = *state;
	size_t n;
	assert_true(norm_has(f, ENT_OFFICIAL, "soto-martinez", "soto martinez", &n));
	assert_false(norm_has(f, ENT_OFFICIAL, "soto-martinez", "soto-martinez", &n));
	assert_true(norm_has(f, ENT_OFFICIAL, "AMLO",
	                     "andres manuel lopez obrador", &n));
	assert_true(norm_has(f, ENT_OFFICIAL, "George Bush", "george bush", &n));
	assert_true(norm_has(f, ENT_OFFICIAL, "George Bush", "george h w bush", &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_mobile_city_vs_adjective),
		cmocka_unit_test(test_ice_agency_vs_water),
		cmocka_unit_test(test_city_aliases),
		cmocka_unit_test(test_person_named_cities),
		cmocka_unit_test(test_mayor_then_surname),
		cmocka_unit_test(test_homan_role),
		cmocka_unit_test(test_hyphenated_and_spanish),
		cmocka_unit_test(test_gov_newsom),
		cmocka_unit_test(test_responses),
		cmocka_unit_test(test_place_inside_other_names),
		cmocka_unit_test(test_headline_verbs),
		cmocka_unit_test(test_title_before_things),
		cmocka_unit_test(test_honorifics),
		cmocka_unit_test(test_all_caps_text),
		cmocka_unit_test(test_surname_then_full_name),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_load_dir_errors),
		cmocka_unit_test(test_load_repo_dir),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_labelled_paragraphs),
		cmocka_unit_test(test_city_needs_place_context),
		cmocka_unit_test(test_no_acronyms_when_shouted_or_quoted),
		cmocka_unit_test(test_agency_needs_context),
		cmocka_unit_test(test_one_key_per_person),
		cmocka_unit_test(test_officials_without_title),
		cmocka_unit_test(test_apposition),
		cmocka_unit_test(test_more_title_forms),
		cmocka_unit_test(test_world_cities_and_bodies),
		cmocka_unit_test(test_responses_need_context),
		cmocka_unit_test(test_role_jurisdiction),
		cmocka_unit_test(test_normalize_names),
	};
	return cmocka_run_group_tests_name("entities", tests, fx_setup,
	                                   fx_teardown);
}
