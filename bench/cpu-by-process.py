#!/usr/bin/env python3
# Part of bench/profile-move.sh: samples /proc every 0.5 s until SIGTERM, then writes to the file
# named by its argument the processor seconds per class (server:activity, java, tools) and a
# timeline in 2-second buckets. A PostgreSQL process is "src" or "tgt" by its postmaster's path
# (PostgreSQL 10 is the source).
import os, sys, time, signal
clk = os.sysconf('SC_CLK_TCK')
last = {}; pmclass = {}; tot = {}; timeline = []
stop = False
def on(sig, f):
    global stop; stop = True
signal.signal(signal.SIGTERM, on); signal.signal(signal.SIGINT, on)
def classify(cmd, ppid):
    if 'java' in cmd: return 'java'
    if cmd.startswith('postgres:'):
        srv = pmclass.get(ppid, '?')
        w = cmd.split()
        if len(w) > 1 and w[1] in ('checkpointer','writer','wal','walwriter','autovacuum','background','stats','logical','bgworker:'):
            return srv + ':' + w[1]
        if len(w) > 1 and w[1] == 'parallel':
            return srv + ':parallel'
        act = w[5] if len(w) > 5 else (w[-1] if w else '')
        return srv + ':' + act
    if 'bin/postgres' in cmd: return 'PM'
    for t in ('pg_restore', 'pg_dump', 'psql'):
        if t in cmd: return t
    return None
t0 = time.time(); out = sys.argv[1]
bucket = {}; bstart = t0
while not stop:
    for d in os.listdir('/proc'):
        if not d.isdigit(): continue
        try:
            st = open('/proc/%s/stat' % d).read()
            cmd = open('/proc/%s/cmdline' % d).read().replace('\0', ' ').strip()
        except Exception:
            continue
        rp = st.rfind(')'); f = st[rp+2:].split()
        ppid = int(f[1]); cpu = (int(f[11]) + int(f[12])) / clk; pid = int(d)
        if 'bin/postgres' in cmd and not cmd.startswith('postgres:'):
            pmclass[pid] = 'src' if '/10.' in cmd else 'tgt'
        c = classify(cmd, ppid)
        if c is None or c == 'PM': continue
        delta = cpu - last.get(pid, (None, 0))[1] if pid in last else cpu
        last[pid] = (c, cpu)
        if delta > 0:
            tot[c] = tot.get(c, 0) + delta
            bucket[c] = bucket.get(c, 0) + delta
    if time.time() - bstart >= 2:
        timeline.append((bstart - t0, bucket)); bucket = {}; bstart = time.time()
    time.sleep(0.5)
timeline.append((bstart - t0, bucket))
with open(out, 'w') as fo:
    for k, v in sorted(tot.items(), key=lambda kv: -kv[1]):
        if v >= 0.1: fo.write('%8.1f  %s\n' % (v, k))
    fo.write('%8.1f  total\n' % sum(tot.values()))
    for t, b in timeline:
        fo.write('%5.0f  %s\n' % (t, '  '.join('%s=%.1f' % (k, v) for k, v in sorted(b.items(), key=lambda kv: -kv[1]) if v >= 0.1)))
