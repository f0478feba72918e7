"""A results store → one self-contained HTML page (``qupia report --html``).

Nothing on the page is fetched: the styles, the script (written here) and the charts (inline
SVG drawn here) are in the file, and the files' data is a JSON block in it. The table of files is
paginated in the browser, so a store of 100,000 files opens as one page (README: load time).
Texts are in the language asked for (``qupia report --lang``), else the store's; the page's
own words are translated through the message catalogues (:mod:`qupia.i18n`), the findings'
messages are stored in the scan's language. The document's words appear only when the store
was made with ``--evidence``.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from datetime import date
from typing import Any

from qupia import __version__
from qupia.i18n import Catalogue, catalogue
from qupia.model import FAMILIES
from qupia.report.export import ReportData, totals

_LEGAL = ("special-importance", "top-secret", "secret")
#: The page may run its own inline script and styles and fetch nothing.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def bar_chart(items: list[tuple[str, int]], title: str, color: str = "#2f5d8a",
              empty: str = "Nothing to show.") -> str:
    """Horizontal bars as inline SVG: one row per (label, value); *empty* when there are none."""
    if not items:
        return (f'<figure class="chart"><figcaption>{_e(title)}</figcaption>'
                f'<p class="empty">{_e(empty)}</p></figure>')
    top = max(v for _l, v in items) or 1
    row, label_w, bar_w = 22, 210, 330
    height = row * len(items) + 8
    parts = [f'<svg viewBox="0 0 {label_w + bar_w + 60} {height}" role="img" '
             f'aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        w = max(1.0, bar_w * value / top)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" class="lbl">'
            f'{_e(label)}</text><rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="15" '
            f'rx="2" fill="{color}"><title>{_e(label)}: {value}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" class="val">{value}</text>')
    parts.append("</svg>")
    return (f'<figure class="chart"><figcaption>{_e(title)}</figcaption>{"".join(parts)}'
            f'</figure>')


def _year(value: str | None) -> int | None:
    try:
        return date.fromisoformat(value).year if value else None
    except ValueError:
        return None


def _expiry_year(mark: dict[str, Any]) -> int | None:
    """The year a mark's classification ran out: the extension, the stated end, the date plus
    the stated period, else the date plus 30 years (Art. 20(3))."""
    r = mark["requisites"]
    for key in ("extended_until", "until"):
        if _year(r.get(key)):
            return _year(r.get(key))
    start = _year(r.get("date"))
    if start is None:
        return None
    return start + (r.get("period_years") or 30)


def _binned(years: Counter[int]) -> list[tuple[str, int]]:
    """Years as bars: one per year over a short span, else one per decade."""
    if not years:
        return []
    if max(years) - min(years) <= 25:
        return [(str(y), years[y]) for y in range(min(years), max(years) + 1)]
    decades: Counter[int] = Counter()
    for y, n in years.items():
        decades[y // 10 * 10] += n
    return [(f"{d}s", decades[d]) for d in range(min(decades), max(decades) + 1, 10)]


def charts(data: ReportData, tr: Catalogue) -> str:
    t = totals(data)
    by_rule = sorted(t["rule"].items())
    decades: Counter[int] = Counter()
    expired: Counter[int] = Counter()
    for f in data.files:
        for m in f["markings"]:
            year = _year(m["requisites"].get("date"))
            if year and (m["level"] in _LEGAL or m.get("legacy")):
                decades[year] += 1
        if any(x["code"] == "QP201" for x in f["findings"]):
            ends = [y for m in f["markings"] if m.get("in_effect", True)
                    for y in [_expiry_year(m)] if y]
            if ends:
                expired[min(ends)] += 1
    by_decade: Counter[int] = Counter()
    for y, n in decades.items():
        by_decade[y // 10 * 10] += n
    decade_bars = ([(f"{d}s", by_decade[d]) for d in range(min(by_decade), max(by_decade) + 1, 10)]
                   if by_decade else [])
    empty = tr._("Nothing to show.")
    return "".join((
        bar_chart(by_rule, tr._("Findings by rule"), empty=empty),
        bar_chart(decade_bars, tr._("Marks by decade of their date"), "#6a7f3a", empty),
        bar_chart(_binned(expired), tr._("Expired marks by the year their period ended"),
                  "#a8552c", empty),
    ))


def _totals_table(title: str, counts: Counter[str], order: tuple[str, ...] = (),
                  none: str = "none") -> str:
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    rows = "".join(f"<tr><td>{_e(k)}</td><td class=num>{counts[k]}</td></tr>" for k in keys)
    if not rows:
        rows = f'<tr><td colspan=2 class="empty">{_e(none)}</td></tr>'
    return f'<table class="totals"><caption>{_e(title)}</caption>{rows}</table>'


def _compact(data: ReportData) -> list[list[Any]]:
    """The files as short arrays for the page's script (the page's size is mostly this)."""
    out = []
    for f in data.files:
        out.append([
            f["path"], f["status"], f["error"] or "", f["document_level"] or "",
            f["language"] or "", f["pages"] or 0,
            [[x["code"], x["rule"], x["family"], x["severity"], x["article"], x["page"],
              x["region"], x["message"], x["evidence"]] for x in f["findings"]],
            [[m["level"], m["page"], m["region"], m["requisites"].get("date") or "",
              m["text"], m.get("in_effect", True)] for m in f["markings"]],
            [[c["item"], c["score"], [e["text"] for e in c.get("evidence", [])][:2]]
             for c in f["categories"]],
        ])
    return out


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_CSS = """
:root{--ink:#1d2733;--mute:#5b6776;--line:#d9dee5;--bg:#f5f7fa;--acc:#2f5d8a;
--err:#b3261e;--warn:#9a6700;--info:#2f5d8a}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",
"DejaVu Sans",sans-serif;color:var(--ink);background:var(--bg)}
header{background:#1f3a56;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#c9d6e3;font-size:13px}main{padding:20px 28px;max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:16px 18px;
margin-bottom:18px}h2{font-size:16px;margin:0 0 12px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1 1 150px;border:1px solid var(--line);
border-radius:6px;padding:10px 14px;background:#fbfcfd}.card b{display:block;font-size:24px}
.card span{color:var(--mute);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.grid{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
table.totals{border-collapse:collapse;min-width:180px}table.totals caption{text-align:left;
font-weight:600;padding-bottom:4px}table.totals td{padding:2px 10px 2px 0;border-bottom:1px
solid #eef1f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.chart{margin:0;flex:1 1 420px;max-width:620px}.chart figcaption{font-weight:600;
margin-bottom:6px}.chart svg{width:100%;height:auto}.lbl{font-size:12px;fill:var(--ink)}
.val{font-size:11px;fill:var(--mute)}.empty{color:var(--mute)}
.filters{display:flex;gap:8px;flex-wrap:wrap;margin-bottom:10px}
.filters input,.filters select{padding:6px 8px;border:1px solid var(--line);border-radius:4px;
font:inherit;background:#fff}.filters input{flex:1 1 260px}
table#files{width:100%;border-collapse:collapse}#files th{text-align:left;background:#eef2f6;
padding:7px 8px;cursor:pointer;user-select:none;white-space:nowrap;border-bottom:1px solid
var(--line)}#files th.sorted:after{content:" ▲"}#files th.sorted.desc:after{content:" ▼"}
#files td{padding:6px 8px;border-bottom:1px solid #eef1f4;vertical-align:top}
#files tbody tr{cursor:pointer}#files tbody tr:hover{background:#f2f6fb}
#files tbody tr.open{background:#e6eef7}td.path{word-break:break-all;max-width:520px}
.pill{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;margin:1px 2px 1px 0;
border:1px solid var(--line);background:#f6f8fa}.pill.error{color:var(--err);border-color:
#e8b4b0;background:#fdf1f0}.pill.warning{color:var(--warn);border-color:#e9d3a1;
background:#fdf8ec}.pill.info{color:var(--info)}.lvl{font-weight:600}
.pager{display:flex;gap:8px;align-items:center;margin-top:10px;color:var(--mute)}
.pager button{padding:5px 10px;border:1px solid var(--line);background:#fff;border-radius:4px;
cursor:pointer;font:inherit}.pager button:disabled{opacity:.4;cursor:default}
tr.detail td{background:#fafbfc;padding:12px 16px}.detail h3{font-size:13px;margin:8px 0 4px}
.detail ul{margin:0;padding-left:18px}.ev{color:var(--mute);font-style:italic}
footer{color:var(--mute);font-size:12px;padding:0 28px 24px}
"""

_JS = r"""
(function(){
"use strict";
var T=JSON.parse(document.getElementById("qupia-text").textContent);
var D=JSON.parse(document.getElementById("qupia-data").textContent);
var PAGE=50,page=0,sortKey=6,sortDesc=true,openRow=-1,rows=[];
var LEVEL_RANK={"special-importance":3,"top-secret":2,"secret":1,"":0};
var $=function(id){return document.getElementById(id)};
function esc(s){return String(s).replace(/[&<>"']/g,function(c){return{"&":"&amp;",
"<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]})}
function codes(f){var s={};f[6].forEach(function(x){s[x[0]]=1});return Object.keys(s).sort()}
function key(f,k){if(k===3)return LEVEL_RANK[f[3]]||0;if(k===6)return f[6].length;
if(k===7)return codes(f).join(" ");return f[k]}
function options(sel,values){values.sort().forEach(function(v){var o=document.createElement(
"option");o.value=v;o.textContent=v;sel.appendChild(o)})}
var rules={},levels={},statuses={},fams={};
D.forEach(function(f){f[6].forEach(function(x){rules[x[0]+" "+x[1]]=1;fams[x[2]]=1});
if(f[3])levels[f[3]]=1;statuses[f[1]]=1});
options($("f-rule"),Object.keys(rules));options($("f-family"),Object.keys(fams));
options($("f-level"),Object.keys(levels));options($("f-status"),Object.keys(statuses));
function filter(){
  var q=$("f-text").value.toLowerCase(),r=$("f-rule").value.split(" ")[0],
  fa=$("f-family").value,l=$("f-level").value,s=$("f-status").value;
  rows=[];
  for(var i=0;i<D.length;i++){var f=D[i];
    if(q&&f[0].toLowerCase().indexOf(q)<0)continue;
    if(r&&!f[6].some(function(x){return x[0]===r}))continue;
    if(fa&&!f[6].some(function(x){return x[2]===fa}))continue;
    if(l&&(l==="-"?f[3]!=="":f[3]!==l))continue;
    if(s&&f[1]!==s)continue;rows.push(i)}
  sortRows();page=0;openRow=-1;draw()}
function sortRows(){rows.sort(function(a,b){var x=key(D[a],sortKey),y=key(D[b],sortKey);
  var c=x<y?-1:x>y?1:(a-b);return sortDesc?-c:c})}
function pills(f){return f[6].map(function(x){return '<span class="pill '+esc(x[3])+'" title="'+
  esc(x[1]+" — "+x[4])+'">'+esc(x[0])+"</span>"}).join("")}
function detail(f){
  var h="";
  if(f[2])h+="<h3>"+esc(T.error)+"</h3><p>"+esc(f[2])+"</p>";
  h+="<h3>"+esc(T.findings)+" ("+f[6].length+")</h3>";
  h+=f[6].length?"<ul>"+f[6].map(function(x){return '<li><span class="pill '+esc(x[3])+'">'+
    esc(x[0])+"</span> <b>"+esc(x[1])+"</b> · "+esc(T.article)+" "+esc(x[4])+
    (x[5]?" · "+esc(T.page)+" "+x[5]:"")+(x[6]?" · "+esc(x[6]):"")+"<br>"+esc(x[7])+
    (x[8]?'<br><span class="ev">“'+esc(x[8])+"”</span>":"")+"</li>"}).join("")+"</ul>"
    :"<p>"+esc(T.none)+"</p>";
  if(f[7].length){h+="<h3>"+esc(T.markings)+"</h3><ul>"+f[7].map(function(m){
    return "<li><b>"+esc(m[0])+"</b>"+(m[4]?' <span class="ev">“'+esc(m[4])+"”</span>":"")+
    " · "+esc(T.page)+" "+m[1]+" · "+esc(m[2])+(m[3]?" · "+esc(m[3]):"")+
    (m[5]?"":" · "+esc(T.out_of_effect))+"</li>"}).join("")+"</ul>"}
  if(f[8].length){h+="<h3>"+esc(T.categories)+"</h3><ul>"+f[8].map(function(c){
    return "<li>"+esc(T.item)+" "+esc(c[0])+" ("+Number(c[1]).toFixed(2)+")"+
    c[2].map(function(e){return '<br><span class="ev">“'+esc(e)+"”</span>"}).join("")+
    "</li>"}).join("")+"</ul>"}
  return h}
function draw(){
  var body=[],n=rows.length,pages=Math.max(1,Math.ceil(n/PAGE));
  if(page>=pages)page=pages-1;
  for(var j=page*PAGE;j<Math.min(n,(page+1)*PAGE);j++){var i=rows[j],f=D[i];
    body.push('<tr data-i="'+i+'"'+(i===openRow?' class="open"':"")+'><td class="path">'+
      esc(f[0])+"</td><td>"+esc(f[1])+'</td><td class="lvl">'+esc(f[3]||"—")+"</td><td>"+
      esc(f[4]||"—")+'</td><td class="num">'+(f[5]||"")+'</td><td class="num">'+f[6].length+
      "</td><td>"+pills(f)+"</td></tr>");
    if(i===openRow)body.push('<tr class="detail"><td colspan="7"><div class="detail">'+
      detail(f)+"</div></td></tr>")}
  $("rows").innerHTML=body.join("")||'<tr><td colspan="7" class="empty">'+esc(T.no_match)+
    "</td></tr>";
  $("count").textContent=T.showing.replace("{n}",n.toLocaleString()).replace("{total}",
    D.length.toLocaleString());
  $("pageinfo").textContent=T.page_of.replace("{page}",page+1).replace("{pages}",pages);
  $("prev").disabled=page===0;$("next").disabled=page>=pages-1;
  var ths=document.querySelectorAll("#files th");
  for(var k=0;k<ths.length;k++){var c=+ths[k].dataset.k;
    ths[k].className=c===sortKey?"sorted"+(sortDesc?" desc":""):""}}
["f-text","f-rule","f-family","f-level","f-status"].forEach(function(id){
  $(id).addEventListener("input",filter)});
$("prev").addEventListener("click",function(){page--;draw()});
$("next").addEventListener("click",function(){page++;draw()});
document.querySelector("#files thead").addEventListener("click",function(ev){
  var th=ev.target.closest("th");if(!th)return;var k=+th.dataset.k;
  if(k===sortKey)sortDesc=!sortDesc;else{sortKey=k;sortDesc=k>=5}sortRows();draw()});
$("rows").addEventListener("click",function(ev){var tr=ev.target.closest("tr[data-i]");
  if(!tr)return;var i=+tr.dataset.i;openRow=openRow===i?-1:i;draw()});
filter();
document.body.dataset.ready="1";
})();
"""


def render(data: ReportData, lang: str | None = None) -> str:
    """The page, in *lang* (default: the language the store was made in, else English)."""
    lang = lang or data.settings.get("lang") or "en"
    tr = catalogue(lang)
    _ = tr._
    t = totals(data)
    n_findings = sum(t["family"].values())
    unreadable = sum(n for s, n in t["status"].items() if s != "ok")
    marked = sum(n for lvl, n in t["level"].items() if lvl in _LEGAL)
    evidence = bool(data.settings.get("evidence"))
    texts = {
        "error": _("Why it could not be read"), "findings": _("Findings"),
        "article": _("Art."), "page": _("page"), "none": _("none"),
        "markings": _("Marks"), "categories": _("Content the law lets be classified or "
                                                 "forbids classifying"),
        "item": _("item"), "out_of_effect": _("out of effect"),
        "no_match": _("No file matches these filters."),
        "showing": _("{n} of {total} files"), "page_of": _("page {page} of {pages}"),
    }
    cards = "".join(
        f'<div class="card"><b>{value:,}</b><span>{_e(label)}</span></div>'
        for value, label in (
            (len(data.files), _("files")), (n_findings, _("findings")),
            (sum(1 for f in data.files if f["findings"]), _("files with findings")),
            (marked, _("files marked secret")), (unreadable, _("unreadable files"))))
    none = _("none")
    tables = "".join((
        _totals_table(_("By family"), t["family"], FAMILIES, none),
        _totals_table(_("By rule"), t["rule"], (), none),
        _totals_table(_("By severity"), t["severity"], ("error", "warning", "info"), none),
        _totals_table(_("By article"), t["article"], (), none),
        _totals_table(_("By document level"), t["level"], (*_LEGAL, "none"), none),
        _totals_table(_("By language"), t["language"], (), none),
        _totals_table(_("By status"), t["status"], ("ok", "no-text", "error"), none),
    ))
    headers = "".join(f'<th data-k="{k}">{_e(label)}</th>' for k, label in (
        (0, _("File")), (1, _("Status")), (3, _("Level")), (4, _("Language")),
        (5, _("Pages")), (6, _("Findings")), (7, _("Rules"))))
    filters = (
        f'<input id="f-text" type="search" placeholder="{_e(_("Filter by path…"))}">'
        f'<select id="f-rule"><option value="">{_e(_("Every rule"))}</option></select>'
        f'<select id="f-family"><option value="">{_e(_("Every family"))}</option></select>'
        f'<select id="f-level"><option value="">{_e(_("Every level"))}</option>'
        f'<option value="-">{_e(_("no legal mark"))}</option></select>'
        f'<select id="f-status"><option value="">{_e(_("Every status"))}</option></select>')
    ref = data.reference_date or "—"
    note = (_("The store keeps the matched words (made with --evidence); this page shows them.")
            if evidence else _("The store holds no words of the documents (made without "
                               "--evidence)."))
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<title>{_e(_("qupia archive review"))}</title><style>{_CSS}</style></head>
<body><header><h1>{_e(_("Archive review under the Law “On State Secrets”"))}</h1>
<p>{_e(_("Store"))}: {_e(data.db)} · {_e(_("reference date"))}: {_e(ref)} · qupia {__version__}</p>
</header><main>
<section><div class="cards">{cards}</div><p class="empty">{_e(note)}</p></section>
<section><h2>{_e(_("Totals"))}</h2><div class="grid">{tables}</div></section>
<section><h2>{_e(_("Charts"))}</h2><div class="grid">{charts(data, tr)}</div></section>
<section><h2>{_e(_("Files"))}</h2><div class="filters">{filters}</div>
<table id="files"><thead><tr>{headers}</tr></thead><tbody id="rows"></tbody></table>
<div class="pager"><button id="prev" type="button">‹ {_e(_("previous"))}</button>
<span id="pageinfo"></span><button id="next" type="button">{_e(_("next"))} ›</button>
<span id="count"></span></div></section>
</main><footer>{_e(_("Made by qupia from a results store; the page fetches nothing."))}
</footer>
<script type="application/json" id="qupia-text">{_script_json(texts)}</script>
<script type="application/json" id="qupia-data">{_script_json(_compact(data))}</script>
<script>{_JS}</script></body></html>
"""
