#!/usr/bin/env python3
"""Compare `nianbao extract`/`audit` JSON with ../shared/gold (developer aid; the Rust test
tests/gold.rs is the one that gates). Usage: compare_gold.py EXTRACT.json [AUDIT.json]"""
import json, os, sys

gold_dir = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'gold')
extract = json.load(open(sys.argv[1]))
audit = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
golds = {}
for name in os.listdir(gold_dir):
    if name.endswith('.json'):
        g = json.load(open(os.path.join(gold_dir, name)))
        golds[os.path.basename(g['source'])] = g
total = ok = 0
for rep in extract['reports']:
    base = os.path.basename(rep['file'])
    g = golds.get(base)
    if not g:
        continue
    if 'error' in rep:
        print(f"{base}: ERROR {rep['error']}")
        continue
    cells = rep['cells']
    bad = [(k, v, cells.get(k, 'ABSENT')) for k, v in g['cells'].items() if cells.get(k, 'ABSENT') != v]
    extra = [k for k in cells if k not in g['cells']]
    n = len(g['cells']); total += n; ok += n - len(bad)
    flags = []
    if rep['era'] != g['era']: flags.append(f"era {rep['era']}≠{g['era']}")
    if rep['year'] != g['year']: flags.append(f"year {rep['year']}≠{g['year']}")
    if rep['organ'] != g['organ']: flags.append(f"organ {rep['organ']}≠{g['organ']}")
    if g.get('sections') and rep.get('sections') != g['sections']: flags.append(f"sections {rep.get('sections')}")
    print(f"{base}: {n-len(bad)}/{n} cells {' '.join(flags)}")
    for b in bad[:12]: print('   wrong', b)
    if extra: print('   extra', extra[:8])
    if audit:
        arep = next((r for r in audit['reports'] if os.path.basename(r['file']) == base), None)
        if arep and 'findings' in arep:
            fs = arep['findings']
            for gf in g['findings']:
                hit = any(f['family'] == gf['family'] and (not gf.get('cells') or set(f['cells']) & set(gf['cells'])) and (not gf.get('section') or f.get('section') == gf['section'] or f['cells']) for f in fs)
                if not hit and not gf.get('optional'):
                    print('   MISSING required', gf['family'], gf.get('cells', gf.get('section')))
            for f in fs:
                if f['severity'] == 'error':
                    listed = any(gf['family'] == f['family'] for gf in g['findings'])
                    if not listed:
                        print('   UNLISTED error', f['rule'], f['message'][:100])
print(f"TOTAL {ok}/{total}")
