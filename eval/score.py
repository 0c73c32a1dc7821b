#!/usr/bin/env python3
# Copy of the reference scorer (shared/eval/score.py), vendored so `make eval` works on a clone without shared/.
# Keep it identical to the reference apart from these two lines: tests/test_eval_scorer.py checks that.
"""Score the project's output tables against a folder of annotated articles.

usage: score.py GOLD_DIR OUT_DIR [--json FILE]

GOLD_DIR holds raw/ and ann/ (see ANNOTATION_FORMAT.md); OUT_DIR holds the project's
Parquet tables (articles, mentions, entities, claims, quantities, time_expressions,
rejects). Needs duckdb only. Prints a table and, last, one summary line.
Tolerant of missing tables/columns: what is missing scores 0 and is named.
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

import duckdb

PROBLEMS: list[str] = []


def norm(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s)).replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"[\u00ab\u00bb\u201c\u201d\"]", '"', s)
    s = re.sub(r"\s+", " ", s).strip().lower()
    return s


def strip_article(s):
    return re.sub(r"^(il|lo|la|i|gli|le|l'|un|uno|una|un')\s*", "", norm(s))


def table(con, out, name):
    p = Path(out) / f"{name}.parquet"
    d = Path(out) / name
    if p.exists():
        src = f"'{p}'"
    elif d.is_dir():
        src = f"'{d}/**/*.parquet'"
    else:
        PROBLEMS.append(f"missing table {name}")
        return None
    try:
        return con.sql(f"select * from read_parquet({src}, union_by_name=true)").df()
    except Exception as e:  # noqa: BLE001
        PROBLEMS.append(f"unreadable table {name}: {e}")
        return None


def col(df, *names):
    if df is None:
        return None
    for n in names:
        if n in df.columns:
            return n
    PROBLEMS.append(f"no column {names[0]} (tried {names})")
    return None


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    args = sys.argv[1:]
    jpath = None
    if "--json" in args:
        i = args.index("--json")
        jpath = args[i + 1]
        del args[i : i + 2]
    gold_dir, out = Path(args[0]), Path(args[1])
    gold = {}
    for f in sorted((gold_dir / "ann").glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        gold[f.stem] = g
    con = duckdb.connect()
    art = table(con, out, "articles")
    rej = table(con, out, "rejects")
    men = table(con, out, "mentions")
    ent = table(con, out, "entities")
    clm = table(con, out, "claims")
    qty = table(con, out, "quantities")
    tmx = table(con, out, "time_expressions")

    res = {}
    # ---- articles: map stem -> row
    rows = {}
    c_src = col(art, "source_path", "source_file", "path")
    c_id = col(art, "article_id", "id")
    if art is not None and c_src and c_id:
        for _, r in art.iterrows():
            rows[Path(str(r[c_src])).stem] = r
    rej_stems = set()
    if rej is not None:
        c = col(rej, "source_path", "source_file", "path")
        if c:
            rej_stems = {Path(str(x)).stem for x in rej[c]}
    accounted = sum(1 for s in gold if s in rows or s in rej_stems)
    res["files_accounted"] = accounted / len(gold)
    id2stem = {r[c_id]: s for s, r in rows.items()} if c_id else {}

    c_body = col(art, "body", "text", "clean_text")
    c_pub = col(art, "published", "published_date", "date")
    c_prec = col(art, "date_precision")
    c_lang = col(art, "language", "lang")
    c_dup = col(art, "duplicate_of")
    ok_date = ok_prec = ok_lang = 0
    bp_total = bp_removed = keep_total = keep_ok = 0
    dup_ok = dup_total = 0
    for s, g in gold.items():
        r = rows.get(s)
        if r is None:
            continue
        body = norm(r[c_body]) if c_body else ""
        pub = g.get("published")
        got = r[c_pub] if c_pub else None
        got = None if got is None or str(got) in ("NaT", "None", "nan") else str(got)[:10]
        prec = g.get("date_precision")
        if pub is None:
            ok_date += got is None
        else:
            want = pub if len(pub) == 10 else pub + "-01" if len(pub) == 7 else pub + "-01-01"
            ok_date += got is not None and got[: len(want)] == want
        ok_prec += (c_prec is not None) and str(r[c_prec]) == prec
        ok_lang += (c_lang is not None) and str(r[c_lang]).lower().startswith(g.get("language", "it"))
        for line in g.get("boilerplate", []):
            bp_total += 1
            bp_removed += norm(line) not in body
        for c in g.get("claims", []):
            keep_total += 1
            keep_ok += norm(c["sentence"])[:60] in body
        if g.get("duplicate_of"):
            dup_total += 1
            other = g["duplicate_of"]
            o = rows.get(other)
            mine = r[c_dup] if c_dup else None
            theirs = o[c_dup] if (c_dup and o is not None) else None
            dup_ok += (mine is not None and str(mine) == str(o[c_id] if o is not None else "")) or (
                theirs is not None and str(theirs) == str(r[c_id])
            )
    n = len([s for s in gold if s in rows]) or 1
    res["date_acc"] = ok_date / n
    res["date_precision_acc"] = ok_prec / n
    res["language_acc"] = ok_lang / n
    res["boilerplate_removed"] = bp_removed / bp_total if bp_total else 1.0
    res["content_kept"] = keep_ok / keep_total if keep_total else 1.0
    res["dedup_recall"] = dup_ok / dup_total if dup_total else 1.0

    # ---- entities: document-level sets
    pred_ents: dict[str, list[tuple[str, str, set]]] = {}
    if men is not None and ent is not None:
        m_a = col(men, "article_id")
        m_e = col(men, "entity_id")
        m_s = col(men, "surface", "text")
        e_id = col(ent, "entity_id", "id")
        e_n = col(ent, "name", "canonical_name")
        e_t = col(ent, "type", "entity_type", "label")
        if all([m_a, m_e, m_s, e_id, e_n, e_t]):
            emap = {r[e_id]: (r[e_n], r[e_t]) for _, r in ent.iterrows()}
            tmp: dict[tuple, set] = {}
            for _, r in men.iterrows():
                st = id2stem.get(r[m_a])
                if st is None:
                    continue
                name, typ = emap.get(r[m_e], (r[m_s], "?"))
                tmp.setdefault((st, r[m_e], name, typ), set()).add(norm(r[m_s]))
            for (st, _eid, name, typ), surfs in tmp.items():
                pred_ents.setdefault(st, []).append((name, str(typ).upper(), surfs))
    TYPEMAP = {"PERSON": "PER", "GPE": "LOC", "LOCATION": "LOC", "ORGANIZATION": "ORG", "PROD": "PRODUCT"}
    tp_u = tp_t = n_pred = n_gold = 0
    epi_total = epi_ok = 0
    for s, g in gold.items():
        if g.get("language", "it") != "it":
            continue
        golds = g.get("entities", [])
        preds = pred_ents.get(s, [])
        n_pred += len(preds)
        n_gold += len(golds)
        used = set()
        for ge in golds:
            keys = {strip_article(a) for a in ge.get("aliases", [])} | {strip_article(ge["name"])}
            for i, (name, typ, surfs) in enumerate(preds):
                if i in used:
                    continue
                pk = {strip_article(name)} | {strip_article(x) for x in surfs}
                if keys & pk:
                    used.add(i)
                    tp_u += 1
                    tp_t += TYPEMAP.get(typ, typ) == ge["type"]
                    break
            for a in ge.get("aliases", []):
                if a[:1].islower() and len(a.split()) >= 2:  # an epithet such as "la casa di Maranello"
                    epi_total += 1
                    hit = any(
                        strip_article(a) in {strip_article(x) for x in surfs} and (keys & {strip_article(name)})
                        for name, typ, surfs in preds
                    )
                    epi_ok += hit
    p, r, f = prf(tp_u, n_pred, n_gold)
    res["entity_P"], res["entity_R"], res["entity_F1"] = p, r, f
    res["entity_typed_F1"] = prf(tp_t, n_pred, n_gold)[2]
    res["epithet_recall"] = epi_ok / epi_total if epi_total else 0.0

    # ---- claims
    c_a = col(clm, "article_id")
    c_t = col(clm, "text", "sentence")
    c_m = col(clm, "modality")
    c_sp = col(clm, "speaker", "speaker_name")
    c_q = col(clm, "quote", "quote_text")
    by_art: dict[str, list] = {}
    if clm is not None and c_a and c_t:
        for _, r in clm.iterrows():
            st = id2stem.get(r[c_a])
            if st is not None:
                by_art.setdefault(st, []).append(r)
    ent_alias = {}
    for g in gold.values():
        for ge in g.get("entities", []):
            ent_alias[norm(ge["name"])] = {strip_article(a) for a in ge.get("aliases", [])} | {strip_article(ge["name"])}
    tp = n_pred = n_gold = mod_ok = sp_ok = q_tot = q_ok = attr_tot = attr_ok = 0
    for s, g in gold.items():
        if g.get("language", "it") != "it":
            continue
        preds = by_art.get(s, [])
        n_pred += len(preds)
        used = set()
        for gc in g.get("claims", []):
            n_gold += 1
            key = norm(gc["sentence"])[:40]
            for i, pr in enumerate(preds):
                if i in used:
                    continue
                if key in norm(pr[c_t]) or norm(pr[c_t])[:40] in norm(gc["sentence"]):
                    used.add(i)
                    tp += 1
                    mod_ok += c_m is not None and str(pr[c_m]).lower() == gc["modality"]
                    gs = gc.get("speaker")
                    ps = pr[c_sp] if c_sp else None
                    ps = None if ps is None or str(ps) in ("None", "nan", "") else str(ps)
                    if gs is None:
                        sp_ok += ps is None
                    else:
                        attr_tot += 1
                        hit = ps is not None and strip_article(ps) in ent_alias.get(norm(gs), {strip_article(gs)})
                        sp_ok += hit
                        attr_ok += hit
                    if gc.get("quote"):
                        q_tot += 1
                        pq = pr[c_q] if c_q else None
                        q_ok += pq is not None and norm(gc["quote"]).strip('"') in norm(pq).strip('"') and len(norm(pq)) <= 1.3 * len(norm(gc["quote"])) + 5
                    break
    p, r, f = prf(tp, n_pred, n_gold)
    res["claim_P"], res["claim_R"], res["claim_F1"] = p, r, f
    res["modality_acc"] = mod_ok / tp if tp else 0.0
    res["speaker_acc"] = sp_ok / tp if tp else 0.0
    res["speaker_attr_acc"] = attr_ok / attr_tot if attr_tot else 0.0
    res["quote_acc"] = q_ok / q_tot if q_tot else 0.0

    # ---- quantities
    q_a, q_v, q_u = col(qty, "article_id"), col(qty, "value"), col(qty, "unit")
    qp: dict[str, list] = {}
    if qty is not None and q_a and q_v and q_u:
        for _, r in qty.iterrows():
            st = id2stem.get(r[q_a])
            if st is not None:
                qp.setdefault(st, []).append((r[q_v], str(r[q_u])))
    tp = n_pred = n_gold = 0
    for s, g in gold.items():
        if g.get("language", "it") != "it":
            continue
        preds = list(qp.get(s, []))
        n_pred += len(preds)
        for gq in g.get("quantities", []):
            n_gold += 1
            for i, (v, u) in enumerate(preds):
                try:
                    close = abs(float(v) - float(gq["value"])) <= 1e-6 * max(1.0, abs(float(gq["value"])))
                except (TypeError, ValueError):
                    close = False
                if close and norm(u) == norm(gq["unit"]):
                    preds.pop(i)
                    tp += 1
                    break
    res["quantity_P"], res["quantity_R"], res["quantity_F1"] = prf(tp, n_pred, n_gold)

    # ---- time expressions
    t_a, t_v = col(tmx, "article_id"), col(tmx, "value")
    tp_ = {}
    if tmx is not None and t_a and t_v:
        for _, r in tmx.iterrows():
            st = id2stem.get(r[t_a])
            if st is not None:
                v = r[t_v]
                tp_.setdefault(st, []).append(None if v is None or str(v) in ("nan", "None", "NaT", "<NA>") else str(v))
    tp = n_pred = n_gold = 0
    for s, g in gold.items():
        if g.get("language", "it") != "it":
            continue
        preds = list(tp_.get(s, []))
        n_pred += len(preds)
        for gt in g.get("time_expressions", []):
            n_gold += 1
            if gt.get("value") in preds:
                preds.remove(gt["value"])
                tp += 1
    res["timex_P"], res["timex_R"], res["timex_F1"] = prf(tp, n_pred, n_gold)

    for k, v in res.items():
        print(f"{k:22s} {v:6.3f}")
    for p in sorted(set(PROBLEMS)):
        print("problem:", p)
    if jpath:
        Path(jpath).write_text(json.dumps({"scores": res, "problems": sorted(set(PROBLEMS))}, indent=1))
    keys = ["entity_F1", "entity_typed_F1", "claim_F1", "modality_acc", "speaker_attr_acc", "quantity_F1", "timex_F1", "boilerplate_removed"]
    print(" ".join(f"{k}={res[k]:.2f}" for k in keys))


if __name__ == "__main__":
    main()
