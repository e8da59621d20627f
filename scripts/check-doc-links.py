#!/usr/bin/env python3
"""Checks every relative Markdown link `](path)` and `](path#anchor)` in the repository's
tracked *.md files: the file must exist and, for a .md target, the anchor must name one of its
headings (GitHub's slugs). Prints each broken link and exits 1 if there is any.

Usage: scripts/check-doc-links.py
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def slugs(path):
  out = set()
  with open(path, encoding="utf-8") as f:
    for line in f:
      m = re.match(r"#+\s+(.*)", line)
      if m:
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(1).strip())  # a link: its text
        out.add(re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-"))
  return out


broken = 0
for name in subprocess.check_output(["git", "ls-files", "*.md"], text=True).split():
  with open(name, encoding="utf-8") as f:
    text = f.read()
  for link in LINK.findall(text):
    if re.match(r"[a-z]+:", link):
      continue
    path, _, anchor = link.partition("#")
    target = os.path.normpath(os.path.join(os.path.dirname(name), path)) if path else name
    if not os.path.exists(target):
      print(f"{name}: broken link {link} (no file {target})")
      broken += 1
    elif anchor and target.endswith(".md") and anchor not in slugs(target):
      print(f"{name}: broken link {link} (no heading #{anchor} in {target})")
      broken += 1
sys.exit(1 if broken else 0)
