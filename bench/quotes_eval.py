#!/usr/bin/env python3
"""Quote extraction measured end to end: index the gold articles with the
real `lede index`, read each one's quotes back with `lede show --format
json`, turn byte offsets into the body into character offsets into the
gold text, and score with the gold set's own score.py.

    quotes_eval.py LEDE GOLD.jsonl SCORE.py [--corpus C.jsonl] [--baseline]
                   [--system-out FILE] [score.py options...]

GOLD lines are either whole ({"id","text","quotes"}: ../shared/eval/quotes)
or ours ({"id","quotes"} with offsets only, bench/quotes/*.jsonl): their
text comes from --corpus and a speaker's name from its "speaker_span" in
that text, so no article text is kept in the repository.

--baseline scores our floor instead of lede: double quotation marks paired
per paragraph, the speaker the capitalised name nearest a speech verb in
the quote's sentence (none when there is no verb). No resolution of
pronouns, titles or earlier speakers: what lede's rules add is the gain."""
import json, os, re, subprocess, sys, tempfile

VERBS = set("""said says say told tells added adds asked according explained insisted warned argued claimed
stated wrote replied urged noted declared announced suggested admitted acknowledged continued stressed
dijo dice afirmó afirma señaló señala aseguró asegura explicó explica indicó añadió agregó declaró
manifestó sostuvo advirtió subrayó apuntó destacó reconoció insistió comentó según""".split())


def materialise(gold_path, corpus_path):
    arts = [json.loads(l) for l in open(gold_path, encoding="utf-8") if l.strip()]
    if all("text" in a for a in arts):
        return arts
    texts = {}
    want = {a["id"] for a in arts}
    for l in open(corpus_path, encoding="utf-8"):
        r = json.loads(l)
        if r.get("id") in want:
            texts[r["id"]] = r
    out = []
    for a in arts:
        r = texts[a["id"]]
        t = r["text"]
        qs = []
        for q in a["quotes"]:
            q = dict(q)
            s, e = q.pop("speaker_span", None) or (0, 0)
            q["speaker_canonical"] = t[s:e] if e > s else None
            q["speaker"] = q["speaker_canonical"]
            qs.append(q)
        out.append({"id": a["id"], "text": t, "title": r.get("title", ""),
                    "lang": r.get("lang", ""), "quotes": qs, "whole": True})
    return out


def split(a):
    """(title, body, offset of body in the gold text) as lede is given it."""
    t = a["text"]
    if a.get("whole"):
        # a corpus record: lede indexes its text whole, title apart
        return a.get("title", ""), t, 0
    head, _, rest = t.partition("\n")
    off = len(head) + 1
    while rest.startswith("\n"):
        rest, off = rest[1:], off + 1
    return head, rest, off


def run_lede(lede, arts):
    tmp = tempfile.mkdtemp(prefix="lede-quotes-")
    inp = os.path.join(tmp, "in.jsonl")
    with open(inp, "w", encoding="utf-8") as f:
        for a in arts:
            title, body, _ = split(a)
            rec = {"id": a["id"], "title": title, "text": body}
            if a.get("lang"):
                rec["lang"] = a["lang"]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    db = os.path.join(tmp, "db")
    r = subprocess.run([lede, "index", "-d", db, "--quiet", inp],
                       capture_output=True, text=True)
    if r.returncode not in (0, 4):
        sys.exit("lede index exited %d: %s" % (r.returncode, r.stderr[:400]))
    out = []
    for a in arts:
        r = subprocess.run([lede, "show", "-d", db, "--format", "json", a["id"]],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("lede show %s exited %d: %s" % (a["id"], r.returncode, r.stderr[:200]))
        shown = json.loads(r.stdout)
        body = shown["body"]
        _, want, off = split(a)
        if body != want and " ".join(body.split()) != " ".join(want.split()):
            k = a["text"].find(body[:200])
            if k < 0:
                sys.exit("%s: the stored body is not in the gold text" % a["id"])
            off = k
        bb = body.encode("utf-8")
        # the reader may fold white space ("\n " -> " "): map body
        # characters onto the gold text, skipping white space either side
        text, cmap, j = a["text"], [], off
        for c in body:
            while j < len(text) and text[j] != c and text[j].isspace():
                j += 1
            cmap.append(j)
            if j < len(text) and (text[j] == c or c.isspace()):
                j += 1
        cmap.append(j)
        def ch(b):
            return cmap[min(len(bb[:b].decode("utf-8", "replace")), len(cmap) - 1)]
        out.append({"id": a["id"], "quotes": [
            {"start": ch(q["start"]), "end": ch(q["end"]),
             "speaker": q["speaker_display"] or None} for q in shown.get("quotes", [])]})
    subprocess.run(["rm", "-rf", tmp])
    return out


NAME = re.compile(r"(?:[A-ZÁÉÍÓÚÑ][\w'’\-]+)(?:\s+(?:de |del |la )?[A-ZÁÉÍÓÚÑ][\w'’\-]+)*")


def baseline(arts):
    out = []
    for a in arts:
        t = a["text"]
        head = t.find("\n")
        qs = []
        for m in re.finditer(r"[^\n]+", t):
            if m.start() <= head:
                continue
            para, base = m.group(0), m.start()
            marks = [i for i, c in enumerate(para) if c in "\"“”«»"]
            for i in range(0, len(marks) - 1, 2):
                s, e = marks[i] + 1, marks[i + 1]
                if e <= s:
                    continue
                # the quote's sentence: to the previous and next full stop
                lo = max(para.rfind(". ", 0, marks[i]) + 1, 0)
                hi = para.find(". ", e)
                hi = len(para) if hi < 0 else hi
                ctx = para[lo:marks[i]] + " " * (e - marks[i]) + para[e:hi]
                best = None
                for v in re.finditer(r"\b\w+\b", ctx):
                    if v.group(0) not in VERBS:
                        continue
                    for n in NAME.finditer(ctx):
                        d = min(abs(n.end() - v.start()), abs(n.start() - v.end()))
                        if best is None or d < best[0]:
                            best = (d, n.group(0))
                qs.append({"start": base + s, "end": base + e,
                           "speaker": best[1] if best else None})
        out.append({"id": a["id"], "quotes": qs})
    return out


def main():
    argv = sys.argv[1:]
    opts, pos, corpus, sysout, base = [], [], None, None, False
    i = 0
    while i < len(argv):
        x = argv[i]
        if x == "--corpus":
            corpus = argv[i + 1]; i += 1
        elif x == "--system-out":
            sysout = argv[i + 1]; i += 1
        elif x == "--baseline":
            base = True
        elif x.startswith("--"):
            opts.append(x)
        else:
            pos.append(x)
        i += 1
    lede, gold, scorer = pos
    arts = materialise(gold, corpus)
    system = baseline(arts) if base else run_lede(lede, arts)
    tmp = tempfile.mkdtemp(prefix="lede-quotes-score-")
    g = os.path.join(tmp, "gold.jsonl")
    s = sysout or os.path.join(tmp, "system.jsonl")
    with open(g, "w", encoding="utf-8") as f:
        for a in arts:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    with open(s, "w", encoding="utf-8") as f:
        for a in system:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    r = subprocess.run([sys.executable, scorer, g, s] + opts)
    subprocess.run(["rm", "-rf", tmp])
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
