"""Refresh the outputs of the ```console blocks of the documentation after a deliberate change of
output, keeping their elisions: `TRYCMD=overwrite` writes whole outputs, and this puts back each
`...` line (as many lines before and after it as the old text kept) and each `[..]` (where the new line
still matches the old pattern).

    mkdir -p /tmp/old/docs /tmp/new/docs && cp README.md /tmp/old/ && cp docs/*.md /tmp/old/docs/
    TRYCMD=overwrite cargo test --test docs
    cp README.md /tmp/new/ && cp docs/*.md /tmp/new/docs/
    python3 tests/tools/docsync.py /tmp/old /tmp/new README.md docs/*.md
    cargo test --test docs      # then read the diff

usage: docsync.py OLD_DIR NEW_DIR FILE...   (OLD_DIR and NEW_DIR hold copies of the FILEs)"""
import sys, re, os

def chunks(text):
    """Split into a list of ('text', str) and ('cmd', header_lines, output_lines)."""
    out = []; lines = text.split('\n'); i = 0; buf = []
    in_console = False
    while i < len(lines):
        l = lines[i]
        if not in_console:
            buf.append(l)
            if l.startswith('```console') or l.startswith('```trycmd') or l == '```' and False:
                in_console = True
            i += 1; continue
        if l.startswith('```'):
            in_console = False; buf.append(l); i += 1; continue
        if l.startswith('$ ') or l.startswith('> '):
            # command header (possibly multi-line with '> ' continuation) and '? N'
            head = [l]; i += 1
            while i < len(lines) and (lines[i].startswith('> ') or re.match(r'^\? \d+$', lines[i])):
                head.append(lines[i]); i += 1
            body = []
            while i < len(lines) and not lines[i].startswith('$ ') and not lines[i].startswith('```'):
                body.append(lines[i]); i += 1
            if buf: out.append(('text', '\n'.join(buf)))
            buf = []
            out.append(('cmd', head, body))
            continue
        buf.append(l); i += 1
    out.append(('text', '\n'.join(buf)))
    return out

def pat(line):
    parts = line.split('[..]')
    return re.compile('^' + '.*'.join(re.escape(p) for p in parts) + '$')

def merge(old, new):
    # trailing blank lines: keep structure of new
    if old == new: return old
    if '...' in [l.strip() for l in old]:
        idx = [k for k, l in enumerate(old) if l.strip() == '...']
        first, last = idx[0], idx[-1]
        pre = old[:first]; post = old[last+1:]
        # post usually ends with '' (blank before next cmd)
        npre = new[:len(pre)]
        npost = new[len(new)-len(post):] if post else []
        res = [keep(o, n) for o, n in zip(pre, npre)] + ['...'] + [keep(o, n) for o, n in zip(post, npost)]
        return res
    if len(old) == len(new):
        return [keep(o, n) for o, n in zip(old, new)]
    return new

def keep(o, n):
    if '[..]' in o and pat(o).match(n): return o
    return n

old_dir, new_dir = sys.argv[1], sys.argv[2]
for f in sys.argv[3:]:
    old = chunks(open(os.path.join(old_dir, f)).read())
    new = chunks(open(os.path.join(new_dir, f)).read())
    if len(old) != len(new):
        print(f, 'structure differs', len(old), len(new)); continue
    out = []
    for o, n in zip(old, new):
        if o[0] == 'text': out.append(o[1]); continue
        head = o[1]
        out.append('\n'.join(head + merge(o[2], n[2])))
    open(f, 'w').write('\n'.join(out))
    print(f, 'ok')
