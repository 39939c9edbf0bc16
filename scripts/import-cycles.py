#!/usr/bin/env python3
"""Lists import cycles (strongly connected components of more than one file) under src/, type-only imports and dynamic import() included. Usage: python3 scripts/import-cycles.py"""
import re,os,sys
root='src'
graph={}
for d,_,fs in os.walk(root):
    for f in fs:
        if not f.endswith('.ts'): continue
        p=os.path.join(d,f)
        s=open(p).read()
        deps=set()
        for m in re.finditer(r"(?:import|export)\s+(?:type\s+)?[^'\";]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)",s):
            rel=m.group(1) or m.group(2)
            t=os.path.normpath(os.path.join(d,rel))
            t=re.sub(r'\.js$','.ts',t)
            if not t.endswith('.ts'): t+='.ts'
            if os.path.exists(t): deps.add(t)
        graph[p]=deps
# Tarjan SCC
idx={};low={};st=[];on=set();sccs=[];i=[0]
sys.setrecursionlimit(10000)
def sc(v):
    idx[v]=low[v]=i[0];i[0]+=1;st.append(v);on.add(v)
    for w in graph.get(v,()):
        if w not in idx: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],idx[w])
    if low[v]==idx[v]:
        c=[]
        while True:
            w=st.pop();on.discard(w);c.append(w)
            if w==v:break
        if len(c)>1: sccs.append(c)
for v in graph:
    if v not in idx: sc(v)
for c in sccs: print(len(c), sorted(c))
print('files',len(graph),'cycles(SCC>1)',len(sccs))
