"""Validate some knowledge-base files on their own: python tools/check_kb.py FILE.toml [FILE.toml ...].

sources.toml is always included. Prints the drugs loaded or every problem found.
"""

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from allostasis.knowledge import build_knowledge_base

data = Path(__file__).resolve().parents[1] / "src/allostasis/knowledge/data"
files = {data / "sources.toml", *(Path(f).resolve() for f in sys.argv[1:])}
raw = {p.name: tomllib.loads(p.read_text()) for p in sorted(files)}
kb = build_knowledge_base(raw)
for name, d in kb.drugs.items():
    mets = ", ".join(m.name for m in d.metabolites)
    print(f"{name:18s} {d.drug_class:16s} routes={d.routes} metabolites=[{mets}]")
print(f"OK: {len(kb)} drugs, {len(kb.sources)} sources")
