#!/usr/bin/env python3
"""Build the preset deflate dictionary for stored article text
(corpus/textpack_dict.c) from word and word-pair frequencies.

Usage: tools/make_textpack_dict.py CORPORA_DIR > corpus/textpack_dict.c

The dictionary is a list of single words and word pairs, each with the
punctuation and spacing that usually comes before it (" of the", ", he said",
". The"), never longer runs of text: no sentence of any article is copied.
A candidate's worth is the share of documents that contain it (deflate only
needs the dictionary for the first occurrence in a document; later ones match
earlier text) times the bytes a match saves over literals (about len - 4).
Only even-numbered documents of each corpus are counted, so the odd ones can
measure the result fairly. The best candidates go last: deflate's short
distances cost fewer bits. Deterministic: same corpora, same output.

Once published a dictionary must never change (stored text names it by id);
make a new id for a new one.
"""
import collections, csv, glob, json, os, re, sys

BUDGET = 32768
# How much each corpus counts: news first; Usenet is less like our input.
WEIGHTS = {'bbc': 1.0, 'reuters': 1.0, 'ag_news': 1.0, 'spanish': 0.7,
           '20newsgroups': 0.4}
TOKEN = re.compile(r'([^\w\n]{0,3}|\n\n)(\w+)')


def normalise(t):
    """As the readers deliver bodies: one space, paragraphs by blank lines."""
    paras = [re.sub(r'\s+', ' ', p).strip() for p in re.split(r'\n[ \t\r]*\n', t)]
    return '\n\n'.join(p for p in paras if p)


def bodies(root, name):
    if name == 'bbc':
        for p in sorted(glob.glob(os.path.join(root, 'bbc/*/*.txt'))):
            t = open(p, 'rb').read().decode('utf-8', 'replace')
            yield t.split('\n', 1)[1] if '\n' in t else ''
    elif name in ('reuters', 'spanish'):
        f = 'reuters21578.jsonl' if name == 'reuters' else 'spanish_news.jsonl'
        for line in open(os.path.join(root, f), encoding='utf-8'):
            try:
                yield json.loads(line).get('text') or ''
            except ValueError:
                yield ''
    elif name == 'ag_news':
        with open(os.path.join(root, 'ag_news_test.csv'), newline='',
                  encoding='utf-8') as f:
            for row in csv.reader(f):
                yield row[2].replace('\\n', '\n') if len(row) >= 3 else ''
    elif name == '20newsgroups':
        for p in sorted(glob.glob(os.path.join(root, '20newsgroups/*/*/*'))):
            t = open(p, 'rb').read().decode('utf-8', 'replace')
            i = t.find('\n\n')
            yield t[i + 2:] if i >= 0 else ''


def count(root):
    """Weighted document frequency of every word and word pair."""
    score = collections.Counter()
    for name, weight in WEIGHTS.items():
        df = collections.Counter()
        ndocs = 0
        for i, body in enumerate(bodies(root, name)):
            if i % 2:
                continue  # odd documents are held out for measuring
            ndocs += 1
            toks = [m.group(1) + m.group(2) for m in TOKEN.finditer(normalise(body))]
            seen = set(toks)
            seen.update(a + b for a, b in zip(toks, toks[1:]))
            df.update(seen)
        for s, n in df.items():
            if n >= 3:
                score[s] += weight * n / ndocs
    return score


def select(score):
    """Greedy by worth; skip what is already inside a chosen entry. An entry
    that a later, longer one contains is wasted space: drop it and go on
    filling from where the greedy pass stopped."""
    cands = sorted(((w * (len(s.encode()) - 4), s) for s, w in score.items()
                    if len(s.encode()) > 4), key=lambda x: (-x[0], x[1]))
    chosen, pos = [], 0
    for _ in range(8):
        size = sum(len(s.encode()) for _, s in chosen)
        joined = '\x00' + '\x00'.join(s for _, s in chosen) + '\x00'
        while pos < len(cands) and size < BUDGET - 4:
            worth, s = cands[pos]
            pos += 1
            n = len(s.encode())
            if size + n > BUDGET or s in joined:
                continue
            chosen.append((worth, s))
            size += n
            joined += s + '\x00'
        strings = [s for _, s in chosen]
        kept = [(w, s) for w, s in chosen
                if not any(s != t and s in t for t in strings)]
        if len(kept) == len(chosen):
            break
        chosen = kept
    return chosen


def c_literal(s):
    out = []
    for b in s.encode():
        if b in (0x22, 0x5c):
            out.append('\\' + chr(b))
        elif b == 0x0a:
            out.append('\\n')
        elif 0x20 <= b < 0x7f and b != 0x3f:  # '?' avoided: no trigraphs
            out.append(chr(b))
        else:
            out.append('\\%03o' % b)
    return '"' + ''.join(out) + '"'


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '../shared/corpora'
    keep = select(count(root))
    keep.sort(key=lambda x: (x[0], x[1]))  # best last
    total = sum(len(s.encode()) for _, s in keep)
    print('/* Preset deflate dictionary v1 for stored article text: common news')
    print(' * words and word pairs, best last. Generated by')
    print(' * tools/make_textpack_dict.py from word and pair document frequencies')
    print(' * of the even-numbered documents of the BBC, Reuters-21578, AG News,')
    print(' * Spanish news and 20 Newsgroups corpora. Never edit or regenerate: stored')
    print(' * text depends on these exact bytes (a new dictionary gets a new id). */')
    print('#include <stddef.h>')
    print()
    print('const unsigned char textpack_dict_v1[] =')
    for _, s in keep:
        print('\t' + c_literal(s))
    print('\t;')
    print('const size_t textpack_dict_v1_len = sizeof textpack_dict_v1 - 1;')
    print('/* %d entries, %d bytes */' % (len(keep), total))


if __name__ == '__main__':
    main()
