#!/usr/bin/python3
"""Print every personal term of the sample audit, one a line: names (full
and each capitalised word of 3 letters or more), account handles, phone
numbers (as written and as digits), e-mail addresses. Read from the sample
inputs: accounts.csv, usage.jsonl, the WhatsApp exports, the Wickr files,
the tracker CSVs and the case file. Used by test_redact.sh."""
import csv, json, re, sys, glob, os

root = sys.argv[1]
terms = set()

def name(n):
    n = (n or '').strip()
    if not n:
        return
    terms.add(n)
    for w in re.findall(r'\w+', n):
        if len(w) >= 3 and w[0].isupper():
            terms.add(w)

def handle(h):
    h = (h or '').strip()
    if len(h) < 3:
        return
    terms.add(h)
    d = re.sub(r'\D', '', h)
    if re.fullmatch(r'[+\d\s().-]+', h) and len(d) >= 7:
        terms.add(d)
        terms.add(d[-10:])

with open(os.path.join(root, 'accounts.csv'), newline='') as f:
    for r in csv.DictReader(f):
        name(r['custodian_name'])
        handle(r['account'])
        handle(r['account'].split(':', 1)[1])
with open(os.path.join(root, 'usage.jsonl')) as f:
    for line in f:
        try:
            e = json.loads(line)
        except ValueError:
            continue
        for k in ('peer', 'to_account', 'account'):
            v = e.get(k)
            if not v:
                continue
            if ' ' in v:
                name(v)
            else:
                handle(v.split(':', 1)[1] if ':' in v else v)
for p in glob.glob(os.path.join(root, 'exports', '*.txt')):
    for line in open(p, encoding='utf-8'):
        m = re.match(r'\u200e?\[[^\]]+\] ([^:]+):', line) or \
            re.match(r'\d+/\d+/\d+, [\d:]+(?: [AP]M)? - ([^:]+):', line)
        if m:
            name(m.group(1))
        m = re.search(r'added (.+)$', line)
        if m:
            name(m.group(1))
for p in glob.glob(os.path.join(root, 'wickr', '*.jsonl')):
    for line in open(p):
        e = json.loads(line)
        for k in ('sender', 'receiver'):
            if e.get(k):
                handle(e[k])
with open(os.path.join(root, 'tracker', 'actions.csv'), newline='') as f:
    for r in csv.DictReader(f):
        name(r['owner'])
for p in glob.glob(os.path.join(root, 'cases', '*.ini')):
    sect = None
    for line in open(p, encoding='utf-8'):
        m = re.match(r'\[(\w+)\]', line)
        if m:
            sect = m.group(1)
        m = re.match(r'name\s*=\s*(.+)', line)
        if m and sect in ('addressee', 'signatory'):
            name(m.group(1))
# e-mail and phone numbers written in free text anywhere in the inputs
for p in [os.path.join(root, 'tracker', f) for f in os.listdir(os.path.join(root, 'tracker'))] + \
        glob.glob(os.path.join(root, 'cases', '*.ini')):
    for line in open(p, encoding='utf-8'):
        for m in re.findall(r'[\w.+-]+@[\w-]+\.[\w.]+', line):
            terms.add(m)
        for m in re.findall(r'\+?\d[\d ().-]{6,}\d', line):
            if len(re.sub(r'\D', '', m)) >= 10:
                terms.add(m)
# file names of inputs that carry names
for p in glob.glob(os.path.join(root, 'exports', '*')):
    terms.add(os.path.splitext(os.path.basename(p))[0])
# words of the letter's own text that a surname shares ("College Park" in
# the addressee's address): the redactor keeps them alone, replaces the name
kept = set()
for p in glob.glob(os.path.join(root, 'cases', '*.ini')):
    sect = None
    for line in open(p, encoding='utf-8'):
        m = re.match(r'\[(\w+)\]', line)
        if m:
            sect = m.group(1)
        m = re.match(r'(address|organization|office|title)\s*=\s*(.+)', line)
        if m and sect == 'addressee':
            kept.update(re.findall(r'\w+', m.group(2)))
terms -= kept
# words that are not names although they are capitalised in a name field
for w in ('EOC', 'Protección', 'Civil'):
    terms.discard(w)
for t in sorted(terms):
    print(t)
