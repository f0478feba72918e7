"""Departmental lists: an organisation's own list of classifiable information (Article 19).

Each state body keeps a list (перечень сведений, подлежащих засекречиванию / құпияландыруға
жататын мәліметтер тізбесі) that sets, item by item, the degree of secrecy and the period. qupia
loads one from the YAML file the configuration names (schema ``qupia-departmental-list/1``):

.. code-block:: yaml

    schema: qupia-departmental-list/1
    organisation: "…"
    items:
      - id: "14"                     # the list's own item number ("п. 14 Перечня")
        title: "Дислокация воинских частей"
        level: top-secret
        period_years: 10             # optional
        law_item: "11.3"             # optional: the law item it details
        cues:                        # the same cue format as patterns/categories
          - {stems: ["дислоц", "орналасқан"], weight: 1.0}

A list item applies to a document when the document's stamp names it ("п. 14 Перечня",
"Тізбенің 14-тармағы"), or when the document has Article 11–14 content and the item's cues
score at least ``min_score`` (default 1.5) — its law item among the matched categories counts
for 1.0 of that. QP102 and QP202 compare the document's level with the highest level of the
items that apply.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qupia.content.matcher import Cue
from qupia.content.packs import compile_cue
from qupia.content.prepared import Text
from qupia.fsio import read_regular
from qupia.i18n import msg
from qupia.model import CategoryMatch, Level, ListMatch, Marking
from qupia.text.patterns import PatternError, load_yaml

if TYPE_CHECKING:
    from qupia.content.pack_schema import ListItemSpec


@dataclass(frozen=True, eq=False)
class DepartmentalList:
    organisation: str
    min_score: float
    items: tuple[ListItemSpec, ...]
    cues: dict[str, tuple[Cue, ...]]  # list item id → its compiled cues


def load_list(path: Path) -> DepartmentalList:
    return _load(str(path))


@functools.lru_cache(maxsize=4)
def _load(path_str: str) -> DepartmentalList:
    import yaml  # only when a list is configured
    from pydantic import ValidationError

    from qupia.content.pack_schema import ListSpec

    path = Path(path_str)
    try:
        spec = ListSpec.model_validate(load_yaml(read_regular(path).decode("utf-8")))
    except OSError as exc:
        raise PatternError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise PatternError(f"{path}: not UTF-8 text") from None
    except (RecursionError, MemoryError):
        raise PatternError(f"{path}: not valid YAML: nested too deeply") from None
    except yaml.YAMLError as exc:
        raise PatternError(f"{path}: not valid YAML: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PatternError(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from None
    ids = [i.id for i in spec.items]
    if len(set(ids)) != len(ids):
        raise PatternError(f"{path}: duplicate item ids")
    cues = {i.id: tuple(c for n, cue in enumerate(i.cues)
                        for c in compile_cue(cue, i.id, False, str(path), f"{i.id}#{n}"))
            for i in spec.items}
    return DepartmentalList(spec.organisation, spec.min_score, tuple(spec.items), cues)


def _norm(item_id: str) -> str:
    return item_id.strip().rstrip(".").lstrip("0") or "0"


def match_list(
    deplist: DepartmentalList,
    text: Text,
    categories: tuple[CategoryMatch, ...],
    markings: tuple[Marking, ...],
) -> tuple[ListMatch, ...]:
    named = {_norm(m.requisites.list_item) for m in markings if m.requisites.list_item}
    found_items = {c.item for c in categories}
    classifiable = any(c.article != "17" for c in categories)
    out = []
    for item in deplist.items:
        level = Level(item.level)
        if _norm(item.id) in named:
            out.append(ListMatch(item.id, item.title, level, msg("named by the stamp")))
            continue
        if not classifiable:
            continue
        hit = {c.group: (c.label, c.weight) for c in deplist.cues[item.id]
               if c.pattern.search(text.folded)}
        score = sum(w for _, w in hit.values()) + (1.0 if item.law_item in found_items else 0.0)
        if score >= deplist.min_score:
            labels = sorted(label for label, _ in hit.values())
            why = (msg("cues: {cues}", cues=", ".join(labels)) if labels
                   else msg("law item {item}", item=item.law_item))
            out.append(ListMatch(item.id, item.title, level, why))
    return tuple(out)
