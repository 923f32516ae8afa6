/* Tests of the near-duplicate fingerprint: lightly edited copies of a story
 * fall within SIMHASH_NEAR_BITS, different stories on the same topic do not.
 * The stories are written for this test; the people in them are fictional.
 *
 * How SIMHASH_NEAR_BITS = 12 was chosen (measured, not assumed):
 * - Reuters-21578, 19,043 bodies, all 181M pairs, "true" = word 3-shingle
 *   Jaccard >= 0.3: within 0-8 bits 99% of pairs are true, 9-11: 92-98%,
 *   12: 73%, 13: 46%, 14: 31%, and the pair count explodes from 14 on
 *   (pairs within 12 bits: 1,070; within 13: 1,432; within 14: 2,277).
 *   Between two stories of 100+ words: 94% true within 12, 87% within 13.
 * - BBC, 2,225 stories, pairs in the same category within 12 bits: 166,
 *   of which 165 have shingle Jaccard >= 0.5 (the corpus's own duplicates).
 *   Synthetic edits of its 1,350 stories of 4+ paragraphs that fold at
 *   12 bits: 3 words changed 100%, headline swapped 100%, first paragraph
 *   swapped 86% (under 250 words) / 97% (longer), last paragraph dropped
 *   ~60% (BBC paragraphs are long).
 * - The pairs below: headline 0, dateline 3, few words 6, last paragraph
 *   10 bits; a rewritten lede 11-16; different stories 27-38. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../corpus/simhash.h"

/* The base story: a wire report, headline first, dateline, five paragraphs. */
#define HEADLINE "Federal agents detain dozens in Chicago immigration sweep\n\n"
#define DATELINE "CHICAGO (AP) -- "
#define LEDE_SENTENCE \
	"Federal immigration agents detained at least 40 people in raids " \
	"across Chicago's Little Village and Pilsen neighborhoods on Tuesday, " \
	"according to community groups who tracked the arrests.\n\n"
#define PARA2 \
	"Agents from Immigration and Customs Enforcement arrived before dawn " \
	"in unmarked vehicles and stopped workers outside a bakery, a car wash " \
	"and two apartment buildings, witnesses said. Several of those " \
	"detained had lived in the city for more than a decade.\n\n"
#define PARA3 \
	"Mayor Renata Valdivia called the operation cruel and said the city " \
	"would not share information with federal authorities under its " \
	"sanctuary ordinance. \"Chicago will not be a partner in tearing " \
	"families apart,\" she told reporters at City Hall.\n\n"
#define PARA4 \
	"A spokesman for the Department of Homeland Security, Colin Marsh, " \
	"said the agency was targeting people with final orders of removal " \
	"and criminal records, and that local officials had refused to honor " \
	"detainers.\n\n"
#define PARA5 \
	"Lawyers with the Midwest Immigrant Defense Project said they had " \
	"filed emergency motions for six of the detainees and planned a " \
	"rally outside the federal building on Wednesday."

static const char *base_story = HEADLINE DATELINE LEDE_SENTENCE PARA2 PARA3
                                PARA4 PARA5;

/* Republished by another outlet under its own dateline. */
static const char *copy_new_dateline =
	HEADLINE "CHICAGO, Ill. (Tribune News Service) -- " LEDE_SENTENCE
	PARA2 PARA3 PARA4 PARA5;

/* Republished with the first sentence rewritten (and the dateline with it).
 * A 26-word lede is 15% of a 180-word story: these land at 11 to 16 bits,
 * where 64 bits cannot tell them from unrelated short stories (see
 * test_rewritten_lede_is_between). */
static const char *rewritten_ledes[] = {
	"CHICAGO -- Immigration officers swept through two heavily Latino "
	"neighborhoods on the city's Southwest Side on Tuesday, taking dozens "
	"of residents into custody.\n\n",
	"CHICAGO (Reuters) - U.S. immigration authorities arrested about 40 "
	"people in a series of early morning raids on Chicago's Southwest Side "
	"on Tuesday, local advocates said.\n\n",
	"Dozens of people were taken into custody Tuesday as federal agents "
	"fanned out across two Chicago neighborhoods, community organizers "
	"said.\n\n",
	"CHICAGO -- At least 40 people were arrested Tuesday when immigration "
	"agents raided homes and businesses in Little Village and Pilsen, "
	"advocates said.\n\n",
	"Immigration raids in Chicago on Tuesday led to the arrest of at least "
	"40 people in the Little Village and Pilsen areas, according to local "
	"groups.\n\n",
	"CHICAGO (AP) -- Federal immigration agents arrested at least 40 "
	"people across two Chicago neighborhoods on Tuesday, community groups "
	"said.\n\n",
};

/* Same story, a different headline. */
static const char *copy_new_headline =
	"Chicago mayor condemns ICE raids as dozens are arrested\n\n"
	DATELINE LEDE_SENTENCE PARA2 PARA3 PARA4 PARA5;

/* Same story, trimmed for space: the last paragraph dropped. */
static const char *copy_cut_end =
	HEADLINE DATELINE LEDE_SENTENCE PARA2 PARA3 PARA4;

/* Same story with a few words changed by an editor. */
static const char *copy_few_words =
	HEADLINE DATELINE
	"Federal immigration agents detained at least 42 people in raids "
	"across Chicago's Little Village and Pilsen neighborhoods on Tuesday, "
	"according to community organizations that tracked the arrests.\n\n"
	PARA2
	"Mayor Renata Valdivia called the operation cruel and said the city "
	"would not share data with federal authorities under its "
	"sanctuary ordinance. \"Chicago will not be a partner in tearing "
	"families apart,\" she told reporters at City Hall.\n\n"
	PARA4 PARA5;

/* Different stories on the same topic, with the same people and places. */
static const char *other_chicago =
	"Chicago aldermen question police role after ICE arrests\n\n"
	"CHICAGO -- Members of the City Council demanded answers on Thursday "
	"about whether Chicago police officers helped federal agents during "
	"immigration arrests in Little Village earlier this week.\n\n"
	"Alderman Tomas Herrera said residents had sent him videos showing "
	"squad cars parked near a car wash where Immigration and Customs "
	"Enforcement officers detained several workers. The police department "
	"said officers were there only to direct traffic.\n\n"
	"Mayor Renata Valdivia said she had ordered a review and repeated that "
	"the sanctuary ordinance bars city employees from assisting with civil "
	"immigration enforcement. Colin Marsh, a Homeland Security spokesman, "
	"said the agency did not ask for police help.\n\n"
	"Advocates from the Midwest Immigrant Defense Project said at least a "
	"dozen of those arrested remain in a detention center in Broadview and "
	"that families had not been told where others were taken.";

static const char *other_court =
	"Judge halts deportation of Chicago bakery worker\n\n"
	"CHICAGO (AP) -- A federal judge on Friday temporarily blocked the "
	"deportation of a bakery worker who was detained during this week's "
	"immigration raids in Chicago, ruling that he had not been given a "
	"chance to present his asylum claim.\n\n"
	"U.S. District Judge Miriam Costa ordered Immigration and Customs "
	"Enforcement to keep Hector Ibarra, 34, in the Chicago area while his "
	"lawyers argue the case. Ibarra fled Honduras in 2014 and has two "
	"children who are U.S. citizens, according to court filings.\n\n"
	"Government lawyers said Ibarra had a final order of removal issued "
	"in absentia in 2019. The Midwest Immigrant Defense Project, which "
	"represents him, said he never received notice of the hearing.\n\n"
	"The ruling is the first to come out of the emergency motions filed "
	"after the raids in Little Village and Pilsen.";

static const char *other_la =
	"Los Angeles council expands legal aid for immigrants facing removal\n\n"
	"LOS ANGELES -- The Los Angeles City Council voted 12-2 on Wednesday to "
	"add four million dollars to a fund that pays lawyers for immigrants "
	"facing deportation, after a series of federal arrests in the San "
	"Fernando Valley.\n\n"
	"Councilmember Alma Restrepo, who wrote the measure, said most people "
	"in immigration court have no lawyer and that representation makes a "
	"large difference in outcomes. Opponents said the city should spend "
	"the money on housing.\n\n"
	"The Department of Homeland Security said in a statement that it "
	"would continue to enforce federal law in Los Angeles regardless of "
	"local policies, and that it was targeting people with criminal "
	"records and final orders of removal.";

static uint64_t fp(const char *s)
{
	return simhash_text(s, strlen(s));
}

static void test_identical_and_short(void **state)
{
	(void)state;
	assert_int_equal(simhash_distance(fp(base_story), fp(base_story)), 0);
	assert_int_not_equal(fp(base_story), 0);
	assert_int_equal(fp(""), 0);
	assert_int_equal(simhash_text(NULL, 0), 0);
	assert_int_equal(fp("two words"), 0);
	assert_int_equal(fp("  ...  --  "), 0);
	assert_int_not_equal(fp("three words here"), 0);
	/* Case and punctuation do not matter; word order does. */
	assert_int_equal(fp("Ice raids in Chicago, Tuesday."),
	                 fp("ICE RAIDS -- in chicago tuesday"));
	assert_int_not_equal(fp("raids in Chicago Tuesday ICE"),
	                     fp("ICE raids in Chicago Tuesday"));
}

static void test_distance_basics(void **state)
{
	(void)state;
	assert_int_equal(simhash_distance(0, 0), 0);
	assert_int_equal(simhash_distance(0, ~0ULL), 64);
	assert_int_equal(simhash_distance(0x5, 0x3), 2);
	uint64_t a = fp(base_story), b = fp(other_la);
	assert_int_equal(simhash_distance(a, b), simhash_distance(b, a));
}

static void check_near(const char *name, const char *copy)
{
	int d = simhash_distance(fp(base_story), fp(copy));
	if (d > SIMHASH_NEAR_BITS)
		print_error("%s: distance %d > %d\n", name, d, SIMHASH_NEAR_BITS);
	assert_true(d <= SIMHASH_NEAR_BITS);
	assert_int_equal(d, simhash_distance(fp(copy), fp(base_story)));
}

static void check_far(const char *name, const char *a, const char *b)
{
	int d = simhash_distance(fp(a), fp(b));
	if (d <= SIMHASH_NEAR_BITS)
		print_error("%s: distance %d <= %d\n", name, d, SIMHASH_NEAR_BITS);
	assert_true(d > SIMHASH_NEAR_BITS);
}

static void test_edited_copies_are_near(void **state)
{
	(void)state;
	check_near("new dateline", copy_new_dateline);
	check_near("new headline", copy_new_headline);
	check_near("last paragraph cut", copy_cut_end);
	check_near("few words changed", copy_few_words);
}

static void test_different_stories_are_far(void **state)
{
	(void)state;
	const char *all[] = { base_story, other_chicago, other_court, other_la };
	for (size_t i = 0; i < 4; i++)
		for (size_t j = i + 1; j < 4; j++)
			check_far("different stories", all[i], all[j]);
	/* An edited copy is still far from the other stories. */
	check_far("copy vs other", copy_new_dateline, other_chicago);
	check_far("copy vs court", copy_few_words, other_court);
}

/* A rewritten lede: nearer the original than any different story is, and
 * within twice the threshold; whether it folds depends on the story's
 * length (measured on BBC copies with a swapped first paragraph: 86% of
 * stories under 250 words within 12 bits, 97% of longer ones). */
static void test_rewritten_lede_is_between(void **state)
{
	(void)state;
	const char *others[] = { other_chicago, other_court, other_la };
	int nearest_other = 64;
	for (size_t i = 0; i < 3; i++) {
		int d = simhash_distance(fp(base_story), fp(others[i]));
		if (d < nearest_other)
			nearest_other = d;
	}
	size_t n = sizeof rewritten_ledes / sizeof *rewritten_ledes;
	for (size_t i = 0; i < n; i++) {
		strbuf sb = STRBUF_INIT;
		sb_addstr(&sb, HEADLINE);
		sb_addstr(&sb, rewritten_ledes[i]);
		sb_addstr(&sb, PARA2 PARA3 PARA4 PARA5);
		int d = simhash_distance(fp(base_story), fp(sb.buf));
		assert_true(d <= 2 * SIMHASH_NEAR_BITS);
		assert_true(d + 8 <= nearest_other);
		sb_release(&sb);
	}
}

static void test_bad_input(void **state)
{
	(void)state;
	/* Random bytes, NUL bytes, a huge single word, a long text: no
	 * crash, and the same input always gives the same fingerprint. */
	size_t len = 1 << 20;
	char *buf = xmalloc(len);
	uint32_t seed = 7;
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1664525u + 1013904223u;
		buf[i] = (char)(seed >> 24);
	}
	uint64_t a = simhash_text(buf, len);
	assert_int_equal(a, simhash_text(buf, len));
	memset(buf, 0, len);
	assert_int_equal(simhash_text(buf, len), 0);
	memset(buf, 'q', len);
	assert_int_equal(simhash_text(buf, len), 0);
	free(buf);
}

/* The plain definition the fast counting in simhash.c must agree with:
 * one vote per bit per shingle, the bit set when its votes are positive. */
static uint64_t simhash_by_votes(const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	int64_t votes[64] = { 0 };
	uint64_t w1 = 0, w2 = 0;
	size_t nwords = 0, i = 0;
	while (i < len) {
		while (i < len && !(isalnum(t[i]) || t[i] >= 0x80))
			i++;
		if (i >= len)
			break;
		uint64_t h = 0xcbf29ce484222325ULL;
		while (i < len && (isalnum(t[i]) || t[i] >= 0x80)) {
			unsigned char c = t[i++];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			h = (h ^ c) * 0x100000001b3ULL;
		}
		if (++nwords >= 3) {
			uint64_t x = w1 ^ ((w2 << 21) | (w2 >> 43)) ^
			             ((h << 42) | (h >> 22));
			x ^= x >> 33;
			x *= 0xff51afd7ed558ccdULL;
			x ^= x >> 29;
			x *= 0xc4ceb9fe1a85ec53ULL;
			x ^= x >> 32;
			for (int b = 0; b < 64; b++)
				votes[b] += (int64_t)((x >> b) & 1) * 2 - 1;
		}
		w1 = w2;
		w2 = h;
	}
	if (nwords < 3)
		return 0;
	uint64_t fp = 0;
	for (int b = 0; b < 64; b++)
		if (votes[b] > 0)
			fp |= 1ULL << b;
	return fp;
}

static void test_same_as_plain_votes(void **state)
{
	(void)state;
	/* Texts of 3 to ~3,000 words from a small vocabulary (so votes are
	 * often close, and tie at zero), across the 255-shingle boundary of
	 * the byte counters; and random bytes. */
	static const char *const words[] = { "the", "Minister", "said", "a",
		"tariff", "of", "3.5", "pct", "niño", "on", "imports" };
	uint32_t seed = 11;
	strbuf sb = STRBUF_INIT;
	for (int round = 0; round < 300; round++) {
		sb_reset(&sb);
		seed = seed * 1664525u + 1013904223u;
		size_t n = 3 + (seed >> 8) % (round < 200 ? 600 : 3000);
		for (size_t k = 0; k < n; k++) {
			seed = seed * 1664525u + 1013904223u;
			sb_addstr(&sb, words[(seed >> 16) % 11]);
			sb_addch(&sb, k % 17 ? ' ' : '\n');
		}
		assert_int_equal(simhash_text(sb.buf, sb.len),
		                 simhash_by_votes(sb.buf, sb.len));
	}
	for (int round = 0; round < 20; round++) {
		sb_reset(&sb);
		for (size_t k = 0; k < 5000; k++) {
			seed = seed * 1664525u + 1013904223u;
			sb_addch(&sb, (int)(seed >> 24));
		}
		assert_int_equal(simhash_text(sb.buf, sb.len),
		                 simhash_by_votes(sb.buf, sb.len));
	}
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_and_short),
		cmocka_unit_test(test_distance_basics),
		cmocka_unit_test(test_edited_copies_are_near),
		cmocka_unit_test(test_different_stories_are_far),
		cmocka_unit_test(test_rewritten_lede_is_between),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_same_as_plain_votes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
